package dev.nristream.trainer.data;

/**
 * The paper's global min/max scaling of positions and velocities to [-1, 1], with constants from the training
 * split (x' = 2 (x - min) / (max - min) - 1). Stored in model.json so the stream applies the same scaling.
 */
public record Normalisation(double locMin, double locMax, double velMin, double velMax) {
    public Normalisation {
        if (!(locMax > locMin) || !(velMax > velMin)) {
            throw new IllegalArgumentException("normalisation needs max > min, got loc [" + locMin + ", " + locMax
                    + "], vel [" + velMin + ", " + velMax + "]");
        }
    }

    public double loc(double v) {
        return 2 * (v - locMin) / (locMax - locMin) - 1;
    }

    public double vel(double v) {
        return 2 * (v - velMin) / (velMax - velMin) - 1;
    }

    /** Global min and max over every element of the given position and velocity arrays. */
    public static Normalisation of(double[] loc, double[] vel) {
        return new Normalisation(min(loc), max(loc), min(vel), max(vel));
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
}
