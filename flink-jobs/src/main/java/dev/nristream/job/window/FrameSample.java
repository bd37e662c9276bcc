package dev.nristream.job.window;

import java.util.Arrays;

/**
 * One frame of one scene as the windowing needs it: agent ids and their positions (and velocities when the feed
 * measures them), flat per agent. A plain mutable POJO so that Flink keeps it in keyed state with its POJO
 * serializer (public fields, no-arg constructor).
 *
 * <pre>{@code
 * FrameSample f = FrameSample.of(12, 1200, 2, new String[] {"p0", "p1"}, new double[] {0, 1, 2, 3}, null);
 * }</pre>
 */
public class FrameSample {
    /** Frame number within the scene. */
    public long frameIndex;
    /** Event time, ms. */
    public long eventTimeMs;
    /** Spatial dimensions, 2 or 3. */
    public int dims;
    /** Agent ids, in the feed's order. */
    public String[] agentIds;
    /** Positions, flat [agent][dim]. */
    public double[] positions;
    /** Velocities per second, flat [agent][dim], NaN where unknown; null when the feed has none. */
    public double[] velocities;

    public FrameSample() {
    }

    /** Builds a frame, checking that the arrays fit {@code ids.length * dims}. */
    public static FrameSample of(long frameIndex, long eventTimeMs, int dims, String[] ids, double[] positions,
            double[] velocities) {
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("dims must be 2 or 3, got " + dims);
        }
        if (positions.length != ids.length * dims) {
            throw new IllegalArgumentException("positions has " + positions.length + " values for " + ids.length
                    + " agents in " + dims + "D");
        }
        if (velocities != null && velocities.length != positions.length) {
            throw new IllegalArgumentException("velocities has " + velocities.length + " values, positions "
                    + positions.length);
        }
        FrameSample f = new FrameSample();
        f.frameIndex = frameIndex;
        f.eventTimeMs = eventTimeMs;
        f.dims = dims;
        f.agentIds = ids;
        f.positions = positions;
        f.velocities = velocities;
        return f;
    }

    /**
     * This frame with only its first {@code d} coordinate axes (positions and velocities), for a model that reads
     * fewer axes than the feed carries; this frame itself when it has {@code d}.
     */
    public FrameSample firstAxes(int d) {
        if (d == dims) {
            return this;
        }
        if (d < 1 || d > dims) {
            throw new IllegalArgumentException("cannot keep " + d + " of " + dims + " axes");
        }
        int n = agentIds.length;
        double[] p = new double[n * d];
        double[] v = velocities == null ? null : new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(positions, i * dims, p, i * d, d);
            if (v != null) {
                System.arraycopy(velocities, i * dims, v, i * d, d);
            }
        }
        return of(frameIndex, eventTimeMs, d, agentIds, p, v);
    }

    /** The first agent whose z is unknown (NaN) in a 3D frame, or null. */
    public String firstWithoutZ() {
        if (dims == 3) {
            for (int i = 0; i < agentIds.length; i++) {
                if (Double.isNaN(positions[i * 3 + 2])) {
                    return agentIds[i];
                }
            }
        }
        return null;
    }

    /** Number of agents. */
    public int agentCount() {
        return agentIds.length;
    }

    /** Row of {@code id}, or -1. */
    public int indexOf(String id) {
        for (int i = 0; i < agentIds.length; i++) {
            if (agentIds[i].equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "FrameSample{frame=" + frameIndex + ", t=" + eventTimeMs + ", agents=" + Arrays.toString(agentIds) + "}";
    }
}
