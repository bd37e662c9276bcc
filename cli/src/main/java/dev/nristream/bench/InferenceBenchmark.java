package dev.nristream.bench;

import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.trainer.bench.CpuInfo;
import dev.nristream.trainer.bench.Sgemm;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The inference operator's work alone: encoder plus an H-step decoder rollout on random normalised windows of N
 * agents, for batch sizes 1 to 32, as an A/B in one process: the dense decoder (one run per step, every edge) and
 * the sparse rollout ({@code rollout.onnx}: one run, messages only for edges whose type sends them), each on its
 * own session pair, interleaved in rounds so background load hits both alike. The rollout is fed hard edge
 * samples with a given fraction of edges on (a springs graph: about half), identical for both paths. Rates are
 * per wall second and per process CPU-second; the machine's single-thread SGEMM rate is measured in the same run.
 *
 * <pre>{@code
 * String json = new InferenceBenchmark(Path.of("models/springs5"), 11, 10, 1).run(System.err);
 * }</pre>
 */
public final class InferenceBenchmark {

    private static final int[] BATCHES = {1, 4, 8, 16, 32};
    private static final int ROUNDS = 3;
    private static final int SGEMM_SIZE = 2048;

    private final Path modelDir;
    private final int agents;
    private final int horizon;
    private final int threads;
    private double edgeDensity = 0.5;
    private Path baselineDir;
    private boolean sgemm = true;

    public InferenceBenchmark(Path modelDir, int agents, int horizon, int threads) {
        this.modelDir = modelDir;
        this.agents = agents;
        this.horizon = horizon;
        this.threads = threads;
    }

    /** Fraction of edges given an interaction type in the hard edge samples (default 0.5). */
    public InferenceBenchmark withEdgeDensity(double density) {
        if (!(density >= 0 && density <= 1)) {
            throw new IllegalArgumentException("edge density must be in [0, 1], got " + density);
        }
        this.edgeDensity = density;
        return this;
    }

    /**
     * Model directory for the dense side (default: the same directory), e.g. a copy of the model as it was before
     * {@code ./nri upgrade-model}, so the A/B compares the files as shipped before and after.
     */
    public InferenceBenchmark withBaseline(Path dir) {
        this.baselineDir = dir;
        return this;
    }

    /** Whether to time SGEMM first (default true; off in tests, which need no PyTorch). */
    public InferenceBenchmark withSgemm(boolean on) {
        this.sgemm = on;
        return this;
    }

    private static final class Path2 {
        final String name;
        final NriOnnxModel model;
        long wallEnc;
        long wallRoll;
        long cpu;
        long windows;

        Path2(String name, NriOnnxModel model) {
            this.name = name;
            this.model = model;
        }

        void reset() {
            wallEnc = 0;
            wallRoll = 0;
            cpu = 0;
            windows = 0;
        }
    }

