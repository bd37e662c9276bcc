package dev.nristream.job.graph;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The inference operator's load-shedding policy: when windows reach inference later than they should, first drop
 * the forecasts (the rollout is about half a window's cost), then lengthen every scene's stride by doubling it
 * (2x, 4x, ... up to {@code maxStrideFactor}); when the lag has stayed low for a while, undo one step at a time.
 *
 * <p>The signal is a window's <em>excess lag</em>: processing time at arrival minus the window's last event time,
 * minus a baseline: the smallest such lag seen for its scene, but for a live feed (that smallest lag under
 * {@link #LIVE_LAG_MS}) at most half of {@code lagLimitMs}. Live feeds (event time = wall time) then see their real
 * lag, even when their first windows were already late (a job started into a backlog, or overloaded from the
 * start, would otherwise learn the backlog as normal and publish it forever); replays of recorded data, whose event
 * times are hours or years old, see only the growth of it, so a replay is never shed for being old. Steps are taken at most once per {@code lagLimitMs} of processing time (so a step's
 * effect shows before the next), up when a window's excess lag is over {@code lagLimitMs}, down after
 * {@code lagLimitMs} with every window under a quarter of it.
 *
 * <p>Stale windows: a window whose excess lag is over {@link #STALE_FACTOR} x {@code lagLimitMs} is dropped
 * whatever the level (oldest first: the backlog is cut from its old end, and the latency of what is published
 * stays bounded while the stride catches up with the load).
 *
 * <p>Stride: with factor f, a window is run only when it ends at least (f - 1/2) x {@code baseStrideMs} of event
 * time after the last window run for its scene (the half absorbs the jitter of window ends on the frame grid); the
 * others are dropped (oldest first, since they come in order) and counted. Each window run carries the event time
 * since its scene's previous window run ({@link #admit}), published as {@code stride_ms}.
 *
 * <pre>{@code
 * LoadShedder shed = new LoadShedder(1000, 8);
 * shed.observe(scene, nowMs - window.endTimeMs, nowMs);
 * long strideMs = shed.admit(scene, window.endTimeMs, baseStrideMs);   // -1: drop
 * boolean forecast = shed.forecasts();
 * }</pre>
 *
 * <p>Not thread-safe; one per operator instance. Not checkpointed: after a restart it starts at level 0.
 */
public final class LoadShedder {
    /** Windows later than this multiple of the lag limit (excess lag) are dropped as stale. */
    public static final double STALE_FACTOR = 1.5;
    /** A scene whose smallest lag is under this is live (event time = wall time, give or take clock skew). */
    public static final long LIVE_LAG_MS = 60_000;

    /** Levels: 0 normal, 1 no forecasts, 2.. stride factor 2^(level-1). */
    private final long lagLimitMs;
    private final int maxLevel;
    private int level;
    private long lastStepMs = Long.MIN_VALUE / 2;
    private long calmSinceMs = -1;
    private final Map<String, SceneTrack> scenes = new HashMap<>();
    private long windowsShed;
    private long forecastsShed;

    private static final class SceneTrack {
        long minLagMs = Long.MAX_VALUE;
        long lastEndMs = Long.MIN_VALUE;
        long lastSeenMs;
        long lastExcessMs;
    }

    /**
     * @param lagLimitMs excess lag that starts shedding, ms; 0 disables shedding
     * @param maxStrideFactor largest stride multiple (a power of two >= 1)
     */
    public LoadShedder(long lagLimitMs, int maxStrideFactor) {
        if (lagLimitMs < 0) {
            throw new IllegalArgumentException("lag limit must be >= 0 ms, got " + lagLimitMs);
        }
        if (maxStrideFactor < 1 || Integer.bitCount(maxStrideFactor) != 1) {
            throw new IllegalArgumentException("max stride factor must be a power of two >= 1, got " + maxStrideFactor);
        }
        this.lagLimitMs = lagLimitMs;
        this.maxLevel = 1 + Integer.numberOfTrailingZeros(maxStrideFactor);
    }

    /** Records one window's arrival (call before {@link #admit} for it) and steps the level up or down. */
    public void observe(String scene, long lagMs, long nowMs) {
        SceneTrack t = scenes.computeIfAbsent(scene, s -> new SceneTrack());
        t.lastSeenMs = nowMs;
        t.minLagMs = Math.min(t.minLagMs, lagMs);
        long baseline = t.minLagMs < LIVE_LAG_MS ? Math.min(t.minLagMs, lagLimitMs / 2) : t.minLagMs;
        long excess = lagMs - baseline;
        t.lastExcessMs = excess;
        if (lagLimitMs == 0) {
            return;
        }
        if (excess > lagLimitMs) {
            calmSinceMs = -1;
            if (level < maxLevel && nowMs - lastStepMs >= lagLimitMs) {
                level++;
                lastStepMs = nowMs;
            }
        } else if (excess < lagLimitMs / 4) {
            if (calmSinceMs < 0) {
                calmSinceMs = nowMs;
            } else if (level > 0 && nowMs - calmSinceMs >= lagLimitMs && nowMs - lastStepMs >= lagLimitMs) {
                level--;
                lastStepMs = nowMs;
                calmSinceMs = nowMs;
            }
        } else {
            calmSinceMs = -1;
        }
    }

    /**
     * Whether to run a window, and its stride.
     *
     * @return event time since the scene's previous window run, ms ({@code baseStrideMs} for its first), or -1 when
     *     the window is dropped
     */
    public long admit(String scene, long endTimeMs, long baseStrideMs) {
        SceneTrack t = scenes.computeIfAbsent(scene, s -> new SceneTrack());
        boolean first = t.lastEndMs == Long.MIN_VALUE;
        long gap = first ? baseStrideMs : endTimeMs - t.lastEndMs;
        int f = strideFactor();
        boolean stale = lagLimitMs > 0 && t.lastExcessMs > STALE_FACTOR * lagLimitMs;
        if (stale || !first && f > 1 && 2 * gap < (2L * f - 1) * baseStrideMs) {
            windowsShed++;
            return -1;
        }
        t.lastEndMs = endTimeMs;
        if (!forecasts()) {
            forecastsShed++;
        }
        return gap;
    }

    /** Forgets scenes not seen for {@code idleMs} (their state would otherwise grow with every scene ever seen). */
    public void expire(long nowMs, long idleMs) {
        for (Iterator<SceneTrack> it = scenes.values().iterator(); it.hasNext(); ) {
            if (nowMs - it.next().lastSeenMs > idleMs) {
                it.remove();
            }
        }
    }

    /** Whether windows run now get a forecast. */
    public boolean forecasts() {
        return level == 0;
    }

    /** The current stride multiple: 1, 2, 4, ... */
    public int strideFactor() {
        return level <= 1 ? 1 : 1 << (level - 1);
    }

    /** 0 normal, 1 forecasts dropped, 2 and up: stride factor 2^(level - 1) as well. */
    public int level() {
        return level;
    }

    public long windowsShed() {
        return windowsShed;
    }

    public long forecastsShed() {
        return forecastsShed;
    }

    /** Scenes tracked now. */
    public int scenes() {
        return scenes.size();
    }
}
