package dev.nristream.job.window;

import dev.nristream.model.FrameGrid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a scene's frames into windows on the model's frame grid ({@link FrameGrid}: the same resampling as the
 * trainer's dataset path). Frames may arrive at any rate.
 * The window ending at grid step K = T-1 + m*stride is produced as soon as a frame at or after that step has
 * arrived; after a gap only the latest due window is produced.
 *
 * <pre>{@code
 * SceneWindower w = new SceneWindower(WindowSpec.forModel(spec, 10));
 * SceneWindowState state = new SceneWindowState();          // one per scene
 * SceneWindower.Result r = w.add(state, frame);
 * if (r.window() != null) { WindowFeatures f = features.build(r.window()); ... }
 * }</pre>
 *
 * <p>Stateless itself: everything per scene is in {@link SceneWindowState}, so one instance serves all scenes.
 */
public final class SceneWindower {

    /** What happened to a frame. */
    public enum Outcome {
        /** Kept. */
        ACCEPTED,
        /** A frame with the same index is already held: dropped. */
        DUPLICATE,
        /** Older than every frame still needed (at or below an evicted frame index): dropped. */
        STALE,
        /**
         * Its event time goes the other way from its index against a held frame (a later index, an earlier time,
         * or the reverse): the scene's clock went backwards; dropped, the held frames stay as they are.
         */
        TIME_BACKWARDS
    }

    /**
     * @param outcome what happened to the frame
     * @param window the window this frame completed, or null
     */
    public record Result(Outcome outcome, ResampledWindow window) {
    }

    private final WindowSpec spec;

    public SceneWindower(WindowSpec spec) {
        this.spec = spec;
    }

    public WindowSpec spec() {
        return spec;
    }

    /** Adds a frame to the scene's state and returns the window it completes, if any. */
    public Result add(SceneWindowState s, FrameSample f) {
        int t = spec.windowLength();
        if (!s.started) {
            s.started = true;
            s.anchorMs = f.eventTimeMs;
            s.nextEndGrid = t - 1;
        }
        for (FrameSample held : s.frames) {
            if (held.frameIndex == f.frameIndex) {
                return new Result(Outcome.DUPLICATE, null);
            }
            if ((held.frameIndex < f.frameIndex && held.eventTimeMs > f.eventTimeMs)
                    || (held.frameIndex > f.frameIndex && held.eventTimeMs < f.eventTimeMs)) {
                return new Result(Outcome.TIME_BACKWARDS, null);
            }
        }
        if (f.frameIndex <= s.maxEvictedIndex) {
            return new Result(Outcome.STALE, null);
        }
        insertSorted(s, f);
        s.maxEventTimeMs = Math.max(s.maxEventTimeMs, f.eventTimeMs);

        ResampledWindow window = null;
        double newestGrid = (s.maxEventTimeMs - s.anchorMs + spec.toleranceMs()) / spec.periodMs();
        long m = (long) Math.floor((newestGrid - (t - 1)) / spec.stride());
        if (m >= 0) {
            long due = (t - 1) + m * spec.stride();
            if (due >= s.nextEndGrid) {
                window = resample(s, due);
                s.nextEndGrid = due + spec.stride();
                s.windows++;
            }
        }
        evict(s);
        return new Result(Outcome.ACCEPTED, window);
    }

    private double gridTime(SceneWindowState s, long k) {
        return spec.grid().time(s.anchorMs, k);
    }

    private static void insertSorted(SceneWindowState s, FrameSample f) {
        FrameSample[] old = s.frames;
        int pos = old.length;
        while (pos > 0 && (old[pos - 1].eventTimeMs > f.eventTimeMs
                || (old[pos - 1].eventTimeMs == f.eventTimeMs && old[pos - 1].frameIndex > f.frameIndex))) {
            pos--;
        }
        FrameSample[] n = new FrameSample[old.length + 1];
        System.arraycopy(old, 0, n, 0, pos);
        n[pos] = f;
        System.arraycopy(old, pos, n, pos + 1, old.length - pos);
        s.frames = n;
    }

    // Keeps the frames the next window can use: those from its first grid step on, plus the last one before it
    // (needed to interpolate that first step).
    private void evict(SceneWindowState s) {
        double firstNeeded = gridTime(s, s.nextEndGrid - (spec.windowLength() - 1)) - spec.toleranceMs();
        int firstKept = 0;
        while (firstKept < s.frames.length && s.frames[firstKept].eventTimeMs < firstNeeded) {
            firstKept++;
        }
        firstKept = Math.max(0, firstKept - 1);
        if (firstKept > 0) {
            for (int i = 0; i < firstKept; i++) {
                s.maxEvictedIndex = Math.max(s.maxEvictedIndex, s.frames[i].frameIndex);
            }
            s.frames = Arrays.copyOfRange(s.frames, firstKept, s.frames.length);
        }
    }

    /** The window whose last grid step is {@code endGrid}, from the frames held now. */
    ResampledWindow resample(SceneWindowState s, long endGrid) {
        int t = spec.windowLength();
        int dims = s.frames[s.frames.length - 1].dims;
        Map<String, double[][]> agents = new LinkedHashMap<>(); // id -> {pos, vel}
        FrameSample[] fr = s.frames;
        long[] times = new long[fr.length];
        for (int i = 0; i < fr.length; i++) {
            times[i] = fr[i].eventTimeMs;
        }
        FrameGrid grid = spec.grid();
        int scan = 0;
        long startFrame = -1;
        long endFrame = -1;
        for (int step = 0; step < t; step++) {
            double g = gridTime(s, endGrid - (t - 1) + step);
            FrameGrid.Bracket b = grid.bracket(times, fr.length, scan, g);
            scan = b.scan();
            FrameSample before = b.before() < 0 ? null : fr[b.before()];
            FrameSample after = b.after() < 0 ? null : fr[b.after()];
            FrameSample nearest = nearest(before, after, g);
            if (nearest != null) {
                if (step == 0) {
                    startFrame = nearest.frameIndex;
                }
                if (step == t - 1) {
                    endFrame = nearest.frameIndex;
                }
            }
            if (!b.usable()) {
                continue; // no frame close enough on both sides of this grid step: every agent is missing here
            }
            double w = b.weight();
            for (int i = 0; i < before.agentIds.length; i++) {
                String id = before.agentIds[i];
                int j = after == before ? i : after.indexOf(id);
                if (j < 0) {
                    continue;
                }
                double[][] pv = agents.computeIfAbsent(id, k -> newSeries(t, dims));
                for (int d = 0; d < dims; d++) {
                    double p0 = before.positions[i * dims + d];
                    double p1 = after.positions[j * dims + d];
                    pv[0][step * dims + d] = FrameGrid.interpolate(p0, p1, w);
                    if (before.velocities != null && after.velocities != null) {
                        double v0 = before.velocities[i * dims + d];
                        double v1 = after.velocities[j * dims + d];
                        pv[1][step * dims + d] = FrameGrid.interpolate(v0, v1, w); // NaN stays NaN
                    }
                }
            }
        }
        List<String> ids = new ArrayList<>(agents.keySet());
        List<double[]> pos = new ArrayList<>(ids.size());
        List<double[]> vel = new ArrayList<>(ids.size());
        for (double[][] pv : agents.values()) {
            pos.add(pv[0]);
            vel.add(pv[1]);
        }
        return new ResampledWindow(t, Math.round(gridTime(s, endGrid - (t - 1))), Math.round(gridTime(s, endGrid)),
                startFrame, endFrame, dims, ids, pos, vel);
    }

    private static FrameSample nearest(FrameSample before, FrameSample after, double g) {
        if (before == null) {
            return after;
        }
        if (after == null) {
            return before;
        }
        return Math.abs(before.eventTimeMs - g) <= Math.abs(after.eventTimeMs - g) ? before : after;
    }

    private static double[][] newSeries(int t, int dims) {
        double[] p = new double[t * dims];
        double[] v = new double[t * dims];
        Arrays.fill(p, Double.NaN);
        Arrays.fill(v, Double.NaN);
        return new double[][] {p, v};
    }
}
