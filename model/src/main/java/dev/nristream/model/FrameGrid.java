package dev.nristream.model;

/**
 * The model's frame grid and how a recording at any rate is put on it, declared once: the stream's windower and
 * the trainer's dataset path both resample through this class, so a 25 Hz feed reaches a 10 Hz model with the
 * same numbers in training and in the stream.
 *
 * <p>Grid step k of a scene lies at {@code anchor + k * period} (anchor: the scene's first frame). A step within
 * {@link #toleranceMs()} of a frame takes that frame as is; one between two frames is linearly interpolated, so
 * faster feeds are decimated and slower ones interpolated; a step inside a gap longer than
 * {@link #maxInterpolationGapMs()} has no data, so a stalled feed is never bridged by a straight line.
 *
 * <pre>{@code
 * FrameGrid grid = new FrameGrid(spec.periodMs());
 * FrameGrid.Bracket b = grid.bracket(timesMs, count, 0, grid.time(anchorMs, k));
 * if (b.usable()) { double x = FrameGrid.interpolate(x0[b.before()], x1[b.after()], b.weight()); }
 * }</pre>
 */
public final class FrameGrid {

    private final double periodMs;

    /** @param periodMs the model's frame period (1000 / sampling rate) */
    public FrameGrid(double periodMs) {
        if (!(periodMs > 0) || Double.isInfinite(periodMs)) {
            throw new IllegalArgumentException("period must be a positive number of ms, got " + periodMs);
        }
        this.periodMs = periodMs;
    }

    public double periodMs() {
        return periodMs;
    }

    /** How close (ms) a frame must be to a grid time to be taken as is rather than interpolated. */
    public double toleranceMs() {
        return Math.min(1.0, periodMs / 4);
    }

    /**
     * The longest stretch between two frames (ms) that a grid step may be interpolated across: four model
     * periods.
     */
    public double maxInterpolationGapMs() {
        return 4 * periodMs;
    }

    /** Event time (ms) of grid step {@code step} of a scene anchored at {@code anchorMs}. */
    public double time(double anchorMs, long step) {
        return anchorMs + step * periodMs;
    }

    /**
     * Where grid time {@code g} falls among frames sorted by time.
     *
     * @param scan index of the last frame at or before {@code g} (within tolerance), or the first frame when none
     *     is; pass it as {@code from} for the next, later grid time
     * @param before the frame at or before {@code g}, or -1
     * @param after the frame at or after {@code g} (== before when a frame lies on {@code g}), or -1
     * @param weight weight of {@code after} in the interpolation (0 when before == after)
     * @param usable both frames exist and are at most {@link #maxInterpolationGapMs()} apart
     */
    public record Bracket(int scan, int before, int after, double weight, boolean usable) {
    }

    /**
     * Brackets grid time {@code g} in the first {@code count} of {@code timesMs} (ascending), scanning from index
     * {@code from} (0, or the previous bracket's {@link Bracket#scan()} for increasing grid times).
     */
    public Bracket bracket(long[] timesMs, int count, int from, double g) {
        if (count <= 0) {
            return new Bracket(0, -1, -1, 0, false);
        }
        double tol = toleranceMs();
        int a = Math.max(0, Math.min(from, count - 1));
        while (a + 1 < count && timesMs[a + 1] <= g + tol) {
            a++;
        }
        int before = timesMs[a] <= g + tol ? a : -1;
        int after = -1;
        if (before >= 0 && Math.abs(timesMs[before] - g) <= tol) {
            after = before;
        } else {
            int b = before < 0 ? a : a + 1;
            if (b < count && timesMs[b] >= g - tol) {
                after = b;
            }
        }
        if (before < 0 || after < 0) {
            return new Bracket(a, before, after, 0, false);
        }
        boolean usable = timesMs[after] - timesMs[before] <= maxInterpolationGapMs();
        double w = after == before ? 0 : (g - timesMs[before]) / (double) (timesMs[after] - timesMs[before]);
        return new Bracket(a, before, after, w, usable);
    }

    /** The value at a grid step between {@code v0} (weight 1 - w) and {@code v1}; NaN stays NaN. */
    public static double interpolate(double v0, double v1, double w) {
        return v0 + w * (v1 - v0);
    }
}
