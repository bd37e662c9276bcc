package dev.nristream.replay;

import dev.nristream.avro.PositionFrame;

/**
 * Restamps a recorded feed's event times onto the replay's own timeline, which starts at an origin (normally the
 * moment the replay started) and only moves forward.
 *
 * <p>Why: the stream job keeps one watermark per Kafka partition across every scene on it. A recording keeps the
 * times it was made at (a CMU trial counts from 0 at its first frame, a SportVU game from its tip-off in 2016), so
 * beside a live feed on the same topic, or after an earlier trial on the same partition, all of its frames would be
 * behind the watermark and dead-lettered as late. On the replay's timeline a recording behaves as a live feed would.
 *
 * <p>Within a stretch of increasing times the recorded spacing is kept exactly (frames of several scenes with one
 * time keep sharing it). Where the recording jumps back (the next trial or file, the next loop pass) or forward by
 * more than the replay's maximum gap (a half-time break, which {@link Pacer} does not wait out either), the timeline
 * goes on one frame period after the last frame. At speed 1 the timeline therefore keeps pace with the wall clock.
 */
final class ReplayClock {

    private final java.util.function.LongSupplier origin;
    private final long maxGapMs;
    private boolean started;
    private long lastRecordedMs;
    private long lastStampedMs;

    /**
     * @param originEpochMs the first frame's new event time (a resumed replay passes its first run's origin, so the
     *     frames it sends carry the times they would have carried in one uninterrupted run)
     * @param maxGapMs a forward gap longer than this is closed to one frame period
     */
    ReplayClock(long originEpochMs, long maxGapMs) {
        this(() -> originEpochMs, maxGapMs);
    }

    /**
     * @param origin asked once, for the first frame's new event time: {@code System::currentTimeMillis} puts the
     *     first frame at the moment it is sent. An origin taken when the command started ran several seconds behind
     *     (JVM start, reading the recording, connecting the producer), by a different amount for every replay: in
     *     docker-compose the springs replay's frames came 2 s behind the mocap replay's on one partition and were all
     *     dead-lettered as late.
     */
    ReplayClock(java.util.function.LongSupplier origin, long maxGapMs) {
        this.origin = origin;
        this.maxGapMs = maxGapMs;
    }

    /** Sets the frame's event time to its place on the replay timeline; frames must come in feed order. */
    void restamp(PositionFrame f) {
        long recorded = f.getEventTimeMs();
        long stamped;
        if (!started) {
            started = true;
            stamped = origin.getAsLong();
        } else {
            long gap = recorded - lastRecordedMs;
            stamped = lastStampedMs + (gap < 0 || gap > maxGapMs ? framePeriodMs(f) : gap);
        }
        lastRecordedMs = recorded;
        lastStampedMs = stamped;
        f.setEventTimeMs(stamped);
    }

    private static long framePeriodMs(PositionFrame f) {
        double hz = f.getSamplingRateHz();
        return hz > 0 ? Math.max(1, Math.round(1000.0 / hz)) : 1;
    }
}
