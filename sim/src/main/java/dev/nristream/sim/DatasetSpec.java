package dev.nristream.sim;

import dev.nristream.io.NpyDType;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link DatasetGenerator} writes: a simulation config, how many simulations per split, the run lengths, the
 * seed, the output directory and file suffix. Defaults are the NRI paper's (50000 / 10000 / 10000 simulations,
 * length 5000 for train and valid, 10000 for test, seed 42).
 *
 * <pre>{@code
 * DatasetSpec spec = DatasetSpec.builder()
 *         .setConfig(SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).build())
 *         .setOutDir(Path.of("data/springs5"))
 *         .optCounts(10000, 2000, 2000)
 *         .build();
 * }</pre>
 */
public final class DatasetSpec {
    public static final int DEFAULT_TRAIN = 50_000;
    public static final int DEFAULT_VALID = 10_000;
    public static final int DEFAULT_TEST = 10_000;
    public static final int DEFAULT_LENGTH = 5000;
    public static final int DEFAULT_LENGTH_TEST = 10_000;
    public static final long DEFAULT_SEED = 42;
    /** Kuramoto: the research code also saves the first 100 training scenes as {@code feat_train_small}. */
    public static final int KURAMOTO_SMALL_TRAIN = 100;

    private final SimConfig config;
    private final int train;
    private final int valid;
    private final int test;
    private final int length;
    private final int lengthTest;
    private final long seed;
    private final int threads;
    private final Path outDir;
    private final String suffix;
    private final NpyDType edgeDtype;

    private DatasetSpec(Builder b) {
        config = b.config;
        train = b.train;
        valid = b.valid;
        test = b.test;
        length = b.length;
        lengthTest = b.lengthTest;
        seed = b.seed;
        threads = b.threads;
        outDir = b.outDir;
        suffix = b.suffix != null ? b.suffix : defaultSuffix(b.config);
        edgeDtype = b.edgeDtype != null ? b.edgeDtype
                : config.system() == SimSystem.KURAMOTO ? NpyDType.INT64 : NpyDType.FLOAT64;
    }

    /**
     * {@code _springs5}, {@code _charged10}, {@code _kuramoto5}, {@code _kuramoto5undir}: the research suffixes;
     * Kuramoto on the unit circle adds {@code circle} ({@code _kuramoto5circle}).
     */
    public static String defaultSuffix(SimConfig cfg) {
        boolean kuramoto = cfg.system() == SimSystem.KURAMOTO;
        return "_" + cfg.system().id() + cfg.atoms() + (kuramoto && cfg.symmetric() ? "undir" : "")
                + (kuramoto && cfg.kuramotoForm() == KuramotoForm.CIRCLE ? "circle" : "");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The simulation settings; its length is replaced by {@link #length()} / {@link #lengthTest()} per split. */
    public SimConfig config() {
        return config;
    }

    public int count(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VALID -> valid;
            case TEST -> test;
        };
    }

    public int totalSimulations() {
        return train + valid + test;
    }

    public int length() {
        return length;
    }

    public int lengthTest() {
        return lengthTest;
    }

    /** Run length of a split: {@link #lengthTest()} for test, {@link #length()} otherwise. */
    public int length(Split split) {
        return split == Split.TEST ? lengthTest : length;
    }

    /** The config one split's simulations run with. */
    public SimConfig config(Split split) {
        return config.toBuilder().optLength(length(split)).build();
    }

    public long seed() {
        return seed;
    }

    public int threads() {
        return threads;
    }

    public Path outDir() {
        return outDir;
    }

    public String suffix() {
        return suffix;
    }

    /** Element type of the edge files: float64 for springs/charged and int64 for Kuramoto, as the research code. */
    public NpyDType edgeDtype() {
        return edgeDtype;
    }

    /** Dataset splits, in the order they are generated. */
    public enum Split {
        TRAIN("train"), VALID("valid"), TEST("test");

        private final String id;

        Split(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** Required: {@code setConfig}, {@code setOutDir}. */
    public static final class Builder {
        private SimConfig config;
        private int train = DEFAULT_TRAIN;
        private int valid = DEFAULT_VALID;
        private int test = DEFAULT_TEST;
        private int length = DEFAULT_LENGTH;
        private int lengthTest = DEFAULT_LENGTH_TEST;
        private long seed = DEFAULT_SEED;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Path outDir;
        private String suffix;
        private NpyDType edgeDtype;

        private Builder() {
        }

        public Builder setConfig(SimConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder setOutDir(Path outDir) {
            this.outDir = Objects.requireNonNull(outDir, "outDir");
            return this;
        }

        /** Simulations per split (default 50000 / 10000 / 10000). */
        public Builder optCounts(int train, int valid, int test) {
            this.train = train;
            this.valid = valid;
            this.test = test;
            return this;
        }

        /** Run length of train and valid (default 5000). */
        public Builder optLength(int length) {
            this.length = length;
            return this;
        }

        /** Run length of test (default 10000). */
        public Builder optLengthTest(int lengthTest) {
            this.lengthTest = lengthTest;
            return this;
        }

        /** Run seed (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Worker threads (default: all cores). The output does not depend on it. */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** File suffix (default {@link #defaultSuffix}). */
        public Builder optSuffix(String suffix) {
            this.suffix = suffix;
            return this;
        }

        /** Element type of the edge files (float64 or int64). */
        public Builder optEdgeDtype(NpyDType dtype) {
            this.edgeDtype = dtype;
            return this;
        }

        /**
         * Checks every setting.
         *
         * @throws IllegalArgumentException naming what is missing or invalid
         */
        public DatasetSpec build() {
            if (config == null) {
                throw new IllegalArgumentException("dataset: simulation config is not set (setConfig)");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("dataset: output directory is not set (setOutDir)");
            }
            if (train < 0 || valid < 0 || test < 0) {
                throw new IllegalArgumentException("simulation counts must be >= 0, got train " + train + ", valid "
                        + valid + ", test " + test);
            }
            if ((long) train + valid + test == 0) {
                throw new IllegalArgumentException("nothing to generate: train, valid and test are all 0");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            if (suffix != null && (suffix.contains("/") || suffix.contains("\\"))) {
                throw new IllegalArgumentException("suffix must not contain a path separator: '" + suffix + "'");
            }
            if (edgeDtype != null && edgeDtype != NpyDType.FLOAT64 && edgeDtype != NpyDType.INT64) {
                throw new IllegalArgumentException("edge dtype must be float64 or int64, got " + edgeDtype.descr());
            }
            // Each split's config must be valid (length > sample frequency, a multiple of it).
            config.toBuilder().optLength(length).build();
            config.toBuilder().optLength(lengthTest).build();
            if (!config.hasPositions() && lengthTest < length) {
                throw new IllegalArgumentException("kuramoto: length-test (" + lengthTest + ") must be at least length ("
                        + length + "): train and valid are cut from runs of the test length");
            }
            return new DatasetSpec(this);
        }
    }
}
