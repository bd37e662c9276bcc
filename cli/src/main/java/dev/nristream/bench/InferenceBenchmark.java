package dev.nristream.bench;

import dev.nristream.model.ModelDirectory;
import dev.nristream.model.NriOnnxModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The inference operator's work alone: encoder plus an H-step decoder rollout on random normalised windows of N
 * agents, for batch sizes 1 to 32, on one ONNX Runtime session pair. Gives the windows/s one parallel instance can
 * sustain, the ceiling of the stream job on this machine.
 *
 * <pre>{@code
 * new InferenceBenchmark(Path.of("models/springs5"), 11, 10, 1).run(System.out);
 * }</pre>
 */
public final class InferenceBenchmark {

    private static final int[] BATCHES = {1, 4, 8, 16, 32};

    private final Path modelDir;
    private final int agents;
    private final int horizon;
    private final int threads;

    public InferenceBenchmark(Path modelDir, int agents, int horizon, int threads) {
        this.modelDir = modelDir;
        this.agents = agents;
        this.horizon = horizon;
        this.threads = threads;
    }

    /** Prints one line per batch size and returns the best windows/s as one JSON object. */
    public String run(PrintStream out) {
        ModelDirectory dir = ModelDirectory.open(modelDir);
        int t = dir.spec().windowLength();
        int d = dir.spec().features();
        int n = agents;
        double best = 0;
        int bestBatch = 0;
        try (NriOnnxModel m = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults().withIntraOpThreads(threads)
                .withDevice(NriOnnxModel.Device.CPU))) {
            SplittableRandom r = new SplittableRandom(1);
            for (int b : BATCHES) {
                float[] x = random(r, b * n * t * d);
                float[] s = random(r, b * n * d);
                for (int w = 0; w < 5; w++) {
                    m.rollout(s, m.encode(x, b, n), b, n, horizon);
                }
                int reps = Math.max(5, 200 / b);
                long enc = 0;
                long dec = 0;
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    float[] p = m.encode(x, b, n);
                    long t1 = System.nanoTime();
                    m.rollout(s, p, b, n, horizon);
                    enc += t1 - t0;
                    dec += System.nanoTime() - t1;
                }
                double perWindowMs = (enc + dec) / 1e6 / reps / b;
                double rate = 1000.0 / perWindowMs;
                out.printf(Locale.ROOT, "B=%2d  encoder %6.2f ms  rollout(H=%d) %7.2f ms  per window %5.2f ms  "
                        + "= %5.0f windows/s%n", b, enc / 1e6 / reps, horizon, dec / 1e6 / reps, perWindowMs, rate);
                if (rate > best) {
                    best = rate;
                    bestBatch = b;
                }
            }
        }
        return String.format(Locale.ROOT, "{\"benchmark\":\"inference\",\"model\":\"%s\",\"agents\":%d,"
                + "\"horizon\":%d,\"intra_op_threads\":%d,\"best_windows_per_s\":%.0f,\"best_batch\":%d}",
                dir.spec().modelId(), n, horizon, threads, best, bestBatch);
    }

    private static float[] random(SplittableRandom r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }
}
