package dev.nristream.demo;

import dev.nristream.analytics.AnalyticsService;
import dev.nristream.embedded.LocalServices;
import dev.nristream.feed.FeedProblems;
import dev.nristream.job.JobConfig;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.replay.KafkaFrameSink;
import dev.nristream.replay.ProducerSettings;
import dev.nristream.replay.Replay;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The whole nri-stream pipeline in one process: Kafka (an embedded KRaft broker or {@code --bootstrap}), the
 * schema registry (an Apicurio child process or {@code --registry}), the demo topics, the stream job on a local
 * Flink MiniCluster, the Kafka Streams analytics, a feed, and a {@link TopicMonitor} reading every topic back
 * into {@link LiveStats}.
 *
 * <pre>{@code
 * DemoPlan plan = DemoPlan.resolve(settings);          // model + feed checked before anything starts
 * try (DemoPipeline p = new DemoPipeline(settings, plan, progress)) {
 *     p.start();
 *     ... p.stats().snapshot(now), p.problem() ...
 *     LiveSnapshot last = p.finish();                  // stops the feed, lets the outputs catch up
 * }                                                    // job, analytics, services, temp dirs gone
 * }</pre>
 *
 * <p>With external Kafka the job, the analytics and the monitor read only records written after the start (the
 * topics may hold older runs), and the consumer groups and internal topics of this run are removed at the end.
 */
public final class DemoPipeline implements AutoCloseable {

    /** Longest wait at the end for the outputs to catch up with the last frames sent. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Outputs become visible at checkpoints: wait this long without new graphs before the final snapshot. */
    static final Duration QUIET_PERIOD = Duration.ofMillis(1_500);

    /**
     * Start-up steps block for seconds (a process, a cluster, a submission): each gets its own daemon thread, so
     * none waits for a free worker of the common pool.
     */
    static final Executor STARTER = task -> {
        Thread t = new Thread(task, "nri-demo-start");
        t.setDaemon(true);
        t.start();
    };

    private final DemoSettings settings;
    private final DemoPlan plan;
    private final PrintWriter progress;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final LiveStats stats;
    private final FeedProblems feedProblems = FeedProblems.silent();
    private Path tempDir;
    private LocalServices services;
    private String bootstrap;
    private RegistryConfig registryConfig;
    private LocalFlinkJob flink;
    private AnalyticsService analytics;
    private TopicMonitor monitor;
    private KafkaFrameSink sink;
    private Replay replay;
    private Thread feedThread;
    private volatile Throwable feedFailure;
    private boolean leftoversOnExternalKafka;
    private boolean closed;

    /**
     * @param progress where start-up steps are reported (one line each)
     */
    public DemoPipeline(DemoSettings settings, DemoPlan plan, PrintWriter progress) {
        this.settings = settings;
        this.plan = plan;
        this.progress = progress;
        this.stats = new LiveStats(settings.startMs(), plan.model().spec().noEdgeTypeOrNone());
    }

    public LiveStats stats() {
        return stats;
    }

    /** Kafka's bootstrap servers, null before {@link #start()}. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The registry's URL, null before {@link #start()}. */
    public String registryUrl() {
        return registryConfig == null ? null : registryConfig.url();
    }

    /** The analytics' HTTP port, 0 before they run. */
    public int analyticsPort() {
        return analytics == null ? 0 : analytics.httpPort();
    }

