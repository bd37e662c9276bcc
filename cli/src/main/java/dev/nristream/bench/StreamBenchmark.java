package dev.nristream.bench;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.embedded.LocalServices;
import dev.nristream.job.JobConfig;
import dev.nristream.job.NriStreamJob;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.sim.LiveScene;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.sim.Simulators;
import dev.nristream.topic.TopicSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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

    private static final int LOOP_FRAMES = 250;
    private static final int DISTINCT_SIMULATIONS = 16;

    private final Options o;

    public StreamBenchmark(Options options) {
        this.o = options;
    }

    /** Runs the benchmark, logging progress to {@code log}. */
    public Result run(PrintStream log) throws Exception {
        log.printf("stream bench: %d scenes x %d agents at %s Hz = %.0f frames/s for %d s (+%d s warm-up)%n",
                o.scenes, o.agents, o.hz, o.scenes * o.hz, o.seconds, o.warmupSeconds);
        double[][][] loops = simulate();
        Path checkpoints = java.nio.file.Files.createTempDirectory("nri-bench-checkpoints-");
        try (LocalServices services = LocalServices.builder().start()) {
            String in = "bench.positions";
            services.createTopics(o.partitions, in);
            services.createTopics(1, "bench.graphs", "bench.forecasts", "bench.positions.dlq");
            JobConfig cfg = JobConfig.builder()
                    .set(JobConfig.BOOTSTRAP_SERVERS, services.bootstrapServers())
                    .set(JobConfig.REGISTRY_URL, services.registryUrl())
                    .set(JobConfig.TOPIC_POSITIONS, in)
                    .set(JobConfig.TOPIC_GRAPHS, "bench.graphs")
                    .set(JobConfig.TOPIC_FORECASTS, "bench.forecasts")
                    .set(JobConfig.TOPIC_DLQ, "bench.positions.dlq")
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
                    .set(JobConfig.CHECKPOINT_DIR, checkpoints.toUri().toString())
                    .build();
            NriStreamJob job = NriStreamJob.fromConfig(cfg);
            Configuration conf = new Configuration();
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, o.parallelism));
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
            JobClient client = job.executeAsync(env);
            log.println("job " + client.getJobID() + " submitted (" + job.name() + ")");

            Collector collector = new Collector(services.bootstrapServers(), RegistryConfig.of(services.registryUrl()));
            Thread consumer = new Thread(collector, "bench-consumer");
            consumer.setDaemon(true);
            consumer.start();
            Producer producer = new Producer(services.bootstrapServers(), RegistryConfig.of(services.registryUrl()), in, loops);
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
            return new Result(o, job.modelSpec().modelId(), sent, sent / secs, collector.graphs.get(),
                    collector.graphs.get() / secs, collector.forecasts.get(), collector.forecasts.get() / secs,
                    pct(lat, 50), pct(lat, 99), pct(lat, 100), pct(lag, 50), pct(lag, 99), producerLag,
                    collector.strideMean(), collector.strideMax);
        }
    }

    /** Positions and velocities of a few simulations, each LOOP_FRAMES long: [sim][frame][x.. y.. vx.. vy..]. */
    private double[][][] simulate() {
        int n = o.agents;
        int sims = Math.min(DISTINCT_SIMULATIONS, o.scenes);
        double[][][] out = new double[sims][LOOP_FRAMES][4 * n];
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(n).build();
        for (int s = 0; s < sims; s++) {
            LiveScene live = Simulators.forConfig(cfg).live(2024, s);
            double[] loc = new double[2 * n];
            double[] vel = new double[2 * n];
            for (int f = 0; f < LOOP_FRAMES; f++) {
                live.next(loc, vel);
                System.arraycopy(loc, 0, out[s][f], 0, 2 * n);
                System.arraycopy(vel, 0, out[s][f], 2 * n, 2 * n);
            }
        }
        return out;
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Sends one frame per scene per tick; event time is the tick's wall-clock time. */
    private final class Producer implements AutoCloseable {
        final KafkaProducer<String, PositionFrame> kafka;
        final String topic;
        final double[][][] loops;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong maxLagMs = new AtomicLong();
        final long t0 = System.currentTimeMillis();
        long tick;

        Producer(String bootstrap, RegistryConfig registry, String topic, double[][][] loops) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            p.put(ProducerConfig.ACKS_CONFIG, "1");
            this.kafka = new KafkaProducer<>(p, new StringSerializer(), RegistrySerdes.valueSerializer(
                    new TopicSpec<>(topic, String.class, PositionFrame.class), registry));
            this.topic = topic;
            this.loops = loops;
        }

        void tick() {
            long k = tick++;
            long scheduled = t0 + Math.round(k * 1000.0 / o.hz);
            long now = System.currentTimeMillis();
            maxLagMs.accumulateAndGet(now - scheduled, Math::max);
            int n = o.agents;
            long ticksPerSecond = Math.max(1, Math.round(o.hz));
            for (int s = 0; s < o.scenes; s++) {
                if (o.stagger && k < s % ticksPerSecond) {
                    continue;
                }
                double[] row = loops[s % loops.length][(int) ((k + 37L * s) % LOOP_FRAMES)];
                List<Agent> agents = new ArrayList<>(n);
                for (int a = 0; a < n; a++) {
                    agents.add(Agent.newBuilder().setId("p" + a).setX(row[a]).setY(row[n + a])
                            .setVx(row[2 * n + a]).setVy(row[3 * n + a]).build());
                }
                PositionFrame f = PositionFrame.newBuilder().setSceneId("scene-" + s)
                        .setSourceKind(SourceKind.SIMULATION).setFrameIndex(k).setEventTimeMs(now)
                        .setSamplingRateHz(o.hz)
                        .setCoordinates(CoordinateSystem.newBuilder().setUnit("sim").setOrigin("center")
                                .setDimensions(2).build())
                        .setAgents(agents).build();
                kafka.send(new ProducerRecord<>(topic, f.getSceneId(), f));
                sent.incrementAndGet();
            }
        }

        @Override
        public void close() {
            kafka.close(Duration.ofSeconds(5));
        }
    }

    /** Reads graphs and forecasts with read_committed and keeps those whose window ended in the measured span. */
    private static final class Collector implements Runnable {
        final KafkaConsumer<byte[], byte[]> consumer;
        final AvroRegistryDeserializer<InteractionGraph> graphDe;
        final AvroRegistryDeserializer<TrajectoryForecast> forecastDe;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong graphs = new AtomicLong();
        final AtomicLong forecasts = new AtomicLong();
        final List<Double> latency = new ArrayList<>();
        final List<Double> jobLag = new ArrayList<>();
        long strideSum;
        long strideCount;
        volatile long strideMax;
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MIN_VALUE;

        Collector(String bootstrap, RegistryConfig registry) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            graphDe = new AvroRegistryDeserializer<>(InteractionGraph.class, registry);
            forecastDe = new AvroRegistryDeserializer<>(TrajectoryForecast.class, registry);
            List<TopicPartition> parts = List.of(new TopicPartition("bench.graphs", 0),
                    new TopicPartition("bench.forecasts", 0));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        void window(long fromMs, long toMs) {
            from = fromMs;
            to = toMs;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.currentTimeMillis();
                        if (r.topic().equals("bench.graphs")) {
                            InteractionGraph g = graphDe.deserialize(r.topic(), r.value());
                            long end = g.getWindowEndMs();
                            if (end >= from && end < to) {
                                graphs.incrementAndGet();
                                synchronized (this) {
                                    latency.add((double) (now - end));
                                    jobLag.add((double) (g.getProcessingTimeMs() - end));
                                    if (g.getStrideMs() != null) {
                                        strideSum += g.getStrideMs();
                                        strideCount++;
                                        strideMax = Math.max(strideMax, g.getStrideMs());
                                    }
                                }
                            }
                        } else {
                            TrajectoryForecast f = forecastDe.deserialize(r.topic(), r.value());
                            long end = f.getOriginTimeMs();
                            if (end >= from && end < to) {
                                forecasts.incrementAndGet();
                            }
                        }
                    }
                }
            }
        }

        synchronized double[] latencies() {
            return sorted(latency);
        }

        synchronized double strideMean() {
            return strideCount == 0 ? Double.NaN : (double) strideSum / strideCount;
        }

        synchronized double[] jobLags() {
            return sorted(jobLag);
        }

        private static double[] sorted(List<Double> l) {
            double[] a = l.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(a);
            return a;
        }
    }
}
