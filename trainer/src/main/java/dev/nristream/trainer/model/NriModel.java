package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.nristream.model.Normaliser;

/**
 * The NRI variational autoencoder: encoder, Gumbel-softmax edge samples and decoder, with the paper's loss.
 *
 * <pre>{@code
 * try (NriModel model = new NriModel(manager, NriConfig.builder().build(), 42)) {
 *     NriModel.Output out = model.forward(batch, true);   // batch [B, N, T, D], inside a GradientCollector
 *     collector.backward(out.loss());
 * }
 * }</pre>
 */
public final class NriModel implements AutoCloseable {
    private final NriConfig cfg;
    private final ParameterStore store;
    private final NriEncoder encoder;
    private final CnnEncoder cnn;
    private final NriDecoder decoder;
    private final RecurrentDecoder recurrent;

    /** A model without walls ({@link NriConfig#walls()} must be null). */
    public NriModel(NDManager manager, NriConfig cfg, long seed) {
        this(manager, cfg, seed, null);
    }

    /**
     * @param normalisation the training data's scaling: places a model's walls on the normalised scale its decoder
     *     works in; may be null when the model has no walls
     */
    public NriModel(NDManager manager, NriConfig cfg, long seed, Normaliser normalisation) {
        this.cfg = cfg;
        if (cfg.walls() != null && normalisation == null) {
            throw new IllegalArgumentException("a model with walls needs its normalisation");
        }
        this.store = new ParameterStore(manager, seed);
        EdgeIndex edges = new EdgeIndex(store.manager());
        boolean conv = cfg.encoder() == NriConfig.EncoderKind.CNN;
        // A model on a given graph has no encoder, a supervised encoder no decoder: no parameters that never train.
        this.encoder = conv || !cfg.hasEncoder() ? null : new NriEncoder(cfg, store, edges);
        this.cnn = conv && cfg.hasEncoder() ? new CnnEncoder(cfg, store, edges) : null;
        boolean rnn = cfg.decoder() == NriConfig.DecoderKind.RECURRENT;
        this.decoder = rnn || !cfg.hasDecoder() ? null : new NriDecoder(cfg, store, edges,
                cfg.walls() == null ? null : cfg.walls().normalised(normalisation));
        this.recurrent = rnn && cfg.hasDecoder() ? new RecurrentDecoder(cfg, store, edges) : null;
    }

    public NriConfig config() {
        return cfg;
    }

    public ParameterStore store() {
        return store;
    }

    /** The MLP encoder; for a model with the CNN encoder use {@link #cnnEncoder()}. */
    public NriEncoder encoder() {
        requireEncoder();
        if (encoder == null) {
            throw new IllegalStateException("this model has the CNN encoder (--encoder cnn), not the MLP encoder");
        }
        return encoder;
    }

    /** The CNN encoder of a model trained with {@code --encoder cnn}. */
    public CnnEncoder cnnEncoder() {
        requireEncoder();
        if (cnn == null) {
            throw new IllegalStateException("this model has the MLP encoder, not the CNN one");
        }
        return cnn;
    }

    /** The MLP decoder; for a model with the recurrent decoder use {@link #recurrentDecoder()}. */
    public NriDecoder decoder() {
        requireDecoder();
        if (decoder == null) {
            throw new IllegalStateException("this model has the recurrent decoder (--decoder recurrent), not the "
                    + "MLP decoder");
        }
        return decoder;
    }

    /** The recurrent decoder of a model trained with {@code --decoder recurrent}. */
    public RecurrentDecoder recurrentDecoder() {
        requireDecoder();
        if (recurrent == null) {
            throw new IllegalStateException("this model has the MLP decoder, not the recurrent one");
        }
        return recurrent;
    }

    private void requireEncoder() {
        if (!cfg.hasEncoder()) {
            throw new IllegalStateException("this model was trained with --graph " + cfg.graph().flag() + ": it has "
                    + "no encoder, the decoder runs on the " + (cfg.fullGraph() ? "fully connected" : "true") + " graph");
        }
    }

    private void requireDecoder() {
        if (!cfg.hasDecoder()) {
            throw new IllegalStateException("this model was trained with --graph supervised: it is an encoder alone, "
                    + "with no decoder");
        }
    }

    /**
     * Edge-type logits [B, E, K] from whichever encoder the model has, of trajectories x [B, N, W, D]: the
     * encoder's window ({@link NriConfig#encoderWindow()} steps; the CNN encoder takes any W >= 14).
     */
    public NDArray edgeLogits(NDArray x, boolean training) {
        requireEncoder();
        return cnn != null ? cnn.forward(x, training) : encoder.forward(x, training);
    }

    /**
     * The fixed edge weights of a {@code --graph full} model: one-hot on the one message-passing type (the first
     * after the hard-coded "no edge" type) for every directed pair, [B, E, K].
     */
    public static float[] fullGraphWeights(NriConfig cfg, int batch, int atoms) {
        int k = cfg.edgeTypes();
        int type = cfg.skipFirst() ? 1 : 0;
        int rows = batch * atoms * (atoms - 1);
        float[] z = new float[rows * k];
        for (int r = 0; r < rows; r++) {
            z[r * k + type] = 1f;
        }
        return z;
    }

