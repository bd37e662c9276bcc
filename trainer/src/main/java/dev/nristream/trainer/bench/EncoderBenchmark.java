package dev.nristream.trainer.bench;

import dev.nristream.model.ModelDirectory;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.trainer.export.LargeStack;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Encoder inference through ONNX Runtime on CPU, as the stream runs it ({@link NriOnnxModel#encode}): throughput in
 * windows per second at a batch size, and batch-1 latency percentiles.
 */
public final class EncoderBenchmark {
    /** Measured numbers. */
    public record Result(int threads, int batch, int atoms, double windowsPerSecond, double p50Millis,
            double p90Millis, double p99Millis, int latencyRuns) {}

    private EncoderBenchmark() {}

    public static Result run(Path modelDir, int threads, int batch, int atoms, double seconds, int latencyRuns) {
        return LargeStack.call(() -> measure(modelDir, threads, batch, atoms, seconds, latencyRuns));
    }

    private static Result measure(Path modelDir, int threads, int batch, int atoms, double seconds, int latencyRuns) {
        ModelDirectory dir = ModelDirectory.open(modelDir);
        int t = dir.spec().windowLength();
        int d = dir.spec().features();
        SplittableRandom rnd = new SplittableRandom(1);
        float[] big = new float[batch * atoms * t * d];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        float[] one = Arrays.copyOf(big, atoms * t * d);
        try (NriOnnxModel m = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults().withIntraOpThreads(threads)
                .withDevice(NriOnnxModel.Device.CPU))) {
            for (int i = 0; i < 20; i++) {
                m.encode(big, batch, atoms);
                m.encode(one, 1, atoms);
            }
            long calls = 0;
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                m.encode(big, batch, atoms);
                calls++;
            }
            double throughput = calls * batch / ((System.nanoTime() - t0) / 1e9);
            long[] lat = new long[latencyRuns];
            for (int i = 0; i < latencyRuns; i++) {
                long s = System.nanoTime();
                m.encode(one, 1, atoms);
                lat[i] = System.nanoTime() - s;
            }
            Arrays.sort(lat);
            return new Result(threads, batch, atoms, throughput, pct(lat, 0.50), pct(lat, 0.90), pct(lat, 0.99),
                    latencyRuns);
        }
    }

    private static double pct(long[] sorted, double q) {
        int i = Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1)));
        return sorted[i] / 1e6;
    }
}
