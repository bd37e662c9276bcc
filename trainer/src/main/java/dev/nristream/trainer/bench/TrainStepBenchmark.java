package dev.nristream.trainer.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import dev.nristream.trainer.train.Adam;
import java.util.SplittableRandom;

/**
 * Times the full training step (encoder, Gumbel samples, M-step decoder rollout, loss, backward, Adam) on random
 * inputs of springs shape, and reports seconds per batch and per epoch of a given number of samples.
 */
public final class TrainStepBenchmark {
    /** Result: mean seconds per batch over the timed steps and the implied seconds per epoch. */
    public record Result(int batch, int warmup, int steps, double secondsPerBatch, double secondsPerEpoch, int threads) {}

    private TrainStepBenchmark() {}

    public static Result run(NriConfig cfg, int batch, int warmup, int steps, int epochSamples) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager();
                NriModel model = new NriModel(manager, cfg, 1);
                Adam adam = new Adam(manager, model.store().params())) {
            SplittableRandom rnd = new SplittableRandom(7);
            float[] data = new float[batch * cfg.atoms() * cfg.timesteps() * cfg.dims()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            Shape shape = new Shape(batch, cfg.atoms(), cfg.timesteps(), cfg.dims());
            long t0 = 0;
            for (int i = 0; i < warmup + steps; i++) {
                if (i == warmup) {
                    t0 = System.nanoTime();
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(data, shape);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NriModel.Output out = model.forward(x, true);
                        gc.backward(out.loss());
                        out.loss().getFloat();
                    }
                    adam.step(5e-4);
                }
            }
            double perBatch = (System.nanoTime() - t0) / 1e9 / steps;
            int batches = (epochSamples + batch - 1) / batch;
            return new Result(batch, warmup, steps, perBatch, perBatch * batches, threadCount());
        }
    }

    static int threadCount() {
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

}
