package dev.nristream.demo;

import java.util.Arrays;

/**
 * Edge-type accuracy of inferred graphs against ground truth, invariant to a relabelling of the model's edge types.
 *
 * <p>An unsupervised NRI encoder learns K edge types with no fixed meaning: its type 0 may be the simulator's
 * "spring". Following Kipf et al. (2018), accuracy is reported for the assignment of model types to ground-truth
 * labels that scores best over everything counted so far; the assignment is one for all scenes, since a model's
 * types mean the same in every scene. Counts are a confusion matrix {@code [truth][predicted]}.
 *
 * <pre>{@code
 * EdgeAccuracy acc = new EdgeAccuracy();
 * acc.add(truthLabel, predictedType);       // per compared edge
 * EdgeAccuracy.Result r = acc.best();       // r.accuracy(), r.assignment()[predicted] = truth label
 * }</pre>
 *
 * Not thread-safe.
 */
public final class EdgeAccuracy {

    /** Above this many labels the best assignment is found greedily (K! assignments would be too many). */
    static final int EXHAUSTIVE_LIMIT = 8;

    private long[][] counts = new long[0][0];
    private long total;

    /** The best assignment and its accuracy; {@code assignment[k]} is the truth label model type k stands for. */
    public record Result(double accuracy, int[] assignment, long compared) {
    }

    /** Counts one compared edge. */
    public void add(int truth, int predicted) {
        if (truth < 0 || predicted < 0) {
            throw new IllegalArgumentException("edge types are >= 0, got truth " + truth + ", predicted " + predicted);
        }
        grow(Math.max(truth, predicted) + 1);
        counts[truth][predicted]++;
        total++;
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
        int[] best = m <= EXHAUSTIVE_LIMIT ? exhaustive(identity) : greedy();
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

    private int[] greedy() {
        int m = counts.length;
        int[] assignment = new int[m];
        Arrays.fill(assignment, -1);
        boolean[] usedTruth = new boolean[m];
        for (int round = 0; round < m; round++) {
            long bestCount = -1;
            int bt = -1;
            int bp = -1;
            for (int p = 0; p < m; p++) {
                if (assignment[p] >= 0) {
                    continue;
                }
                for (int t = 0; t < m; t++) {
                    if (!usedTruth[t] && counts[t][p] > bestCount) {
                        bestCount = counts[t][p];
                        bt = t;
                        bp = p;
                    }
                }
            }
            assignment[bp] = bt;
            usedTruth[bt] = true;
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
