package dev.nristream.job.window;

/**
 * What {@link SceneWindower} keeps per scene: the raw frames still needed for the next window, sorted by event
 * time, and where the model's frame grid is anchored. A plain POJO so Flink can hold it in keyed state.
 */
public class SceneWindowState {
    /** Whether the first frame has arrived (and {@link #anchorMs} is set). */
    public boolean started;
    /** Event time of the scene's first frame: the model grid is {@code anchorMs + k * period}. */
    public long anchorMs;
    /** Grid index of the next window's last frame. */
    public long nextEndGrid;
    /** Raw frames, sorted by event time, oldest first. */
    public FrameSample[] frames = new FrameSample[0];
    /** Highest frame index evicted so far: anything at or below it arrived too late to be used. */
    public long maxEvictedIndex = Long.MIN_VALUE;
    /** Newest event time seen, ms. */
    public long maxEventTimeMs = Long.MIN_VALUE;
    /** Windows produced so far. */
    public long windows;

    public SceneWindowState() {
    }

    /** Number of raw frames held. */
    public int size() {
        return frames.length;
    }
}
