package dev.nristream.demo;

import java.util.Arrays;

/**
 * Running mean of forecast errors per forecast step (1-based), from {@code nri.forecast-errors} records. Not
 * thread-safe.
 */
public final class StepErrors {

    private double[] sums = new double[0];
    private long[] counts = new long[0];

    /** Adds one step's error; non-finite errors are ignored (an agent without a prediction). */
    public void add(int step, double error) {
        if (step < 1 || !Double.isFinite(error)) {
            return;
        }
        if (step > sums.length) {
            sums = Arrays.copyOf(sums, step);
            counts = Arrays.copyOf(counts, step);
        }
        sums[step - 1] += error;
        counts[step - 1]++;
    }

    /** Highest step seen. */
    public int steps() {
        return sums.length;
    }

    /** Mean error of each step 1..{@link #steps()}, NaN where none was counted. */
    public double[] means() {
        double[] m = new double[sums.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
        }
        return m;
    }

    /** Errors counted per step. */
    public long[] counts() {
        return counts.clone();
    }

    /** Mean over every counted step, NaN when empty. */
    public double overallMean() {
        double s = 0;
        long n = 0;
        for (int i = 0; i < sums.length; i++) {
            s += sums[i];
            n += counts[i];
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
