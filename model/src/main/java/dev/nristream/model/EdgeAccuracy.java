package dev.nristream.model;

import java.util.Arrays;

/**
 * Edge-type accuracy of inferred graphs against ground truth, raw and invariant to a relabelling of the model's
 * edge types: the one implementation the trainer's evaluation, the export and the demo's live view share.
 *
 * <p>An unsupervised NRI encoder learns K edge types with no fixed meaning: its type 0 may be the simulator's
 * "spring". Following Kipf et al. (2018), accuracy is reported for the assignment of model types to ground-truth
 * labels that scores best over everything counted; the assignment is one for the whole data set (or all scenes),
 * since a model's types mean the same everywhere. Counts are a confusion matrix {@code [truth][predicted]}; the
 * best assignment is exact for any number of types (every permutation up to {@value #EXHAUSTIVE_LIMIT} types, the
 * Hungarian method above).
 *
 * <pre>{@code
 * EdgeAccuracy acc = new EdgeAccuracy();
 * acc.add(truthLabel, predictedType);       // per compared edge, or add(scores, labels) per batch
 * EdgeAccuracy.Result r = acc.best();       // r.accuracy(), r.assignment()[predicted] = truth label
 * }</pre>
 *
 * Not thread-safe.
 */
public final class EdgeAccuracy {

    /** Up to this many types every permutation is tried (ties keep the first found, identity first). */
    static final int EXHAUSTIVE_LIMIT = 8;

    private final int fixedTypes;
    private long[][] counts;
    private long total;

    /** The best assignment and its accuracy; {@code assignment[k]} is the truth label model type k stands for. */
    public record Result(double accuracy, int[] assignment, long compared) {
    }

    /** Any number of types: the matrix grows with the largest type seen. */
    public EdgeAccuracy() {
        this.fixedTypes = -1;
        this.counts = new long[0][0];
    }

    /** Exactly {@code edgeTypes} types: labels and predictions outside [0, K) are rejected. */
    public EdgeAccuracy(int edgeTypes) {
        if (edgeTypes < 1) {
            throw new IllegalArgumentException("edge types must be >= 1, got " + edgeTypes);
        }
        this.fixedTypes = edgeTypes;
        this.counts = new long[edgeTypes][edgeTypes];
    }

    /** Counts one compared edge. */
    public void add(int truth, int predicted) {
        if (truth < 0 || predicted < 0) {
            throw new IllegalArgumentException("edge types are >= 0, got truth " + truth + ", predicted " + predicted);
        }
        if (fixedTypes > 0 && (truth >= fixedTypes || predicted >= fixedTypes)) {
            throw new IllegalArgumentException("label " + Math.max(truth, predicted) + " outside the " + fixedTypes
                    + " edge types");
        }
        grow(Math.max(truth, predicted) + 1);
        counts[truth][predicted]++;
        total++;
    }

