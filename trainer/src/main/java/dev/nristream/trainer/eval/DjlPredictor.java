package dev.nristream.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import dev.nristream.trainer.model.RecurrentDecoder;

/**
 * Evaluates the trained network itself (inference-mode batch norm, no gradients), whichever encoder and decoder it
 * has; the recurrent decoder burns in on the whole window it is given.
 */
public final class DjlPredictor implements Predictor {
    private final NriModel model;
    private final NDManager manager;

    public DjlPredictor(NriModel model) {
        this.model = model;
        this.manager = model.store().manager().newSubManager();
    }

    private boolean recurrent() {
        return model.config().decoder() == NriConfig.DecoderKind.RECURRENT;
    }

    @Override
    public float[] edgeScores(float[] trajectories, int batch, int atoms) {
        try (NDManager scope = manager.newSubManager()) {
            int d = model.config().dims();
            int t = trajectories.length / (batch * atoms * d);
            NDArray x = scope.create(trajectories, new Shape(batch, atoms, t, d));
            return model.edgeLogits(x, false).toFloatArray();
        }
    }

    @Override
    public float[] fixedEdgeWeights(int[] labels, int batch, int atoms) {
        NriConfig cfg = model.config();
        return switch (cfg.graph()) {
            case FULL -> NriModel.fullGraphWeights(cfg, batch, atoms);
            case TRUE -> NriModel.oneHot(labels, cfg.edgeTypes());
            default -> null;
        };
    }

    @Override
    public String graph() {
        return model.config().graph().flag();
    }

    @Override
    public boolean hasDecoder() {
        return model.config().hasDecoder();
    }

    private NDArray edges(NDManager scope, float[] edgeWeights, int batch, int atoms) {
        int k = edgeWeights.length / (batch * atoms * (atoms - 1));
        return scope.create(edgeWeights, new Shape(batch, (long) atoms * (atoms - 1), k));
    }

    @Override
    public float[] rollout(float[] state, float[] edgeWeights, int batch, int atoms, int steps) {
        try (NDManager scope = manager.newSubManager()) {
            int d = model.config().dims();
            NDArray s = scope.create(state, new Shape(batch, atoms, d));
            NDArray z = edges(scope, edgeWeights, batch, atoms);
            if (recurrent()) {
                return model.recurrentDecoder().rolloutAfter(s.expandDims(1), z, steps).toFloatArray();
            }
            return model.decoder().rolloutFrom(s, z, steps).toFloatArray();
        }
    }

    @Override
    public int decoderFrames() {
        // As the exported model.json declares it (decoder_burn_in absent: the stream's whole window, which is the
        // encoder's: --encoder-steps N, else T), so a run and its export are scored alike.
        return recurrent() ? model.config().encoderWindow() : 1;
    }

    @Override
    public float[] rolloutWindow(float[] window, int frames, float[] edgeWeights, int batch, int atoms, int steps) {
        if (!recurrent()) {
            return Predictor.super.rolloutWindow(window, frames, edgeWeights, batch, atoms, steps);
        }
        try (NDManager scope = manager.newSubManager()) {
            int d = model.config().dims();
            NDArray w = scope.create(window, new Shape(batch, atoms, frames, d)).transpose(0, 2, 1, 3);
            return model.recurrentDecoder().rolloutAfter(w, edges(scope, edgeWeights, batch, atoms), steps)
                    .toFloatArray();
        }
    }

    @Override
    public Stepper stepper(int batch, int atoms) {
        if (!recurrent()) {
            return Predictor.super.stepper(batch, atoms);
        }
        RecurrentDecoder dec = model.recurrentDecoder();
        int d = model.config().dims();
        int h = model.config().decoderHidden();
        return new Stepper() {
            private float[] hidden = new float[batch * atoms * h];

            @Override
            public float[] step(float[] state, float[] w) {
                try (NDManager scope = manager.newSubManager()) {
                    NDList out = dec.step(scope.create(state, new Shape(batch, atoms, d)),
                            scope.create(hidden, new Shape(batch, atoms, h)),
                            dec.weights(edges(scope, w, batch, atoms)), false);
                    hidden = out.get(1).toFloatArray();
                    return out.get(0).toFloatArray();
                }
            }
        };
    }

    @Override
    public void close() {
        manager.close();
    }
}
