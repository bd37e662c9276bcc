package dev.nristream.bench;

import dev.nristream.embedded.LocalServices;
import dev.nristream.job.JobConfig;
import dev.nristream.job.NriStreamJob;
import dev.nristream.registry.RegistryConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The stream benchmark behind {@code ./nri bench stream}: K simulated springs scenes of N agents at R Hz (event
 * time = wall-clock send time) into an embedded broker with the registry serde, the job on a local MiniCluster in
 * this process, and a read_committed consumer of the outputs. After a warm-up it measures for S seconds: frames/s
 * in, graphs/s and forecasts/s out, and latency = consumer receive time minus the window's last event time
 * (p50/p99), plus the job's own lag (processing_time_ms of the graph minus the window's last event time).
 *
 * <pre>{@code
 * StreamBenchmark.Result r = new StreamBenchmark(new StreamBenchmark.Options(100, 11, 25, 60, ...)).run(System.err);
 * System.out.println(r.toJson());
 * }</pre>
 */
public final class StreamBenchmark {

    /**
     * @param scenes K concurrent scenes
     * @param agents N agents per scene
     * @param hz R frames per second per scene
     * @param seconds S measured seconds
     * @param warmupSeconds seconds of load before measuring
     * @param modelDir model directory
     * @param partitions partitions of the input topic
     * @param parallelism job parallelism
     * @param delivery output guarantee
     * @param checkpointMs checkpoint interval (with EXACTLY_ONCE: when outputs become visible)
     * @param batchMaxSize most windows per ONNX run
     * @param batchMaxWaitMs longest batching wait
     * @param stride model frames between windows (0: one per second)
     * @param intraOpThreads ONNX Runtime threads per instance
     * @param stagger start scene s at tick s mod R, so scenes' windows fall due spread over a second as
     *     independent feeds' do (false: all scenes start together and their windows fall due at once)
     * @param decoderPath the job's {@code decoder.path}
     * @param rolloutEdges the job's {@code rollout.edges}
     * @param shedLagMs the job's {@code shed.lag-ms} (0: never shed)
     */
    public record Options(int scenes, int agents, double hz, int seconds, int warmupSeconds, Path modelDir,
            int partitions, int parallelism, JobConfig.Delivery delivery, long checkpointMs, int batchMaxSize,
            long batchMaxWaitMs, int stride, int intraOpThreads, boolean stagger,
            dev.nristream.model.NriOnnxModel.DecoderPath decoderPath, JobConfig.RolloutEdges rolloutEdges,
            long shedLagMs) {
        public Options {
            if (scenes < 1 || agents < 2 || !(hz > 0) || seconds < 1 || warmupSeconds < 0) {
                throw new IllegalArgumentException("need scenes >= 1, agents >= 2, hz > 0, seconds >= 1, warmup >= 0");
            }
            if (decoderPath == null || rolloutEdges == null) {
                throw new IllegalArgumentException("decoder path and rollout edges must be set");
            }
        }

        /** The same settings with {@code k} scenes. */
        public Options withScenes(int k) {
            return new Options(k, agents, hz, seconds, warmupSeconds, modelDir, partitions, parallelism, delivery,
                    checkpointMs, batchMaxSize, batchMaxWaitMs, stride, intraOpThreads, stagger, decoderPath,
                    rolloutEdges, shedLagMs);
        }
    }

