package dev.nristream.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the edge probabilities on {@code nri.graphs} are calibrated: temperature scaling of the encoder's softmax
 * (Guo et al., 2017), {@code q_k ∝ p_k^(1/T)}, i.e. {@code softmax(logits / T)}. The NRI encoder is trained through
 * Gumbel-softmax samples and says ~1.00 even for edges it gets wrong; one temperature, fitted after training on
 * live-style validation windows with known edges, makes "0.9" mean "right 9 times in 10". It changes no argmax, so
 * the inferred edge types stay the same; the decoder keeps the raw probabilities it was trained with.
 *
 * <p>{@code model.json}: {@code "edge_calibration": {"method": "temperature", "temperature": 2.3, ...}}; absent
 * means uncalibrated ({@link #NONE}).
 *
 * @param method {@code temperature}
 * @param temperature T > 0 (1: unchanged)
 * @param fittedOn what T was fitted on (data, split, windows)
 * @param eceBefore expected calibration error on that data before scaling
 * @param eceAfter and after
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeCalibration(
        @JsonProperty("method") String method,
        @JsonProperty("temperature") double temperature,
        @JsonProperty("fitted_on") String fittedOn,
        @JsonProperty("ece_before") Double eceBefore,
        @JsonProperty("ece_after") Double eceAfter) {

    /** The method name in model.json. */
    public static final String TEMPERATURE = "temperature";
    /** No calibration: the encoder's softmax as is. */
    public static final EdgeCalibration NONE = new EdgeCalibration(TEMPERATURE, 1.0, null, null, null);

    public EdgeCalibration {
        if (method != null && !method.equals(TEMPERATURE)) {
            throw new IllegalArgumentException("edge_calibration.method must be '" + TEMPERATURE + "', got '"
                    + method + "'");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("edge_calibration.temperature must be a positive number, got "
                    + temperature);
        }
    }

    /** A fitted temperature. */
    public static EdgeCalibration temperature(double t, String fittedOn, double eceBefore, double eceAfter) {
        return new EdgeCalibration(TEMPERATURE, t, fittedOn, eceBefore, eceAfter);
    }

    @JsonIgnore
    public boolean isIdentity() {
        return temperature == 1.0;
    }

    /**
     * Calibrated probabilities from the encoder's, row by row of K.
     *
     * @param probs [rows * K] softmax outputs; not changed
     * @return a new array (the input itself when this is the identity)
     */
    public float[] apply(float[] probs, int k) {
        if (isIdentity()) {
            return probs;
        }
        float[] scores = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            scores[i] = (float) Math.log(probs[i]); // log 0 = -inf: that type keeps probability 0
        }
        return applyToScores(scores, k);
    }

    /** Calibrated probabilities from logits or log-probabilities [rows * K]: softmax(scores / T). */
    public float[] applyToScores(float[] scores, int k) {
        float[] scaled = new float[scores.length];
        double inv = 1.0 / temperature;
        for (int i = 0; i < scores.length; i++) {
            scaled[i] = (float) (scores[i] * inv);
        }
        return Calibration.softmax(scaled, k);
    }
}
