package dev.nristream.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import dev.nristream.trainer.model.StepFlops;
import dev.nristream.trainer.train.Adam;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times the full training step (encoder, Gumbel samples, M-step decoder rollout, loss, backward, Adam) on random
 * inputs of springs shape and sets it against the machine: the step's useful FLOPs ({@link StepFlops}) per second
 * beside the same process's SGEMM rate through the same engine and threads ({@link Sgemm}).
 *
 * <pre>{@code
 * TrainStepBenchmark.Result r = TrainStepBenchmark.run(cfg, 128, 2, 10, 10_000, 2048);
 * System.out.printf("%.1f%% of SGEMM%n", 100 * r.fractionOfSgemm());
 * }</pre>
 */
public final class TrainStepBenchmark {
    /**
     * Measured numbers.
     *
     * @param secondsPerBatch mean over the timed steps
     * @param medianSecondsPerBatch median over the timed steps (steadier on a shared machine)
     * @param flops useful FLOPs of one step (forward and backward)
     * @param medianCpuSecondsPerBatch median CPU time of the whole process per step (all threads)
     * @param sgemmGflops SGEMM rate per wall second: median over one product after each timed step
     * @param sgemmCpuGflops SGEMM rate per process CPU-second, median over the same products
     * @param sgemmSize n of the n x n products
     */
    public record Result(int batch, int warmup, int steps, double secondsPerBatch, double medianSecondsPerBatch,
            double medianCpuSecondsPerBatch,
            double secondsPerEpoch, int threads, StepFlops flops, double sgemmGflops, double sgemmCpuGflops, int sgemmSize) {
        /** Useful GFLOP/s at the median step time. */
        public double achievedGflops() {
            return flops.total() / 1e9 / medianSecondsPerBatch;
        }

        public double fractionOfSgemm() {
            return achievedGflops() / sgemmGflops;
        }

        /** Useful GFLOP per process CPU-second at the median step CPU time. */
        public double achievedCpuGflops() {
            return flops.total() / 1e9 / medianCpuSecondsPerBatch;
        }

        /** The same fraction per CPU-second: less sensitive to other processes taking the cores. */
        public double cpuFractionOfSgemm() {
            return achievedCpuGflops() / sgemmCpuGflops;
        }
    }

    private TrainStepBenchmark() {}

    public static Result run(NriConfig cfg, int batch, int warmup, int steps, int epochSamples, int sgemmSize) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager();
                NriModel model = new NriModel(manager, cfg, 1);
                Adam adam = new Adam(manager, model.store().params());
                Sgemm sgemmRunner = new Sgemm(manager, sgemmSize)) {
            SplittableRandom rnd = new SplittableRandom(7);
            float[] data = new float[batch * cfg.atoms() * cfg.timesteps() * cfg.dims()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            Shape shape = new Shape(batch, cfg.atoms(), cfg.timesteps(), cfg.dims());
            sgemmRunner.measure();
            double[] times = new double[steps];
            double[] cpu = new double[steps];
            double[] sgemm = new double[steps];
            double[] sgemmCpu = new double[steps];
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                long c0 = ProcessCpu.nanos();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(data, shape);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NriModel.Output out = model.forward(x, true);
                        gc.backward(out.loss());
                        out.loss().getFloat();
                    }
                    adam.step(5e-4);
                }
                if (i >= warmup) {
                    times[i - warmup] = (System.nanoTime() - t0) / 1e9;
                    cpu[i - warmup] = (ProcessCpu.nanos() - c0) / 1e9;
                    // Interleaved with the steps, so both rates see the same share of a shared machine.
                    Sgemm.Rate rate = sgemmRunner.measure();
                    sgemm[i - warmup] = rate.wallGflops();
                    sgemmCpu[i - warmup] = rate.cpuGflops();
                }
            }
            double mean = Arrays.stream(times).average().orElseThrow();
            int batches = (epochSamples + batch - 1) / batch;
            return new Result(batch, warmup, steps, mean, median(times), median(cpu), mean * batches,
                    threadCount(), StepFlops.trainingStep(cfg, batch), median(sgemm), median(sgemmCpu), sgemmSize);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static int threadCount() {
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }
}
