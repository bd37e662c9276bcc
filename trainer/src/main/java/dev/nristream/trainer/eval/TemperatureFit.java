package dev.nristream.trainer.eval;

import dev.nristream.model.Calibration;
import dev.nristream.model.EdgeAccuracy;
import dev.nristream.model.EdgeCalibration;
import java.util.Arrays;

/**
 * Fits the temperature of {@link EdgeCalibration} on edges with known labels: the T that minimises the negative
 * log-likelihood of the true types under softmax(scores / T) (one parameter, so it cannot overfit a validation
 * split of thousands of edges). Unsupervised edge types are first matched to labels with {@link EdgeAccuracy}'s
 * best assignment, as every accuracy in the project is.
 *
 * <pre>{@code
 * TemperatureFit fit = new TemperatureFit(k);
 * fit.add(scores, labels);                         // per batch of validation windows
 * EdgeCalibration c = fit.fit("valid split, live windows");
 * }</pre>
 */
public final class TemperatureFit {
    private static final double LOG_T_MIN = Math.log(0.05);
    private static final double LOG_T_MAX = Math.log(50);
    private static final int ITERATIONS = 60;

    private final int k;
    private final EdgeAccuracy accuracy;
    private float[] scores;
    private int[] labels = new int[4096];
    private int rows;

    public TemperatureFit(int edgeTypes) {
        this.k = edgeTypes;
        this.accuracy = new EdgeAccuracy(edgeTypes);
        this.scores = new float[labels.length * edgeTypes];
    }

    /** Adds edges: scores [count * K] (logits or log-probabilities), labels [count]. */
    public void add(float[] batchScores, int[] batchLabels) {
        if (batchScores.length != batchLabels.length * k) {
            throw new IllegalArgumentException("got " + batchScores.length + " scores for " + batchLabels.length
                    + " labels and " + k + " types");
        }
        accuracy.add(batchScores, batchLabels);
        if (rows + batchLabels.length > labels.length) {
            int cap = Math.max(labels.length * 2, rows + batchLabels.length);
            labels = Arrays.copyOf(labels, cap);
            scores = Arrays.copyOf(scores, cap * k);
        }
        System.arraycopy(batchScores, 0, scores, rows * k, batchScores.length);
        System.arraycopy(batchLabels, 0, labels, rows, batchLabels.length);
        rows += batchLabels.length;
    }

    public int edges() {
        return rows;
    }

    /** The fitted calibration, with the expected calibration error before and after on these edges. */
    public EdgeCalibration fit(String fittedOn) {
        if (rows == 0) {
            throw new IllegalStateException("no edges to fit a temperature on");
        }
        int[] typeOf = modelTypeOfLabel(accuracy.best().assignment());
        // Golden-section search on log T: the NLL of temperature scaling is convex in 1/T.
        double a = LOG_T_MIN;
        double b = LOG_T_MAX;
        double g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = nll(Math.exp(c), typeOf);
        double fd = nll(Math.exp(d), typeOf);
        for (int i = 0; i < ITERATIONS; i++) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = nll(Math.exp(c), typeOf);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = nll(Math.exp(d), typeOf);
            }
        }
        double t = Math.exp((a + b) / 2);
        return EdgeCalibration.temperature(t, fittedOn, ece(EdgeCalibration.NONE), ece(
                EdgeCalibration.temperature(t, fittedOn, 0, 0)));
    }

    /** Expected calibration error of these edges under a calibration. */
    public double ece(EdgeCalibration c) {
        Calibration cal = new Calibration(k, Evaluator.CALIBRATION_BINS);
        cal.add(c.applyToScores(Arrays.copyOf(scores, rows * k), k), Arrays.copyOf(labels, rows));
        return cal.expectedError(accuracy.best().assignment());
    }

    /** Mean negative log-likelihood of the matched types under softmax(scores / t). */
    double nll(double t, int[] typeOf) {
        double sum = 0;
        double inv = 1 / t;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, scores[r * k + c] * inv);
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(scores[r * k + c] * inv - max);
            }
            sum -= scores[r * k + typeOf[labels[r]]] * inv - max - Math.log(z);
        }
        return sum / rows;
    }

    private int[] modelTypeOfLabel(int[] assignment) {
        int[] typeOf = new int[k];
        Arrays.fill(typeOf, -1);
        for (int type = 0; type < assignment.length; type++) {
            typeOf[assignment[type]] = type;
        }
        for (int label = 0; label < k; label++) {
            if (typeOf[label] < 0) {
                throw new IllegalStateException("no edge type stands for label " + label + " (assignment "
                        + Arrays.toString(assignment) + ")");
            }
        }
        return typeOf;
    }
}
