package dev.nristream.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.model.NriModel;

/** Evaluates the trained network itself (inference-mode batch norm, no gradients). */
public final class DjlPredictor implements Predictor {
    private final NriModel model;
    private final NDManager manager;

    public DjlPredictor(NriModel model) {
        this.model = model;
        this.manager = model.store().manager().newSubManager();
    }

    @Override
    public float[] edgeScores(float[] trajectories, int batch, int atoms) {
        try (NDManager scope = manager.newSubManager()) {
            int t = model.config().timesteps();
            int d = model.config().dims();
            NDArray x = scope.create(trajectories, new Shape(batch, atoms, t, d));
            return model.encoder().forward(x, false).toFloatArray();
        }
    }

    @Override
    public float[] rollout(float[] state, float[] edgeWeights, int batch, int atoms, int steps) {
        try (NDManager scope = manager.newSubManager()) {
            int d = model.config().dims();
            NDArray s = scope.create(state, new Shape(batch, atoms, d));
            int k = edgeWeights.length / (batch * atoms * (atoms - 1));
            NDArray z = scope.create(edgeWeights, new Shape(batch, (long) atoms * (atoms - 1), k));
            return model.decoder().rolloutFrom(s, z, steps).toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
