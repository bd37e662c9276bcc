package dev.nristream.cli;

import dev.nristream.sim.DatasetSpec;
import dev.nristream.sim.DatasetSpec.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much {@code ./nri simulate} will write, checked before the first byte: {@code --train 2000000000} would
 * otherwise start on 16 TB and {@code --atoms 1000000} fail hours later.
 */
final class DatasetSize {

    /** Most elements in one simulation's array: the generator holds each in a Java array. */
    static final long MAX_ELEMENTS_PER_SIMULATION = Integer.MAX_VALUE - 8L;

    private DatasetSize() {
    }

    /**
     * Upper estimate in bytes: per simulation, loc and vel [T, 2, N] (Kuramoto: up to 4 features, still two
     * files' worth) and edges [N, N], all 8-byte elements; the small Kuramoto extra training split included.
     */
    static long estimateBytes(DatasetSpec ds) {
        long n = ds.config().atoms();
        long total = 0;
        for (Split s : Split.values()) {
            long steps = Math.max(0, ds.length(s) / ds.config().sampleFreq() - 1);
            long perSim = Math.addExact(Math.multiplyExact(Math.multiplyExact(4L * steps, n), 8L) * 2,
                    Math.multiplyExact(n * n, 8L));
            long sims = ds.count(s) + (s == Split.TRAIN && !ds.config().hasPositions()
                    ? DatasetSpec.KURAMOTO_SMALL_TRAIN : 0);
            total = Math.addExact(total, Math.multiplyExact(perSim, sims));
        }
        return total;
    }

    /**
     * @throws UserError when one simulation does not fit in an array, or the files need more than the free space
     *     on the output directory's file system
     */
    static void require(DatasetSpec ds) throws IOException {
        long n = ds.config().atoms();
        long steps = Math.max(ds.length(Split.TRAIN), ds.lengthTest()) / ds.config().sampleFreq();
        if (n * n > MAX_ELEMENTS_PER_SIMULATION || steps * 4 * n > MAX_ELEMENTS_PER_SIMULATION) {
            throw new UserError(String.format(Locale.ROOT, "--atoms %d with %d recorded steps is too large for one "
                    + "simulation (%,d edge entries, %,d values per trajectory; at most %,d each)", n, steps, n * n,
                    steps * 4 * n, MAX_ELEMENTS_PER_SIMULATION));
        }
        long need;
        try {
            need = estimateBytes(ds);
        } catch (ArithmeticException e) {
            throw new UserError("the requested dataset is too large to count: check --train/--valid/--test, "
                    + "--atoms and --length");
        }
        Path existing = ds.outDir().toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        long free = Files.getFileStore(existing).getUsableSpace();
        if (need > free) {
            throw new UserError(String.format(Locale.ROOT, "the dataset would take about %s but %s has only %s "
                    + "free; lower --train/--valid/--test or --atoms, or choose another --out", human(need),
                    existing, human(free)));
        }
    }

    static String human(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
