package dev.nristream.model;

import java.util.Arrays;

/**
 * Expected calibration error of edge-type probabilities: edges are binned by their confidence (the probability of
 * the most likely type) into equal-width bins, and ECE = sum over bins of (share of edges) x |accuracy - mean
 * confidence|. An edge is correct when its most likely type stands for its label under the type assignment that
 * {@link EdgeAccuracy} found (unsupervised types have no fixed meaning).
 *
 * <pre>{@code
 * Calibration cal = new Calibration(2, 10);
 * cal.add(probs, labels);                                  // per batch, probs [count * K]
 * double ece = cal.expectedError(accuracy.best().assignment());
 * }</pre>
 */
public final class Calibration {
    private final int k;
    private final int bins;
    private float[] confidence = new float[1024];
    private byte[] predicted = new byte[1024];
    private byte[] label = new byte[1024];
    private int count;

    public Calibration(int edgeTypes, int bins) {
        if (edgeTypes < 1 || edgeTypes > Byte.MAX_VALUE || bins < 1) {
            throw new IllegalArgumentException("need 1..127 edge types and >= 1 bins, got " + edgeTypes + ", " + bins);
        }
        this.k = edgeTypes;
        this.bins = bins;
    }

    /**
     * Adds edges.
     *
     * @param probs [count * K] probabilities, row-major (each row sums to 1)
     * @param labels [count] true types
     */
    public void add(float[] probs, int[] labels) {
        if (probs.length != labels.length * k) {
            throw new IllegalArgumentException(
                    "got " + probs.length + " probabilities for " + labels.length + " labels and " + k + " types");
        }
        if (count + labels.length > confidence.length) {
            int cap = Math.max(confidence.length * 2, count + labels.length);
            confidence = Arrays.copyOf(confidence, cap);
            predicted = Arrays.copyOf(predicted, cap);
            label = Arrays.copyOf(label, cap);
        }
        for (int e = 0; e < labels.length; e++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probs[e * k + c] > probs[e * k + best]) {
                    best = c;
                }
            }
            confidence[count] = probs[e * k + best];
            predicted[count] = (byte) best;
            label[count] = (byte) labels[e];
            count++;
        }
    }

    /** Softmax of each row of scores [count * K] (logits or log-probabilities), as probabilities. */
    public static float[] softmax(float[] scores, int k) {
        float[] p = new float[scores.length];
        for (int r = 0; r < scores.length / k; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, scores[r * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(scores[r * k + c] - max);
            }
            for (int c = 0; c < k; c++) {
                p[r * k + c] = (float) (Math.exp(scores[r * k + c] - max) / sum);
            }
        }
        return p;
    }

    /**
     * The expected calibration error.
     *
     * @param assignment model type k stands for true label assignment[k] (identity for supervised types)
     */
    public double expectedError(int[] assignment) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] conf = new double[bins];
        long[] hits = new long[bins];
        long[] n = new long[bins];
        for (int i = 0; i < count; i++) {
            int b = Math.min(bins - 1, (int) (confidence[i] * bins));
            conf[b] += confidence[i];
            n[b]++;
            if (assignment[predicted[i]] == label[i]) {
                hits[b]++;
            }
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (n[b] > 0) {
                ece += Math.abs((double) hits[b] / n[b] - conf[b] / n[b]) * n[b] / count;
            }
        }
        return ece;
    }

    /** Mean confidence over all edges added. */
    public double meanConfidence() {
        double s = 0;
        for (int i = 0; i < count; i++) {
            s += confidence[i];
        }
        return count == 0 ? Double.NaN : s / count;
    }
}