    /** The measured figures. */
    public record Result(Options options, String modelId, long framesSent, double framesPerSecondIn,
            long graphs, double graphsPerSecond, long forecasts, double forecastsPerSecond, double latencyP50Ms,
            double latencyP99Ms, double latencyMaxMs, double jobLagP50Ms, double jobLagP99Ms, double producerLagMs,
            double strideMsMean, long strideMsMax) {

        /** One JSON object on one line. */
        public String toJson() {
            Options o = options;
            return String.format(Locale.ROOT, "{\"benchmark\":\"stream\",\"scenes\":%d,\"agents\":%d,\"hz\":%s,"
                    + "\"seconds\":%d,\"model\":\"%s\",\"delivery\":\"%s\",\"checkpoint_interval_ms\":%d,"
                    + "\"parallelism\":%d,\"partitions\":%d,\"batch_max_size\":%d,\"batch_max_wait_ms\":%d,"
                    + "\"frames_sent\":%d,\"frames_per_s_in\":%.1f,\"graphs\":%d,\"graphs_per_s\":%.2f,"
                    + "\"forecasts\":%d,\"forecasts_per_s\":%.2f,\"latency_ms_p50\":%.1f,\"latency_ms_p99\":%.1f,"
                    + "\"latency_ms_max\":%.1f,\"job_lag_ms_p50\":%.1f,\"job_lag_ms_p99\":%.1f,"
                    + "\"producer_lag_ms\":%.1f,\"staggered\":%s,\"decoder_path\":\"%s\",\"rollout_edges\":\"%s\","
                    + "\"shed_lag_ms\":%d,\"stride_ms_mean\":%.0f,\"stride_ms_max\":%d}",
                    o.scenes, o.agents, fmt(o.hz), o.seconds, modelId, o.delivery, o.checkpointMs, o.parallelism,
                    o.partitions, o.batchMaxSize, o.batchMaxWaitMs, framesSent, framesPerSecondIn, graphs,
                    graphsPerSecond, forecasts, forecastsPerSecond, latencyP50Ms, latencyP99Ms, latencyMaxMs,
                    jobLagP50Ms, jobLagP99Ms, producerLagMs, o.stagger, o.decoderPath, o.rolloutEdges, o.shedLagMs,
                    strideMsMean, strideMsMax);
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    private final Options o;

    public StreamBenchmark(Options options) {
        this.o = options;
    }

    /** Topic names of one run: {@code <prefix>.positions}, {@code .graphs}, {@code .forecasts}, {@code .positions.dlq}. */
    record BenchTopics(String positions, String graphs, String forecasts, String dlq) {
        static BenchTopics withPrefix(String prefix) {
            return new BenchTopics(prefix + ".positions", prefix + ".graphs", prefix + ".forecasts",
                    prefix + ".positions.dlq");
        }

        void create(LocalServices services, int partitions) {
            services.createTopics(partitions, positions);
            services.createTopics(1, graphs, forecasts, dlq);
        }
    }

    /** The job of one run, submitted to a local MiniCluster in this process. */
    record RunningJob(NriStreamJob job, JobClient client, JobConfig config) {
    }

    /** Builds the job for {@code o} on {@code topics} ({@code tweak} may change settings) and submits it. */
    static RunningJob submitJob(LocalServices services, BenchTopics topics, Options o, Path checkpoints,
            java.util.function.UnaryOperator<JobConfig.Builder> tweak) throws Exception {
        JobConfig cfg = tweak.apply(JobConfig.builder()
                .set(JobConfig.BOOTSTRAP_SERVERS, services.bootstrapServers())
                .set(JobConfig.REGISTRY_URL, services.registryUrl())
                .set(JobConfig.TOPIC_POSITIONS, topics.positions())
                .set(JobConfig.TOPIC_GRAPHS, topics.graphs())
                .set(JobConfig.TOPIC_FORECASTS, topics.forecasts())
                .set(JobConfig.TOPIC_DLQ, topics.dlq())
                .set(JobConfig.MODEL_DIR, o.modelDir.toString())
                .set(JobConfig.STARTING_OFFSETS, JobConfig.StartingOffsets.EARLIEST)
                .set(JobConfig.DELIVERY, o.delivery)
                .set(JobConfig.CHECKPOINT_INTERVAL_MS, o.checkpointMs)
                .set(JobConfig.PARALLELISM, o.parallelism)
                .set(JobConfig.BATCH_MAX_SIZE, o.batchMaxSize)
                .set(JobConfig.BATCH_MAX_WAIT_MS, o.batchMaxWaitMs)
                .set(JobConfig.STRIDE, o.stride)
                .set(JobConfig.INTRA_OP_THREADS, o.intraOpThreads)
                .set(JobConfig.DEVICE, "auto")
                .set(JobConfig.DECODER_PATH, o.decoderPath)
                .set(JobConfig.ROLLOUT_EDGES, o.rolloutEdges)
                .set(JobConfig.SHED_LAG_MS, o.shedLagMs)
                .set(JobConfig.CHECKPOINT_DIR, checkpoints.toUri().toString()))
                .build();
        NriStreamJob job = NriStreamJob.fromConfig(cfg);
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, o.parallelism));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
        return new RunningJob(job, job.executeAsync(env), cfg);
    }

