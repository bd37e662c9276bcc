package dev.nristream.sim;

import dev.nristream.io.NpyDType;
import dev.nristream.model.DatasetLayout;
import dev.nristream.io.NpyWriter;
import dev.nristream.sim.DatasetSpec.Split;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Writes a dataset in the NRI research layout, simulating on all cores and streaming to disk.
 *
 * <p>Particle systems: {@code loc_{split}{suffix}.npy} and {@code vel_...} float64 {@code [sims, T, 2, N]},
 * {@code edges_...} {@code [sims, N, N]} (float64 by default, as the research code saves them). Kuramoto:
 * {@code feat_{split}{suffix}.npy} float32 {@code [sims, N, T, D]} and {@code edges_...} int64, plus
 * {@code feat_train_small}/{@code edges_train_small} with the first 100 training scenes; train and valid are
 * simulated at the test length and cut to their own, as the research code does so that the normalisation window is
 * the same for every split.
 *
 * <p>Scene i of a split is {@code simulate(DatasetGenerator.runSeed(seed, split), i)}: workers compute chunks of
 * consecutive scenes, the calling thread writes them in order, so the files are byte-identical for any thread count.
 *
 * <pre>{@code
 * DatasetSummary s = new DatasetGenerator().generate(spec, done -> bar.stepBy(done));
 * }</pre>
 */
public final class DatasetGenerator {
    private static final int MAX_CHUNK = 64;
    private static final int CHUNKS_IN_FLIGHT_PER_THREAD = 4;

    /** The run seed of a split's scenes. */
    public static long runSeed(long seed, Split split) {
        return Seeds.mix(seed, split.ordinal());
    }

    /**
     * Generates every split.
     *
     * @param progress called on the calling thread with the number of simulations just finished
     * @throws IllegalArgumentException if the output directory cannot be created or written
     */
    public DatasetSummary generate(DatasetSpec spec, LongConsumer progress) throws IOException {
        long start = System.nanoTime();
        prepareOutDir(spec.outDir());
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(spec.threads(), r -> {
            Thread t = new Thread(r, "nri-sim-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<DatasetSummary.WrittenFile> files = new ArrayList<>();
        long sims = 0;
        try {
            for (Split split : Split.values()) {
                files.addAll(writeSplit(spec, split, spec.count(split), split.id(), pool, progress));
                sims += spec.count(split);
            }
            if (!spec.config().hasPositions() && spec.count(Split.TRAIN) > 0) {
                int small = Math.min(DatasetSpec.KURAMOTO_SMALL_TRAIN, spec.count(Split.TRAIN));
                files.addAll(writeSplit(spec, Split.TRAIN, small, "train_small", pool, done -> { }));
            }
        } finally {
            pool.shutdownNow();
        }
        return new DatasetSummary(spec.outDir(), files, sims, (System.nanoTime() - start) / 1e9);
    }

    private static void prepareOutDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IllegalArgumentException("output directory " + dir + " is not writable");
        }
    }

    private List<DatasetSummary.WrittenFile> writeSplit(DatasetSpec spec, Split split, int count, String name,
            ExecutorService pool, LongConsumer progress) throws IOException {
        SimConfig nominal = spec.config(split);
        boolean particles = nominal.hasPositions();
        // Kuramoto's research features, train/valid: simulate at the test length, keep the nominal number of steps.
        SimConfig run = particles ? nominal : spec.config(Split.TEST);
        Simulator sim = Simulators.forConfig(run);
        int n = nominal.atoms();
        int steps = nominal.recordedSteps();
        int dims = nominal.featureDims();
        long seed = runSeed(spec.seed(), split);
        Path dir = spec.outDir();
        String suffix = spec.suffix();

        int chunk = Math.max(1, Math.min(MAX_CHUNK, count / (spec.threads() * CHUNKS_IN_FLIGHT_PER_THREAD)));
        if (particles) {
            ParticleSplitWriter out = ParticleSplitWriter.open(dir, name, suffix, count, steps, 2, n, spec.edgeDtype());
            try (out) {
                simulateInOrder(pool, sim, seed, count, chunk, spec.threads(), steps, dims, progress,
                        c -> out.write(c.loc, c.vel, c.edges));
            }
            return out.files();
        }
        List<NpyWriter> writers = new ArrayList<>();
        try {
            NpyWriter feat = add(writers, NpyWriter.open(DatasetLayout.file(dir, DatasetLayout.FEAT, name, suffix),
                    NpyDType.FLOAT32, count, n, steps, dims));
            NpyWriter edges = add(writers, NpyWriter.open(DatasetLayout.file(dir, DatasetLayout.EDGES, name, suffix),
                    spec.edgeDtype(), count, n, n));
            simulateInOrder(pool, sim, seed, count, chunk, spec.threads(), steps, dims, progress, c -> {
                feat.writeDoubles(c.feat, 0, c.feat.length);
                edges.writeInts(c.edges, 0, c.edges.length);
            });
        } finally {
            closeAll(writers);
        }
        List<DatasetSummary.WrittenFile> out = new ArrayList<>();
        for (NpyWriter w : writers) {
            out.add(new DatasetSummary.WrittenFile(w.path(), w.header(), Files.size(w.path())));
        }
        return out;
    }

    /** Consumes the chunks of a split in scene order, whatever order the workers finish them in. */
    private interface ChunkSink {
        void accept(Chunk c) throws IOException;
    }

    private static void simulateInOrder(ExecutorService pool, Simulator sim, long seed, int count, int chunk,
            int threads, int steps, int dims, LongConsumer progress, ChunkSink sink) throws IOException {
        int maxInFlight = threads * CHUNKS_IN_FLIGHT_PER_THREAD;
        ArrayDeque<Future<Chunk>> inFlight = new ArrayDeque<>();
        int next = 0;
        while (next < count || !inFlight.isEmpty()) {
            while (next < count && inFlight.size() < maxInFlight) {
                int from = next;
                int to = Math.min(count, from + chunk);
                inFlight.add(pool.submit(() -> Chunk.compute(sim, seed, from, to, steps, dims)));
                next = to;
            }
            Chunk c = await(inFlight.poll());
            sink.accept(c);
            progress.accept(c.size);
        }
    }

    private static NpyWriter add(List<NpyWriter> writers, NpyWriter w) {
        writers.add(w);
        return w;
    }

    /** Closes every writer, even when one fails, then throws the first failure. */
    static void closeAll(List<NpyWriter> writers) throws IOException {
        IOException first = null;
        RuntimeException firstRt = null;
        for (NpyWriter w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            } catch (RuntimeException e) {
                firstRt = firstRt == null ? e : firstRt;
            }
        }
        if (first != null) {
            throw first;
        }
        if (firstRt != null) {
            throw firstRt;
        }
    }

