package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.nristream.model.ReflectingWalls;

/**
 * The MLP decoder (Eqs. 10-12): per edge type k a message MLP on [x_receiver, x_sender] (2D -> H -> H, ReLU),
 * weighted by z_ij,k and summed over types (type 0 skipped when it is the hard-coded "no edge"), summed at the
 * receiver; a node MLP on [x, aggregate] (D+H -> H -> H -> D, ReLU) predicts the change.
 *
 * <p>A model of a simulated system in a box ({@link NriConfig#walls()}) reflects each predicted state at the box's
 * walls, as the simulator does ({@link #reflect}): the MLPs then learn free motion only.
 *
 * <p>All message types run as one batched matrix product per layer over every edge of every sample and restart
 * point: weights are stored stacked per type ([K', 2D, H] and [K', H, H]).
 */
public final class NriDecoder {
    private final NriConfig cfg;
    private final ParameterStore store;
    private final EdgeIndex edges;
    private final int firstType;
    private final ReflectingWalls.Normalised walls;

    NriDecoder(NriConfig cfg, ParameterStore store, EdgeIndex edges, ReflectingWalls.Normalised walls) {
        this.cfg = cfg;
        this.walls = walls;
        this.store = store;
        this.edges = edges;
        this.firstType = cfg.skipFirst() ? 1 : 0;
        int k = cfg.edgeTypes() - firstType;
        int d = cfg.dims();
        int h = cfg.decoderHidden();
        // The reference leaves the decoder at PyTorch's default Linear initialisation.
        store.uniformFanIn("dec.msg1.w", new Shape(k, 2 * d, h), 2 * d);
        store.uniformFanIn("dec.msg1.b", new Shape(k, 1, h), 2 * d);
        store.uniformFanIn("dec.msg2.w", new Shape(k, h, h), h);
        store.uniformFanIn("dec.msg2.b", new Shape(k, 1, h), h);
        store.uniformFanIn("dec.out1.w", new Shape(d + h, h), d + h);
        store.uniformFanIn("dec.out1.b", new Shape(h), d + h);
        store.uniformFanIn("dec.out2.w", new Shape(h, h), h);
        store.uniformFanIn("dec.out2.b", new Shape(h), h);
        store.uniformFanIn("dec.out3.w", new Shape(h, d), h);
        store.uniformFanIn("dec.out3.b", new Shape(d), h);
    }

    /** The walls every predicted state is reflected at, on the normalised scale; null when the model has none. */
    public ReflectingWalls.Normalised walls() {
        return walls;
    }

    /** First edge type that sends messages (1 when type 0 is the hard-coded "no edge", else 0). */
    public int firstMessageType() {
        return firstType;
    }

    /**
     * Edge weights and parameter layouts prepared once per rollout for {@link #step}.
     *
     * <p>Fast path: ReLU is positively homogeneous, so for z >= 0
     * {@code z * relu(relu([x, 1] W1') W2') == relu(relu([z x, z] W1') W2')} where W1', W2' carry the biases as an
     * extra input row and W1' passes the constant through as an extra output column. Scaling the 2D+1-wide input by
     * z replaces the multiplication of the H-wide messages, and the sums over types and incoming edges become one
     * reduction. At z == 0 the ReLU gradient is 0, so straight-through hard samples (whose forward value has zeros
     * but whose gradient must reach every type) and dropout (which would drop the constant) use the direct path.
     */
    public Messages prepare(NDArray z, boolean training) {
        NDArray w = firstType == 0 ? z : z.get(new NDIndex(":, :, " + firstType + ":"));
        Shape s = w.getShape();
        NDArray weights = w.transpose(2, 0, 1).reshape(s.get(2), s.get(0), 1, s.get(1), 1);
        boolean direct = training && (cfg.hard() || cfg.decoderDropout() > 0);
        if (direct) {
            return new Messages(weights, null, null, true);
        }
        NDArray w1 = store.get("dec.msg1.w");
        long k = w1.getShape().get(0);
        long in = w1.getShape().get(1);
        int h = cfg.decoderHidden();
        NDArray w1b = Nn.scoped(w1.concat(store.get("dec.msg1.b"), 1), z);
        // The constant column is padded with zero columns to a multiple of 8: a 257-wide operand makes the
        // backward product run ~1.8x slower than a 264-wide one here (MKL alignment), zeros cost ~3 %.
        int extra = padded(h + 1) - h;
        float[] pass = new float[Math.toIntExact(k * (in + 1) * extra)];
        for (int i = 0; i < k; i++) {
            pass[Math.toIntExact((i * (in + 1) + in) * extra)] = 1f;
        }
        NDArray passCols = z.getManager().create(pass, new Shape(k, in + 1, extra));
        NDArray w1full = w1b.concat(passCols, 2);
        NDArray w2b = Nn.scoped(store.get("dec.msg2.w").concat(store.get("dec.msg2.b"), 1), z);
        NDArray w2full = extra == 1 ? w2b : w2b.concat(z.getManager().zeros(new Shape(k, extra - 1, h)), 1);
        return new Messages(weights, w1full, w2full, false);
    }

