package dev.nristream.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with PyTorch's update rule and defaults (beta1 0.9, beta2 0.999, eps 1e-8). Its moment
 * estimates are plain named tensors so checkpoints can save and restore them, which DJL's built-in optimizer keeps
 * private.
 */
public final class Adam implements AutoCloseable {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private long steps;

    public Adam(NDManager parent, Map<String, NDArray> params) {
        this.manager = parent.newSubManager();
        this.params = params;
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            firstMoment.put(p.getKey(), manager.zeros(p.getValue().getShape()));
            secondMoment.put(p.getKey(), manager.zeros(p.getValue().getShape()));
        }
    }

    /** Applies one update from the gradients the last backward pass left, then zeroes them. */
    public void step(double learningRate) {
        steps++;
        double bc1 = 1 - Math.pow(BETA1, steps);
        double bc2 = 1 - Math.pow(BETA2, steps);
        float stepSize = (float) (learningRate / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            NDArray w = p.getValue();
            NDArray m = firstMoment.get(p.getKey());
            NDArray v = secondMoment.get(p.getKey());
            try (NDArray g = w.getGradient();
                    NDArray g1 = g.mul(1 - BETA1);
                    NDArray g2 = g.square().muli(1 - BETA2);
                    NDArray denom = v.muli(BETA2).addi(g2).sqrt().muli(invSqrtBc2).addi(EPS);
                    NDArray upd = m.muli(BETA1).addi(g1).div(denom).muli(stepSize)) {
                w.subi(upd);
            }
            JniUtils.zeroGrad((PtNDArray) w);
        }
    }

    /**
     * Scales the gradients of the last backward pass so their global L2 norm is at most {@code max} (PyTorch's
     * clip_grad_norm_).
     *
     * @return the norm before clipping
     */
    public double clipGradientNorm(double max) {
        double sum = 0;
        for (NDArray w : params.values()) {
            // Every intermediate closed here: a gradient's arrays belong to the parameters' manager, which lives as
            // long as the run, so one left open leaks the model's size per batch (how a clipped run grew to 16 GB).
            try (NDArray g = w.getGradient();
                    NDArray sq = g.square();
                    NDArray total = sq.sum()) {
                sum += total.getFloat();
            }
        }
        double norm = Math.sqrt(sum);
        if (norm > max) {
            float scale = (float) (max / (norm + 1e-6));
            for (NDArray w : params.values()) {
                try (NDArray g = w.getGradient()) {
                    g.muli(scale);
                }
            }
        }
        return norm;
    }

    /** Whether every gradient is finite (no NaN or infinity). */
    public boolean gradientsFinite() {
        for (NDArray w : params.values()) {
            // A NaN or infinity anywhere makes the sum non-finite; one scalar per tensor, closed right away.
            try (NDArray g = w.getGradient();
                    NDArray sum = g.sum()) {
                if (!Float.isFinite(sum.getFloat())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Drops the gradients of the last backward pass without updating. */
    public void zeroGradients() {
        for (NDArray w : params.values()) {
            JniUtils.zeroGrad((PtNDArray) w);
        }
    }

    public long steps() {
        return steps;
    }

    /** Moment tensors by "m." / "v." + parameter name, for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        firstMoment.forEach((k, a) -> s.put("m." + k, a));
        secondMoment.forEach((k, a) -> s.put("v." + k, a));
        return s;
    }

    public void restore(long steps, Map<String, float[]> values) {
        this.steps = steps;
        for (Map.Entry<String, NDArray> e : state().entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("checkpoint lacks optimizer state " + e.getKey());
            }
            if (v.length != e.getValue().getShape().size()) {
                throw new IllegalArgumentException("optimizer state " + e.getKey() + " has the wrong size");
            }
            try (NDArray src = manager.create(v, e.getValue().getShape())) {
                e.getValue().muli(0).addi(src);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