    /** Prints one line per batch size and path, and returns the results as one JSON object. */
    public String run(PrintStream out) {
        ModelDirectory dir = ModelDirectory.open(modelDir);
        ModelSpec spec = dir.spec();
        String cpuName = CpuInfo.read().toString();
        out.println("cpu: " + cpuName);
        double sgemm1 = Double.NaN;
        double sgemm1Cpu = Double.NaN;
        if (sgemm) {
            Sgemm.Rate rate = Sgemm.median(SGEMM_SIZE, 1, 5);
            sgemm1 = rate.wallGflops();
            sgemm1Cpu = rate.cpuGflops();
            out.printf(Locale.ROOT, "SGEMM %dx%d float32, 1 thread (DJL PyTorch): %.1f GFLOP/s per wall second, "
                    + "%.1f per process CPU-second%n", SGEMM_SIZE, SGEMM_SIZE, sgemm1, sgemm1Cpu);
        }
        ModelDirectory denseDir = baselineDir == null ? dir : ModelDirectory.open(baselineDir);
        int t = spec.windowLength();
        int d = spec.features();
        int k = spec.edgeTypes();
        int n = agents;
        int e = EdgeOrder.edgeCount(n);
        NriOnnxModel.Options base = NriOnnxModel.Options.defaults().withIntraOpThreads(threads)
                .withDevice(NriOnnxModel.Device.CPU);
        List<String> rows = new ArrayList<>();
        double[] best = new double[4]; // dense wall, dense cpu, sparse wall, sparse cpu
        int[] bestBatch = new int[4];
        double activeFraction;
        try (NriOnnxModel dense = NriOnnxModel.open(denseDir, base.withDecoderPath(NriOnnxModel.DecoderPath.DENSE));
                NriOnnxModel sparse = NriOnnxModel.open(dir, base.withDecoderPath(NriOnnxModel.DecoderPath.SPARSE))) {
            if (sparse.decoderPath() != NriOnnxModel.DecoderPath.SPARSE) {
                out.println("note: " + dir.path() + " has no " + ModelSpec.ROLLOUT_FILE
                        + "; both paths run the dense decoder (./nri upgrade-decoder --model " + dir.path() + ")");
            }
            Path2[] paths = {new Path2("dense", dense), new Path2("sparse", sparse)};
            SplittableRandom r = new SplittableRandom(1);
            long on = 0;
            long all = 0;
            for (int b : BATCHES) {
                float[] x = random(r, b * n * t * d);
                float[] s = random(r, b * n * d);
                float[] w = hardEdges(r, b * e, k, spec.noEdgeTypeOrNone());
                for (int i = 0; i < b * e; i++) {
                    all++;
                    if (spec.noEdgeTypeOrNone() < 0 || w[i * k + spec.noEdgeTypeOrNone()] == 0f) {
                        on++;
                    }
                }
                for (Path2 p : paths) {
                    p.reset();
                    for (int i = 0; i < 3; i++) {
                        p.model.encode(x, b, n);
                        p.model.rollout(s, w, b, n, horizon);
                    }
                }
                // process CPU time ticks in 10 ms steps: enough windows per round to keep that error small
                int reps = Math.max(4, 120 / b);
                for (int round = 0; round < ROUNDS; round++) {
                    for (Path2 p : paths) {
                        long c0 = processCpuNanos();
                        for (int i = 0; i < reps; i++) {
                            long t0 = System.nanoTime();
                            p.model.encode(x, b, n);
                            long t1 = System.nanoTime();
                            p.model.rollout(s, w, b, n, horizon);
                            p.wallEnc += t1 - t0;
                            p.wallRoll += System.nanoTime() - t1;
                        }
                        p.cpu += processCpuNanos() - c0;
                        p.windows += (long) reps * b;
                    }
                }
                for (int pi = 0; pi < 2; pi++) {
                    Path2 p = paths[pi];
                    double wall = (p.wallEnc + p.wallRoll) / 1e9;
                    double perWall = p.windows / wall;
                    double perCpu = p.windows / (p.cpu / 1e9);
                    out.printf(Locale.ROOT, "B=%2d %-6s encoder %6.3f ms/window  rollout(H=%d) %6.3f ms/window  "
                            + "= %5.0f windows/s, %5.0f windows per CPU-second%n", b, p.name,
                            p.wallEnc / 1e6 / p.windows, horizon, p.wallRoll / 1e6 / p.windows, perWall, perCpu);
                    rows.add(String.format(Locale.ROOT, "{\"batch\":%d,\"path\":\"%s\",\"encoder_ms_per_window\":%.4f,"
                            + "\"rollout_ms_per_window\":%.4f,\"windows_per_s\":%.1f,\"windows_per_cpu_s\":%.1f}", b,
                            p.name, p.wallEnc / 1e6 / p.windows, p.wallRoll / 1e6 / p.windows, perWall, perCpu));
                    if (perWall > best[2 * pi]) {
                        best[2 * pi] = perWall;
                        bestBatch[2 * pi] = b;
                    }
                    if (perCpu > best[2 * pi + 1]) {
                        best[2 * pi + 1] = perCpu;
                        bestBatch[2 * pi + 1] = b;
                    }
                }
                out.printf(Locale.ROOT, "B=%2d sparse/dense: %.2fx windows per CPU-second%n", b,
                        (double) paths[1].windows / paths[1].cpu / ((double) paths[0].windows / paths[0].cpu));
            }
            activeFraction = all == 0 ? 0 : (double) on / all;
        }
        out.printf(Locale.ROOT, "best windows per CPU-second: dense %.0f (B=%d), sparse %.0f (B=%d): %.2fx%n",
                best[1], bestBatch[1], best[3], bestBatch[3], best[3] / best[1]);
        return String.format(Locale.ROOT, "{\"benchmark\":\"inference\",\"cpu\":\"%s\",\"sgemm_gflops_1_thread\":%.1f,"
                + "\"sgemm_gflops_per_cpu_s_1_thread\":%.1f,\"baseline\":\"%s\",\"model\":\"%s\",\"agents\":%d,\"horizon\":%d,\"intra_op_threads\":%d,\"edges_on\":%.3f,"
                + "\"dense_best_windows_per_s\":%.0f,\"dense_best_windows_per_cpu_s\":%.0f,\"dense_best_batch\":%d,"
                + "\"sparse_best_windows_per_s\":%.0f,\"sparse_best_windows_per_cpu_s\":%.0f,\"sparse_best_batch\":%d,"
                + "\"sparse_over_dense_per_cpu_s\":%.2f,\"rows\":[%s]}",
                cpuName.replace("\"", "'"), sgemm1, sgemm1Cpu, denseDir.path(), spec.modelId(), n, horizon, threads, activeFraction, best[0],
                best[1], bestBatch[1], best[2], best[3], bestBatch[3], best[3] / best[1], String.join(",", rows));
    }

    /** One-hot edge types: a fraction {@code edgeDensity} of edges get a random interaction type. */
    private float[] hardEdges(SplittableRandom r, int edges, int k, int noEdge) {
        float[] w = new float[edges * k];
        for (int i = 0; i < edges; i++) {
            int type;
            if (noEdge >= 0 && (k == 1 || r.nextDouble() >= edgeDensity)) {
                type = noEdge;
            } else {
                do {
                    type = r.nextInt(k);
                } while (type == noEdge && k > 1);
            }
            w[i * k + type] = 1f;
        }
        return w;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static float[] random(SplittableRandom r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }
}
