package dev.nristream.trainer.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.eval.Predictor;

/**
 * The LSTM baseline behind the {@link Predictor} interface, so {@link dev.nristream.trainer.eval.Evaluator} scores it
 * on exactly the windows, burn-in frames and MSE definition it scores NRI models with. The baseline infers no
 * graph: {@link #edgeScores} returns a constant (zeros over two types) and the evaluator's edge accuracy for it means
 * nothing ({@link LstmEvaluation} drops it); the edge weights handed to the rollouts are ignored.
 */
public final class LstmPredictor implements Predictor {
    private final LstmBaseline model;
    private final NDManager manager;

    public LstmPredictor(LstmBaseline model) {
        this.model = model;
        this.manager = model.store().manager().newSubManager();
    }

    @Override
    public float[] edgeScores(float[] trajectories, int batch, int atoms) {
        return new float[batch * atoms * (atoms - 1) * 2];
    }

    @Override
    public float[] rollout(float[] state, float[] edgeWeights, int batch, int atoms, int steps) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray s = scope.create(state, new Shape(batch, 1, atoms, model.config().dims()));
            return model.rolloutAfter(s, steps).toFloatArray();
        }
    }

    /** Burns in on as many true frames as its training windows had (T), as the recurrent NRI decoder does. */
    @Override
    public int decoderFrames() {
        return model.config().timesteps();
    }

    @Override
    public float[] rolloutWindow(float[] window, int frames, float[] edgeWeights, int batch, int atoms, int steps) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray w = scope.create(window, new Shape(batch, atoms, frames, model.config().dims()))
                    .transpose(0, 2, 1, 3);
            return model.rolloutAfter(w, steps).toFloatArray();
        }
    }

    @Override
    public Stepper stepper(int batch, int atoms) {
        throw new UnsupportedOperationException("the LSTM baseline has no graph to re-encode: it is evaluated with "
                + "the window protocol only");
    }

    @Override
    public void close() {
        manager.close();
    }
}
