package dev.nristream.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Normaliser {
    private final double locMin;
    private final double locMax;
    private final double velMin;
    private final double velMax;

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
        this.locMin = locMin;
        this.locMax = locMax;
        this.velMin = velMin;
        this.velMax = velMax;
    }

    // The camelCase aliases read run.json files written before model.json's names were used there too.
    @JsonCreator
    static Normaliser fromJson(@JsonProperty("loc_min") @JsonAlias("locMin") Double locMin,
            @JsonProperty("loc_max") @JsonAlias("locMax") Double locMax,
            @JsonProperty("vel_min") @JsonAlias("velMin") Double velMin,
            @JsonProperty("vel_max") @JsonAlias("velMax") Double velMax) {
        return new Normaliser(orNaN(locMin), orNaN(locMax), orNaN(velMin), orNaN(velMax));
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
                && Double.compare(velMax, n.velMax) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(locMin, locMax, velMin, velMax);
    }

    @Override
    public String toString() {
        return "Normaliser[loc " + locMin + " .. " + locMax + ", vel " + velMin + " .. " + velMax + "]";
    }
}
