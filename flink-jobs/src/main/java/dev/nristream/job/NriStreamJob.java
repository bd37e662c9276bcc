package dev.nristream.job;

import dev.nristream.job.graph.BatchingInferenceOperator;
import dev.nristream.job.serving.ModelCatalog;
import dev.nristream.job.serving.ModelControlEvent;
import dev.nristream.job.source.ModelControlDeserializer;
import dev.nristream.job.window.ModelSwapWindowFunction;
import dev.nristream.job.serving.ServedModel;
import dev.nristream.job.source.FrameDeserializer;
import dev.nristream.job.window.DeadLetterRouter;
import dev.nristream.job.window.FailureInjector;
import dev.nristream.job.window.SceneWindowFunction;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import dev.nristream.job.source.OutageAwareIdleness;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The NRI stream job: frames from {@code tracking.positions} -> per-scene windows -> micro-batched ONNX encoder
 * and decoder rollout -> {@code InteractionGraph}s to {@code nri.graphs}, {@code TrajectoryForecast}s to
 * {@code nri.forecasts}, bad input to {@code tracking.positions.dlq}.
 *
 * <p>A class with injected I/O (STYLE.md #1): {@link #fromConfig(JobConfig)} wires Kafka and the registry; tests
 * may pass their own source and sinks ({@link JobOutputs}) to the constructor. {@link #main} is a thin wrapper for {@code flink run}.
 *
 * <pre>{@code
 * JobConfig cfg = JobConfig.fromArgs("--model.dir", "models/springs5", "--bootstrap.servers", "kafka:9092",
 *         "--registry.url", "http://registry:8080/apis/ccompat/v7");
 * NriStreamJob job = NriStreamJob.fromConfig(cfg);
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
 * job.build(env);
 * env.execute(job.name());
 * }</pre>
 *
 * <p>Topology: {@code source -> dead-letter-router -> keyBy(scene) -> scene-windows -> inference -> (graphs,
 * forecasts)}; the dead-letter side outputs of the router and scene-windows are united into the DLQ output.
 * Several model directories ({@code --model.dir A,B}) are served side by side, each scene by the model that fits
 * its frames ({@link ModelCatalog}); with {@code model.control-topic} set, {@code ModelControl} requests are
 * broadcast into scene-windows ({@link ModelSwapWindowFunction}) to swap a model while the job runs.
 * Exactly-once: checkpoints every {@code checkpoint.interval-ms}; with {@code delivery=EXACTLY_ONCE} one Kafka
 * sink writes all three topics in transactions committed on checkpoints (ids {@code <transactional-id-prefix>-out});
 * consumers of the outputs must read with {@code isolation.level=read_committed}. Metrics: {@link JobMetrics}.
 */
public final class NriStreamJob {

    private final JobConfig config;
    private final List<ModelDirectory> models;
    private final List<ServedModel> served;
    private final Source<FrameEnvelope, ?, ?> source;
    private final JobOutputs outputs;
    private FailureInjector failureInjector = FailureInjector.NONE;

    /** The job with one sink per output stream (graphs, forecasts, dead letters), e.g. test sinks. */
    public NriStreamJob(JobConfig config, Source<FrameEnvelope, ?, ?> source, Sink<WindowResult> graphSink,
            Sink<WindowResult> forecastSink, Sink<DeadLetterEvent> deadLetterSink) {
        this(config, source, JobOutputs.sinks(graphSink, forecastSink, deadLetterSink));
    }

    /**
     * @param config the settings ({@code model.dir} is required)
     * @param source frames (e.g. {@link #kafkaSource})
     * @param outputs where results and dead letters go (e.g. {@link JobOutputs#kafka})
     */
    public NriStreamJob(JobConfig config, Source<FrameEnvelope, ?, ?> source, JobOutputs outputs) {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
        this.models = new ArrayList<>();
        this.served = new ArrayList<>();
        for (Path dir : config.modelDirs()) {
            ModelDirectory m = ModelDirectory.open(dir);
            models.add(m);
            served.add(ServedModel.of(m.spec().modelId(), m.spec(), m.path().toAbsolutePath().toString()));
        }
        ModelCatalog.requireServable(served);
    }

    /** The job reading and writing Kafka as {@code config} says. */
    public static NriStreamJob fromConfig(JobConfig config) {
        String modelJson = ModelDirectory.open(config.modelDir()).spec().toJson(); // outputs name each result's own model
        return new NriStreamJob(config, kafkaSource(config), JobOutputs.kafka(config, modelJson));
    }

    /** Test-only: fail the job at a chosen window (see {@link FailureInjector}). */
    public NriStreamJob withFailureInjector(FailureInjector injector) {
        this.failureInjector = Objects.requireNonNull(injector);
        return this;
    }

    public JobConfig config() {
        return config;
    }

    /** The (first) served model. */
    public ModelSpec modelSpec() {
        return models.get(0).spec();
    }

    /** Every served model, in configured order. */
    public List<ModelSpec> modelSpecs() {
        return models.stream().map(ModelDirectory::spec).toList();
    }

    /** Job name shown in the Flink UI. */
    public String name() {
        return "nri-stream (" + models.stream().map(m -> m.spec().modelId()).collect(Collectors.joining(", ")) + ")";
    }

    /** The Kafka source: registry deserializer into {@link FrameEnvelope}s, read_committed. */
    public static KafkaSource<FrameEnvelope> kafkaSource(JobConfig config) {
        OffsetsInitializer start = switch (config.get(JobConfig.STARTING_OFFSETS)) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
        var b = KafkaSource.<FrameEnvelope>builder()
                .setBootstrapServers(config.get(JobConfig.BOOTSTRAP_SERVERS))
                .setTopics(config.get(JobConfig.TOPIC_POSITIONS))
                .setGroupId(config.get(JobConfig.GROUP_ID))
                .setStartingOffsets(start)
                .setDeserializer(new FrameDeserializer(config.registryConfig(), config.get(JobConfig.MAX_AGENTS),
                        config.get(JobConfig.FUTURE_TOLERANCE_MS)))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000");
        if (config.get(JobConfig.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        config.clientConfig().kafkaProperties().forEach(b::setProperty);
        return b.build();
    }

    /** The source of model hot-swap requests, read_committed. */
    static KafkaSource<ModelControlEvent> controlSource(JobConfig config, String topic) {
        var b = KafkaSource.<ModelControlEvent>builder()
                .setBootstrapServers(config.get(JobConfig.BOOTSTRAP_SERVERS))
                .setTopics(topic)
                .setGroupId(config.get(JobConfig.GROUP_ID) + "-model-control")
                // A job restored from a checkpoint goes on from its offsets there. A fresh one serves what
                // --model.dir says: requests from before the group ever read the topic do not apply to it.
                .setStartingOffsets(switch (config.get(JobConfig.STARTING_OFFSETS)) {
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
                })
                .setDeserializer(new ModelControlDeserializer(config.registryConfig()))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000");
        if (config.get(JobConfig.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        config.clientConfig().kafkaProperties().forEach(b::setProperty);
        return b.build();
    }

    /**
     * Control requests carry no event time the windows could use; their input holds the watermark at the maximum so
     * the frames alone drive it (an idle control topic must not stall every scene's windows).
     */
    static WatermarkStrategy<ModelControlEvent> controlWatermarks() {
        return WatermarkStrategy.<ModelControlEvent>forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(ModelControlEvent event, long eventTimestamp, WatermarkOutput output) {
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        }).withTimestampAssigner((e, kafkaTs) -> kafkaTs);
    }

    /** Flink settings the job needs: checkpointing, restarts, checkpoint storage. */
    public Configuration flinkConfiguration() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(config.get(JobConfig.CHECKPOINT_INTERVAL_MS)));
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ZERO);
        c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, config.get(JobConfig.CHECKPOINT_TOLERABLE_FAILURES));
        config.configuration().getOptional(JobConfig.CHECKPOINT_DIR).ifPresent(dir -> {
            c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
            // A stopped job keeps its last checkpoint, so a new run can resume from it (RetainedCheckpoints).
            c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        });
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, config.get(JobConfig.RESTART_ATTEMPTS));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                Duration.ofMillis(config.get(JobConfig.RESTART_DELAY_MS)));
        return c;
    }

    /**
     * Watermarks: bounded out-of-orderness, emitted on every frame that advances them, with idleness that rides out
     * a broker outage ({@link OutageAwareIdleness}).
     */
    public WatermarkStrategy<FrameEnvelope> watermarkStrategy() {
        long ooo = config.get(JobConfig.OUT_OF_ORDERNESS_MS);
        return new OutageAwareIdleness<>(WatermarkStrategy.<FrameEnvelope>forGenerator(
                        ctx -> new EagerBoundedOutOfOrderness(ooo))
                .withTimestampAssigner((e, kafkaTs) -> e.eventTimeMs()),
                config.get(JobConfig.IDLENESS_MS),
                Math.max(config.get(JobConfig.IDLENESS_MS), config.get(JobConfig.OUTAGE_MS)));
    }

    /**
     * Adds the job's topology to {@code env} (and its checkpoint and restart settings).
     *
     * @return the stream of results, for tests that want to observe it
     */
    public DataStream<WindowResult> build(StreamExecutionEnvironment env) {
        env.configure(flinkConfiguration());
        int parallelism = config.get(JobConfig.PARALLELISM);
        env.setParallelism(parallelism);
        env.setBufferTimeout(config.get(JobConfig.BUFFER_TIMEOUT_MS));
        for (int i = 0; i < models.size(); i++) {
            env.registerCachedFile(models.get(i).path().toAbsolutePath().toUri().toString(),
                    BatchingInferenceOperator.cacheName(i), false);
        }

        SingleOutputStreamOperator<FrameEnvelope> frames = env
                .fromSource(source, watermarkStrategy(), "positions", TypeInformation.of(FrameEnvelope.class))
                .uid("positions-source")
                .process(new DeadLetterRouter(), TypeInformation.of(FrameEnvelope.class))
                .name("dead-letter-router").uid("dead-letter-router");

        SceneWindowFunction windowing = new SceneWindowFunction(served, config.get(JobConfig.STRIDE),
                config.get(JobConfig.MAX_MISSING_FRACTION), config.get(JobConfig.LATE_TOLERANCE_MS),
                config.get(JobConfig.SCENE_IDLE_TIMEOUT_MS), failureInjector);
        var byScene = frames.keyBy(e -> e.sceneId, TypeInformation.of(String.class));
        String controlTopic = config.configuration().getOptional(JobConfig.MODEL_CONTROL_TOPIC).orElse(null);
        SingleOutputStreamOperator<WindowTask> windows = (controlTopic == null
                ? byScene.process(windowing, TypeInformation.of(WindowTask.class))
                : byScene.connect(env.fromSource(controlSource(config, controlTopic), controlWatermarks(),
                                "model-control", TypeInformation.of(ModelControlEvent.class))
                                .uid("model-control-source").setParallelism(1)
                                .broadcast(ModelSwapWindowFunction.SWAPPED))
                        .process(new ModelSwapWindowFunction(windowing, config.modelOptions()),
                                TypeInformation.of(WindowTask.class)))
                .name("scene-windows").uid("scene-windows");

        SingleOutputStreamOperator<WindowResult> results = windows
                .transform("inference", TypeInformation.of(WindowResult.class),
                        new BatchingInferenceOperator(served.stream().map(m -> m.modelDir).toList(),
                                config.modelOptions(), config.get(JobConfig.BATCH_MAX_SIZE),
                                config.get(JobConfig.BATCH_MAX_WAIT_MS), config.get(JobConfig.HORIZON),
                                config.get(JobConfig.ROLLOUT_EDGES) == JobConfig.RolloutEdges.HARD,
                                config.get(JobConfig.SHED_LAG_MS), config.get(JobConfig.SHED_MAX_STRIDE_FACTOR),
                                config.get(JobConfig.STRIDE))
                                .withDynamicGraph(config.get(JobConfig.ROLLOUT_GRAPH) == JobConfig.RolloutGraph.DYNAMIC))
                .uid("inference");

        outputs.attach(results, frames.getSideOutput(SceneWindowFunction.DEAD_LETTERS)
                .union(windows.getSideOutput(SceneWindowFunction.DEAD_LETTERS)));
        return results;
    }

    /** Builds and runs the job, blocking until it ends. */
    public void execute(StreamExecutionEnvironment env) throws Exception {
        build(env);
        env.execute(name());
    }

    /** Builds and submits the job without waiting. */
    public JobClient executeAsync(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(name());
    }

    /**
     * {@code flink run nri-flink-jobs-job.jar --model.dir /models/springs5 --bootstrap.servers kafka:9092 ...};
     * {@code --help} lists every setting.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("Usage: flink run nri-flink-jobs-<version>-job.jar [--key value ...]\n"
                    + "       (--config job.properties loads settings from a file; flags win)\n\nSettings:\n"
                    + JobConfig.describeOptions());
            return;
        }
        NriStreamJob job = fromConfig(JobConfig.fromArgs(args));
        job.execute(StreamExecutionEnvironment.getExecutionEnvironment());
    }

    /**
     * Bounded out-of-orderness that emits a watermark as soon as a frame advances it (not only periodically), so
     * lateness is judged against an up-to-date watermark even when frames arrive in bursts (replays, restores).
     */
    static final class EagerBoundedOutOfOrderness implements WatermarkGenerator<FrameEnvelope> {
        private final long outOfOrdernessMs;
        private long maxTimestamp = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        EagerBoundedOutOfOrderness(long outOfOrdernessMs) {
            this.outOfOrdernessMs = outOfOrdernessMs;
        }

        @Override
        public void onEvent(FrameEnvelope event, long eventTimestamp, WatermarkOutput output) {
            if (eventTimestamp == Long.MIN_VALUE) {
                return; // bad records carry no event time
            }
            if (eventTimestamp > maxTimestamp) {
                maxTimestamp = eventTimestamp;
                long wm = maxTimestamp - outOfOrdernessMs - 1;
                if (wm > emitted) {
                    emitted = wm;
                    output.emitWatermark(new Watermark(wm));
                }
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (emitted != Long.MIN_VALUE) {
                output.emitWatermark(new Watermark(emitted));
            }
        }
    }
}
