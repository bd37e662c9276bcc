package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

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

    public NriModel(NDManager manager, NriConfig cfg, long seed) {
        this.cfg = cfg;
        this.store = new ParameterStore(manager, seed);
        EdgeIndex edges = new EdgeIndex(store.manager());
        boolean conv = cfg.encoder() == NriConfig.EncoderKind.CNN;
        this.encoder = conv ? null : new NriEncoder(cfg, store, edges);
        this.cnn = conv ? new CnnEncoder(cfg, store, edges) : null;
        boolean rnn = cfg.decoder() == NriConfig.DecoderKind.RECURRENT;
        this.decoder = rnn ? null : new NriDecoder(cfg, store, edges);
        this.recurrent = rnn ? new RecurrentDecoder(cfg, store, edges) : null;
    }

    public NriConfig config() {
        return cfg;
    }

    public ParameterStore store() {
        return store;
    }

    /** The MLP encoder; for a model with the CNN encoder use {@link #cnnEncoder()}. */
    public NriEncoder encoder() {
        if (encoder == null) {
            throw new IllegalStateException("this model has the CNN encoder (--encoder cnn), not the MLP encoder");
        }
        return encoder;
    }

    /** The CNN encoder of a model trained with {@code --encoder cnn}. */
    public CnnEncoder cnnEncoder() {
        if (cnn == null) {
            throw new IllegalStateException("this model has the MLP encoder, not the CNN one");
        }
        return cnn;
    }

    /** The MLP decoder; for a model with the recurrent decoder use {@link #recurrentDecoder()}. */
    public NriDecoder decoder() {
        if (decoder == null) {
            throw new IllegalStateException("this model has the recurrent decoder (--decoder recurrent), not the "
                    + "MLP decoder");
        }
        return decoder;
    }

    /** The recurrent decoder of a model trained with {@code --decoder recurrent}. */
    public RecurrentDecoder recurrentDecoder() {
        if (recurrent == null) {
            throw new IllegalStateException("this model has the MLP decoder, not the recurrent one");
        }
        return recurrent;
    }

    /** Edge-type logits [B, E, K] of trajectories x [B, N, T, D] from whichever encoder the model has. */
    public NDArray edgeLogits(NDArray x, boolean training) {
        return cnn != null ? cnn.forward(x, training) : encoder.forward(x, training);
    }

    /**
     * The training objective on one batch.
     *
     * @param x trajectories [B, N, T, D]
     * @param training batch-norm batch statistics and dropout; also selects the sample kind (training: soft or hard
     *     as configured, M-step rollouts (the recurrent decoder: burn-in on T - M true states, then M of its own);
     *     otherwise hard samples and one-step predictions, as the paper validates)
     */
    public Output forward(NDArray x, boolean training) {
        NDArray logits = edgeLogits(x, training);
        NDArray z = GumbelSoftmax.sample(logits, cfg.tau(), training ? cfg.hard() : true);
        NDArray prob = logits.softmax(-1);
        NDArray xt = x.transpose(0, 2, 1, 3);
        int m = training ? cfg.predictionSteps() : 1;
        NDArray pred = recurrent != null ? recurrent.rollout(xt, z, m, training) : decoder.rollout(xt, z, m, training);
        NDArray target = xt.get(new NDIndex(":, 1:"));
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray sq = pred.sub(target).square();
        NDArray nll = sq.sum().div((float) (2 * cfg.variance() * b * n));
        NDArray mse = sq.mean();
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

    /** Loss terms of one batch; all scalars except logits [B, E, K]. */
    public record Output(NDArray logits, NDArray loss, NDArray nll, NDArray kl, NDArray mse) {}

    @Override
    public void close() {
        store.close();
    }
}
