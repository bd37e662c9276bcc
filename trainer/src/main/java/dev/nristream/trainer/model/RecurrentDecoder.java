package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The recurrent decoder (Eqs. 13-17, the reference code's {@code RNNDecoder}): every node carries a hidden state
 * h; per edge type k a message MLP on [h_receiver, h_sender] (2H -> H -> H, tanh) weighted by z_ij,k, averaged
 * over the message-sending types and summed at the receiver; a GRU-style gate combines the node's input x_t with
 * that aggregate into the next hidden state; an output MLP (H -> H -> H -> D, ReLU) predicts the change of x.
 * Non-Markovian dynamics (a walking body, a basketball play) need the memory the MLP decoder does not have.
 *
 * <p>Training follows the reference: the true states are fed for a burn-in of T - M steps, then the decoder's own
 * predictions for the last M ({@link NriConfig#predictionSteps()}); with M = 1 every step sees the truth.
 *
 * <pre>{@code
 * RecurrentDecoder dec = model.recurrentDecoder();
 * NDArray pred = dec.rollout(xt, z, 10, true);       // xt [B, T, N, D] -> states 1 .. T-1
 * NDArray ahead = dec.rolloutAfter(window, z, 20);   // burn in on a window, then 20 steps of its own
 * }</pre>
 */
public final class RecurrentDecoder {
    private final NriConfig cfg;
    private final ParameterStore store;
    private final EdgeIndex edges;
    private final int firstType;

    RecurrentDecoder(NriConfig cfg, ParameterStore store, EdgeIndex edges) {
        this.cfg = cfg;
        this.store = store;
        this.edges = edges;
        this.firstType = cfg.skipFirst() ? 1 : 0;
        int k = cfg.edgeTypes() - firstType;
        int d = cfg.dims();
        int h = cfg.decoderHidden();
        // PyTorch's default Linear initialisation, as the reference leaves it; the gates' hidden parts have no bias.
        store.uniformFanIn("rdec.msg1.w", new Shape(k, 2 * h, h), 2 * h);
        store.uniformFanIn("rdec.msg1.b", new Shape(k, 1, h), 2 * h);
        store.uniformFanIn("rdec.msg2.w", new Shape(k, h, h), h);
        store.uniformFanIn("rdec.msg2.b", new Shape(k, 1, h), h);
        for (String gate : new String[] {"r", "i", "n"}) {
            store.uniformFanIn("rdec.input_" + gate + ".w", new Shape(d, h), d);
            store.uniformFanIn("rdec.input_" + gate + ".b", new Shape(h), d);
        }
        for (String gate : new String[] {"r", "i", "h"}) {
            store.uniformFanIn("rdec.hidden_" + gate + ".w", new Shape(h, h), h);
        }
        store.uniformFanIn("rdec.out1.w", new Shape(h, h), h);
        store.uniformFanIn("rdec.out1.b", new Shape(h), h);
        store.uniformFanIn("rdec.out2.w", new Shape(h, h), h);
        store.uniformFanIn("rdec.out2.b", new Shape(h), h);
        store.uniformFanIn("rdec.out3.w", new Shape(h, d), h);
        store.uniformFanIn("rdec.out3.b", new Shape(d), h);
    }

    /** First edge type that sends messages (1 when type 0 is the hard-coded "no edge", else 0). */
    public int firstMessageType() {
        return firstType;
    }

    /** Edge weights of the message-sending types as [K', B, E, 1] (the form {@link #step} takes). */
    public NDArray weights(NDArray z) {
        NDArray w = firstType == 0 ? z : z.get(new NDIndex(":, :, " + firstType + ":"));
        Shape s = w.getShape();
        return w.transpose(2, 0, 1).reshape(s.get(2), s.get(0), s.get(1), 1);
    }

    /** The initial hidden state, zeros [B, N, H]. */
    public NDArray initialHidden(NDArray like, long batch, long atoms) {
        return like.getManager().zeros(new Shape(batch, atoms, cfg.decoderHidden()), like.getDataType());
    }

    /**
     * One step: the prediction of the next state and the next hidden state.
     *
     * @param x the current state [B, N, D]
     * @param hidden [B, N, H]
     * @param weights from {@link #weights}
     * @return {prediction [B, N, D], hidden [B, N, H]}
     */
    public NDList step(NDArray x, NDArray hidden, NDArray weights, boolean training) {
        Shape s = hidden.getShape();
        long b = s.get(0);
        int n = Math.toIntExact(s.get(1));
        int h = cfg.decoderHidden();
        long e = (long) n * (n - 1);
        long k = weights.getShape().get(0);
        // [h_receiver, h_sender], the project's order everywhere (the reference puts the sender first: the same
        // model with the first layer's weight rows swapped).
        NDArray pre = edges.gatherReceivers(hidden).concat(edges.gatherSenders(hidden), 2);
        NDArray m = pre.reshape(1, b * e, 2L * h).matMul(store.get("rdec.msg1.w")).add(store.get("rdec.msg1.b"))
                .tanh();
        m = Nn.dropout(m, cfg.decoderDropout(), training);
        m = m.matMul(store.get("rdec.msg2.w")).add(store.get("rdec.msg2.b")).tanh();
        NDArray msg = m.reshape(k, b, e, h).mul(weights).sum(new int[] {0}).div((float) k);
        // The reference divides the receivers' sums by the input's last axis (D, not N): kept, so the two
        // implementations stay comparable; a constant scale the gates' weights absorb either way.
        NDArray agg = EdgeIndex.sumAtReceivers(msg, n).div((float) x.getShape().get(2));
        NDArray r = Nn.linear(x, store.get("rdec.input_r.w"), store.get("rdec.input_r.b"))
                .add(agg.matMul(store.get("rdec.hidden_r.w"))).getNDArrayInternal().sigmoid();
        NDArray i = Nn.linear(x, store.get("rdec.input_i.w"), store.get("rdec.input_i.b"))
                .add(agg.matMul(store.get("rdec.hidden_i.w"))).getNDArrayInternal().sigmoid();
        NDArray cand = Nn.linear(x, store.get("rdec.input_n.w"), store.get("rdec.input_n.b"))
                .add(r.mul(agg.matMul(store.get("rdec.hidden_h.w")))).tanh();
        NDArray next = i.mul(-1).add(1).mul(cand).add(i.mul(hidden));
        NDArray p = Nn.linear(next, store.get("rdec.out1.w"), store.get("rdec.out1.b")).getNDArrayInternal().relu();
        p = Nn.dropout(p, cfg.decoderDropout(), training);
        p = Nn.linear(p, store.get("rdec.out2.w"), store.get("rdec.out2.b")).getNDArrayInternal().relu();
        p = Nn.dropout(p, cfg.decoderDropout(), training);
        p = Nn.linear(p, store.get("rdec.out3.w"), store.get("rdec.out3.b"));
        return new NDList(x.add(p), next);
    }

    /**
     * Predictions of states 1 .. T-1: the true state is the input for the first T - m steps (burn-in, steps
     * 0 .. T - m inclusive as in the reference), the decoder's own previous prediction after that.
     *
     * @param xt true trajectories, time-major [B, T, N, D]
     * @param z edge weights [B, E, K]
     * @param m steps predicted from the decoder's own outputs (1: every step sees the truth)
     * @return [B, T-1, N, D]
     */
    public NDArray rollout(NDArray xt, NDArray z, int m, boolean training) {
        Shape s = xt.getShape();
        long t = s.get(1);
        long burnIn = t - m;
        NDArray w = weights(z);
        NDArray hidden = initialHidden(xt, s.get(0), s.get(2));
        NDList preds = new NDList(Math.toIntExact(t - 1));
        NDArray prev = null;
        for (long step = 0; step < t - 1; step++) {
            NDArray in = step <= burnIn ? xt.get(new NDIndex(":, " + step)) : prev;
            NDList out = step(in, hidden, w, training);
            prev = out.get(0);
            hidden = out.get(1);
            preds.add(prev);
        }
        return NDArrays.stack(preds, 1);
    }

    /**
     * Burns in on a window of true states, then predicts {@code steps} states after its last one from its own
     * outputs (how a window in a stream is continued).
     *
     * @param window true states, time-major [B, W, N, D]
     * @return [B, steps, N, D]: states W .. W + steps - 1
     */
    public NDArray rolloutAfter(NDArray window, NDArray z, int steps) {
        Shape s = window.getShape();
        long frames = s.get(1);
        NDManager parent = window.getManager();
        NDArray w = weights(z);
        NDArray hidden = initialHidden(window, s.get(0), s.get(2));
        NDArray pred = null;
        NDList preds = new NDList(steps);
        // Each step in its own scope, keeping only its prediction and hidden state: a window of 50 frames of 31
        // atoms would otherwise hold every step's edge tensors (gigabytes) until the caller's scope closes.
        for (long step = 0; step < frames + steps - 1; step++) {
            try (NDManager scope = parent.newSubManager()) {
                NDArray in = step < frames ? window.get(new NDIndex(":, " + step)) : pred.duplicate();
                in.attach(scope);
                hidden.attach(scope);
                NDList out = step(in, hidden, w, false);
                pred = out.get(0);
                hidden = out.get(1);
                pred.attach(parent);
                hidden.attach(parent);
            }
            if (step >= frames - 1) {
                preds.add(pred);
            }
        }
        return NDArrays.stack(preds, 1);
    }
}
