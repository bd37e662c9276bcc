package dev.nristream.trainer.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.model.ParameterStore;

/**
 * One LSTM layer (Hochreiter and Schmidhuber; the gate equations of {@code torch.nn.LSTM}):
 *
 * <pre>
 * [i, f, g, o] = x W_x + h W_h + b            (W_x [in, 4H], W_h [H, 4H], b [4H], gates in this order)
 * c' = sigmoid(f) * c + sigmoid(i) * tanh(g)
 * h' = sigmoid(o) * tanh(c')
 * </pre>
 *
 * One bias instead of PyTorch's two (b_ih + b_hh: the same function). Initial values as PyTorch's: every weight
 * and bias U(-1/sqrt(H), 1/sqrt(H)). Parameters live in the store as {@code <prefix>.wx}, {@code .wh}, {@code .b}.
 *
 * <pre>{@code
 * LstmCell cell = new LstmCell(store, "lstm.cell0", 8, 16);
 * NDList hc = cell.step(x, h, c);                 // x [B, 8], h and c [B, 16] -> {h', c'}
 * }</pre>
 */
public final class LstmCell {
    private final ParameterStore store;
    private final String prefix;
    private final int hidden;

    public LstmCell(ParameterStore store, String prefix, int in, int hidden) {
        this.store = store;
        this.prefix = prefix;
        this.hidden = hidden;
        store.uniformFanIn(prefix + ".wx", new Shape(in, 4L * hidden), hidden);
        store.uniformFanIn(prefix + ".wh", new Shape(hidden, 4L * hidden), hidden);
        store.uniformFanIn(prefix + ".b", new Shape(4L * hidden), hidden);
    }

    public int hidden() {
        return hidden;
    }

    /**
     * One step.
     *
     * @param x input [B, in]
     * @param h hidden state [B, H]
     * @param c cell state [B, H]
     * @return {h' [B, H], c' [B, H]}
     */
    public NDList step(NDArray x, NDArray h, NDArray c) {
        NDArray gates = x.matMul(store.get(prefix + ".wx")).add(h.matMul(store.get(prefix + ".wh")))
                .add(store.get(prefix + ".b"));
        NDList g = gates.split(4, gates.getShape().dimension() - 1);
        NDArray input = g.get(0).getNDArrayInternal().sigmoid();
        NDArray forget = g.get(1).getNDArrayInternal().sigmoid();
        NDArray cand = g.get(2).tanh();
        NDArray output = g.get(3).getNDArrayInternal().sigmoid();
        NDArray cNext = forget.mul(c).add(input.mul(cand));
        NDArray hNext = output.mul(cNext.tanh());
        return new NDList(hNext, cNext);
    }
}
