package dev.nristream.replay;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import java.io.IOException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Plays a feed into a sink: paced by the frames' timestamps ({@link Speed}), optionally looped, with the scene id
 * optionally overridden, a progress line and an end summary. Bad input never stops a replay (the sources skip and
 * report it); a sink that cannot deliver does ({@link SinkException}).
 *
 * <p>With {@link Builder#withTimelineFrom} event times are moved onto the replay's own clock, as a live feed's
 * would be ({@link ReplayClock}): what a stream job beside live feeds needs. Each loop pass after the first shifts
 * event times by the previous passes' time span plus one frame and frame indexes by their index span, so every
 * scene's frames keep increasing in time and index across passes (a stream
 * job sees one long scene, not a scene that jumps back).
 *
 * <pre>{@code
 * ReplaySummary summary = Replay.builder()
 *         .setSource(problems -> SportVuGameReader.open(path, problems))
 *         .setSink(KafkaFrameSink.create(settings, registry, Topics.POSITIONS))
 *         .withSpeed(Speed.parse("10"))
 *         .withLoop(true)
 *         .build()
 *         .run();
 * System.err.println(summary.format());
 * }</pre>
 */
public final class Replay {

    /** A gap in event time longer than this (a half-time break) is not waited out at real-time speed. */
    public static final long DEFAULT_MAX_GAP_MS = 5_000;

    private final FrameSourceFactory factory;
    private final FrameSink sink;
    private final Speed speed;
    private final boolean loop;
    private final String sceneOverride;
    private final long maxFrames;
    private final long startPosition;
    private final ProgressLine progress;
    private final FeedProblems problems;
    private final Pacer pacer;
    private final LongSupplier nanoClock;
    private final ReplayClock clock;
    private boolean prepared;
    private volatile boolean stopRequested;
    private volatile FrameSource current;

