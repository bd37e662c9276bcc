package dev.nristream.model;

/**
 * Velocities of a position series on the model's frame grid, for feeds that carry none (motion capture): central
 * differences {@code (p[t+1] - p[t-1]) / (2 dt)}, one-sided at the two ends, in position units per second. The
 * motion-capture dataset builder derives its training velocities with this rule, which is the stream's rule for
 * windows of such feeds, so a model sees velocities made the same way in training and live.
 *
 * <pre>{@code
 * double[] vel = new double[pos.length];
 * FiniteDifferences.central(pos, vel, steps, 3, 1.0 / 30);   // pos, vel [step][dim]
 * }</pre>
 */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /**
     * @param pos positions {@code [steps][dims]}, flattened
     * @param vel output, same layout
     * @param dtSeconds time between grid steps
     * @throws IllegalArgumentException when there are fewer than two steps or the arrays are too short
     */
    public static void central(double[] pos, double[] vel, int steps, int dims, double dtSeconds) {
        if (steps < 2 || pos.length < steps * dims || vel.length < steps * dims || !(dtSeconds > 0)) {
            throw new IllegalArgumentException("finite differences need >= 2 steps, arrays of " + steps + " x " + dims
                    + " and dt > 0; got " + steps + " steps, " + pos.length + "/" + vel.length + " values, dt "
                    + dtSeconds);
        }
        for (int s = 0; s < steps; s++) {
            int lo = Math.max(0, s - 1);
            int hi = Math.min(steps - 1, s + 1);
            for (int k = 0; k < dims; k++) {
                vel[s * dims + k] = (pos[hi * dims + k] - pos[lo * dims + k]) / ((hi - lo) * dtSeconds);
            }
        }
    }

    /**
     * Per agent, {@link #central(double[], double[], int, int, double)} over a whole series.
     *
     * @param pos positions {@code [steps][dims][agents]}
     * @return velocities, same layout
     */
    public static double[][][] central(double[][][] pos, double dtSeconds) {
        int steps = pos.length;
        int dims = steps == 0 ? 0 : pos[0].length;
        int agents = steps == 0 ? 0 : pos[0][0].length;
        double[][][] vel = new double[steps][dims][agents];
        double[] p = new double[steps * dims];
        double[] v = new double[steps * dims];
        for (int a = 0; a < agents; a++) {
            for (int s = 0; s < steps; s++) {
                for (int d = 0; d < dims; d++) {
                    p[s * dims + d] = pos[s][d][a];
                }
            }
            central(p, v, steps, dims, dtSeconds);
            for (int s = 0; s < steps; s++) {
                for (int d = 0; d < dims; d++) {
                    vel[s][d][a] = v[s * dims + d];
                }
            }
        }
        return vel;
    }
}
