package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** The few differentiable building blocks the NRI networks need, as plain functions of NDArrays. */
final class Nn {
    static final float BN_EPS = 1e-5f;
    static final float BN_MOMENTUM = 0.1f;

    private Nn() {}

    /**
     * Moves a result computed from long-lived tensors (parameters) into the manager of {@code like}, so it is freed
     * with the step's scope instead of accumulating in the parameter store.
     */
    static NDArray scoped(NDArray result, NDArray like) {
        result.attach(like.getManager());
        return result;
    }

    /** x @ w + b, w stored [in, out]. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return x.matMul(w).add(b);
    }

    static NDArray elu(NDArray x) {
        return x.getNDArrayInternal().elu(1f);
    }

    /** Inverted dropout; identity when p == 0 or not training. */
    static NDArray dropout(NDArray x, double p, boolean training) {
        if (!training || p <= 0) {
            return x;
        }
        NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte((float) p).toType(x.getDataType(), false);
        return x.mul(keep).div((float) (1 - p));
    }

    /**
     * Batch norm over all rows of x viewed as [rows, features] (the paper's MLP normalises over batch * items).
     * Training uses the batch's biased variance and updates the running statistics (unbiased variance, momentum
     * 0.1, as torch.nn.BatchNorm1d); inference uses the running statistics.
     */
    static NDArray batchNorm(NDArray x, NDArray gamma, NDArray beta, NDArray runMean, NDArray runVar, boolean training) {
        Shape shape = x.getShape();
        long features = shape.get(shape.dimension() - 1);
        NDArray flat = x.reshape(-1, features);
        NDArray mean;
        NDArray var;
        if (training) {
            long rows = flat.getShape().get(0);
            mean = flat.mean(new int[] {0});
            NDArray centred = flat.sub(mean);
            var = centred.square().mean(new int[] {0});
            NDArray y = centred.div(var.add(BN_EPS).sqrt()).mul(gamma).add(beta);
            // Detached copies share storage (and the version counter) with the graph: scale copies, not them.
            float unbias = rows > 1 ? (float) rows / (rows - 1) : 1f;
            try (NDArray m = mean.stopGradient();
                    NDArray v = var.stopGradient();
                    NDArray ms = m.mul(BN_MOMENTUM);
                    NDArray vs = v.mul(BN_MOMENTUM * unbias)) {
                runMean.muli(1 - BN_MOMENTUM).addi(ms);
                runVar.muli(1 - BN_MOMENTUM).addi(vs);
            }
            return y.reshape(shape);
        }
        NDArray std = scoped(runVar.add(BN_EPS), x).sqrt();
        return flat.sub(runMean).div(std).mul(gamma).add(beta).reshape(shape);
    }
}
