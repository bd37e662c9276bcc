package dev.nristream.demo;

import dev.nristream.analytics.AnalyticsService;
import dev.nristream.analytics.AnalyticsTopics;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.embedded.EmbeddedRegistry;
import dev.nristream.feed.FeedProblems;
import dev.nristream.job.JobConfig;
import dev.nristream.job.NriStreamJob;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.replay.KafkaFrameSink;
import dev.nristream.replay.ProducerSettings;
import dev.nristream.replay.Replay;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

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

    /** Longest wait for the outputs to catch up with the last frames sent. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final DemoSettings settings;
    private final DemoPlan plan;
    private final PrintWriter progress;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final LiveStats stats;
    private Path tempDir;
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private String bootstrap;
    private RegistryConfig registryConfig;
    private JobClient job;
    private CompletableFuture<JobClient> jobSubmission;
    private CompletableFuture<MiniCluster> flinkStart;
    private NriStreamJob streamJob;
    private AnalyticsService analytics;
    private TopicMonitor monitor;
    private KafkaFrameSink sink;
    private Replay replay;
    private Thread feedThread;
    private final FeedProblems feedProblems = FeedProblems.silent();
    private volatile Throwable feedFailure;
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
     * @throws IllegalArgumentException when an external service does not answer (a user error)
     * @throws IllegalStateException when an embedded service does not start
     */
    public void start() throws IOException {
        tempDir = Files.createTempDirectory("nri-demo-");
        Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
        if (QuietLogs.redirectConsole(settings.logFile())) {
            say("logs: %s", settings.logFile());
        }
        try {
            // The MiniCluster needs neither Kafka nor the registry: it comes up while they do.
            flinkStart = CompletableFuture.supplyAsync(this::startFlink);
            startServices();
            createTopics();
            // Before the feed: with external Kafka the monitor starts at the topics' current end.
            monitor = TopicMonitor.start(bootstrap, registryConfig, stats, settings.externalKafka());
            startFeed();
            // The MiniCluster and the analytics start while the first window fills; frames wait in Kafka.
            jobSubmission = CompletableFuture.supplyAsync(this::submitJob);
            startAnalytics();
            job = join(jobSubmission);
            say("Flink job '%s' running on a local MiniCluster", streamJob.name());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startServices() {
        long t0 = System.nanoTime();
        CompletableFuture<EmbeddedRegistry> reg = null;
        if (settings.registry() == null) {
            say("starting the schema registry (Apicurio Registry %s, child process)...", EmbeddedRegistry.VERSION);
            Path log = tempDir.resolve("apicurio-registry.log");
            reg = CompletableFuture.supplyAsync(() -> EmbeddedRegistry.builder().withLogFile(log).start());
        }
        try {
            if (settings.bootstrap() == null) {
                kafka = EmbeddedKafka.start();
                bootstrap = kafka.bootstrapServers();
                say("Kafka (embedded KRaft broker) at %s, up in %.1f s", bootstrap, seconds(t0));
            } else {
                bootstrap = settings.bootstrap();
                checkKafka(bootstrap);
                say("Kafka at %s (external)", bootstrap);
            }
            if (reg != null) {
                registry = join(reg);
                registryConfig = RegistryConfig.of(registry.url());
                say("schema registry at %s, up in %.1f s", registry.url(), seconds(t0));
            } else {
                registryConfig = RegistryConfig.of(settings.registry());
                checkRegistry(registryConfig.url());
                say("schema registry at %s (external)", registryConfig.url());
            }
        } catch (RuntimeException e) {
            if (reg != null && registry == null) {
                // Do not leave a registry process behind when Kafka failed first.
                reg.thenAccept(EmbeddedRegistry::close);
            }
            throw e;
        }
    }

    private void createTopics() {
        List<String> names = TopicMonitor.TOPICS;
        if (kafka != null) {
            kafka.createTopics(settings.partitions(), names.toArray(String[]::new));
        } else {
            try (Admin admin = admin()) {
                Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
                List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                        .map(n -> new NewTopic(n, Optional.of(settings.partitions()), Optional.empty())).toList();
                if (!missing.isEmpty()) {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalArgumentException("cannot create the demo topics on " + bootstrap + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalArgumentException("Kafka at " + bootstrap + " did not create the topics in time", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
            // Fails clearly when positions and forecasts are not co-partitioned (the analytics join needs it).
            AnalyticsTopics.ensure(bootstrap, false, settings.partitions(), Duration.ofSeconds(15));
        }
        say("topics %s", String.join(", ", names));
    }

    /** A local Flink cluster in this JVM: one TaskManager with a slot per parallel instance of the job. */
    private MiniCluster startFlink() {
        Configuration c = new Configuration();
        try {
            c.set(CoreOptions.TMP_DIRS, Files.createDirectories(tempDir.resolve("flink")).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String parallelism = settings.jobSettings().get(JobConfig.PARALLELISM.key());
        int slots = JobConfig.PARALLELISM.defaultValue();
        try {
            slots = parallelism == null ? slots : Integer.parseInt(parallelism.strip());
        } catch (NumberFormatException e) {
            // The job's own settings check names the bad value when the job is built.
        }
        MiniCluster m = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(Math.max(1, slots))
                .withRandomPorts()
                .build());
        try {
            m.start();
            return m;
        } catch (Exception e) {
            m.closeAsync();
            throw new IllegalStateException("cannot start the Flink MiniCluster: " + rootMessage(e), e);
        }
    }

    private JobClient submitJob() {
        JobConfig.Builder b = JobConfig.builder()
                .set(JobConfig.MODEL_DIR, plan.model().path().toAbsolutePath().toString())
                .set(JobConfig.BOOTSTRAP_SERVERS, bootstrap)
                .set(JobConfig.REGISTRY_URL, registryConfig.url())
                .set(JobConfig.GROUP_ID, "nri-demo-job-" + runId)
                .set(JobConfig.TRANSACTIONAL_ID_PREFIX, "nri-demo-" + runId)
                .set(JobConfig.STARTING_OFFSETS, settings.externalKafka()
                        ? JobConfig.StartingOffsets.LATEST : JobConfig.StartingOffsets.EARLIEST);
        settings.jobSettings().forEach(b::set);
        JobConfig cfg = b.build();
        streamJob = NriStreamJob.fromConfig(cfg);
        try {
            URI rest = join(flinkStart).getRestAddress().get(60, TimeUnit.SECONDS);
            // Submitted over the MiniCluster's REST endpoint like to any cluster; the classes are on this JVM's
            // class path, so no jar is shipped.
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(),
                    rest.getPort(), streamJob.flinkConfiguration());
            return streamJob.executeAsync(env);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Flink job: " + rootMessage(e), e);
        }
    }

    private void startAnalytics() {
        AnalyticsService.Builder b = AnalyticsService.builder()
                .setBootstrapServers(bootstrap)
                .setRegistry(registryConfig)
                .withApplicationId(analyticsId())
                .withStateDir(tempDir.resolve("analytics"))
                .withHttpHost("127.0.0.1")
                .withHttpPort(settings.httpPort())
                .withStreamsProperty(StreamsConfig.mainConsumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG),
                        settings.externalKafka() ? "latest" : "earliest");
        analytics = b.start();
        say("analytics (Kafka Streams) at http://127.0.0.1:%d/scenes", analytics.httpPort());
    }

    private String analyticsId() {
        return settings.externalKafka() ? "nri-demo-analytics-" + runId : "nri-demo-analytics";
    }

    private void startFeed() {
        sink = KafkaFrameSink.create(ProducerSettings.defaults(bootstrap).withLingerMs(5)
                .withOverride("client.id", "nri-demo-feed"), registryConfig, Topics.POSITIONS);
        replay = Replay.builder()
                .setSource(plan.feed())
                .setSink(sink)
                .withSpeed(settings.speed())
                .withLoop(plan.loop())
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

    /** What went wrong with a running pipeline (one line), or null while all is well. */
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
                return "the analytics stopped (Kafka Streams " + s + ")";
            }
        }
        if (registry != null && !registry.isAlive()) {
            return "the schema registry process exited; its log: " + registry.logFile();
        }
        if (job != null) {
            JobStatus st;
            try {
                st = job.getJobStatus().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                return null; // a slow answer is not a failure
            }
            if (st.isGloballyTerminalState()) {
                String why = st.name();
                try {
                    job.getJobExecutionResult().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    why += ": " + rootMessage(e);
                }
                return "the Flink job ended (" + why + ")";
            }
        }
        return null;
    }

    /** Frames the feed has handed to Kafka so far. */
    public long framesSent() {
        return sink == null ? 0 : sink.delivered();
    }

    /**
     * Stops the feed and waits (up to {@link #DRAIN_TIMEOUT}) until every frame sent is read back and one more
     * checkpoint has committed the outputs, then returns the final snapshot. Services keep running until
     * {@link #close()}.
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
        feed.put("problems", feedProblems.counts().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
        m.put("feed", feed);
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("kafka", (kafka != null ? "embedded " : "external ") + bootstrap);
        services.put("registry", (registry != null ? "embedded " : "external ")
                + (registryConfig == null ? settings.registry() : registryConfig.url()));
        services.put("flink", "local MiniCluster");
        m.put("services", services);
        return m;
    }

    /** Stops everything in reverse order, quietly, and deletes the temporary directory. Idempotent. */
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
            if (job == null && jobSubmission != null) {
                // Start-up failed elsewhere while the job was being submitted: it must not outlive us.
                job = jobSubmission.get(60, TimeUnit.SECONDS);
            }
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
                job.getJobExecutionResult().handle((r, e) -> null).get(30, TimeUnit.SECONDS);
            }
        });
        quietly(() -> {
            if (flinkStart != null) {
                flinkStart.get(60, TimeUnit.SECONDS).closeAsync().get(30, TimeUnit.SECONDS);
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
        if (kafka == null && bootstrap != null) {
            quietly(this::removeExternalLeftovers);
        }
        quietly(() -> {
            if (registry != null) {
                registry.close();
            }
        });
        quietly(() -> {
            if (kafka != null) {
                kafka.close();
            }
        });
        quietly(() -> deleteRecursively(tempDir));
        quietly(this::deleteFlinkCacheCopies);
    }

    /**
     * Flink's client zips the model directory it ships through the distributed cache into
     * {@code java.io.tmpdir/flink-distributed-cache-<job id>...} and never deletes it.
     */
    private void deleteFlinkCacheCopies() throws IOException {
        if (job == null) {
            return;
        }
        String prefix = "flink-distributed-cache-" + job.getJobID();
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                deleteRecursively(p);
            }
        }
    }

    /** This run's consumer groups and Kafka Streams internal topics on someone else's cluster. */
    private void removeExternalLeftovers() throws Exception {
        try (Admin admin = admin()) {
            String app = analyticsId();
            List<String> internal = admin.listTopics().names().get(15, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(app + "-")).toList();
            if (!internal.isEmpty()) {
                admin.deleteTopics(internal).all().get(30, TimeUnit.SECONDS);
            }
            admin.deleteConsumerGroups(List.of(app, "nri-demo-job-" + runId)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    private static void checkKafka(String bootstrap) {
        Map<String, Object> p = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalArgumentException("Kafka at " + bootstrap + " does not answer (" + rootMessage(e)
                    + "); check --bootstrap", e);
        }
    }

    private static void checkRegistry(String url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalArgumentException("the schema registry at " + url + " answered HTTP "
                        + r.statusCode() + " to GET /subjects; check --registry (Apicurio: "
                        + "http://HOST:8080/apis/ccompat/v7)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the schema registry at " + url + " does not answer (" + e
                    + "); check --registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One start-up step, stamped with the seconds since the command started. */
    private void say(String format, Object... args) {
        double t = (System.currentTimeMillis() - settings.startMs()) / 1000.0;
        progress.println(String.format(Locale.ROOT, "  [%5.1f s] " + format, prepend(t, args)));
        progress.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
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
        String msg = null;
        Throwable c = t;
        for (int depth = 0; c != null && depth < 20; depth++, c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                msg = c.getClass().getSimpleName() + ": " + c.getMessage();
            }
        }
        return msg == null ? t.toString() : msg;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step s) {
        try {
            s.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            // Shutting down: one stubborn part must not keep the rest running.
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Keep deleting the rest.
                }
            }
        }
    }
}
