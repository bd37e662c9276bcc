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
        int frames = trajectories.length / (batch * atoms * model.spec().features());
        float[] p = model.encode(trajectories, batch, atoms, frames);
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
    public int decoderFrames() {
        return model.spec().decoderFrames();
    }

    @Override
    public float[] rolloutWindow(float[] window, int frames, float[] edgeWeights, int batch, int atoms, int steps) {
        return model.rolloutWindow(window, frames, edgeWeights, batch, atoms, steps);
    }

    @Override
    public Stepper stepper(int batch, int atoms) {
        if (!model.spec().recurrentDecoder()) {
            return Predictor.super.stepper(batch, atoms);
        }
        return new Stepper() {
            private float[] hidden;

            @Override
            public float[] step(float[] state, float[] w) {
                NriOnnxModel.RecurrentStep s = model.recurrentStep(state, hidden, w, batch, atoms);
                hidden = s.hidden();
                return s.nextState();
            }
        };
    }

    @Override
    public void close() {
        model.close();
    }
}
