package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.pooling.Pool;

/**
 * The CNN encoder of the paper's supplement (the reference's {@code CNNEncoder}): each edge's pair of trajectories
 * [x_receiver, x_sender] (2D channels over T steps) goes through conv(5)-ReLU-batch norm-(dropout)-max pool(2)-
 * conv(5)-ReLU-batch norm; a 1x1 convolution predicts H features per step and another an attention weight per step
 * (softmax over time), pooled into one H-vector per edge; then the factor-graph rounds of the MLP encoder (edge
 * MLP, mean at the receiver, node MLP, back to edges with the skip, edge MLP) and a linear layer to K logits.
 * Convolutions see local motion anywhere in the window, so the same weights score windows of any length from
 * {@value #MIN_TIMESTEPS} steps: the encoder of the basketball model, which sees the first part of a play.
 *
 * <p>Initialisation as the reference: convolution weights N(0, 2 / (kernel * out channels)), biases 0.1.
 */
public final class CnnEncoder {
    /** Shortest window the two convolutions and the pooling leave at least one step of. */
    public static final int MIN_TIMESTEPS = 14;
    private static final int KERNEL = 5;

    private final NriConfig cfg;
    private final ParameterStore store;
    private final EdgeIndex edges;

    CnnEncoder(NriConfig cfg, ParameterStore store, EdgeIndex edges) {
        this.cfg = cfg;
        this.store = store;
        this.edges = edges;
        int h = cfg.encoderHidden();
        int in = 2 * cfg.dims();
        conv("cnn.conv1", h, in, KERNEL);
        batchNorm("cnn.bn1", h);
        conv("cnn.conv2", h, h, KERNEL);
        batchNorm("cnn.bn2", h);
        conv("cnn.predict", h, h, 1);
        conv("cnn.attention", 1, h, 1);
        MlpBlock.create(store, "cnn.mlp1", h, h);
        MlpBlock.create(store, "cnn.mlp2", h, h);
        MlpBlock.create(store, "cnn.mlp3", 3 * h, h);
        store.xavierNormal("cnn.out.w", h, cfg.edgeTypes());
        store.constant("cnn.out.b", new Shape(cfg.edgeTypes()), 0.1f);
    }

    private void conv(String name, int out, int in, int kernel) {
        store.normal(name + ".w", new Shape(out, in, kernel), Math.sqrt(2.0 / (kernel * out)));
        store.constant(name + ".b", new Shape(out), 0.1f);
    }

    private void batchNorm(String name, int channels) {
        store.constant(name + ".gamma", new Shape(channels), 1f);
        store.constant(name + ".beta", new Shape(channels), 0f);
        store.buffer(name + ".mean", new Shape(channels), 0f);
        store.buffer(name + ".var", new Shape(channels), 1f);
    }

    private NDArray conv(String name, NDArray x) {
        return Conv1d.conv1d(x, store.get(name + ".w"), store.get(name + ".b")).singletonOrThrow();
    }

    /** Batch norm per channel of x [rows, C, L], over rows and steps (as BatchNorm1d). */
    private NDArray batchNorm(String name, NDArray x, boolean training) {
        NDArray channelsLast = x.transpose(0, 2, 1);
        NDArray y = Nn.batchNorm(channelsLast, store.get(name + ".gamma"), store.get(name + ".beta"),
                store.get(name + ".mean"), store.get(name + ".var"), training);
        return y.transpose(0, 2, 1);
    }

    /**
     * Edge-type logits.
     *
     * @param x trajectories [B, N, T, D], any T >= {@value #MIN_TIMESTEPS}
     * @return logits [B, E, K]
     */
    public NDArray forward(NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(2) < MIN_TIMESTEPS || s.get(3) != cfg.dims()) {
            throw new IllegalArgumentException("the CNN encoder expects [B, N, T >= " + MIN_TIMESTEPS + ", "
                    + cfg.dims() + "] trajectories, got " + s);
        }
        long b = s.get(0);
        int n = Math.toIntExact(s.get(1));
        long t = s.get(2);
        long d = s.get(3);
        long e = (long) n * (n - 1);
        NDArray flat = x.reshape(b, n, t * d);
        // [B*E, 2D, T]: the receiver's D channels, then the sender's (the project's order everywhere).
        NDArray rec = edges.gatherReceivers(flat).reshape(b * e, t, d).transpose(0, 2, 1);
        NDArray send = edges.gatherSenders(flat).reshape(b * e, t, d).transpose(0, 2, 1);
        NDArray c = conv("cnn.conv1", rec.concat(send, 1)).getNDArrayInternal().relu();
        c = batchNorm("cnn.bn1", c, training);
        c = Nn.dropout(c, cfg.encoderDropout(), training);
        c = Pool.maxPool1d(c, new Shape(2), new Shape(2), new Shape(0), false);
        c = conv("cnn.conv2", c).getNDArrayInternal().relu();
        c = batchNorm("cnn.bn2", c, training);
        NDArray pred = conv("cnn.predict", c);
        NDArray attention = conv("cnn.attention", c).softmax(2);
        NDArray edgeFeatures = pred.mul(attention).mean(new int[] {2}).reshape(b, e, cfg.encoderHidden());

        NDArray h = MlpBlock.apply(store, "cnn.mlp1", edgeFeatures, cfg.encoderDropout(), training);
        NDArray skip = h;
        NDArray v = EdgeIndex.sumAtReceivers(h, n).div(n);
        v = MlpBlock.apply(store, "cnn.mlp2", v, cfg.encoderDropout(), training);
        NDArray back = edges.gatherReceivers(v).concat(edges.gatherSenders(v), 2).concat(skip, 2);
        h = MlpBlock.apply(store, "cnn.mlp3", back, cfg.encoderDropout(), training);
        return Nn.linear(h, store.get("cnn.out.w"), store.get("cnn.out.b"));
    }
}
