package dev.nristream.job.window;

import dev.nristream.model.FrameGrid;
import dev.nristream.model.ModelSpec;

/**
 * How frames become windows: T frames on a grid of the model's period, a new window every {@code stride} grid
 * steps, and how much missing data a node may have.
 *
 * <pre>{@code
 * WindowSpec ws = WindowSpec.forModel(spec, 10); // T and period from model.json, a window every 10 frames
 * }</pre>
 *
 * @param windowLength T
 * @param periodMs the model's frame period, ms
 * @param stride grid steps between the ends of consecutive windows (>= 1)
 * @param maxMissingFraction an agent missing in more than this fraction of the T frames is left out (default 0.25)
 * @param maxTrailingMissing an agent missing in more than this many of the last frames has left and is left out
 *     (default 2)
 */
public record WindowSpec(int windowLength, double periodMs, int stride, double maxMissingFraction,
        int maxTrailingMissing) {

    /** Default {@link #maxMissingFraction}. */
    public static final double DEFAULT_MAX_MISSING_FRACTION = 0.25;
    /** Default {@link #maxTrailingMissing}. */
    public static final int DEFAULT_MAX_TRAILING_MISSING = 2;

    public WindowSpec {
        if (windowLength < 2) {
            throw new IllegalArgumentException("window length must be >= 2, got " + windowLength);
        }
        if (!(periodMs > 0) || Double.isInfinite(periodMs)) {
            throw new IllegalArgumentException("period must be a positive number of ms, got " + periodMs);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        if (!(maxMissingFraction >= 0 && maxMissingFraction < 1)) {
            throw new IllegalArgumentException("maxMissingFraction must be in [0, 1), got " + maxMissingFraction);
        }
        if (maxTrailingMissing < 0) {
            throw new IllegalArgumentException("maxTrailingMissing must be >= 0, got " + maxTrailingMissing);
        }
    }

    /** T and period from the model, default tolerances for missing data. */
    public static WindowSpec forModel(ModelSpec spec, int stride) {
        return new WindowSpec(spec.windowLength(), spec.periodMs(), stride, DEFAULT_MAX_MISSING_FRACTION,
                DEFAULT_MAX_TRAILING_MISSING);
    }

    /** The model's frame grid, shared with the trainer's dataset path. */
    public FrameGrid grid() {
        return new FrameGrid(periodMs);
    }

    /** See {@link FrameGrid#maxInterpolationGapMs()}. */
    public double maxInterpolationGapMs() {
        return grid().maxInterpolationGapMs();
    }

    /** See {@link FrameGrid#toleranceMs()}. */
    public double toleranceMs() {
        return grid().toleranceMs();
    }
}
