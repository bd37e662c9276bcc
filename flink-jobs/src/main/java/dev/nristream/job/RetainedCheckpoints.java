package dev.nristream.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the checkpoint a restarted job should resume from: the newest completed one in a local checkpoint directory
 * ({@code <dir>/<job id>/chk-<n>/_metadata}, Flink's layout). A checkpoint is complete once its {@code _metadata}
 * exists: Flink writes it under a temporary name and renames it at the end, so a process killed while
 * checkpointing leaves no {@code _metadata} for that checkpoint.
 *
 * <pre>{@code
 * RetainedCheckpoints.latest("file:///var/nri/checkpoints")
 *         .ifPresent(chk -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, chk.toUri().toString()));
 * }</pre>
 */
public final class RetainedCheckpoints {

    private RetainedCheckpoints() {
    }

    /**
     * @param checkpointDir {@code checkpoint.dir}: a {@code file:} URI or a plain path
     * @return the newest completed checkpoint directory; empty when there is none, or the directory is not local
     *     (a remote file system is left to Flink's own tools)
     */
    public static Optional<Path> latest(String checkpointDir) {
        Path dir;
        if (checkpointDir.startsWith("file:")) {
            dir = Path.of(URI.create(checkpointDir));
        } else if (checkpointDir.contains("://")) {
            return Optional.empty();
        } else {
            dir = Path.of(checkpointDir);
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(RetainedCheckpoints::completed)
                    .max(Comparator.comparing(RetainedCheckpoints::metadataTime));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Stream<Path> completed(Path jobDir) {
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static FileTime metadataTime(Path chk) {
        try {
            return Files.getLastModifiedTime(chk.resolve("_metadata"));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
