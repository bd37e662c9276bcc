package dev.nristream.analytics;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of the analytics topology, typed, documented and defaulted here (and nowhere else).
 *
 * <pre>{@code
 * AnalyticsConfig cfg = AnalyticsConfig.builder()
 *         .withGrace(Duration.ofMillis(500))
 *         .withErrorWindow(Duration.ofMinutes(5))
 *         .build();
 * Topology topology = AnalyticsApp.build(cfg, serdes);
 * }</pre>
 *
 * <p>Event-time options ({@link #grace}, {@link #frameRetention}, {@link #errorWindow}, {@link #edgeStatsWindow})
 * are measured in each scene's own time (the {@code event_time_ms} of its frames, the window ends of its graphs),
 * never across scenes: recordings without a wall clock start their scene at 0. {@link #idleTimeout} and
 * {@link #punctuateInterval} are wall-clock.
 */
public final class AnalyticsConfig {

    /** Default {@link #grace}. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(1);
    /** Default {@link #frameRetention}. */
    public static final Duration DEFAULT_FRAME_RETENTION = Duration.ofSeconds(60);
    /** Default {@link #errorWindow}. */
    public static final Duration DEFAULT_ERROR_WINDOW = Duration.ofSeconds(60);
    /** Default {@link #edgeStatsWindow}. */
    public static final Duration DEFAULT_EDGE_STATS_WINDOW = Duration.ofSeconds(60);
    /** Default {@link #idleTimeout}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Default {@link #punctuateInterval}. */
    public static final Duration DEFAULT_PUNCTUATE_INTERVAL = Duration.ofSeconds(1);

    private final Duration matchTolerance;
    private final Duration grace;
    private final Duration frameRetention;
    private final Duration errorWindow;
    private final Duration edgeStatsWindow;
    private final Duration idleTimeout;
    private final Duration punctuateInterval;

    private AnalyticsConfig(Builder b) {
        this.matchTolerance = b.matchTolerance;
        this.grace = b.grace;
        this.frameRetention = b.frameRetention;
        this.errorWindow = b.errorWindow;
        this.edgeStatsWindow = b.edgeStatsWindow;
        this.idleTimeout = b.idleTimeout;
        this.punctuateInterval = b.punctuateInterval;
    }

    /** All defaults. */
    public static AnalyticsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Largest distance in time between a forecast step and the actual frame it is compared with. Empty (the
     * default): half the forecast's own step period, so each step matches the frame nearest to it and no frame
     * serves two steps.
     */
    public Optional<Duration> matchTolerance() {
        return Optional.ofNullable(matchTolerance);
    }

    /**
     * How long, in scene time, a forecast step waits for out-of-order frames after the last frame that could match
     * it. A step at time t is decided once the scene has a frame at or after t + tolerance + grace; frames arriving
     * later do not change its error.
     */
    public Duration grace() {
        return grace;
    }

    /**
     * How much scene time of frames is kept for matching forecasts that arrive after their frames (the Flink job
     * lags the feed). Must cover the job's lag plus the forecast horizon; forecasts older than this are counted
     * as late and dropped.
     */
    public Duration frameRetention() {
        return frameRetention;
    }

    /** Length of the rolling window of the per-scene forecast-error summary, by the steps' target times. */
    public Duration errorWindow() {
        return errorWindow;
    }

    /** Length of the rolling window of the edge-type counts, by the graphs' window end times. */
    public Duration edgeStatsWindow() {
        return edgeStatsWindow;
    }

    /**
     * Wall-clock time without records after which a scene counts as ended: its pending forecasts are decided with
     * the frames there are, and its frames and window buffers are dropped (the queryable latest graph and
     * statistics stay).
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How often (wall clock) ended scenes are looked for. */
    public Duration punctuateInterval() {
        return punctuateInterval;
    }

    /** Tolerance for a forecast with the given step period, in ms (at least 1). */
    long toleranceMs(double stepPeriodMs) {
        if (matchTolerance != null) {
            return matchTolerance.toMillis();
        }
        return Math.max(1L, (long) Math.floor(stepPeriodMs / 2.0));
    }

    @Override
    public String toString() {
        return "AnalyticsConfig{matchTolerance=" + (matchTolerance == null ? "half step period" : matchTolerance)
                + ", grace=" + grace + ", frameRetention=" + frameRetention + ", errorWindow=" + errorWindow
                + ", edgeStatsWindow=" + edgeStatsWindow + ", idleTimeout=" + idleTimeout
                + ", punctuateInterval=" + punctuateInterval + "}";
    }

    /** Builder; every option is optional and has the default documented on its getter. */
    public static final class Builder {
        private Duration matchTolerance;
        private Duration grace = DEFAULT_GRACE;
        private Duration frameRetention = DEFAULT_FRAME_RETENTION;
        private Duration errorWindow = DEFAULT_ERROR_WINDOW;
        private Duration edgeStatsWindow = DEFAULT_EDGE_STATS_WINDOW;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration punctuateInterval = DEFAULT_PUNCTUATE_INTERVAL;

        private Builder() {
        }

        public Builder withMatchTolerance(Duration d) {
            this.matchTolerance = nonNegative(d, "matchTolerance");
            return this;
        }

        public Builder withGrace(Duration d) {
            this.grace = nonNegative(d, "grace");
            return this;
        }

        public Builder withFrameRetention(Duration d) {
            this.frameRetention = positive(d, "frameRetention");
            return this;
        }

        public Builder withErrorWindow(Duration d) {
            this.errorWindow = positive(d, "errorWindow");
            return this;
        }

        public Builder withEdgeStatsWindow(Duration d) {
            this.edgeStatsWindow = positive(d, "edgeStatsWindow");
            return this;
        }

        public Builder withIdleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        public Builder withPunctuateInterval(Duration d) {
            this.punctuateInterval = positive(d, "punctuateInterval");
            return this;
        }

        /** @throws IllegalArgumentException when the frames kept cannot cover the grace period */
        public AnalyticsConfig build() {
            Duration needed = grace.plus(matchTolerance == null ? Duration.ZERO : matchTolerance.multipliedBy(2));
            if (frameRetention.compareTo(needed) <= 0) {
                throw new IllegalArgumentException("frameRetention (" + frameRetention
                        + ") must be longer than grace + 2 * matchTolerance (" + needed + ")");
            }
            return new AnalyticsConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, got " + d);
            }
            return d;
        }
    }
}
