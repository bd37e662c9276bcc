package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fully connected graph without self loops in the contract's edge order: edge e = (receiver i, sender j) over
 * all ordered pairs i != j, row-major (i outer, j inner), so e = i * (N - 1) + (j < i ? j : j - 1).
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

    /** Sender j of every edge, in edge order. */
    public static int[] senders(int atoms) {
        int[] s = new int[atoms * (atoms - 1)];
        int e = 0;
        for (int i = 0; i < atoms; i++) {
            for (int j = 0; j < atoms; j++) {
                if (i != j) {
                    s[e++] = j;
                }
            }
        }
        return s;
    }

    /** Receiver i of every edge, in edge order. */
    public static int[] receivers(int atoms) {
        int[] r = new int[atoms * (atoms - 1)];
        int e = 0;
        for (int i = 0; i < atoms; i++) {
            for (int j = 0; j < atoms; j++) {
                if (i != j) {
                    r[e++] = i;
                }
            }
        }
        return r;
    }

    /** One-hot [E, N] matrix of the given endpoint per edge (the ONNX inputs rel_rec / rel_send). */
    public static float[] oneHot(int[] endpoint, int atoms) {
        float[] m = new float[endpoint.length * atoms];
        for (int e = 0; e < endpoint.length; e++) {
            m[e * atoms + endpoint[e]] = 1f;
        }
        return m;
    }

    /** x [..., N, F] (node axis 1 of a 3-d tensor) -> receivers [B, E, F]. */
    NDArray gatherReceivers(NDArray x) {
        long n = x.getShape().get(1);
        return x.repeat(1, n - 1);
    }

    /** x [B, N, F] -> senders [B, E, F]. */
    NDArray gatherSenders(NDArray x) {
        int n = Math.toIntExact(x.getShape().get(1));
        NDArray idx = senderIndex.computeIfAbsent(n, k -> manager.create(senders(k)).toType(ai.djl.ndarray.types.DataType.INT64, false));
        return x.get(new NDIndex(":, {}", idx));
    }

    /** Sum of incoming edge features at each receiver: [B, E, F] -> [B, N, F]. */
    static NDArray sumAtReceivers(NDArray edges, int atoms) {
        long b = edges.getShape().get(0);
        long f = edges.getShape().get(2);
        return edges.reshape(b, atoms, atoms - 1, f).sum(new int[] {2});
    }
}
