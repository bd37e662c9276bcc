package dev.nristream.trainer.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.model.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The NRI paper's "LSTM (joint)" baseline: no graph, one recurrent network over the whole scene. At every step the
 * states of all N objects are concatenated into one vector of N * D values, passed through an input MLP
 * (N*D -> H -> H, ReLU), a stack of LSTM layers (width H) and an output MLP (H -> H, ReLU, -> N*D) that predicts
 * the change of every object's state: x_{t+1} = x_t + f(h_t).
 *
 * <p>The reference code ({@code lstm_baseline.py}, {@code RecurrentBaseline}) applies its input MLP to each object
 * and concatenates the results, so its LSTM is N * H wide (1,280 for 5 springs, 7,936 and about a billion weights
 * for 31 joints); here the input MLP reads the joint vector and the LSTM is H wide, so {@code --hidden} sets the
 * capacity on any N. Linear layers as the reference initialises them (Xavier-normal weights, biases 0.1), the LSTM
 * as PyTorch does ({@link LstmCell}).
 *
 * <p>Training follows the reference and this project's recurrent decoder: the true states are the inputs for the
 * burn-in (steps 0 .. T - M), the model's own predictions after that.
 *
 * <pre>{@code
 * try (LstmBaseline model = new LstmBaseline(manager, LstmConfig.defaults(5, 4, 49), 42)) {
 *     NDArray pred = model.rollout(xt, 10);            // xt [B, T, N, D] -> states 1 .. T-1
 *     NDArray ahead = model.rolloutAfter(window, 20);  // burn in on a window, then 20 steps of its own
 * }
 * }</pre>
 */
public final class LstmBaseline implements AutoCloseable {
    private final LstmConfig cfg;
    private final ParameterStore store;
    private final List<LstmCell> cells = new ArrayList<>();

    public LstmBaseline(NDManager manager, LstmConfig cfg, long seed) {
        this.cfg = cfg;
        this.store = new ParameterStore(manager, seed);
        int w = cfg.width();
        int h = cfg.hidden();
        linear("lstm.in1", w, h);
        linear("lstm.in2", h, h);
        for (int l = 0; l < cfg.layers(); l++) {
            cells.add(new LstmCell(store, "lstm.cell" + l, h, h));
        }
        linear("lstm.out1", h, h);
        linear("lstm.out2", h, w);
    }

    private void linear(String name, int in, int out) {
        store.xavierNormal(name + ".w", in, out);
        store.constant(name + ".b", new Shape(out), 0.1f);
    }

    private NDArray apply(String name, NDArray x) {
        return x.matMul(store.get(name + ".w")).add(store.get(name + ".b"));
    }

    public LstmConfig config() {
        return cfg;
    }

    public ParameterStore store() {
        return store;
    }

    /** The initial state, zeros: h and c of every layer, {h0, c0, h1, c1, ...}, each [B, H]. */
    public NDList initialState(NDArray like, long batch) {
        NDList s = new NDList(2 * cfg.layers());
        for (int i = 0; i < 2 * cfg.layers(); i++) {
            s.add(like.getManager().zeros(new Shape(batch, cfg.hidden()), like.getDataType()));
        }
        return s;
    }

    /**
     * One step: the prediction of the next scene state and the next recurrent state.
     *
     * @param x the current states [B, N, D]
     * @param state from {@link #initialState} or the previous step
     * @return {prediction [B, N, D], h0, c0, h1, c1, ...}
     */
    public NDList step(NDArray x, NDList state) {
        Shape s = x.getShape();
        NDArray y = x.reshape(s.get(0), cfg.width());
        y = apply("lstm.in1", y).getNDArrayInternal().relu();
        y = apply("lstm.in2", y).getNDArrayInternal().relu();
        NDList out = new NDList(1 + 2 * cells.size());
        out.add(null);
        for (int l = 0; l < cells.size(); l++) {
            NDList hc = cells.get(l).step(y, state.get(2 * l), state.get(2 * l + 1));
            y = hc.get(0);
            out.add(hc.get(0));
            out.add(hc.get(1));
        }
        NDArray p = apply("lstm.out1", y).getNDArrayInternal().relu();
        p = apply("lstm.out2", p);
        out.set(0, x.add(p.reshape(s)));
        return out;
    }

    private static NDList tail(NDList out) {
        return new NDList(out.subList(1, out.size()));
    }

    /**
     * Predictions of states 1 .. T-1: the true state is the input for steps 0 .. T - m (burn-in, as the reference),
     * the model's own previous prediction after that.
     *
     * @param xt true trajectories, time-major [B, T, N, D]
     * @param m steps predicted from its own outputs (1: every step sees the truth, the validation setting)
     * @return [B, T-1, N, D]
     */
    public NDArray rollout(NDArray xt, int m) {
        Shape s = xt.getShape();
        long t = s.get(1);
        long burnIn = t - m;
        NDList state = initialState(xt, s.get(0));
        NDList preds = new NDList(Math.toIntExact(t - 1));
        NDArray prev = null;
        for (long step = 0; step < t - 1; step++) {
            NDArray in = step <= burnIn ? xt.get(new NDIndex(":, " + step)) : prev;
            NDList out = step(in, state);
            prev = out.get(0);
            state = tail(out);
            preds.add(prev);
        }
        return NDArrays.stack(preds, 1);
    }

    /**
     * Burns in on a window of true states, then predicts {@code steps} states after its last one from its own
     * outputs (the evaluation protocol's forecast).
     *
     * @param window true states, time-major [B, W, N, D]
     * @return [B, steps, N, D]: states W .. W + steps - 1
     */
    public NDArray rolloutAfter(NDArray window, int steps) {
        Shape s = window.getShape();
        long frames = s.get(1);
        NDList state = initialState(window, s.get(0));
        NDArray pred = null;
        NDList preds = new NDList(steps);
        for (long step = 0; step < frames + steps - 1; step++) {
            NDArray in = step < frames ? window.get(new NDIndex(":, " + step)) : pred;
            NDList out = step(in, state);
            pred = out.get(0);
            state = tail(out);
            if (step >= frames - 1) {
                preds.add(pred);
            }
        }
        return NDArrays.stack(preds, 1);
    }

    /**
     * The training objective on one batch: the reference's Gaussian NLL (squared error / (2 var), summed, per
     * sample and object) of the rollout against the truth, and the MSE.
     *
     * @param x trajectories [B, N, T, D] (the dataset's layout)
     * @param m steps predicted from its own outputs ({@link LstmConfig#predictionSteps()} in training, 1 to validate)
     * @return {nll, mse}, scalars
     */
    public NDList loss(NDArray x, int m) {
        NDArray xt = x.transpose(0, 2, 1, 3);
        NDArray pred = rollout(xt, m);
        NDArray sq = pred.sub(xt.get(new NDIndex(":, 1:"))).square();
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        return new NDList(sq.sum().div((float) (2 * cfg.variance() * b * n)), sq.mean());
    }

    /** Trainable scalars. */
    public long parameterCount() {
        return store.parameterCount();
    }

    @Override
    public void close() {
        store.close();
    }
}