    private Replay(Builder b) {
        this.factory = b.factory;
        this.sink = b.sink;
        this.speed = b.speed;
        this.loop = b.loop;
        this.sceneOverride = b.sceneOverride;
        this.maxFrames = b.maxFrames;
        this.startPosition = b.startPosition;
        this.progress = b.progress;
        this.problems = b.problems;
        this.nanoClock = b.nanoClock;
        this.pacer = new Pacer(b.speed, b.maxGapMs, b.nanoClock, b.sleeper);
        this.clock = b.timelineOrigin == null ? null : new ReplayClock(b.timelineOrigin, b.maxGapMs);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs until the feed ends (every pass, with loop: until stopped or the frame limit), then flushes the sink.
     *
     * @throws IOException when the feed cannot be opened (a missing file)
     * @throws SinkException when frames cannot be delivered
     */
    public ReplaySummary run() throws IOException {
        String sourceName = "?";
        long frames = 0;
        // Frames of the feed handled so far, over every pass: the ones a resumed replay skips, then the sent ones.
        long position = 0;
        int passes = 0;
        Set<String> scenes = new HashSet<>();
        long timeShift = 0;
        long indexShift = 0;
        progress.start();
        long start = nanoClock.getAsLong();
        try {
            while (!stopRequested && !limitReached(position)) {
                passes++;
                long minT = Long.MAX_VALUE;
                long maxT = Long.MIN_VALUE;
                long minI = Long.MAX_VALUE;
                long maxI = Long.MIN_VALUE;
                double rate = 0;
                try (FrameSource src = factory.open(problems)) {
                    current = src;
                    sourceName = src.description();
                    if (stopRequested) {
                        break;
                    }
                    while (!stopRequested && !limitReached(position) && src.hasNext()) {
                        PositionFrame f = src.next();
                        long t = f.getEventTimeMs();
                        long i = f.getFrameIndex();
                        minT = Math.min(minT, t);
                        maxT = Math.max(maxT, t);
                        minI = Math.min(minI, i);
                        maxI = Math.max(maxI, i);
                        rate = f.getSamplingRateHz();
                        if (passes > 1) {
                            f.setEventTimeMs(t + timeShift);
                            f.setFrameIndex(i + indexShift);
                        }
                        if (!prepared) {
                            prepared = true;
                            sink.prepare(f);
                        }
                        if (clock != null) {
                            clock.restamp(f);
                        }
                        if (sceneOverride != null) {
                            f.setSceneId(sceneOverride);
                        }
                        if (position < startPosition) {
                            // Sent and committed by an earlier run of this replay: read past it, unpaced.
                            position++;
                            continue;
                        }
                        pacer.await(f.getEventTimeMs());
                        sink.accept(f);
                        frames++;
                        position++;
                        scenes.add(f.getSceneId());
                        // A volatile read: stops at the first failed delivery instead of queueing more.
                        sink.checkHealthy();
                        sink.position(position);
                        if (progress.update(frames, problems::problemCount)) {
                            sink.tick();
                        }
                    }
                } finally {
                    current = null;
                }
                if (minT == Long.MAX_VALUE || !loop) {
                    break;
                }
                timeShift += maxT - minT + (rate > 0 ? Math.round(1000.0 / rate) : 1);
                indexShift += maxI - minI + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
        sink.flush();
        long elapsed = nanoClock.getAsLong() - start;
        progress.finish();
        return new ReplaySummary(sourceName, sink.describe(), frames, sink.delivered(), scenes.size(), passes,
                elapsed, problems.counts(), stopRequested, Math.min(startPosition, position));
    }

    private boolean limitReached(long position) {
        return maxFrames > 0 && position >= maxFrames;
    }

    /** Asks a running replay to stop after the current frame; unblocks a live source waiting for input. */
    public void stop() {
        stopRequested = true;
        FrameSource src = current;
        if (src != null) {
            src.close();
        }
    }

    public FeedProblems problems() {
        return problems;
    }

    /** Required: {@code setSource}, {@code setSink}; the rest defaults (real time, no loop, no limit). */
    public static final class Builder {
        private FrameSourceFactory factory;
        private FrameSink sink;
        private Speed speed = Speed.REAL_TIME;
        private boolean loop;
        private String sceneOverride;
        private long maxFrames;
        private long startPosition;
        private ProgressLine progress = ProgressLine.none();
        private FeedProblems problems;
        private long maxGapMs = DEFAULT_MAX_GAP_MS;
        private LongSupplier nanoClock = System::nanoTime;
        private Pacer.Sleeper sleeper = Pacer.THREAD_SLEEP;
        private java.util.function.LongSupplier timelineOrigin;

        public Builder setSource(FrameSourceFactory f) {
            this.factory = f;
            return this;
        }

        public Builder setSink(FrameSink s) {
            this.sink = s;
            return this;
        }

        public Builder withSpeed(Speed s) {
            this.speed = Objects.requireNonNull(s, "speed");
            return this;
        }

        public Builder withLoop(boolean l) {
            this.loop = l;
            return this;
        }

        /** All frames go to this scene id instead of the feed's; null keeps the feed's. */
        public Builder withSceneOverride(String s) {
            if (s != null && s.isBlank()) {
                throw new IllegalArgumentException("scene id must not be blank");
            }
            this.sceneOverride = s;
            return this;
        }

        /** Stops after this many frames; 0 for no limit. */
        public Builder withMaxFrames(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("frame limit must be >= 0, got " + n);
            }
            this.maxFrames = n;
            return this;
        }

        /**
         * Resumes a replay: the first {@code n} frames of the feed (counted over every pass, as {@link
         * FrameSink#position} reports them) were delivered by an earlier run, so they are read but not sent. With a
         * frame limit, the limit counts them too: the resumed run finishes the same replay.
         */
        public Builder withStartPosition(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("start position must be >= 0, got " + n);
            }
            this.startPosition = n;
            return this;
        }

        public Builder withProgress(ProgressLine p) {
            this.progress = Objects.requireNonNull(p, "progress");
            return this;
        }

        /** Where problems are collected; defaults to printing the first few of each kind to stderr. */
        public Builder withProblems(FeedProblems p) {
            this.problems = p;
            return this;
        }

        /**
         * Restamps event times onto the replay's own timeline, the first frame at {@code originEpochMs} (see {@link
         * ReplayClock}); without this the recorded times are sent as they are.
         */
        public Builder withTimelineFrom(long originEpochMs) {
            this.timelineOrigin = () -> originEpochMs;
            return this;
        }

        /**
         * Restamps event times onto the replay's own timeline with the first frame at the moment it is read for
         * sending (wall clock): recorded and simulated feeds replayed side by side then carry times as close to
         * each other as live feeds would, however long each took to start. A resumable replay, which must stamp
         * as its first run did, uses {@link #withTimelineFrom} with that run's origin instead.
         */
        public Builder withTimelineFromFirstFrame() {
            this.timelineOrigin = System::currentTimeMillis;
            return this;
        }

        public Builder withMaxGapMs(long ms) {
            this.maxGapMs = ms;
            return this;
        }

        Builder withClock(LongSupplier nanos, Pacer.Sleeper s) {
            this.nanoClock = nanos;
            this.sleeper = s;
            return this;
        }

        /** @throws IllegalStateException naming a missing required setting */
        public Replay build() {
            if (factory == null) {
                throw new IllegalStateException("replay: source is not set (setSource)");
            }
            if (sink == null) {
                throw new IllegalStateException("replay: sink is not set (setSink)");
            }
            if (problems == null) {
                problems = FeedProblems.printingTo(System.err::println);
            }
            return new Replay(this);
        }
    }
}
