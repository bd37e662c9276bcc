package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The factor-graph MLP encoder (Eqs. 5-8): node MLP over flattened trajectories, node-to-edge, edge MLP (kept as a
 * skip), edge-to-node mean, node MLP, node-to-edge with the skip, edge MLP, linear to K logits. Each MLP is
 * linear-ELU-(dropout)-linear-ELU-batch norm; weights Xavier-normal, biases 0.1.
 */
public final class NriEncoder {
    static final String[] MLPS = {"mlp1", "mlp2", "mlp3", "mlp4"};
    private final NriConfig cfg;
    private final ParameterStore store;
    private final EdgeIndex edges;

    NriEncoder(NriConfig cfg, ParameterStore store, EdgeIndex edges) {
        this.cfg = cfg;
        this.store = store;
        this.edges = edges;
        int h = cfg.encoderHidden();
        mlp("mlp1", cfg.encoderWindow() * cfg.dims(), h);
        mlp("mlp2", 2 * h, h);
        mlp("mlp3", h, h);
        mlp("mlp4", 3 * h, h);
        store.xavierNormal("enc.out.w", h, cfg.edgeTypes());
        store.constant("enc.out.b", new Shape(cfg.edgeTypes()), 0.1f);
    }

    private void mlp(String name, int in, int h) {
        MlpBlock.create(store, "enc." + name, in, h);
    }

    private NDArray mlp(String name, NDArray x, boolean training) {
        return MlpBlock.apply(store, "enc." + name, x, cfg.encoderDropout(), training);
    }

    private NDArray nodeToEdge(NDArray x) {
        return edges.gatherReceivers(x).concat(edges.gatherSenders(x), 2);
    }

    /**
     * Edge-type logits.
     *
     * @param x trajectories [B, N, W, D] (any N >= 2; W the encoder's window {@link NriConfig#encoderWindow()}, D as
     *     configured)
     * @return logits [B, E, K]
     */
    public NDArray forward(NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(2) != cfg.encoderWindow() || s.get(3) != cfg.dims()) {
            throw new IllegalArgumentException("encoder expects [B, N, " + cfg.encoderWindow() + ", " + cfg.dims()
                    + "] trajectories, got " + s);
        }
        int n = Math.toIntExact(s.get(1));
        NDArray h = mlp("mlp1", x.reshape(s.get(0), n, -1), training);
        NDArray e = mlp("mlp2", nodeToEdge(h), training);
        NDArray skip = e;
        NDArray v = EdgeIndex.sumAtReceivers(e, n).div(n);
        v = mlp("mlp3", v, training);
        e = mlp("mlp4", nodeToEdge(v).concat(skip, 2), training);
        return Nn.linear(e, store.get("enc.out.w"), store.get("enc.out.b"));
    }
}
