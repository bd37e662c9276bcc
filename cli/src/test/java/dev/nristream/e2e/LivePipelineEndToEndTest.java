package dev.nristream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.analytics.AnalyticsService;
import dev.nristream.analytics.AnalyticsTopics;
import dev.nristream.analytics.browser.HeadlessChromium;
import dev.nristream.analytics.browser.WebViewPage;
import dev.nristream.avro.Edge;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.examples.ConsumeGraphs;
import dev.nristream.examples.ExampleRuns;
import dev.nristream.examples.StreamGraphs;
import dev.nristream.feed.sim.SimulatedFeed;
import dev.nristream.job.JobConfig;
import dev.nristream.job.NriStreamJob;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.replay.KafkaFrameSink;
import dev.nristream.replay.ProducerSettings;
import dev.nristream.replay.Replay;
import dev.nristream.replay.Speed;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.testing.CommittedRecords;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline live, on the real services, as its users see it: the real broker and registry
 * ({@link RealServices}), the stream job built by {@link NriStreamJob#fromConfig} with the shipped model
 * {@code models/springs5} on the Flink MiniCluster, the analytics (Kafka Streams and the HTTP server, started as
 * the demo starts them), and simulated springs scenes replayed into {@code tracking.positions} by the feed code of
 * {@code ./nri replay} — several scenes interleaved in time, as live scenes arrive (sent one after the other, all
 * but the first would be seconds behind the watermark and dead-lettered as late), in real time and without end
 * until the test is over, so the job writes all along.
 *
 * <p>Before the first frame, the three example consumers (plain {@code KafkaConsumer}, Kafka Streams, Python) start
 * as processes of their own, as their users run them, against the topic the job then writes, each to stop after
 * {@link #PRINTED} graphs. While the job writes, headless Chromium loads the web view of a scene and must draw
 * exactly the edges of the graph the test itself reads from {@code nri.graphs} (read_committed) for the window the
 * page shows, the scene's latest when the page was loaded or a newer one; the screenshot is
 * docs/images/web-view.png's source. Each example must have printed, per scene and in order, the strongest edges
 * of the first graphs the job wrote for it.
 *
 * <p>The browser part follows the other browser tests: it skips, saying why, where no Chromium is installed, unless
 * {@code NRI_REQUIRE_BROWSER=1} (CI), where that fails.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LivePipelineEndToEndTest {

    static final int SCENES = 4;
    /** Graphs each example prints before it stops: four windows per scene, about 8 s of the feed. */
    static final int PRINTED = 4 * SCENES;
    static final int STRIDE = 10;
    static final long SEED = 2026;
    static final Duration WAIT = Duration.ofSeconds(120);
    static final int PARTITIONS = 2;

    @TempDir
    static Path work;

    static ModelSpec spec;
    static List<String> scenes;
    static Map<String, Map<String, Integer>> truth;
    static JobClient job;
    static AnalyticsService analytics;
    static KafkaFrameSink sink;
    static Replay replay;
    static Thread feed;
    static volatile Throwable feedFailure;
    static final Map<String, ExampleProcess> consumers = new LinkedHashMap<>();

    /** An example consumer running as its own process, its output in files. */
    record ExampleProcess(Process process, Path stdout, Path stderr) {
        List<String> lines() throws Exception {
            return Files.readAllLines(stdout).stream().filter(l -> !l.isBlank()).toList();
        }

        String errors() throws Exception {
            return Files.readString(stderr);
        }
    }

    @BeforeAll
    static void startThePipelineAndTheConsumers() throws Exception {
        Path model = Path.of(System.getProperty("nri.project.root", ".."), "models", "springs5");
        spec = ModelDirectory.open(model).spec();
        SimConfig sim = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(spec.atoms()).build();
        readTheTruth(sim);

        List<String> topics = new ArrayList<>(List.of(Topics.POSITIONS_DLQ.name()));
        AnalyticsTopics.all().forEach(t -> topics.add(t.name()));
        RealServices.createTopics(PARTITIONS, topics.toArray(String[]::new));

        String run = UUID.randomUUID().toString().substring(0, 8);
        JobConfig config = JobConfig.builder()
                .set(JobConfig.MODEL_DIR, model.toAbsolutePath().toString())
                .set(JobConfig.BOOTSTRAP_SERVERS, RealServices.bootstrapServers())
                .set(JobConfig.REGISTRY_URL, RealServices.registryUrl())
                .set(JobConfig.GROUP_ID, "e2e-job-" + run)
                .set(JobConfig.TRANSACTIONAL_ID_PREFIX, "e2e-" + run)
                .set(JobConfig.STARTING_OFFSETS, JobConfig.StartingOffsets.EARLIEST)
                .set(JobConfig.STRIDE, STRIDE)
                .set(JobConfig.CHECKPOINT_INTERVAL_MS, 300L)
                .set(JobConfig.DEVICE, "cpu")
                .build();
        job = NriStreamJob.fromConfig(config).executeAsync(FlinkMiniCluster.environment(1));

        analytics = AnalyticsService.builder()
                .setBootstrapServers(RealServices.bootstrapServers())
                .setRegistry(RealServices.registryConfig())
                .withApplicationId("e2e-analytics-" + run)
                .withStateDir(work.resolve("analytics"))
                .withHttpHost("127.0.0.1")
                .withHttpPort(0)
                .withStreamsProperty(StreamsConfig.mainConsumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG),
                        "earliest")
                .start();

        start("java", ExampleRuns.javaCommand(ConsumeGraphs.class, flags("java-" + run)));
        start("streams", ExampleRuns.javaCommand(StreamGraphs.class, flags("streams-" + run)));
        start("python", ExampleRuns.pythonCommand(flags("python-" + run)));
        analytics.awaitRunning(WAIT);

        sink = KafkaFrameSink.create(ProducerSettings.defaults(RealServices.bootstrapServers()).withLingerMs(5),
                RealServices.registryConfig(), Topics.POSITIONS);
        replay = Replay.builder()
                .setSource(problems -> new SimulatedFeed(sim, SCENES, SEED, 0, System.currentTimeMillis()))
                .setSink(sink)
                .withSpeed(Speed.REAL_TIME)
                .build();
        feed = new Thread(() -> {
            try {
                replay.run();
            } catch (Throwable t) {
                feedFailure = t;
            }
        }, "e2e-feed");
        feed.setDaemon(true);
        feed.start();
    }

    /** Scene ids and ground truth of the feed: it is deterministic in (seed, scene), so a second copy tells them. */
    private static void readTheTruth(SimConfig sim) {
        scenes = new ArrayList<>();
        truth = new HashMap<>();
        try (SimulatedFeed copy = new SimulatedFeed(sim, SCENES, SEED, 1, 0)) {
            while (copy.hasNext()) {
                PositionFrame f = copy.next();
                scenes.add(f.getSceneId());
                Map<String, Integer> pairs = new HashMap<>();
                for (GroundTruthEdge e : f.getGroundTruthEdges()) {
                    pairs.put(e.getSender() + ">" + e.getReceiver(), e.getEdgeType());
                }
                truth.put(f.getSceneId(), pairs);
            }
        }
    }

    private static List<String> flags(String group) {
        return ExampleRuns.flags(RealServices.bootstrapServers(), RealServices.registryUrl(), Topics.GRAPHS.name(),
                "e2e-" + group, PRINTED, WAIT.toSeconds());
    }

    /** Runs in {@code work}: a child JVM's test logging (target/test.log) must not overwrite this JVM's. */
    private static void start(String name, List<String> command) throws Exception {
        Path out = work.resolve(name + ".out");
        Path err = work.resolve(name + ".err");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        consumers.put(name, new ExampleProcess(p, out, err));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        consumers.values().forEach(c -> c.process().destroyForcibly());
        if (replay != null) {
            replay.stop();
            feed.join(15_000);
        }
        if (sink != null) {
            sink.close();
        }
        try {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (analytics != null) {
                analytics.close();
            }
        }
    }

    @Test
    @Order(1)
    void theWebViewDrawsTheLatestGraphOfALiveSceneInARealBrowser() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.orSkip(work);
        String scene = scenes.get(0);
        long latest = awaitACommittedGraph(scene);
        int port = analytics.httpPort();
        WebViewPage.awaitLive(port, scene, j -> j.path("graph").path("window_end_ms").asLong() >= latest, WAIT);

        WebViewPage page = WebViewPage.render(chromium, port, scene, work);
        assertThat(feed.isAlive()).as("the page was loaded while the job was fed and wrote").isTrue();
        long shown = page.shownWindowEndMs();
        assertThat(shown).as("the page shows the scene's latest committed graph, or one the job wrote since")
                .isGreaterThanOrEqualTo(latest);
        InteractionGraph g = committedGraphs().stream()
                .filter(x -> x.getSceneId().equals(scene) && x.getWindowEndMs() == shown).findFirst()
                .orElseThrow(() -> new AssertionError("the page shows a window ending at " + shown + " that "
                        + Topics.GRAPHS.name() + " has no committed graph of " + scene + " for"));
        assertThat(g.getNoEdgeType()).as("no_edge_type from the model's spec").isEqualTo(spec.noEdgeTypeOrNone());

        assertThat(page.drawnEdges()).as("edges drawn = the graph's edges but the no-edge type")
                .isNotEmpty().isEqualTo(WebViewPage.interactions(g));
        // springs5's types are already "none" / "spring", so judged against the truth the types map onto themselves.
        Map<String, Integer> real = truth.get(scene);
        page.paths("edge").forEach((pair, a) -> assertThat(a.get("data-wrong")).as("wrong mark of %s", pair)
                .isEqualTo(Boolean.toString(real.get(pair) != Integer.parseInt(a.get("data-type")))));
        Set<String> missed = new TreeSet<>();
        for (Edge e : g.getEdges()) {
            String pair = e.getSender() + ">" + e.getReceiver();
            if (e.getEdgeType() == g.getNoEdgeType() && real.get(pair) != 0) {
                missed.add(pair);
            }
        }
        assertThat(page.paths("missed").keySet()).as("true springs the graph missed")
                .containsExactlyInAnyOrderElementsOf(missed);
        assertThat(page.dom()).as("the scene list and the model").contains(">" + scene + "</button>")
                .contains(g.getModelId());
        page.saveScreenshot();
    }

    @Test
    @Order(2)
    void theExampleConsumersPrintTheStrongestEdgesOfEveryGraphTheJobWrote() throws Exception {
        for (Map.Entry<String, ExampleProcess> c : consumers.entrySet()) {
            Process p = c.getValue().process();
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the %s example finished; printed %s",
                    c.getKey(), c.getValue().lines()).isTrue();
            assertThat(p.exitValue()).as("exit code of the %s example; stderr:%n%s", c.getKey(),
                    c.getValue().errors()).isZero();
        }
        assertThat(feedFailure).as("the feed").isNull();
        assertThat(feed.isAlive()).as("the feed still runs: the examples read while the job wrote").isTrue();

        List<InteractionGraph> graphs = committedGraphs();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (InteractionGraph g : graphs) {
            assertThat(g.getModelId()).isEqualTo(spec.modelId());
            assertThat(g.getNoEdgeType()).isEqualTo(spec.noEdgeTypeOrNone());
            expected.computeIfAbsent(g.getSceneId(), k -> new ArrayList<>()).add(ExampleRuns.line(g));
        }
        assertThat(scenes).containsAll(expected.keySet());
        assertThat(expected.values().stream().flatMap(List::stream))
                .as("the job found springs, and the no-edge type is never shown as an interaction")
                .anyMatch(l -> l.contains(" spring "))
                .noneMatch(l -> l.contains(" " + spec.edgeTypeNames().get(spec.noEdgeTypeOrNone()) + " "));

        for (Map.Entry<String, ExampleProcess> c : consumers.entrySet()) {
            List<String> printed = c.getValue().lines();
            assertThat(printed).as("lines of the %s example", c.getKey()).hasSize(PRINTED)
                    .allMatch(l -> scenes.stream().anyMatch(s -> l.startsWith(s + " frame ")));
            for (String scene : scenes) {
                List<String> ofScene = printed.stream().filter(l -> l.startsWith(scene + " frame ")).toList();
                List<String> written = expected.getOrDefault(scene, List.of());
                assertThat(ofScene).as("what the %s example printed for %s: the job's first graphs, in order",
                        c.getKey(), scene).containsExactlyElementsOf(written.subList(0, Math.min(ofScene.size(),
                        written.size())));
            }
        }
    }

    /** Waits until the job has committed a graph of {@code scene}; returns the window end of its latest. */
    private static long awaitACommittedGraph(String scene) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long latest = committedGraphs().stream().filter(g -> g.getSceneId().equals(scene))
                    .mapToLong(InteractionGraph::getWindowEndMs).max().orElse(-1);
            if (latest >= 0) {
                return latest;
            }
            assertThat(feedFailure).as("the feed").isNull();
            Thread.sleep(500);
        }
        throw new AssertionError("the job committed no graph of " + scene + " within " + WAIT);
    }

    private static List<InteractionGraph> committedGraphs() {
        return CommittedRecords.read(Topics.GRAPHS.name(), InteractionGraph.class).stream()
                .map(ConsumerRecord::value).toList();
    }
}
