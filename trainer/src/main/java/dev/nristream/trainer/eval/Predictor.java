package dev.nristream.trainer.eval;

/**
 * What evaluation needs from a model, so the trained (DJL) network and the exported (ONNX) graphs are evaluated by
 * the same code. Arrays are flat, row-major, normalised.
 */
public interface Predictor extends AutoCloseable {
    /** Edge-type scores [B, E, K] (logits or log-probabilities: any per-edge monotone transform of them). */
    float[] edgeScores(float[] trajectories, int batch, int atoms);

    /** Open-loop rollout of {@code steps} steps from state [B, N, D] with edge weights [B, E, K]: [B, steps, N, D]. */
    float[] rollout(float[] state, float[] edgeWeights, int batch, int atoms, int steps);

    @Override
    void close();
}
