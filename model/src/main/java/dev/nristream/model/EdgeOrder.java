package dev.nristream.model;

/**
 * The one edge order of the model contract: the N(N-1) ordered pairs (receiver i, sender j), i != j, row-major
 * (receiver outer, sender inner), so edge e = i * (N - 1) + (j < i ? j : j - 1). The exporter, the ONNX runtime,
 * the simulators, the dataset reader, the feeds' ground truth and the stream's outputs all walk edges through this
 * class; the exporter stamps {@link #DESCRIPTION} into the ONNX metadata and {@link NriOnnxModel} checks it.
 *
 * <pre>{@code
 * EdgeOrder.forEach(n, (e, receiver, sender) -> labels[e] = edges[receiver * n + sender]);
 * float[][] rel = EdgeOrder.relationMatrices(n);   // rel_rec, rel_send
 * }</pre>
 */
public final class EdgeOrder {

    /** The order in words, as written into the ONNX metadata ({@code edge_order}) by the exporter. */
    public static final String DESCRIPTION =
            "e = (receiver i, sender j), i != j, row-major (i outer, j inner); E = N(N-1)";

    /** Receives one edge: its index and its endpoints. */
    @FunctionalInterface
    public interface EdgeVisitor {
        void edge(int e, int receiver, int sender);
    }

    private EdgeOrder() {
    }

    /** E = N(N-1), the number of ordered pairs. */
    public static int edgeCount(int atoms) {
        return atoms * (atoms - 1);
    }

    /** Visits every edge in order. */
    public static void forEach(int atoms, EdgeVisitor visitor) {
        int e = 0;
        for (int i = 0; i < atoms; i++) {
            for (int j = 0; j < atoms; j++) {
                if (i != j) {
                    visitor.edge(e++, i, j);
                }
            }
        }
    }

    /** Index of the edge from {@code sender} to {@code receiver}. */
    public static int index(int receiver, int sender, int atoms) {
        if (receiver == sender || receiver < 0 || sender < 0 || receiver >= atoms || sender >= atoms) {
            throw new IllegalArgumentException("no edge (receiver " + receiver + ", sender " + sender + ") among "
                    + atoms + " atoms");
        }
        return receiver * (atoms - 1) + (sender < receiver ? sender : sender - 1);
    }

    /** Receiver and sender of edge {@code e} among {@code atoms}: {@code {i, j}}. */
    public static int[] endpoints(int e, int atoms) {
        int i = e / (atoms - 1);
        int k = e % (atoms - 1);
        return new int[] {i, k < i ? k : k + 1};
    }

    /** Receiver i of every edge, in order. */
    public static int[] receivers(int atoms) {
        int[] r = new int[edgeCount(atoms)];
        forEach(atoms, (e, i, j) -> r[e] = i);
        return r;
    }

    /** Sender j of every edge, in order. */
    public static int[] senders(int atoms) {
        int[] s = new int[edgeCount(atoms)];
        forEach(atoms, (e, i, j) -> s[e] = j);
        return s;
    }

    /** One-hot [E, N] matrix, flat: row e has a 1 at {@code endpoint[e]}. */
    public static float[] oneHot(int[] endpoint, int atoms) {
        float[] m = new float[endpoint.length * atoms];
        for (int e = 0; e < endpoint.length; e++) {
            m[e * atoms + endpoint[e]] = 1f;
        }
        return m;
    }

    /** The ONNX inputs for {@code atoms}: index 0 {@code rel_rec}, index 1 {@code rel_send}, each flat [E, N]. */
    public static float[][] relationMatrices(int atoms) {
        return new float[][] {oneHot(receivers(atoms), atoms), oneHot(senders(atoms), atoms)};
    }

    /**
     * The off-diagonal entries of an {@code [N][N]} matrix (C order, flat, starting at {@code offset}), in edge
     * order: entry (i, j) is what sender j does to receiver i.
     */
    public static int[] offDiagonal(int[] matrix, int offset, int atoms) {
        int[] out = new int[edgeCount(atoms)];
        forEach(atoms, (e, i, j) -> out[e] = matrix[offset + i * atoms + j]);
        return out;
    }
}
