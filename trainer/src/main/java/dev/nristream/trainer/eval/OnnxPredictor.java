package dev.nristream.trainer.eval;

import dev.nristream.model.NriOnnxModel;

/**
 * Evaluates an exported model directory through ONNX Runtime (the stream's runtime), so the shipped files are
 * what gets scored. The encoder's probabilities serve as scores: log is monotone, and Gumbel samples on
 * log-probabilities equal samples on logits.
 */
public final class OnnxPredictor implements Predictor {
    private final NriOnnxModel model;

    public OnnxPredictor(NriOnnxModel model) {
        this.model = model;
    }

    @Override
    public float[] edgeScores(float[] trajectories, int batch, int atoms) {
        float[] p = model.encode(trajectories, batch, atoms);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) Math.log(Math.max(p[i], 1e-30f));
        }
        return out;
    }

    @Override
    public float[] rollout(float[] state, float[] edgeWeights, int batch, int atoms, int steps) {
        return model.rollout(state, edgeWeights, batch, atoms, steps);
    }

    @Override
    public void close() {
        model.close();
    }
}
