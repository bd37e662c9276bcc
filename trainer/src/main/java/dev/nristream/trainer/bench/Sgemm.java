package dev.nristream.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The machine's own single-precision matrix-product rate through the engine the trainer uses (DJL's PyTorch
 * {@code matMul} on large square float32 matrices, the process's thread count): the ceiling the training step's
 * products are measured against. Rates are per wall second and per CPU-second of the process; on a shared machine
 * the second is the steadier one.
 *
 * <pre>{@code
 * try (Sgemm sgemm = new Sgemm(manager, 2048)) {
 *     Sgemm.Rate r = sgemm.measure();
 * }
 * }</pre>
 */
public final class Sgemm implements AutoCloseable {
    /** GFLOP (2 n^3 per product) per wall second and per process CPU-second. */
    public record Rate(double wallGflops, double cpuGflops) {}

    private final NDManager manager;
    private final NDArray a;
    private final NDArray b;
    private final int n;

    public Sgemm(NDManager parent, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SGEMM size must be >= 1, got " + n);
        }
        this.n = n;
        this.manager = parent.newSubManager();
        this.a = manager.create(random(n, 1), new Shape(n, n));
        this.b = manager.create(random(n, 2), new Shape(n, n));
    }

    /** Times one n x n product. */
    public Rate measure() {
        long t0 = System.nanoTime();
        long c0 = ProcessCpu.nanos();
        try (NDArray c = a.matMul(b)) {
            c.getFloat(0, 0); // the engine runs eagerly; this only pins the product as done
        }
        double flop = 2.0 * n * n * n;
        return new Rate(flop / (System.nanoTime() - t0), flop / Math.max(1, ProcessCpu.nanos() - c0));
    }

    /**
     * The machine's SGEMM rate at {@code threads} PyTorch threads: the median of {@code reps} n x n products after
     * one untimed product. Sets the engine's thread count for the rest of the process.
     */
    public static Rate median(int n, int threads, int reps) {
        if (threads < 1 || reps < 1) {
            throw new IllegalArgumentException("threads and reps must be >= 1, got " + threads + ", " + reps);
        }
        ai.djl.engine.Engine.getEngine("PyTorch");
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        try (NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager(); Sgemm s = new Sgemm(m, n)) {
            s.measure();
            double[] wall = new double[reps];
            double[] cpu = new double[reps];
            for (int i = 0; i < reps; i++) {
                Rate r = s.measure();
                wall[i] = r.wallGflops();
                cpu[i] = r.cpuGflops();
            }
            java.util.Arrays.sort(wall);
            java.util.Arrays.sort(cpu);
            return new Rate(wall[reps / 2], cpu[reps / 2]);
        }
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }

    @Override
    public void close() {
        manager.close();
    }
}
