package dev.nristream.job;

import dev.nristream.model.NriOnnxModel;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Every setting of the stream job, typed, defaulted and documented in one place (the {@link ConfigOption}s
 * below). Read from flags ({@code --stride 10} or {@code --stride=10}), from a properties file
 * ({@code --config job.properties}, flags win), or built in code.
 *
 * <pre>{@code
 * JobConfig cfg = JobConfig.fromArgs("--model.dir", "models/springs5", "--bootstrap.servers", "kafka:9092");
 * JobConfig test = JobConfig.builder().set(JobConfig.MODEL_DIR, dir.toString()).set(JobConfig.STRIDE, 5).build();
 * }</pre>
 *
 * <p>Immutable and serializable, so operators can carry it.
 */
public final class JobConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How outputs are written to Kafka. */
    /** The edge weights the decoder rollout is fed ({@link #ROLLOUT_EDGES}). */
    public enum RolloutEdges {
        /** One-hot of each edge's most probable type ({@code NriOnnxModel.hardEdges}). */
        HARD,
        /** The encoder's probabilities. */
        SOFT
    }

    /** Which graph drives the forecast rollout ({@link #ROLLOUT_GRAPH}). */
    public enum RolloutGraph {
        /** The window's graph, for every step. */
        WINDOW,
        /** Re-evaluated before every step after the first from the most recent window (the paper's Fig. 6). */
        DYNAMIC
    }

    public enum Delivery {
        /** Kafka transactions committed on checkpoints; read_committed consumers see each output once. */
        EXACTLY_ONCE,
        /** Flushed on checkpoints; duplicates possible after a restore. */
        AT_LEAST_ONCE,
        /** No guarantee (lowest latency). */
        NONE
    }

    /** Where a fresh job starts reading. */
    public enum StartingOffsets {
        /** The consumer group's committed offsets, the earliest where none are committed. */
        COMMITTED,
        /** The beginning of each partition. */
        EARLIEST,
        /** The end of each partition: only new frames. */
        LATEST
    }

    // --- Kafka and the registry
    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap.servers")
            .stringType().defaultValue("localhost:9092").withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> REGISTRY_URL = ConfigOptions.key("registry.url")
            .stringType().defaultValue("http://localhost:8080/apis/ccompat/v7")
            .withDescription("Confluent-compatible schema registry base URL.");
    public static final ConfigOption<String> REGISTRY_USER = ConfigOptions.key("registry.user")
            .stringType().noDefaultValue().withDescription("Registry basic-auth user (optional).");
    public static final ConfigOption<String> REGISTRY_PASSWORD = ConfigOptions.key("registry.password")
            .stringType().noDefaultValue().withDescription("Registry basic-auth password (optional).");
    public static final ConfigOption<String> KAFKA_CONFIG = ConfigOptions.key("kafka.config")
            .stringType().noDefaultValue().withDescription("Properties file with the Kafka client security "
                    + "settings (security.protocol, sasl.*, ssl.*) for the job's source and sink, and the registry's "
                    + "credentials (basic.auth.user.info or bearer.auth.token); read where the job is built.");
    public static final ConfigOption<String> TOPIC_POSITIONS = ConfigOptions.key("topic.positions")
            .stringType().defaultValue(Topics.POSITIONS.name()).withDescription("Input topic of PositionFrames.");
    public static final ConfigOption<String> TOPIC_GRAPHS = ConfigOptions.key("topic.graphs")
            .stringType().defaultValue(Topics.GRAPHS.name()).withDescription("Output topic of InteractionGraphs.");
    public static final ConfigOption<String> TOPIC_FORECASTS = ConfigOptions.key("topic.forecasts")
            .stringType().defaultValue(Topics.FORECASTS.name())
            .withDescription("Output topic of TrajectoryForecasts.");
    public static final ConfigOption<String> TOPIC_DLQ = ConfigOptions.key("topic.dlq")
            .stringType().defaultValue(Topics.POSITIONS_DLQ.name()).withDescription("Dead-letter topic.");
    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("group.id")
            .stringType().defaultValue("nri-stream-job").withDescription("Kafka consumer group of the source.");
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = ConfigOptions.key("source.starting-offsets")
            .enumType(StartingOffsets.class).defaultValue(StartingOffsets.COMMITTED)
            .withDescription("Where a job without a checkpoint starts reading: COMMITTED, EARLIEST or LATEST.");
    public static final ConfigOption<Boolean> BOUNDED = ConfigOptions.key("source.bounded")
            .booleanType().defaultValue(false)
            .withDescription("Stop at the partitions' end offsets as of job start (replays, tests).");

    // --- model and windows
    public static final ConfigOption<String> MODEL_DIR = ConfigOptions.key("model.dir")
            .stringType().noDefaultValue()
            .withDescription("Model directory (model.json, encoder.onnx, decoder.onnx), or several separated by "
                    + "commas: each scene is then served by the model that fits what its frames say they are "
                    + "(system, dimensions, agent count; docs/SERVING.md) and a scene no model fits is "
                    + "dead-lettered as MODEL_MISMATCH. Required.");
    public static final ConfigOption<String> MODEL_CONTROL_TOPIC = ConfigOptions.key("model.control-topic")
            .stringType().noDefaultValue()
            .withDescription("Topic of ModelControl records for model hot swap, e.g. " + Topics.MODEL_CONTROL.name()
                    + ": each names a model directory every task manager can read (and optionally the model id it "
                    + "replaces); the job swaps it in at each scene's next window, or refuses it (dead letter "
                    + "MODEL_REFUSED) and keeps the old one (docs/SERVING.md). Unset: no hot swap.");
    public static final ConfigOption<Integer> STRIDE = ConfigOptions.key("stride")
            .intType().defaultValue(0)
            .withDescription("Model frames between evaluated windows; 0 = one window per second of scene time "
                    + "(round(sampling_rate_hz) frames), which keeps up in real time on 2 cores for 100 scenes.");
    public static final ConfigOption<Integer> HORIZON = ConfigOptions.key("horizon")
            .intType().defaultValue(10).withDescription("Forecast steps H rolled out with the decoder.");
    public static final ConfigOption<Integer> MAX_AGENTS = ConfigOptions.key("max-agents")
            .intType().defaultValue(64)
            .withDescription("Frames with more agents than this go to the dead-letter topic (TOO_MANY_AGENTS).");
    public static final ConfigOption<Double> MAX_MISSING_FRACTION = ConfigOptions.key("max-missing-fraction")
            .doubleType().defaultValue(0.25)
            .withDescription("An agent missing in more than this fraction of a window's frames is left out.");
    public static final ConfigOption<Long> SCENE_IDLE_TIMEOUT_MS = ConfigOptions.key("scene.idle-timeout-ms")
            .longType().defaultValue(30_000L)
            .withDescription("Event time after a scene's last frame when its state is dropped.");

    // --- inference
    public static final ConfigOption<Integer> BATCH_MAX_SIZE = ConfigOptions.key("batch.max-size")
            .intType().defaultValue(32).withDescription("Most windows per ONNX run.");
    public static final ConfigOption<Long> BATCH_MAX_WAIT_MS = ConfigOptions.key("batch.max-wait-ms")
            .longType().defaultValue(20L)
            .withDescription("Longest a window waits for its batch to fill, ms (processing time).");
    public static final ConfigOption<String> DEVICE = ConfigOptions.key("device")
            .stringType().defaultValue("auto").withDescription("auto, cpu or cuda.");
    public static final ConfigOption<Integer> INTRA_OP_THREADS = ConfigOptions.key("intra-op-threads")
            .intType().defaultValue(1).withDescription("ONNX Runtime intra-op threads per parallel instance.");
    public static final ConfigOption<NriOnnxModel.DecoderPath> DECODER_PATH = ConfigOptions.key("decoder.path")
            .enumType(NriOnnxModel.DecoderPath.class).defaultValue(NriOnnxModel.DecoderPath.SPARSE)
            .withDescription("SPARSE: the model's rollout.onnx (whole rollout in one run, messages only for edges "
                    + "whose type sends them; dense decoder when the model has no rollout.onnx); DENSE: decoder.onnx "
                    + "once per step for every edge. Same forecasts to 1e-5.");
    public static final ConfigOption<RolloutEdges> ROLLOUT_EDGES = ConfigOptions.key("rollout.edges")
            .enumType(RolloutEdges.class).defaultValue(RolloutEdges.HARD)
            .withDescription("Edge weights the forecast rollout is fed: HARD, each edge's most probable type "
                    + "(one-hot; as the model's test metrics were measured, with hard samples; lets the sparse "
                    + "rollout skip no-edge pairs); SOFT, the encoder's probabilities (every pair sends).");
    public static final ConfigOption<RolloutGraph> ROLLOUT_GRAPH = ConfigOptions.key("rollout.graph")
            .enumType(RolloutGraph.class).defaultValue(RolloutGraph.WINDOW)
            .withDescription("Graph the forecast rollout uses: WINDOW, the window's graph for every step; DYNAMIC, "
                    + "re-evaluated before every step after the first by the encoder on the most recent window (the "
                    + "window's newest frames, then the forecast so far: the paper's dynamic re-evaluation, Fig. 6; "
                    + "one more encoder run per step). The graph record is the window's either way.");
    public static final ConfigOption<Long> SHED_LAG_MS = ConfigOptions.key("shed.lag-ms")
            .longType().defaultValue(0L)
            .withDescription("Load shedding, off by default (0): when windows reach inference this much later than their scene's usual lag "
                    + "(ms), the job first drops forecasts (graphs only), then doubles every scene's stride (up to "
                    + "shed.max-stride-factor), one step per this interval, and undoes one step after this interval "
                    + "with the lag under a quarter of it; windows over 1.5 times this late are dropped. Output records "
                    + "say the stride used (stride_ms). 1000 suits live feeds that prefer fresh output to complete "
                    + "output; 0 never sheds: every window is published (also after a restart's backlog), and under "
                    + "overload the job falls behind.");
    public static final ConfigOption<Integer> SHED_MAX_STRIDE_FACTOR = ConfigOptions.key("shed.max-stride-factor")
            .intType().defaultValue(8)
            .withDescription("Largest stride multiple load shedding may apply (a power of two).");
    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("parallelism")
            .intType().defaultValue(1).withDescription("Parallelism of every operator.");

    public static final ConfigOption<Long> BUFFER_TIMEOUT_MS = ConfigOptions.key("buffer-timeout-ms")
            .longType().defaultValue(10L)
            .withDescription("Longest a record waits in a network buffer before it is sent on, ms (Flink's default "
                    + "100 ms would dominate the end-to-end latency).");

    // --- time
    public static final ConfigOption<Long> OUT_OF_ORDERNESS_MS = ConfigOptions.key("watermark.out-of-orderness-ms")
            .longType().defaultValue(200L).withDescription("Bounded out-of-orderness of frame event times, ms.");
    public static final ConfigOption<Long> IDLENESS_MS = ConfigOptions.key("watermark.idleness-ms")
            .longType().defaultValue(5_000L)
            .withDescription("A partition without frames for this long (processing time) while other partitions of "
                    + "its reader have frames stops holding back the watermark, ms (a partition that never had a frame "
                    + "too). Keep it well above fetch hiccups: when an idle partition wakes up behind the others, its "
                    + "frames more than late.tolerance-ms behind the watermark are dead-lettered as LATE.");
    public static final ConfigOption<Long> OUTAGE_MS = ConfigOptions.key("watermark.outage-ms")
            .longType().defaultValue(60_000L)
            .withDescription("While every partition of a reader is quiet (a broker outage, or every feed paused) "
                    + "none is marked idle, so that after the outage no partition's buffered frames arrive behind a "
                    + "watermark the others carried on, ms; after this long a quiet partition is idle anyway (a feed "
                    + "that stopped for good holds the watermark back at most this long). Less than "
                    + "watermark.idleness-ms counts as watermark.idleness-ms.");
    public static final ConfigOption<Long> LATE_TOLERANCE_MS = ConfigOptions.key("late.tolerance-ms")
            .longType().defaultValue(2_000L)
            .withDescription("A frame more than this behind the watermark is dead-lettered as LATE, ms.");
    public static final ConfigOption<Long> FUTURE_TOLERANCE_MS = ConfigOptions.key("future.tolerance-ms")
            .longType().defaultValue(300_000L)
            .withDescription("A frame whose event time is more than this ahead of both the job's clock and the newest "
                    + "frame its source task has read is dead-lettered as FUTURE, so that it cannot drag the "
                    + "watermark ahead and make every good frame LATE, ms; 0 = no check. A replay faster than real "
                    + "time runs ahead of the clock gradually and is not affected, but after a job restart its "
                    + "first frames are judged against the clock alone.");

    // --- fault tolerance
    public static final ConfigOption<Long> CHECKPOINT_INTERVAL_MS = ConfigOptions.key("checkpoint.interval-ms")
            .longType().defaultValue(1_000L)
            .withDescription("Checkpoint interval, ms; with EXACTLY_ONCE also how often outputs become visible.");
    public static final ConfigOption<String> CHECKPOINT_DIR = ConfigOptions.key("checkpoint.dir")
            .stringType().noDefaultValue()
            .withDescription("Checkpoint storage URI (file:///..., s3://...); unset = the cluster's setting (a Flink "
                    + "default keeps at most 5 MB in the JobManager's memory; ./nri job --local uses a temp dir).");
    public static final ConfigOption<Integer> CHECKPOINT_TOLERABLE_FAILURES =
            ConfigOptions.key("checkpoint.tolerable-failures").intType().defaultValue(3)
            .withDescription("Consecutive failed checkpoints tolerated before the job restarts (outputs wait for "
                    + "the next successful one).");
    public static final ConfigOption<Delivery> DELIVERY = ConfigOptions.key("delivery")
            .enumType(Delivery.class).defaultValue(Delivery.EXACTLY_ONCE)
            .withDescription("EXACTLY_ONCE, AT_LEAST_ONCE or NONE.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions.key("transactional-id-prefix")
            .stringType().defaultValue("nri-stream")
            .withDescription("Prefix of the Kafka transactional ids (one job per prefix).");
    public static final ConfigOption<Long> TRANSACTION_TIMEOUT_MS = ConfigOptions.key("transaction.timeout-ms")
            .longType().defaultValue(600_000L)
            .withDescription("Kafka transaction timeout, ms; at most the broker's transaction.max.timeout.ms.");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS = ConfigOptions.key("restart.attempts")
            .intType().defaultValue(3).withDescription("Restarts after a failure before the job fails.");
    public static final ConfigOption<Long> RESTART_DELAY_MS = ConfigOptions.key("restart.delay-ms")
            .longType().defaultValue(1_000L).withDescription("Delay before a restart, ms.");

    /** The flag that names a properties file. */
    public static final String CONFIG_FILE_FLAG = "config";

    private static final Map<String, ConfigOption<?>> OPTIONS = collectOptions();

    private final Map<String, String> values;

    private JobConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Every option, by key, in declaration order. */
    public static Map<String, ConfigOption<?>> options() {
        return OPTIONS;
    }

    private static Map<String, ConfigOption<?>> collectOptions() {
        Map<String, ConfigOption<?>> m = new LinkedHashMap<>();
        for (Field f : JobConfig.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    m.put(o.key(), o);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses {@code --key value} / {@code --key=value} flags; {@code --config FILE} loads a properties file first.
     *
     * @throws IllegalArgumentException naming an unknown key, a flag without a value, or a bad value
     */
    public static JobConfig fromArgs(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected a --key flag, got '" + a + "'");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag --" + key + " needs a value");
            }
            flags.put(key, value);
        }
        Builder b = builder();
        String file = flags.remove(CONFIG_FILE_FLAG);
        if (file != null) {
            b.load(Path.of(file));
        }
        flags.forEach(b::set);
        return b.build();
    }

    /** The value of an option (its default when unset). */
    public <T> T get(ConfigOption<T> option) {
        return configuration().get(option);
    }

    /** The settings as a Flink configuration. */
    public Configuration configuration() {
        return Configuration.fromMap(values);
    }

    /** The explicitly set values, by key. */
    public Map<String, String> values() {
        return values;
    }

    /** A copy with one more value. */
    public <T> JobConfig with(ConfigOption<T> option, T value) {
        Builder b = builder();
        values.forEach(b::set);
        return b.set(option, value).build();
    }

    /** Registry settings for the serdes: registry.user/password, else the credentials in kafka.config. */
    public RegistryConfig registryConfig() {
        String user = configuration().getOptional(REGISTRY_USER).orElse(null);
        if (user == null) {
            return clientConfig().registry(get(REGISTRY_URL));
        }
        return RegistryConfig.builder().setUrl(get(REGISTRY_URL))
                .withBasicAuth(user, configuration().getOptional(REGISTRY_PASSWORD).orElse("")).build();
    }

    /** The Kafka client settings of {@link #KAFKA_CONFIG} (none when it is not set). */
    public ClientConfigFile clientConfig() {
        return ClientConfigFile.loadOrNone(configuration().getOptional(KAFKA_CONFIG).map(Path::of).orElse(null));
    }

    /** The (first) model directory. */
    public Path modelDir() {
        return modelDirs().get(0);
    }

    /** Every model directory of {@link #MODEL_DIR}, in the order given (which breaks ties between models). */
    public List<Path> modelDirs() {
        String v = configuration().getOptional(MODEL_DIR).orElseThrow(
                () -> new IllegalArgumentException("model.dir is required (--model.dir DIR[,DIR...])"));
        List<Path> dirs = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                dirs.add(Path.of(part.trim()));
            }
        }
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("model.dir names no directory: '" + v + "'");
        }
        return List.copyOf(dirs);
    }

    /** The stride in model frames, resolving 0 to one window per second at the model's rate. */
    public int strideFor(double samplingRateHz) {
        int s = get(STRIDE);
        return s > 0 ? s : Math.max(1, (int) Math.round(samplingRateHz));
    }

    /** The ONNX Runtime session settings. */
    public NriOnnxModel.Options modelOptions() {
        return new NriOnnxModel.Options(get(INTRA_OP_THREADS), NriOnnxModel.Device.parse(get(DEVICE)), 0,
                get(DECODER_PATH));
    }

    /** Every option with its default and description, for --help. */
    public static String describeOptions() {
        StringBuilder sb = new StringBuilder();
        for (ConfigOption<?> o : OPTIONS.values()) {
            sb.append(String.format(Locale.ROOT, "  --%-32s %s (default: %s)%n", o.key(), o.description(),
                    o.hasDefaultValue() ? o.defaultValue() : "none"));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(values);
        if (shown.containsKey(REGISTRY_PASSWORD.key())) {
            shown.put(REGISTRY_PASSWORD.key(), "***");
        }
        return "JobConfig" + shown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Collects values and checks them at {@link #build()} (STYLE.md #4). */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        /** Sets an option by key, checking that the key exists. */
        public Builder set(String key, String value) {
            if (!OPTIONS.containsKey(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + OPTIONS.keySet());
            }
            values.put(key, value);
            return this;
        }

        public <T> Builder set(ConfigOption<T> option, T value) {
            Configuration c = new Configuration();
            c.set(option, value);
            values.put(option.key(), c.toMap().get(option.key()));
            return this;
        }

        /** Loads a properties file (keys as the flags, without the dashes). */
        public Builder load(Path file) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the job properties file " + file, e);
            }
            for (String k : p.stringPropertyNames()) {
                set(k.trim(), p.getProperty(k).trim());
            }
            return this;
        }

        /** Validates every value; the message names each bad setting. */
        public JobConfig build() {
            JobConfig cfg = new JobConfig(values);
            List<String> problems = new ArrayList<>();
            Configuration c = cfg.configuration();
            for (ConfigOption<?> o : OPTIONS.values()) {
                try {
                    c.getOptional(o);
                } catch (RuntimeException e) {
                    problems.add(o.key() + "='" + values.get(o.key()) + "' is not a valid value ("
                            + e.getMessage() + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            positive(problems, c, HORIZON);
            positive(problems, c, MAX_AGENTS);
            positive(problems, c, BATCH_MAX_SIZE);
            positive(problems, c, INTRA_OP_THREADS);
            positive(problems, c, PARALLELISM);
            positive(problems, c, CHECKPOINT_INTERVAL_MS);
            positive(problems, c, SCENE_IDLE_TIMEOUT_MS);
            positive(problems, c, IDLENESS_MS);
            positive(problems, c, OUTAGE_MS);
            nonNegative(problems, c, BATCH_MAX_WAIT_MS);
            nonNegative(problems, c, BUFFER_TIMEOUT_MS);
            nonNegative(problems, c, STRIDE);
            nonNegative(problems, c, SHED_LAG_MS);
            int factor = c.get(SHED_MAX_STRIDE_FACTOR);
            if (factor < 1 || Integer.bitCount(factor) != 1) {
                problems.add("shed.max-stride-factor must be a power of two >= 1, got " + factor);
            }
            nonNegative(problems, c, OUT_OF_ORDERNESS_MS);
            nonNegative(problems, c, LATE_TOLERANCE_MS);
            nonNegative(problems, c, FUTURE_TOLERANCE_MS);
            nonNegative(problems, c, RESTART_ATTEMPTS);
            nonNegative(problems, c, CHECKPOINT_TOLERABLE_FAILURES);
            nonNegative(problems, c, RESTART_DELAY_MS);
            if (c.get(MAX_AGENTS) < 2) {
                problems.add("max-agents must be >= 2, got " + c.get(MAX_AGENTS));
            }
            double mf = c.get(MAX_MISSING_FRACTION);
            if (!(mf >= 0 && mf < 1)) {
                problems.add("max-missing-fraction must be in [0, 1), got " + mf);
            }
            try {
                NriOnnxModel.Device.parse(c.get(DEVICE));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return cfg;
        }

        private static void positive(List<String> p, Configuration c, ConfigOption<? extends Number> o) {
            if (c.get(o).doubleValue() <= 0) {
                p.add(o.key() + " must be > 0, got " + c.get(o));
            }
        }

        private static void nonNegative(List<String> p, Configuration c, ConfigOption<? extends Number> o) {
            if (c.get(o).doubleValue() < 0) {
                p.add(o.key() + " must be >= 0, got " + c.get(o));
            }
        }
    }
}
