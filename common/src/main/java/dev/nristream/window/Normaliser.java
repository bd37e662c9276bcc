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
