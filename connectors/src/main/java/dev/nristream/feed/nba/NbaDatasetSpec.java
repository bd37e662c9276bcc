package dev.nristream.feed.nba;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link NbaDataset} writes. Defaults are the ones {@code models/README.md} trains {@code nba} with.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>Rate: the source's 5 Hz. A segment of {@value #DEFAULT_SEGMENT} steps is 5 s of a possession, the length
 *       the paper's basketball experiment uses; the encoder sees its first 17 steps (3.4 s) and the decoder
 *       forecasts the rest.
 *   <li>Split by time, never by segment: the plays are in game order, the first {@value #DEFAULT_TRAIN_PERCENT}% of
 *       them train, the next {@value #DEFAULT_VALID_PERCENT}% validate, the rest test. No frame is in two splits and
 *       a model is scored on play that happened after everything it learned from.
 *   <li>Plays are cut where any player moves more than {@value #DEFAULT_MAX_STEP_FT} ft between two frames (50 ft/s,
 *       twice a sprint): the source's own definition of where one sequence ends (a half-time, a filtered play), and
 *       such jumps occur inside about 40 of its plays. Velocities across a cut would be nonsense.
 *   <li>Training segments start every {@value #DEFAULT_TRAIN_HOP} steps (overlapping: the data are small, ~7,400
 *       training frames); validation and test segments do not overlap, so each frame is scored once.
 *   <li>The ball is an agent (11 atoms) by default; {@code --no-ball} writes the ten players only. The model's
 *       encoder and decoder work per edge, so one model serves 10 or 11 agents.
 * </ul>
 */
public final class NbaDatasetSpec {
    public static final int DEFAULT_SEGMENT = 25;
    public static final int DEFAULT_TRAIN_HOP = 2;
    public static final int DEFAULT_TRAIN_PERCENT = 70;
    public static final int DEFAULT_VALID_PERCENT = 15;
    public static final double DEFAULT_MAX_STEP_FT = 10.0;
    public static final String DEFAULT_SUFFIX = "_nba";

    private final Path dataDir;
    private final Path outDir;
    private final int segment;
    private final int trainHop;
    private final int trainPercent;
    private final int validPercent;
    private final double maxStepFt;
    private final boolean ball;
    private final String suffix;

    private NbaDatasetSpec(Builder b) {
        this.dataDir = b.dataDir;
        this.outDir = b.outDir;
        this.segment = b.segment;
        this.trainHop = b.trainHop;
        this.trainPercent = b.trainPercent;
        this.validPercent = b.validPercent;
        this.maxStepFt = b.maxStepFt;
        this.ball = b.ball;
        this.suffix = b.suffix;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The folder with {@link ClevelandTracking#FRAMES_FILE} and {@link ClevelandTracking#PLAYS_FILE}. */
    public Path dataDir() {
        return dataDir;
    }

    public Path outDir() {
        return outDir;
    }

    /** Steps per segment (every split). */
    public int segment() {
        return segment;
    }

    /** Steps between the starts of two training segments; validation and test segments use {@link #segment()}. */
    public int hop(String split) {
        return "train".equals(split) ? trainHop : segment;
    }

    public int trainPercent() {
        return trainPercent;
    }

    public int validPercent() {
        return validPercent;
    }

    public double maxStepFt() {
        return maxStepFt;
    }

    /** Whether the ball is an agent (the last one). */
    public boolean ball() {
        return ball;
    }

    public int atoms() {
        return ClevelandTracking.PLAYERS + (ball ? 1 : 0);
    }

    public String suffix() {
        return suffix;
    }

    public static final class Builder {
        private Path dataDir;
        private Path outDir;
        private int segment = DEFAULT_SEGMENT;
        private int trainHop = DEFAULT_TRAIN_HOP;
        private int trainPercent = DEFAULT_TRAIN_PERCENT;
        private int validPercent = DEFAULT_VALID_PERCENT;
        private double maxStepFt = DEFAULT_MAX_STEP_FT;
        private boolean ball = true;
        private String suffix = DEFAULT_SUFFIX;

        public Builder setDataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder setOutDir(Path dir) {
            this.outDir = dir;
            return this;
        }

        public Builder optSegment(int steps) {
            this.segment = steps;
            return this;
        }

        public Builder optTrainHop(int steps) {
            this.trainHop = steps;
            return this;
        }

        public Builder optSplitPercent(int train, int valid) {
            this.trainPercent = train;
            this.validPercent = valid;
            return this;
        }

        public Builder optMaxStepFt(double ft) {
            this.maxStepFt = ft;
            return this;
        }

        public Builder optBall(boolean withBall) {
            this.ball = withBall;
            return this;
        }

        public Builder optSuffix(String s) {
            this.suffix = s;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or out of range */
        public NbaDatasetSpec build() {
            Objects.requireNonNull(dataDir, "data directory");
            Objects.requireNonNull(outDir, "output directory");
            if (segment < 3) {
                throw new IllegalArgumentException("segment must be at least 3 steps, got " + segment);
            }
            if (trainHop < 1) {
                throw new IllegalArgumentException("train hop must be at least 1 step, got " + trainHop);
            }
            if (trainPercent < 1 || validPercent < 1 || trainPercent + validPercent > 99) {
                throw new IllegalArgumentException("split percentages: train " + trainPercent + " and valid "
                        + validPercent + " must each be >= 1 and leave >= 1% of the plays for test");
            }
            if (!(maxStepFt > 0)) {
                throw new IllegalArgumentException("max step must be a positive number of feet, got " + maxStepFt);
            }
            if (suffix == null || !suffix.matches("[A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("suffix '" + suffix + "' may only hold letters, digits, _ . -");
            }
            return new NbaDatasetSpec(this);
        }
    }
}
