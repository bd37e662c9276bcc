package dev.nristream.trainer.eval;

/**
 * Edge-type accuracy accumulated over batches as a K x K confusion matrix, reported raw and permutation-invariant:
 * unsupervised edge types carry no fixed meaning, so the invariant score is the best accuracy over all
 * relabellings of the predicted types (one relabelling for the whole data set, as the paper reports it).
 */
public final class EdgeAccuracy {
    private final int k;
    private final long[][] confusion;
    private long total;

    public EdgeAccuracy(int edgeTypes) {
        if (edgeTypes < 1 || edgeTypes > 8) {
            throw new IllegalArgumentException("edge types must be in [1, 8] for permutation search, got " + edgeTypes);
        }
        this.k = edgeTypes;
        this.confusion = new long[edgeTypes][edgeTypes];
    }

    /**
     * Adds predictions.
     *
     * @param logits [count * K] scores, row-major
     * @param labels [count] true types
     */
    public void add(float[] logits, int[] labels) {
        if (logits.length != labels.length * k) {
            throw new IllegalArgumentException(
                    "got " + logits.length + " scores for " + labels.length + " labels and " + k + " types");
        }
        for (int e = 0; e < labels.length; e++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (logits[e * k + c] > logits[e * k + best]) {
                    best = c;
                }
            }
            int label = labels[e];
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("label " + label + " outside the " + k + " edge types");
            }
            confusion[label][best]++;
            total++;
        }
    }

    public long count() {
        return total;
    }

    /** Fraction of edges whose predicted type equals the label. */
    public double raw() {
        long hit = 0;
        for (int c = 0; c < k; c++) {
            hit += confusion[c][c];
        }
        return total == 0 ? Double.NaN : (double) hit / total;
    }

    /** Best accuracy over all permutations of the predicted types. */
    public double permutationInvariant() {
        if (total == 0) {
            return Double.NaN;
        }
        int[] best = bestPermutation();
        long hit = 0;
        for (int c = 0; c < k; c++) {
            hit += confusion[c][best[c]];
        }
        return (double) hit / total;
    }

    /** The relabelling (true type c -> predicted type best[c]) with the most agreeing edges. */
    public int[] bestPermutation() {
        int[] best = new int[k];
        long[] bestHits = {-1};
        search(new int[k], new boolean[k], 0, best, bestHits);
        return best;
    }

    private void search(int[] perm, boolean[] used, int depth, int[] best, long[] bestHits) {
        if (depth == k) {
            long hit = 0;
            for (int c = 0; c < k; c++) {
                hit += confusion[c][perm[c]];
            }
            if (hit > bestHits[0]) {
                bestHits[0] = hit;
                System.arraycopy(perm, 0, best, 0, k);
            }
            return;
        }
        for (int p = 0; p < k; p++) {
            if (!used[p]) {
                used[p] = true;
                perm[depth] = p;
                search(perm, used, depth + 1, best, bestHits);
                used[p] = false;
            }
        }
    }
}