    /** Runs the benchmark, logging progress to {@code log}. */
    public Result run(PrintStream log) throws Exception {
        log.printf("stream bench: %d scenes x %d agents at %s Hz = %.0f frames/s for %d s (+%d s warm-up)%n",
                o.scenes, o.agents, o.hz, o.scenes * o.hz, o.seconds, o.warmupSeconds);
        Path checkpoints = java.nio.file.Files.createTempDirectory("nri-bench-checkpoints-");
        try (LocalServices services = LocalServices.builder().start()) {
            BenchTopics topics = BenchTopics.withPrefix("bench");
            topics.create(services, o.partitions);
            RunningJob job = submitJob(services, topics, o, checkpoints, b -> b);
            JobClient client = job.client();
            log.println("job " + client.getJobID() + " submitted (" + job.job().name() + ")");

            BenchCollector collector = new BenchCollector(services.bootstrapServers(),
                    RegistryConfig.of(services.registryUrl()), topics.graphs(), topics.forecasts());
            Thread consumer = collector.start("bench-consumer");
            BenchFeed producer = new BenchFeed(new BenchFeed.Settings(o.scenes, o.agents, o.hz, o.stagger, false,
                    false, false), services.bootstrapServers(), RegistryConfig.of(services.registryUrl()), topics.positions());
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            long periodNanos = (long) (1e9 / o.hz);
            ticker.scheduleAtFixedRate(producer::tick, 0, periodNanos, TimeUnit.NANOSECONDS);

            Thread.sleep(o.warmupSeconds * 1000L);
            long start = System.currentTimeMillis();
            long sentAtStart = producer.sent.get();
            producer.maxLagMs.set(0);
            collector.window(start, start + o.seconds * 1000L);
            for (int s = 1; s <= o.seconds; s++) {
                Thread.sleep(1000);
                if (s % 10 == 0 || s == o.seconds) {
                    log.printf("  %3d s: %d frames sent, %d graphs / %d forecasts in window%n", s,
                            producer.sent.get() - sentAtStart, collector.graphs.get(), collector.forecasts.get());
                }
            }
            long end = System.currentTimeMillis();
            long sent = producer.sent.get() - sentAtStart;
            double producerLag = producer.maxLagMs.get();
            ticker.shutdownNow();
            // Outputs of windows that ended inside the measured interval may still be on their way.
            Thread.sleep(Math.max(3000, 3 * o.checkpointMs));
            collector.stop();
            consumer.join(10_000);
            client.cancel().get(30, TimeUnit.SECONDS);
            producer.close();
            double secs = (end - start) / 1000.0;
            double[] lat = collector.latencies();
            double[] lag = collector.jobLags();
            return new Result(o, job.job().modelSpec().modelId(), sent, sent / secs, collector.graphs.get(),
                    collector.graphs.get() / secs, collector.forecasts.get(), collector.forecasts.get() / secs,
                    pct(lat, 50), pct(lat, 99), pct(lat, 100), pct(lag, 50), pct(lag, 99), producerLag,
                    collector.strideMean(), collector.strideMax);
        }
    }

    static double pct(double[] sorted, double p) {
        return BenchCollector.pct(sorted, p);
    }
}
