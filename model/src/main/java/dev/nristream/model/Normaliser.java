package dev.nristream.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The model's feature scaling to [-1, 1] and back: the NRI paper's global min/max scaling
 * {@code x' = 2 (x - min) / (max - min) - 1}, positions and velocities each with their own constants. The trainer
 * computes the constants from the training split ({@link #fromData}), {@code model.json} carries them (its
 * {@code normalisation} object is this class), and the stream applies them to live frames.
 *
 * <pre>{@code
 * Normaliser n = spec.normalisation();
 * double x = n.loc(12.5);        // feed units -> [-1, 1]
 * double back = n.unLoc(x);      // and back
 * }</pre>
 *
 * A constant absent from the JSON is NaN here (velocities of a position-only model); {@link ModelSpec} names it.
 *
 * <p>Datasets of features rather than positions and velocities (the Kuramoto oscillators' {@code feat_} files)
 * scale each feature with its own constants, as the research code does ({@link #perFeature}); {@code model.json}
 * and {@code run.json} then carry {@code feature_min} and {@code feature_max}, one value per feature in the
 * layout's order, and {@link #feature} applies them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Normaliser {
    private final double locMin;
    private final double locMax;
    private final double velMin;
    private final double velMax;
    private final double[] featureMin;
    private final double[] featureMax;

    /**
     * How far past [-1, 1] a normalised input may lie before it counts as out of the range the model was trained
     * on: the training data's min/max map to exactly -1 and 1, so a little beyond is still familiar ground, while
     * inputs well outside (a scene that drifted past anything in training) make the graph untrustworthy.
     */
    public static final double OUT_OF_RANGE_MARGIN = 0.1;

    /** Fraction of the normalised values whose magnitude exceeds 1 + {@link #OUT_OF_RANGE_MARGIN}; 0 when empty. */
    public static float outOfRangeFraction(float[] normalised) {
        if (normalised.length == 0) {
            return 0f;
        }
        int out = 0;
        for (float v : normalised) {
            if (Math.abs(v) > 1 + OUT_OF_RANGE_MARGIN) {
                out++;
            }
        }
        return (float) out / normalised.length;
    }

    public Normaliser(double locMin, double locMax, double velMin, double velMax) {
        this(locMin, locMax, velMin, velMax, null, null);
    }

    private Normaliser(double locMin, double locMax, double velMin, double velMax, double[] featureMin,
            double[] featureMax) {
        this.locMin = locMin;
        this.locMax = locMax;
        this.velMin = velMin;
        this.velMax = velMax;
        this.featureMin = featureMin;
        this.featureMax = featureMax;
    }

    /**
     * One range per feature (feature datasets): {@code x'_c = 2 (x_c - min_c) / (max_c - min_c) - 1}.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a range is empty
     */
    public static Normaliser perFeature(double[] min, double[] max) {
        if (min.length == 0 || min.length != max.length) {
            throw new IllegalArgumentException("per-feature normalisation needs one min and one max per feature, got "
                    + min.length + " and " + max.length);
        }
        for (int c = 0; c < min.length; c++) {
            if (!(max[c] > min[c])) {
                throw new IllegalArgumentException("normalisation needs max > min, got feature " + c + " ["
                        + min[c] + ", " + max[c] + "] (a feature constant over the whole training split)");
            }
        }
        return new Normaliser(Double.NaN, Double.NaN, Double.NaN, Double.NaN, min.clone(), max.clone());
    }

    /**
     * Per-feature min and max over the training split, as the research code's Kuramoto loader.
     *
     * @param features flat [..., D] values, feature innermost
     */
    public static Normaliser fromFeatures(double[] features, int dims) {
        double[] min = new double[dims];
        double[] max = new double[dims];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int k = 0; k < features.length; k++) {
            int c = k % dims;
            min[c] = Math.min(min[c], features[k]);
            max[c] = Math.max(max[c], features[k]);
        }
        return perFeature(min, max);
    }

    // The camelCase aliases read run.json files written before model.json's names were used there too.
    @JsonCreator
    static Normaliser fromJson(@JsonProperty("loc_min") @JsonAlias("locMin") Double locMin,
            @JsonProperty("loc_max") @JsonAlias("locMax") Double locMax,
            @JsonProperty("vel_min") @JsonAlias("velMin") Double velMin,
            @JsonProperty("vel_max") @JsonAlias("velMax") Double velMax,
            @JsonProperty("feature_min") List<Double> featureMin,
            @JsonProperty("feature_max") List<Double> featureMax) {
        if (featureMin != null || featureMax != null) {
            if (featureMin == null || featureMax == null) {
                throw new IllegalArgumentException("normalisation needs both feature_min and feature_max, got only "
                        + (featureMin == null ? "feature_max" : "feature_min"));
            }
            return perFeature(featureMin.stream().mapToDouble(Double::doubleValue).toArray(),
                    featureMax.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return new Normaliser(orNaN(locMin), orNaN(locMax), orNaN(velMin), orNaN(velMax));
    }

    /** Whether each feature has its own range (a feature dataset) rather than positions and velocities. */
    public boolean isPerFeature() {
        return featureMin != null;
    }

    /** Features with their own range; 0 for a position/velocity normalisation. */
    public int featureCount() {
        return featureMin == null ? 0 : featureMin.length;
    }

    /** Feature {@code c}'s value scaled to [-1, 1] by its own range. */
    public double feature(int c, double v) {
        if (featureMin == null) {
            throw new IllegalStateException("this normalisation has position and velocity ranges, not per-feature "
                    + "ones");
        }
        return 2 * (v - featureMin[c]) / (featureMax[c] - featureMin[c]) - 1;
    }

    /** The inverse of {@link #feature}. */
    public double unFeature(int c, double v) {
        if (featureMin == null) {
            throw new IllegalStateException("this normalisation has position and velocity ranges, not per-feature "
                    + "ones");
        }
        return (v + 1.0) * (featureMax[c] - featureMin[c]) / 2 + featureMin[c];
    }

    /**
     * Global min and max over every element of the given position and velocity arrays (the training split).
     *
     * @throws IllegalArgumentException when a range is empty (max not above min)
     */
    public static Normaliser fromData(double[] loc, double[] vel) {
        Normaliser n = new Normaliser(min(loc), max(loc), min(vel), max(vel));
        if (!(n.locMax > n.locMin) || !(n.velMax > n.velMin)) {
            throw new IllegalArgumentException("normalisation needs max > min, got loc [" + n.locMin + ", "
                    + n.locMax + "], vel [" + n.velMin + ", " + n.velMax + "]");
        }
        return n;
    }

    public double loc(double v) {
        return 2 * (v - locMin) / (locMax - locMin) - 1;
    }

    public double vel(double v) {
        return 2 * (v - velMin) / (velMax - velMin) - 1;
    }

    public double unLoc(double v) {
        return (v + 1.0) * (locMax - locMin) / 2 + locMin;
    }

    public double unVel(double v) {
        return (v + 1.0) * (velMax - velMin) / 2 + velMin;
    }

    public double locMin() {
        return locMin;
    }

    public double locMax() {
        return locMax;
    }

    public double velMin() {
        return velMin;
    }

    public double velMax() {
        return velMax;
    }

    @JsonProperty("loc_min")
    Double jsonLocMin() {
        return orNull(locMin);
    }

    @JsonProperty("loc_max")
    Double jsonLocMax() {
        return orNull(locMax);
    }

    @JsonProperty("vel_min")
    Double jsonVelMin() {
        return orNull(velMin);
    }

    @JsonProperty("vel_max")
    Double jsonVelMax() {
        return orNull(velMax);
    }

    @JsonProperty("feature_min")
    List<Double> jsonFeatureMin() {
        return featureMin == null ? null : Arrays.stream(featureMin).boxed().toList();
    }

    @JsonProperty("feature_max")
    List<Double> jsonFeatureMax() {
        return featureMax == null ? null : Arrays.stream(featureMax).boxed().toList();
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static Double orNull(double d) {
        return Double.isNaN(d) ? null : d;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normaliser n && Double.compare(locMin, n.locMin) == 0
                && Double.compare(locMax, n.locMax) == 0 && Double.compare(velMin, n.velMin) == 0
                && Double.compare(velMax, n.velMax) == 0 && Arrays.equals(featureMin, n.featureMin)
                && Arrays.equals(featureMax, n.featureMax);
    }

    @Override
    public int hashCode() {
        return Objects.hash(locMin, locMax, velMin, velMax, Arrays.hashCode(featureMin), Arrays.hashCode(featureMax));
    }

    @Override
    public String toString() {
        if (featureMin != null) {
            return "Normaliser[per feature: min " + Arrays.toString(featureMin) + ", max "
                    + Arrays.toString(featureMax) + "]";
        }
        return "Normaliser[loc " + locMin + " .. " + locMax + ", vel " + velMin + " .. " + velMax + "]";
    }
}