    /**
     * Starts everything; on failure stops what was started and rethrows.
     *
     * @throws IllegalArgumentException when an external service does not answer or a job setting is bad (user
     *     errors)
     * @throws IllegalStateException when an embedded service does not start
     */
    public void start() throws IOException {
        tempDir = Files.createTempDirectory("nri-demo-");
        Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
        if (QuietLogs.redirectConsole(settings.logFile())) {
            say("logs: %s", settings.logFile());
        }
        try {
            boolean embedded = settings.bootstrap() == null || settings.registry() == null;
            if (embedded) {
                // The MiniCluster needs neither Kafka nor the registry: it starts while they do.
                flink = new LocalFlinkJob(tempDir.resolve("flink"), slots());
            }
            startServices();
            if (!embedded) {
                // External services answer at once, and a wrong address should not cost a cluster start.
                flink = new LocalFlinkJob(tempDir.resolve("flink"), slots());
            }
            List<String> topics = TopicMonitor.TOPICS;
            services.createTopics(settings.partitions(), topics);
            if (services.externalKafka()) {
                leftoversOnExternalKafka = true;
                // Fails clearly when positions and forecasts are not co-partitioned (the analytics' join needs it).
                ExternalServices.checkAnalyticsTopics(bootstrap, settings.partitions(), services.clientConfig());
            }
            say("topics %s", String.join(", ", topics));
            // Before the feed: with external Kafka the monitor starts at the topics' current end.
            monitor = TopicMonitor.start(bootstrap, registryConfig, stats, settings.externalKafka(),
                    services.clientConfig());
            startFeed();
            // The job and the analytics start while the first window fills; the frames wait in Kafka.
            CompletableFuture<Void> submitted = CompletableFuture.runAsync(() -> flink.submit(jobConfig()), STARTER);
            startAnalytics();
            join(submitted);
            say("Flink job '%s' running on a local MiniCluster", flink.name());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private int slots() {
        String p = settings.jobSettings().get(JobConfig.PARALLELISM.key());
        try {
            return p == null ? JobConfig.PARALLELISM.defaultValue() : Integer.parseInt(p.strip());
        } catch (NumberFormatException e) {
            return 1; // the job's own settings check names the bad value when the job is built
        }
    }

    private void startServices() {
        LocalServices.Builder b = LocalServices.builder()
                // Beside the demo's log, so it outlives the temporary directory when the registry does not start.
                .withRegistryLog(settings.logFile().toAbsolutePath().resolveSibling("demo-registry.log"))
                .withKafkaLog(settings.logFile().toAbsolutePath().resolveSibling("demo-kafka.log"))
                .withStarter(STARTER)
                .withProgress(line -> say("%s", line));
        if (settings.bootstrap() != null) {
            b.withBootstrap(settings.bootstrap());
        }
        if (settings.registry() != null) {
            b.withRegistry(settings.registry());
        }
        b.withClientConfig(ClientConfigFile.loadOrNone(settings.kafkaConfig()));
        services = b.start();
        bootstrap = services.bootstrapServers();
        registryConfig = services.registryConfig();
    }

    private JobConfig jobConfig() {
        JobConfig.Builder b = JobConfig.builder()
                .set(JobConfig.MODEL_DIR, plan.model().path().toAbsolutePath().toString())
                .set(JobConfig.BOOTSTRAP_SERVERS, bootstrap)
                .set(JobConfig.REGISTRY_URL, registryConfig.url())
                .set(JobConfig.GROUP_ID, jobGroup())
                .set(JobConfig.TRANSACTIONAL_ID_PREFIX, "nri-demo-" + runId)
                .set(JobConfig.STARTING_OFFSETS, settings.externalKafka()
                        ? JobConfig.StartingOffsets.LATEST : JobConfig.StartingOffsets.EARLIEST);
        if (settings.kafkaConfig() != null) {
            b.set(JobConfig.KAFKA_CONFIG, settings.kafkaConfig().toAbsolutePath().toString());
        }
        settings.jobSettings().forEach(b::set);
        return b.build();
    }

    private String jobGroup() {
        return "nri-demo-job-" + runId;
    }

    private void startAnalytics() {
        analytics = AnalyticsService.builder()
                .setBootstrapServers(bootstrap)
                .setRegistry(registryConfig)
                .withApplicationId(analyticsId())
                .withStateDir(tempDir.resolve("analytics"))
                .withHttpHost("127.0.0.1")
                .withHttpPort(settings.httpPort())
                .withStreamsProperty(StreamsConfig.mainConsumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG),
                        settings.externalKafka() ? "latest" : "earliest")
                .withStreamsProperties(services.clientConfig().kafkaProperties())
                .start();
        say("analytics (Kafka Streams) at http://127.0.0.1:%d/scenes, web view at http://127.0.0.1:%d/",
                analytics.httpPort(), analytics.httpPort());
    }

    /** Unique per run on someone else's cluster, so no earlier run's offsets or state are picked up. */
    private String analyticsId() {
        return settings.externalKafka() ? "nri-demo-analytics-" + runId : "nri-demo-analytics";
    }

    private void startFeed() {
        ProducerSettings producer = ProducerSettings.defaults(bootstrap).withLingerMs(5)
                .withOverride("client.id", "nri-demo-feed");
        for (var e : services.clientConfig().kafkaProperties().entrySet()) {
            producer = producer.withOverride(e.getKey(), e.getValue());
        }
        sink = KafkaFrameSink.create(producer, registryConfig, Topics.POSITIONS);
        replay = Replay.builder()
                .setSource(plan.feed())
                .setSink(sink)
                .withSpeed(settings.speed())
                .withLoop(plan.loop())
                // Recorded trials count from 0 each; on the demo's clock they follow one another as a live feed would.
                .withTimelineFromFirstFrame()
                .withProblems(feedProblems)
                .build();
        feedThread = new Thread(() -> {
            try {
                replay.run();
            } catch (Throwable t) {
                feedFailure = t;
            }
        }, "nri-demo-feed");
        feedThread.setDaemon(true);
        feedThread.start();
        say("feed: %s", plan.description());
    }

    /** What went wrong with the running pipeline (one line), or null while all is well. */
    public String problem() {
        Throwable f = feedFailure;
        if (f != null) {
            return "the feed stopped: " + rootMessage(f);
        }
        if (monitor != null && monitor.failure() != null) {
            return "reading the topics failed: " + rootMessage(monitor.failure());
        }
        if (analytics != null) {
            KafkaStreams.State s = analytics.state();
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR
                    || s == KafkaStreams.State.NOT_RUNNING) {
                return "the analytics stopped (Kafka Streams " + s + "); see " + settings.logFile();
            }
        }
        if (services != null && services.registry() != null && !services.registry().isAlive()) {
            return "the schema registry process exited";
        }
        String job = flink == null ? null : flink.problem();
        return job == null ? null : job + "; see " + settings.logFile();
    }

