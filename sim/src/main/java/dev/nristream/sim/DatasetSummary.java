package dev.nristream.sim;

import dev.nristream.io.NpyHeader;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link DatasetGenerator} wrote.
 *
 * @param outDir the output directory
 * @param files every file, in the order written
 * @param simulations simulations run (the {@code _small} Kuramoto files re-use training scenes)
 * @param seconds wall-clock time
 */
public record DatasetSummary(Path outDir, List<WrittenFile> files, long simulations, double seconds) {

    public DatasetSummary {
        files = List.copyOf(files);
    }

    /** Total bytes written. */
    public long bytes() {
        return files.stream().mapToLong(WrittenFile::bytes).sum();
    }

    /** One .npy file: its path, header (type and shape) and size. */
    public record WrittenFile(Path path, NpyHeader header, long bytes) {
    }
}
