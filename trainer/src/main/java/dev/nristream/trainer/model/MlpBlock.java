package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The encoders' two-layer MLP (the reference's {@code MLP}): linear-ELU-(dropout)-linear-ELU-batch norm, weights
 * Xavier-normal, biases 0.1. Parameters live in the store under {@code <prefix>.fc1.w} ... {@code <prefix>.bn.var}.
 */
final class MlpBlock {

    private MlpBlock() {
    }

    /** Creates the parameters of an MLP {@code in -> h -> h} under {@code prefix}. */
    static void create(ParameterStore store, String prefix, int in, int h) {
        String p = prefix + ".";
        store.xavierNormal(p + "fc1.w", in, h);
        store.constant(p + "fc1.b", new Shape(h), 0.1f);
        store.xavierNormal(p + "fc2.w", h, h);
        store.constant(p + "fc2.b", new Shape(h), 0.1f);
        store.constant(p + "bn.gamma", new Shape(h), 1f);
        store.constant(p + "bn.beta", new Shape(h), 0f);
        store.buffer(p + "bn.mean", new Shape(h), 0f);
        store.buffer(p + "bn.var", new Shape(h), 1f);
    }

    /** Applies the MLP under {@code prefix} to x [..., in]. */
    static NDArray apply(ParameterStore store, String prefix, NDArray x, double dropout, boolean training) {
        String p = prefix + ".";
        NDArray h = Nn.elu(Nn.linear(x, store.get(p + "fc1.w"), store.get(p + "fc1.b")));
        h = Nn.dropout(h, dropout, training);
        h = Nn.elu(Nn.linear(h, store.get(p + "fc2.w"), store.get(p + "fc2.b")));
        return Nn.batchNorm(h, store.get(p + "bn.gamma"), store.get(p + "bn.beta"), store.get(p + "bn.mean"),
                store.get(p + "bn.var"), training);
    }
}
