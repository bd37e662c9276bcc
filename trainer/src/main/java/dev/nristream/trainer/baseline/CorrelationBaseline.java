package dev.nristream.trainer.baseline;

import dev.nristream.model.EdgeOrder;
import dev.nristream.trainer.data.NriDataset;
import java.util.Arrays;
import java.util.Locale;

/**
 * The NRI paper's "Corr. (path)" baseline (Table 1): an edge is predicted from how strongly two objects' paths are
 * correlated, thresholded, with the threshold chosen on the validation split. No training, no model.
 *
 * <p>The correlation of objects i and j over a window is Pearson's over their positions: each coordinate centred
 * on its mean over the window's steps, then {@code sum_{t,c} a_tc b_tc / sqrt(sum a^2 sum b^2)} (the normalisation
 * is affine and the same for every coordinate, so normalised and raw positions give the same value). Which side of
 * the threshold means "edge" is part of the fit: the score is the correlation or its magnitude, and an edge is
 * predicted above or below the threshold, whichever of the four rules classifies the validation edges best.
 *
 * <pre>{@code
 * double[] cv = CorrelationBaseline.correlations(valid, 49);
 * CorrelationBaseline.Fit fit = CorrelationBaseline.fit(cv, valid.labels());
 * double acc = CorrelationBaseline.accuracy(CorrelationBaseline.correlations(test, 49), test.labels(), fit);
 * }</pre>
 */
public final class CorrelationBaseline {

    /** How a correlation becomes an edge prediction. */
    public enum Rule {
        /** edge when corr > threshold */
        ABOVE,
        /** edge when corr < threshold */
        BELOW,
        /** edge when |corr| > threshold */
        ABS_ABOVE,
        /** edge when |corr| < threshold */
        ABS_BELOW;

        boolean edge(double corr, double threshold) {
            return switch (this) {
                case ABOVE -> corr > threshold;
                case BELOW -> corr < threshold;
                case ABS_ABOVE -> Math.abs(corr) > threshold;
                case ABS_BELOW -> Math.abs(corr) < threshold;
            };
        }
    }

    /** The rule and threshold chosen on the validation edges, with the accuracy they reach there. */
    public record Fit(Rule rule, double threshold, double validAccuracy) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %.6f (validation accuracy %.4f)", rule, threshold, validAccuracy);
        }
    }

    private CorrelationBaseline() {
    }

    /**
     * Path correlations of every sample's ordered pairs over steps {@code [0, steps)}, flat [sims, E] in the
     * contract's edge order ({@link EdgeOrder}), aligned with {@link NriDataset#labels()}.
     */
    public static double[] correlations(NriDataset d, int steps) {
        if (steps < 2 || steps > d.timesteps()) {
            throw new IllegalArgumentException("steps must be 2.." + d.timesteps() + " for " + d.name() + ", got "
                    + steps);
        }
        // [sims, N, T, 2S], positions first: the path is the S position channels
        return correlations(d.features(), d.size(), d.atoms(), d.timesteps(), d.dims(), d.spatialDims(), steps);
    }

    /**
     * The same over any series: {@code f} flat [sims, N, T, D], the path being channels {@code [0, channels)} of
     * steps {@code [0, steps)} (Kuramoto: channel 0, the phase velocity).
     */
    public static double[] correlations(float[] f, int sims, int n, int t, int dims, int sd, int steps) {
        if (f.length != (long) sims * n * t * dims || sd < 1 || sd > dims || steps < 2 || steps > t) {
            throw new IllegalArgumentException("series of " + f.length + " values is not [" + sims + ", " + n + ", "
                    + t + ", " + dims + "], or " + sd + " channels / " + steps + " steps do not fit it");
        }
        int e = n * (n - 1);
        double[] out = new double[sims * e];
        double[][] centred = new double[n][steps * sd];
        double[] norm = new double[n];
        for (int s = 0; s < sims; s++) {
            for (int i = 0; i < n; i++) {
                int base = (s * n + i) * t * dims;
                double sq = 0;
                for (int c = 0; c < sd; c++) {
                    double mean = 0;
                    for (int k = 0; k < steps; k++) {
                        mean += f[base + k * dims + c];
                    }
                    mean /= steps;
                    for (int k = 0; k < steps; k++) {
                        double v = f[base + k * dims + c] - mean;
                        centred[i][k * sd + c] = v;
                        sq += v * v;
                    }
                }
                norm[i] = Math.sqrt(sq);
            }
            int o = s * e;
            EdgeOrder.forEach(n, (k, i, j) -> {
                double dot = 0;
                for (int m = 0; m < centred[i].length; m++) {
                    dot += centred[i][m] * centred[j][m];
                }
                double den = norm[i] * norm[j];
                out[o + k] = den > 0 ? dot / den : 0.0; // an object that never moves correlates with nothing
            });
        }
        return out;
    }

    /** The rule and threshold that classify {@code labels} (0 no edge, 1 edge) best from {@code corr}. */
    public static Fit fit(double[] corr, int[] labels) {
        if (corr.length != labels.length || corr.length == 0) {
            throw new IllegalArgumentException(corr.length + " correlations for " + labels.length + " labels");
        }
        Fit best = null;
        for (boolean absolute : new boolean[] {false, true}) {
            double[] score = new double[corr.length];
            Integer[] order = new Integer[corr.length];
            for (int m = 0; m < corr.length; m++) {
                score[m] = absolute ? Math.abs(corr[m]) : corr[m];
                order[m] = m;
            }
            Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
            int positives = 0;
            for (int l : labels) {
                positives += l == 1 ? 1 : 0;
            }
            int total = corr.length;
            // threshold below everything, then between each pair of distinct neighbours: c = how many lie below it
            int onesBelow = 0;
            for (int c = 0; c <= total; c++) {
                if (c > 0) {
                    onesBelow += labels[order[c - 1]] == 1 ? 1 : 0;
                    if (c < total && score[order[c]] == score[order[c - 1]]) {
                        continue; // no threshold separates equal scores
                    }
                }
                double threshold = c == 0 ? score[order[0]] - 1
                        : c == total ? score[order[total - 1]] + 1
                        : (score[order[c - 1]] + score[order[c]]) / 2;
                int zerosBelow = c - onesBelow;
                int aboveRight = zerosBelow + (positives - onesBelow); // edge above: zeros below and ones above right
                int belowRight = onesBelow + (total - c - (positives - onesBelow));
                Rule above = absolute ? Rule.ABS_ABOVE : Rule.ABOVE;
                Rule below = absolute ? Rule.ABS_BELOW : Rule.BELOW;
                if (best == null || aboveRight / (double) total > best.validAccuracy()) {
                    best = new Fit(above, threshold, aboveRight / (double) total);
                }
                if (belowRight / (double) total > best.validAccuracy()) {
                    best = new Fit(below, threshold, belowRight / (double) total);
                }
            }
        }
        return best;
    }

    /** Share of edges {@code fit} classifies right. */
    public static double accuracy(double[] corr, int[] labels, Fit fit) {
        if (corr.length != labels.length || corr.length == 0) {
            throw new IllegalArgumentException(corr.length + " correlations for " + labels.length + " labels");
        }
        int right = 0;
        for (int m = 0; m < corr.length; m++) {
            boolean edge = fit.rule().edge(corr[m], fit.threshold());
            right += edge == (labels[m] == 1) ? 1 : 0;
        }
        return right / (double) corr.length;
    }
}