    /** Frames the feed has handed to Kafka so far. */
    public long framesSent() {
        return sink == null ? 0 : sink.delivered();
    }

    /**
     * Stops the feed, waits (up to {@link #DRAIN_TIMEOUT}) until every frame sent has been read back and no new
     * graph has appeared for {@link #QUIET_PERIOD} (outputs are committed at checkpoints), and returns the final
     * snapshot. Services keep running until {@link #close()}.
     */
    public LiveSnapshot finish() {
        if (replay != null) {
            replay.stop();
            join(feedThread, 15_000);
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long sent = framesSent();
        while (System.nanoTime() < deadline && stats.records(Topics.POSITIONS.name()) < sent) {
            sleep(100);
        }
        long graphs = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - quietSince < QUIET_PERIOD.toNanos()) {
            long g = stats.records(Topics.GRAPHS.name());
            if (g != graphs) {
                graphs = g;
                quietSince = System.nanoTime();
            }
            sleep(100);
        }
        return stats.snapshot(System.currentTimeMillis());
    }

    /** Run facts for the summary: scenario, model, feed, services. */
    public Map<String, Object> context() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", settings.scenario().id());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", plan.model().spec().modelId());
        model.put("dir", plan.model().path().toString());
        model.put("description", plan.model().spec().describe());
        m.put("model", model);
        Map<String, Object> feed = new LinkedHashMap<>();
        feed.put("description", plan.description());
        feed.put("speed", settings.speed().toString());
        feed.put("frames_sent", framesSent());
        Map<String, Long> problems = new LinkedHashMap<>();
        feedProblems.counts().forEach((k, v) -> problems.put(k.name(), v));
        feed.put("problems", problems);
        m.put("feed", feed);
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("kafka", (services != null && !services.externalKafka() ? "embedded " : "external ") + bootstrap);
        svc.put("registry", (services != null && services.registry() != null ? "embedded " : "external ")
                + registryUrl());
        svc.put("flink", "local MiniCluster");
        m.put("services", svc);
        return m;
    }

    /**
     * Stops everything in reverse order and deletes the temporary directory. Idempotent. Each step is on its own:
     * one stubborn part must not keep the rest running.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (replay != null) {
            replay.stop();
            join(feedThread, 15_000);
        }
        quietly(() -> {
            if (sink != null) {
                sink.close();
            }
        });
        quietly(() -> {
            if (flink != null) {
                flink.close();
            }
        });
        quietly(() -> {
            if (analytics != null) {
                analytics.close();
            }
        });
        quietly(() -> {
            if (monitor != null) {
                monitor.close();
            }
        });
        if (leftoversOnExternalKafka) {
            quietly(() -> ExternalServices.removeLeftovers(bootstrap, services.clientConfig(), analyticsId() + "-",
                    List.of(analyticsId(), jobGroup())));
        }
        quietly(() -> {
            if (services != null) {
                services.close();
            }
        });
        quietly(() -> deleteRecursively(tempDir));
    }

    /** One start-up step, stamped with the seconds since the command started. */
    private void say(String format, Object... args) {
        double t = (System.currentTimeMillis() - settings.startMs()) / 1000.0;
        progress.println(String.format(Locale.ROOT, "  [%5.1f s] ", t) + String.format(Locale.ROOT, format, args));
        progress.flush();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }

    private static void join(Thread t, long ms) {
        if (t == null) {
            return;
        }
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The innermost message of a cause chain (Flink wraps the real reason several times). */
    static String rootMessage(Throwable t) {
        return LocalServices.rootMessage(t);
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Loads {@link Step} with this class, not first at {@link #close()}: should the jar be replaced while the demo
     * runs (./nri rebuilds it when sources change), shutting down must not need a class it can no longer load.
     */
    private static final Step NOTHING = () -> { };

    private static void quietly(Step s) {
        try {
            s.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            // Shutting down: the next part still has to stop.
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> paths = Files.walk(dir)) {
            all = new ArrayList<>(paths.toList());
        }
        Collections.reverse(all);
        for (Path p : all) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // Keep deleting the rest.
            }
        }
    }
}