    /** n rounded up to a multiple of 8. */
    static int padded(int n) {
        return (n + 7) / 8 * 8;
    }

    /**
     * Per-rollout message inputs.
     *
     * @param weights edge weights of the message-sending types as [K', B, 1, E, 1]
     * @param w1full first message layer with bias row, pass-through column and zero padding [K', 2D+1, H'] with
     *     H' = H + 1 rounded up to a multiple of 8 (fast path)
     * @param w2full second message layer with bias row and zero padding [K', H', H] (fast path)
     * @param direct use the direct path
     */
    public record Messages(NDArray weights, NDArray w1full, NDArray w2full, boolean direct) {}

    /**
     * One prediction step for S states per sample.
     *
     * @param state [B, S, N, D]
     * @param msgs from {@link #prepare}
     * @return predicted next state [B, S, N, D]
     */
    public NDArray step(NDArray state, Messages msgs, boolean training) {
        NDArray next = freeStep(state, msgs, training);
        return walls == null ? next : reflect(next, walls);
    }

    /** {@link #step} before the reflection at the walls (the same when the model has none). */
    NDArray freeStep(NDArray state, Messages msgs, boolean training) {
        Shape s = state.getShape();
        long b = s.get(0);
        long starts = s.get(1);
        int n = Math.toIntExact(s.get(2));
        long d = s.get(3);
        long e = (long) n * (n - 1);
        long rows = b * starts * e;
        int h = cfg.decoderHidden();
        NDArray x = state.reshape(b * starts, n, d);
        NDArray pre = edges.gatherReceivers(x).concat(edges.gatherSenders(x), 2);
        long k = msgs.weights().getShape().get(0);
        NDArray agg;
        if (msgs.direct()) {
            // [1, rows, 2D] @ [K', 2D, H] -> [K', rows, H]: every type's first layer in one broadcast product.
            NDArray m = pre.reshape(1, rows, 2 * d).matMul(store.get("dec.msg1.w")).add(store.get("dec.msg1.b"))
                    .getNDArrayInternal().relu();
            m = Nn.dropout(m, cfg.decoderDropout(), training);
            m = m.matMul(store.get("dec.msg2.w")).add(store.get("dec.msg2.b")).getNDArrayInternal().relu();
            NDArray msg = m.reshape(k, b, starts, e, h).mul(msgs.weights()).sum(new int[] {0});
            agg = EdgeIndex.sumAtReceivers(msg.reshape(b * starts, e, h), n);
        } else {
            NDArray ones = x.getManager().ones(new Shape(b * starts, e, 1));
            NDArray scaled = pre.concat(ones, 2).reshape(1, b, starts, e, 2 * d + 1).mul(msgs.weights());
            NDArray m = scaled.reshape(k, rows, 2 * d + 1).matMul(msgs.w1full()).getNDArrayInternal().relu();
            m = m.matMul(msgs.w2full()).getNDArrayInternal().relu();
            // Two reductions: torch reduces a contiguous inner axis far faster than axes {0, 3} in one call.
            agg = m.reshape(k, b * starts, n, n - 1, h).sum(new int[] {3}).sum(new int[] {0});
        }
        NDArray aug = x.concat(agg, 2);
        NDArray p = Nn.linear(aug, store.get("dec.out1.w"), store.get("dec.out1.b")).getNDArrayInternal().relu();
        p = Nn.dropout(p, cfg.decoderDropout(), training);
        p = Nn.linear(p, store.get("dec.out2.w"), store.get("dec.out2.b")).getNDArrayInternal().relu();
        p = Nn.dropout(p, cfg.decoderDropout(), training);
        p = Nn.linear(p, store.get("dec.out3.w"), store.get("dec.out3.b"));
        return x.add(p).reshape(s);
    }

    /**
     * The simulator's bounce on normalised states [..., 2P] (positions then velocities; {@link ReflectingWalls}):
     * a position past a wall is mirrored back and its velocity turned inward. Differentiable almost everywhere
     * (the gradient of a mirrored position is -1), so the learned part is trained on free motion.
     */
    public static NDArray reflect(NDArray next, ReflectingWalls.Normalised w) {
        long d = next.getShape().get(next.getShape().dimension() - 1);
        long p = d / 2;
        NDArray pos = next.get(new NDIndex("..., :" + p));
        NDArray vel = next.get(new NDIndex("..., " + p + ":"));
        NDArray over = pos.gt(w.high());
        NDArray under = pos.lt(w.low());
        NDArray mirrored = NDArrays.where(over, pos.mul(-1).add(2 * w.high()),
                NDArrays.where(under, pos.mul(-1).add(2 * w.low()), pos));
        NDArray speed = vel.sub(w.zeroVelocity()).abs();
        NDArray turned = NDArrays.where(over, speed.mul(-1).add(w.zeroVelocity()),
                NDArrays.where(under, speed.add(w.zeroVelocity()), vel));
        return mirrored.concat(turned, -1);
    }

