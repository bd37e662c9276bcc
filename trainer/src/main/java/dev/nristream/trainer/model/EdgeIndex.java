package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.nristream.model.EdgeOrder;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fully connected graph without self loops in the contract's {@link EdgeOrder} as DJL gathers.
 *
 * <p>Because a receiver's incoming edges are contiguous, gathering receivers is a repeat and aggregating at the
 * receiver is a reshape and a sum; only senders need an index gather. This replaces the reference implementation's
 * one-hot [E, N] matrix products in the training graph.
 */
public final class EdgeIndex {
    private final NDManager manager;
    private final ConcurrentHashMap<Integer, NDArray> senderIndex = new ConcurrentHashMap<>();

    public EdgeIndex(NDManager manager) {
        this.manager = manager;
    }

    /** x [..., N, F] (node axis 1 of a 3-d tensor) -> receivers [B, E, F]. */
    NDArray gatherReceivers(NDArray x) {
        long n = x.getShape().get(1);
        return x.repeat(1, n - 1);
    }

    /** x [B, N, F] -> senders [B, E, F]. */
    NDArray gatherSenders(NDArray x) {
        int n = Math.toIntExact(x.getShape().get(1));
        NDArray idx = senderIndex.computeIfAbsent(n, k -> manager.create(EdgeOrder.senders(k)).toType(ai.djl.ndarray.types.DataType.INT64, false));
        return x.get(new NDIndex(":, {}", idx));
    }

    /** Sum of incoming edge features at each receiver: [B, E, F] -> [B, N, F]. */
    static NDArray sumAtReceivers(NDArray edges, int atoms) {
        long b = edges.getShape().get(0);
        long f = edges.getShape().get(2);
        return edges.reshape(b, atoms, atoms - 1, f).sum(new int[] {2});
    }
}
