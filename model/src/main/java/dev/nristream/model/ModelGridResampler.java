package dev.nristream.model;

import java.util.Arrays;

/**
 * Puts a whole recording (frames at the feed's rate: 25 Hz tracking, 120 Hz motion capture) on the model's frame
 * grid before it becomes training data, through {@link FrameGrid}, the resampling the stream's windower uses: a
 * model trained on resampled recordings sees in the stream exactly the inputs it was trained on.
 *
 * <p>Arrays are in the dataset layout {@code [frame][dim][agent]} (see {@link DatasetLayout}), any number of
 * dimensions (2D tracking, 3D motion capture) and agents. Grid steps run from the first frame to the last; a step
 * with no usable frames around it (a gap longer than {@link FrameGrid#maxInterpolationGapMs()}) is NaN, which the
 * dataset validator refuses, naming the index. Feeds without velocities (motion capture) pass none and derive them
 * on the grid ({@link FiniteDifferences}). It lives beside {@link FrameGrid} so every dataset builder (the trainer's,
 * the motion-capture feed's) resamples the one way the stream does.
 *
 * <pre>{@code
 * ModelGridResampler.Resampled r = new ModelGridResampler(new FrameGrid(1000.0 / 30)).resample(timesMs, loc, null);
 * double[][][] onGrid = r.loc();   // [step][dim][agent]
 * }</pre>
 */
public final class ModelGridResampler {

    /**
     * @param loc positions per grid step, {@code [step][dim][agent]}
     * @param vel velocities per grid step, same layout; null when the recording had none
     */
    public record Resampled(double[][][] loc, double[][][] vel) {
        public int steps() {
            return loc.length;
        }
    }

    private final FrameGrid grid;

    public ModelGridResampler(FrameGrid grid) {
        this.grid = grid;
    }

    /**
     * @param timesMs event time of each frame, ascending
     * @param loc positions {@code [frame][dim][agent]}
     * @param vel velocities, same layout, or null for a recording without them
     * @throws IllegalArgumentException when the arrays disagree in length or the times are not ascending
     */
    public Resampled resample(long[] timesMs, double[][][] loc, double[][][] vel) {
        int frames = timesMs.length;
        if (loc.length != frames || (vel != null && vel.length != frames)) {
            throw new IllegalArgumentException("recording has " + frames + " times but " + loc.length
                    + " position and " + (vel == null ? 0 : vel.length) + " velocity frames");
        }
        if (frames == 0) {
            return new Resampled(new double[0][][], vel == null ? null : new double[0][][]);
        }
        for (int f = 1; f < frames; f++) {
            if (timesMs[f] < timesMs[f - 1]) {
                throw new IllegalArgumentException("frame " + f + " is earlier (" + timesMs[f] + " ms) than frame "
                        + (f - 1) + " (" + timesMs[f - 1] + " ms)");
            }
        }
        int dims = loc[0].length;
        int agents = loc[0][0].length;
        double anchor = timesMs[0];
        int steps = (int) Math.floor((timesMs[frames - 1] - anchor + grid.toleranceMs()) / grid.periodMs()) + 1;
        double[][][] outLoc = new double[steps][dims][agents];
        double[][][] outVel = vel == null ? null : new double[steps][dims][agents];
        int scan = 0;
        for (int k = 0; k < steps; k++) {
            FrameGrid.Bracket b = grid.bracket(timesMs, frames, scan, grid.time(anchor, k));
            scan = b.scan();
            for (int d = 0; d < dims; d++) {
                if (!b.usable()) {
                    Arrays.fill(outLoc[k][d], Double.NaN);
                    if (outVel != null) {
                        Arrays.fill(outVel[k][d], Double.NaN);
                    }
                    continue;
                }
                for (int i = 0; i < agents; i++) {
                    outLoc[k][d][i] = FrameGrid.interpolate(loc[b.before()][d][i], loc[b.after()][d][i], b.weight());
                    if (outVel != null) {
                        outVel[k][d][i] = FrameGrid.interpolate(vel[b.before()][d][i], vel[b.after()][d][i],
                                b.weight());
                    }
                }
            }
        }
        return new Resampled(outLoc, outVel);
    }
}
