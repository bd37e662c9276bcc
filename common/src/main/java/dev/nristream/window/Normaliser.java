package dev.nristream.window;

import dev.nristream.model.ModelSpec;

/**
 * The model's feature scaling to [-1, 1] and back (the NRI paper's global min/max scaling), positions and
 * velocities each with their own constants from {@code model.json}.
 *
 * <pre>{@code
 * Normaliser n = Normaliser.of(spec);
 * float x = n.loc(12.5);         // feed units -> [-1, 1]
 * double back = n.unLoc(x);      // and back
 * }</pre>
 */
public record Normaliser(double locMin, double locMax, double velMin, double velMax) {

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

    /** The constants of {@code spec}; velocity constants default to the position ones when absent. */
    public static Normaliser of(ModelSpec spec) {
        ModelSpec.Normalisation n = spec.normalisation();
        double vmin = n.velMin() == null ? n.locMin() : n.velMin();
        double vmax = n.velMax() == null ? n.locMax() : n.velMax();
        return new Normaliser(n.locMin(), n.locMax(), vmin, vmax);
    }

    public float loc(double v) {
        return (float) ((v - locMin) * 2 / (locMax - locMin) - 1);
    }

    public float vel(double v) {
        return (float) ((v - velMin) * 2 / (velMax - velMin) - 1);
    }

    public double unLoc(float v) {
        return (v + 1.0) * (locMax - locMin) / 2 + locMin;
    }

    public double unVel(float v) {
        return (v + 1.0) * (velMax - velMin) / 2 + velMin;
    }
}