    /**
     * One-hot edge weights [B * E * K] of edge labels [B * E] (the true graph), refused when a label is not a type.
     */
    public static float[] oneHot(int[] labels, int edgeTypes) {
        float[] z = new float[labels.length * edgeTypes];
        for (int r = 0; r < labels.length; r++) {
            int t = labels[r];
            if (t < 0 || t >= edgeTypes) {
                throw new IllegalArgumentException("edge label " + t + " at " + r + " is not one of the model's "
                        + edgeTypes + " edge types");
            }
            z[r * edgeTypes + t] = 1f;
        }
        return z;
    }

    /** The training objective on one batch of a model that needs no labels (learned or full graph). */
    public Output forward(NDArray x, boolean training) {
        return forward(x, null, training);
    }

    /**
     * The training objective on one batch.
     *
     * @param x trajectories [B, N, T, D]
     * @param labels each sample's true edge types [B * E], receiver-major as {@link EdgeIndex}; required by the
     *     true-graph decoder and the supervised encoder ({@link NriConfig#trainsOnLabels()}), ignored otherwise
     * @param training batch-norm batch statistics and dropout; also selects the sample kind (training: soft or hard
     *     as configured, M-step rollouts (the recurrent decoder: burn-in on T - M true states, then M of its own);
     *     otherwise hard samples and one-step predictions, as the paper validates)
     */
    public Output forward(NDArray x, int[] labels, boolean training) {
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        Shape edgeShape = new Shape(b, n * (n - 1), cfg.edgeTypes());
        if (cfg.trainsOnLabels() && (labels == null || labels.length != b * n * (n - 1))) {
            throw new IllegalArgumentException("--graph " + cfg.graph().flag() + " trains on the true edge types: "
                    + "expected " + b * n * (n - 1) + " labels, got " + (labels == null ? "none" : labels.length));
        }
        NDArray logits = null;
        NDArray z;
        if (cfg.fullGraph()) {
            int bi = Math.toIntExact(b);
            int ni = Math.toIntExact(n);
            z = x.getManager().create(fullGraphWeights(cfg, bi, ni), edgeShape);
        } else if (cfg.graph() == NriConfig.GraphKind.TRUE) {
            z = x.getManager().create(oneHot(labels, cfg.edgeTypes()), edgeShape);
        } else {
            // The encoder sees the window's first encoderWindow() steps; the decoder all of them.
            NDArray seen = cfg.encoderSteps() == null ? x : x.get(new NDIndex(":, :, :" + cfg.encoderSteps()));
            logits = edgeLogits(seen, training);
            if (!cfg.hasDecoder()) {
                // Cross-entropy of the true types, a mean over edges: the negative log-likelihood of the graph.
                NDArray truth = x.getManager().create(oneHot(labels, cfg.edgeTypes()), edgeShape);
                NDArray ce = logits.logSoftmax(-1).mul(truth).sum().neg().div((float) (b * n * (n - 1)));
                return new Output(logits, ce, ce, x.getManager().zeros(new Shape()), null);
            }
            z = GumbelSoftmax.sample(logits, cfg.tau(), training ? cfg.hard() : true);
        }
        NDArray xt = x.transpose(0, 2, 1, 3);
        int m = training ? cfg.predictionSteps() : 1;
        NDArray target = xt.get(new NDIndex(":, 1:"));
        NDArray nll;
        NDArray mse;
        if (recurrent != null) {
            NDArray sq = recurrent.rollout(xt, z, m, training).sub(target).square();
            nll = sq.sum().div((float) (2 * cfg.variance() * b * n));
            mse = sq.mean();
        } else {
            // With walls the likelihood is of the free prediction against the nearer image of the truth
            // (NriDecoder.unfold); the reported MSE is always of the reflected prediction, as served.
            NriDecoder.Rollout r = decoder.rolloutWithFree(xt, z, m, training);
            NDArray sq = r.predicted().sub(target).square();
            mse = sq.mean();
            NDArray fit = r.free() == r.predicted() ? sq : r.free().sub(decoder.lossTarget(target, r.free())).square();
            nll = fit.sum().div((float) (2 * cfg.variance() * b * n));
        }
        if (logits == null) {
            // No edge distribution, no KL term: the loss is the reconstruction NLL alone.
            return new Output(null, nll, nll, x.getManager().zeros(new Shape()), mse);
        }
        NDArray prob = logits.softmax(-1);
        NDArray kl = klDivergence(prob, n);
        return new Output(logits, nll.add(kl), nll, kl, mse);
    }

    /** KL(q || prior) per sample and atom: sum q log q (uniform prior, constant dropped) or sum q (log q - log p). */
    NDArray klDivergence(NDArray prob, long atoms) {
        NDArray logq = prob.add(1e-16f).log();
        if (cfg.prior() != null) {
            float[] lp = new float[cfg.prior().length];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = (float) Math.log(cfg.prior()[i]);
            }
            logq = logq.sub(prob.getManager().create(lp));
        }
        long b = prob.getShape().get(0);
        return prob.mul(logq).sum().div((float) (atoms * b));
    }

    /**
     * Loss terms of one batch; all scalars except logits [B, E, K] (null for a model on a given graph). A supervised
     * encoder's nll is the cross-entropy of the true edge types and its mse is null (it predicts no trajectories).
     */
    public record Output(NDArray logits, NDArray loss, NDArray nll, NDArray kl, NDArray mse) {}

    @Override
    public void close() {
        store.close();
    }
}