    /**
     * Counts a batch: the prediction of edge e is the arg max of its K scores.
     *
     * @param scores [count * K] logits or probabilities, row-major
     * @param labels [count] true types
     */
    public void add(float[] scores, int[] labels) {
        int k = fixedTypes > 0 ? fixedTypes : counts.length;
        if (k < 1 || scores.length != labels.length * k) {
            throw new IllegalArgumentException(
                    "got " + scores.length + " scores for " + labels.length + " labels and " + k + " types");
        }
        for (int e = 0; e < labels.length; e++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (scores[e * k + c] > scores[e * k + best]) {
                    best = c;
                }
            }
            add(labels[e], best);
        }
    }

    /** Adds another tracker's counts (e.g. a scene's into the overall one). */
    public void addAll(EdgeAccuracy other) {
        grow(other.counts.length);
        for (int t = 0; t < other.counts.length; t++) {
            for (int p = 0; p < other.counts.length; p++) {
                counts[t][p] += other.counts[t][p];
            }
        }
        total += other.total;
    }

    public long compared() {
        return total;
    }

    /** Fraction of edges whose predicted type equals the label; NaN when empty. */
    public double raw() {
        long hit = 0;
        for (int c = 0; c < counts.length; c++) {
            hit += counts[c][c];
        }
        return total == 0 ? Double.NaN : (double) hit / total;
    }

    /** Accuracy under the best assignment; NaN when empty. */
    public double permutationInvariant() {
        return best().accuracy();
    }

    /** Accuracy under a given assignment (model type k -> truth label {@code assignment[k]}); NaN when empty. */
    public double accuracy(int[] assignment) {
        if (total == 0) {
            return Double.NaN;
        }
        long hit = 0;
        for (int p = 0; p < counts.length; p++) {
            int t = p < assignment.length ? assignment[p] : p;
            if (t >= 0 && t < counts.length) {
                hit += counts[t][p];
            }
        }
        return (double) hit / total;
    }

    /** The assignment of model types to truth labels with the highest accuracy (identity when nothing counted). */
    public Result best() {
        int m = counts.length;
        int[] identity = new int[m];
        for (int i = 0; i < m; i++) {
            identity[i] = i;
        }
        if (total == 0) {
            return new Result(Double.NaN, identity, 0);
        }
        int[] best = m <= EXHAUSTIVE_LIMIT ? exhaustive(identity) : hungarian();
        return new Result(accuracy(best), best, total);
    }

    private int[] exhaustive(int[] start) {
        int[] perm = start.clone();
        int[] best = perm.clone();
        long bestHits = hits(perm);
        // Heap's algorithm: every permutation once, each from the previous by one swap.
        int n = perm.length;
        int[] c = new int[n];
        int i = 0;
        while (i < n) {
            if (c[i] < i) {
                int j = (i % 2 == 0) ? 0 : c[i];
                int tmp = perm[j];
                perm[j] = perm[i];
                perm[i] = tmp;
                long h = hits(perm);
                if (h > bestHits) {
                    bestHits = h;
                    best = perm.clone();
                }
                c[i]++;
                i = 0;
            } else {
                c[i] = 0;
                i++;
            }
        }
        return best;
    }

    /**
     * The maximum-weight assignment by the Hungarian method (shortest augmenting paths with potentials, O(m^3)):
     * rows are model types, columns truth labels, cost = -count.
     */
    private int[] hungarian() {
        int m = counts.length;
        long[] u = new long[m + 1];
        long[] v = new long[m + 1];
        int[] colRow = new int[m + 1];
        int[] way = new int[m + 1];
        for (int row = 1; row <= m; row++) {
            colRow[0] = row;
            int col0 = 0;
            long[] minv = new long[m + 1];
            Arrays.fill(minv, Long.MAX_VALUE);
            boolean[] used = new boolean[m + 1];
            do {
                used[col0] = true;
                int r0 = colRow[col0];
                long delta = Long.MAX_VALUE;
                int col1 = 0;
                for (int col = 1; col <= m; col++) {
                    if (!used[col]) {
                        long cur = -counts[col - 1][r0 - 1] - u[r0] - v[col];
                        if (cur < minv[col]) {
                            minv[col] = cur;
                            way[col] = col0;
                        }
                        if (minv[col] < delta) {
                            delta = minv[col];
                            col1 = col;
                        }
                    }
                }
                for (int col = 0; col <= m; col++) {
                    if (used[col]) {
                        u[colRow[col]] += delta;
                        v[col] -= delta;
                    } else {
                        minv[col] -= delta;
                    }
                }
                col0 = col1;
            } while (colRow[col0] != 0);
            do {
                int col1 = way[col0];
                colRow[col0] = colRow[col1];
                col0 = col1;
            } while (col0 != 0);
        }
        int[] assignment = new int[m];
        for (int col = 1; col <= m; col++) {
            assignment[colRow[col] - 1] = col - 1;
        }
        return assignment;
    }

    private long hits(int[] assignment) {
        long h = 0;
        for (int p = 0; p < assignment.length; p++) {
            h += counts[assignment[p]][p];
        }
        return h;
    }

    private void grow(int m) {
        if (m <= counts.length) {
            return;
        }
        long[][] bigger = new long[m][m];
        for (int t = 0; t < counts.length; t++) {
            System.arraycopy(counts[t], 0, bigger[t], 0, counts.length);
        }
        counts = bigger;
    }
}