    /**
     * Multi-step prediction with restarts from the truth (section 3.4): from every M-th true state the decoder
     * feeds its own predictions back for M steps; all restart points run together.
     *
     * @param xt true trajectories, time-major [B, T, N, D]
     * @param z edge weights [B, E, K]
     * @param m prediction steps M before restarting from the truth
     * @return predictions of states 1 .. T-1, [B, T-1, N, D]
     */
    public NDArray rollout(NDArray xt, NDArray z, int m, boolean training) {
        return rolloutWithFree(xt, z, m, training).predicted();
    }

    /**
     * {@link #rollout}, also returning each step's prediction before the reflection at the walls (what the
     * training loss of a model with walls compares, {@link #unfold}); both the same without walls.
     */
    public Rollout rolloutWithFree(NDArray xt, NDArray z, int m, boolean training) {
        Shape s = xt.getShape();
        long t = s.get(1);
        Messages msgs = prepare(z, training);
        NDArray state = xt.get(new NDIndex(":, ::" + m));
        long starts = state.getShape().get(1);
        NDList preds = new NDList(m);
        NDList free = new NDList(m);
        for (int i = 0; i < m; i++) {
            NDArray f = freeStep(state, msgs, training);
            state = walls == null ? f : reflect(f, walls);
            preds.add(state);
            free.add(f);
        }
        // [B, S, M, N, D]: prediction i from restart r is state r*M + i + 1, so this flattens to time order.
        NDArray out = NDArrays.stack(preds, 2).reshape(s.get(0), starts * m, s.get(2), s.get(3));
        NDIndex first = new NDIndex(":, :" + (t - 1));
        if (walls == null) {
            NDArray p = out.get(first);
            return new Rollout(p, p);
        }
        NDArray freeOut = NDArrays.stack(free, 2).reshape(s.get(0), starts * m, s.get(2), s.get(3));
        return new Rollout(out.get(first), freeOut.get(first));
    }

    /** Predictions after and before the reflection at the walls, [B, T-1, N, D] each. */
    public record Rollout(NDArray predicted, NDArray free) {}

    /**
     * The targets a model with walls is trained against: per position axis, the true state itself or its mirror
     * image at the nearer wall (position and that axis's velocity mirrored together), whichever lies nearer the
     * free prediction. A bounce that the decoder places just before or after a frame boundary then costs the
     * position error it made, not a reversed velocity: with the reflected prediction compared directly, the loss
     * jumps by (2v)^2 whenever a prediction crosses a wall, a jump the gradient does not see, and the gradient
     * through the mirror pulls predictions away from the walls (training drifted uphill at any learning rate).
     * Away from the walls the mirror image is far and the target is the true state.
     */
    NDArray unfold(NDArray target, NDArray free) {
        long d = target.getShape().get(target.getShape().dimension() - 1);
        long p = d / 2;
        NDIndex posIdx = new NDIndex("..., :" + p);
        NDIndex velIdx = new NDIndex("..., " + p + ":");
        NDArray yp = target.get(posIdx);
        NDArray yv = target.get(velIdx);
        NDArray fp = free.stopGradient().get(posIdx);
        NDArray fv = free.stopGradient().get(velIdx);
        float mid = (walls.high() + walls.low()) / 2;
        NDArray wall = NDArrays.where(yp.gt(mid), yp.zerosLike().add(walls.high()), yp.zerosLike().add(walls.low()));
        NDArray mp = wall.mul(2).sub(yp);
        NDArray mv = yv.mul(-1).add(2 * walls.zeroVelocity());
        NDArray direct = fp.sub(yp).square().add(fv.sub(yv).square());
        NDArray mirrored = fp.sub(mp).square().add(fv.sub(mv).square());
        NDArray useMirror = mirrored.lt(direct);
        return NDArrays.where(useMirror, mp, yp).concat(NDArrays.where(useMirror, mv, yv), -1);
    }

    /** The decoder's training targets for its free predictions: {@link #unfold} with walls, else the truth. */
    public NDArray lossTarget(NDArray target, NDArray free) {
        return walls == null ? target : unfold(target, free);
    }

    /** Open-loop rollout of {@code steps} steps from one state [B, N, D]; returns [B, steps, N, D]. */
    public NDArray rolloutFrom(NDArray state, NDArray z, int steps) {
        Shape s = state.getShape();
        Messages msgs = prepare(z, false);
        NDArray cur = state.reshape(s.get(0), 1, s.get(1), s.get(2));
        NDList preds = new NDList(steps);
        for (int i = 0; i < steps; i++) {
            cur = step(cur, msgs, false);
            preds.add(cur);
        }
        return NDArrays.stack(preds, 1).reshape(s.get(0), steps, s.get(1), s.get(2));
    }
}
