package dev.nristream.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Cutting a recorded series ({@code [step][axis][agent]}) into the fixed-length samples of the particle layout:
 * the one rule the motion-capture and basketball dataset builders share.
 *
 * <pre>{@code
 * for (int from : Segments.starts(series.length, 60, 11)) {
 *     writer.write(Segments.flatten(positions, from, 60), Segments.flatten(velocities, from, 60), edges);
 * }
 * }</pre>
 */
public final class Segments {

    private Segments() {
    }

    /**
     * Starts of the segments of a series: every {@code hop} steps while a segment fits, and one more ending at the
     * series' last step so no frame is left out.
     */
    public static List<Integer> starts(int length, int segment, int hop) {
        if (segment < 1 || hop < 1) {
            throw new IllegalArgumentException("segment and hop must be positive, got " + segment + " and " + hop);
        }
        List<Integer> starts = new ArrayList<>();
        if (length < segment) {
            return starts;
        }
        for (int s = 0; s + segment <= length; s += hop) {
            starts.add(s);
        }
        int last = length - segment;
        if (starts.get(starts.size() - 1) != last) {
            starts.add(last);
        }
        return starts;
    }

    /** Steps {@code [from, from + steps)} of a {@code [step][axis][agent]} series, flattened in that order. */
    public static double[] flatten(double[][][] series, int from, int steps) {
        int dims = series[0].length;
        int agents = series[0][0].length;
        double[] out = new double[steps * dims * agents];
        int o = 0;
        for (int s = from; s < from + steps; s++) {
            for (int d = 0; d < dims; d++) {
                System.arraycopy(series[s][d], 0, out, o, agents);
                o += agents;
            }
        }
        return out;
    }
}
