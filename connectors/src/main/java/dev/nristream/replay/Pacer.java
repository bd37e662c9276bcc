package dev.nristream.replay;

import java.util.function.LongSupplier;

/**
 * Waits so that frames leave at their timestamps' pace divided by the speed. The first frame anchors event time
 * to the wall clock; a jump back in time (a new scene, a new file) or forward by more than {@code maxGapMs} (a
 * half-time break) re-anchors instead of waiting. When the sink is slower than the pace, frames go out as fast as
 * possible and the schedule catches up without bursts of sleeping.
 */
final class Pacer {

    /** Waits for a number of nanoseconds; tests record the waits instead. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));

    private final Speed speed;
    private final long maxGapMs;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private boolean anchored;
    private long anchorNanos;
    private long anchorEventMs;
    private long lastEventMs;

    Pacer(Speed speed, long maxGapMs, LongSupplier nanoClock, Sleeper sleeper) {
        this.speed = speed;
        this.maxGapMs = maxGapMs;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** Blocks until the frame with this event time is due. */
    void await(long eventTimeMs) throws InterruptedException {
        if (speed.isMax()) {
            return;
        }
        long gap = eventTimeMs - lastEventMs;
        if (!anchored || gap < 0 || gap > maxGapMs) {
            anchored = true;
            anchorNanos = nanoClock.getAsLong();
            anchorEventMs = eventTimeMs;
            lastEventMs = eventTimeMs;
            return;
        }
        lastEventMs = eventTimeMs;
        long due = anchorNanos + (long) ((eventTimeMs - anchorEventMs) * 1_000_000.0 / speed.factor());
        long wait = due - nanoClock.getAsLong();
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
    }
}