    private static Chunk await(Future<Chunk> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while simulating");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Consecutive scenes [from, to) flattened in file order. */
    private static final class Chunk {
        final int size;
        final double[] loc;
        final double[] vel;
        final double[] feat;
        final int[] edges;

        private Chunk(int size, double[] loc, double[] vel, double[] feat, int[] edges) {
            this.size = size;
            this.loc = loc;
            this.vel = vel;
            this.feat = feat;
            this.edges = edges;
        }

        static Chunk compute(Simulator sim, long seed, int from, int to, int steps, int dims) {
            SimConfig cfg = sim.config();
            int n = cfg.atoms();
            int size = to - from;
            int[] edges = new int[size * n * n];
            if (cfg.hasPositions()) {
                int per = steps * 2 * n;
                double[] loc = new double[size * per];
                double[] vel = new double[size * per];
                for (int k = 0; k < size; k++) {
                    Scene s = sim.simulate(seed, from + k);
                    System.arraycopy(s.locFlat(), 0, loc, k * per, per);
                    System.arraycopy(s.velFlat(), 0, vel, k * per, per);
                    System.arraycopy(s.edgesFlat(), 0, edges, k * n * n, n * n);
                }
                return new Chunk(size, loc, vel, null, edges);
            }
            int per = n * steps * dims;
            double[] feat = new double[size * per];
            for (int k = 0; k < size; k++) {
                Scene s = sim.simulate(seed, from + k);
                double[] f = s.featuresFlat();
                int full = s.steps() * dims;
                // Keep the first `steps` of each oscillator's series ([N][T][D] layout).
                for (int i = 0; i < n; i++) {
                    System.arraycopy(f, i * full, feat, k * per + i * steps * dims, steps * dims);
                }
                System.arraycopy(s.edgesFlat(), 0, edges, k * n * n, n * n);
            }
            return new Chunk(size, null, null, feat, edges);
        }
    }
}
