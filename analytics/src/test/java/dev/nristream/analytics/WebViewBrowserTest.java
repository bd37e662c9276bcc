package dev.nristream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.analytics.browser.HeadlessChromium;
import dev.nristream.analytics.browser.WebViewPage;
import dev.nristream.avro.Agent;
import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.Edge;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.feed.sim.SimulatedFeed;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.sim.KuramotoForm;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicSpec;
import dev.nristream.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web view in a real browser (headless Chromium) against the real analytics on the real broker and registry:
 * simulated springs frames with their ground truth, forecasts and interaction graphs go to the topics, the page
 * must show the scene and draw exactly the latest graph's edges (no-edge hidden, the wrong ones marked). Saves a
 * screenshot to {@code target/web-view.png} (and to the path in {@code -Dnri.webview.screenshot}). The same page
 * against the real job: {@code LivePipelineEndToEndTest} (cli), which makes docs/images/web-view.png.
 *
 * <p>Skips, saying so, where no Chromium is installed, unless {@code NRI_REQUIRE_BROWSER=1} (set by
 * {@code .ci/run}, which installs it), where a missing browser fails.
 */
@ExtendWith(RealServices.class)
class WebViewBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final List<String> TYPES = List.of("none", "spring");
    private static final int FRAMES = 60;
    private static final int GRAPH_END = 49;
    private static final int HORIZON = 10;

    @TempDir
    Path work;

    @Test
    void drawsTheLatestGraphOfALiveSceneInARealBrowser() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.orSkip(work);
        AnalyticsTopics.all().forEach(t -> RealServices.createTopics(1, t.name()));
        AnalyticsTopics.ensure(RealServices.bootstrapServers(), false, 1, Duration.ofSeconds(15));
        long start = System.currentTimeMillis();
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).build();
        List<PositionFrame> frames = new ArrayList<>();
        String scene;
        try (SimulatedFeed feed = new SimulatedFeed(cfg, 1, 7, FRAMES, start)) {
            feed.forEachRemaining(frames::add);
            scene = feed.sceneId(0) + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        frames.replaceAll(f -> PositionFrame.newBuilder(f).setSceneId(scene).build());
        PositionFrame last = frames.get(GRAPH_END);
        Map<String, Integer> truth = new HashMap<>();
        for (GroundTruthEdge e : last.getGroundTruthEdges()) {
            truth.put(e.getSender() + ">" + e.getReceiver(), e.getEdgeType());
        }
        String missed = truth.entrySet().stream().filter(e -> e.getValue() == 1).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("simulation seed 7 has no spring: pick another"));
        String wrong = truth.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).sorted()
                .findFirst().orElseThrow(() -> new AssertionError("simulation seed 7 has springs only"));
        InteractionGraph latest = graph(scene, last, truth, Map.of(missed, 0, wrong, 1));
        InteractionGraph older = graph(scene, frames.get(GRAPH_END - 10), truth, Map.of());

        try (AnalyticsService svc = analytics("webview-it-");
                KafkaProducer<String, byte[]> producer = producer()) {
            assertThat(svc.httpAddress().getAddress().isLoopbackAddress())
                    .as("the analytics bind loopback unless told otherwise").isTrue();
            svc.awaitRunning(WAIT);
            for (PositionFrame f : frames) {
                send(producer, Topics.POSITIONS, scene, f);
            }
            send(producer, Topics.FORECASTS, scene, forecast(scene, frames, 30));
            send(producer, Topics.FORECASTS, scene, forecast(scene, frames, 40));
            send(producer, Topics.GRAPHS, scene, latest);
            send(producer, Topics.GRAPHS, scene, older); // arrives last, but the page must show the latest window
            send(producer, Topics.GRAPHS, HOSTILE, InteractionGraph.newBuilder(older).setSceneId(HOSTILE).build());
            producer.flush();

            int port = svc.httpPort();
            WebViewPage.awaitLive(port, scene, j -> j.path("graph").path("window_end_frame").asLong() == GRAPH_END
                    && j.path("view").path("forecast").path("origin_frame").asLong() == 40
                    && j.path("forecast_error").path("errors_in_window").asLong() >= HORIZON, WAIT);

            WebViewPage page = WebViewPage.render(chromium, port, scene, work);
            String dom = page.dom();
            assertThat(dom).as("the page lists the scene").contains(">" + scene + "</button>");
            assertThat(page.shownWindowEndMs()).isEqualTo(latest.getWindowEndMs());
            assertThat(dom).contains(latest.getModelId());

            assertThat(page.drawnEdges()).as("edges drawn = the latest graph's edges, no-edge hidden")
                    .isEqualTo(WebViewPage.interactions(latest));
            Map<String, Map<String, String>> drawn = page.paths("edge");
            assertThat(drawn.get(wrong).get("data-wrong")).isEqualTo("true");
            drawn.forEach((pair, a) -> assertThat(a.get("data-wrong")).as(pair).isEqualTo(
                    Boolean.toString(pair.equals(wrong))));
            assertThat(page.paths("missed").keySet()).as("the true spring the graph missed").containsExactly(missed);
            assertThat(dom).as("forecast trails").contains("class=\"forecast\"");
            assertThat(dom).as("forecast error bars").contains("class=\"error-bar\"");

            assertThat(dom).as("a feed's id is text, never markup").doesNotContain("<img")
                    .contains("&lt;img src=x onerror=alert(1)&gt;");
            page.saveScreenshot();
        }
    }

    @Test
    void drawsKuramotoOscillatorsOnTheirUnitCircle() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.orSkip(work);
        AnalyticsTopics.all().forEach(t -> RealServices.createTopics(1, t.name()));
        AnalyticsTopics.ensure(RealServices.bootstrapServers(), false, 1, Duration.ofSeconds(15));
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.KURAMOTO).setAtoms(5)
                .optKuramotoForm(KuramotoForm.CIRCLE).build();
        List<PositionFrame> frames = new ArrayList<>();
        String scene;
        try (SimulatedFeed feed = new SimulatedFeed(cfg, 1, 11, 30, System.currentTimeMillis())) {
            feed.forEachRemaining(frames::add);
            scene = feed.sceneId(0) + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        frames.replaceAll(f -> PositionFrame.newBuilder(f).setSceneId(scene).build());
        assertThat(frames.get(0).getSystem()).isEqualTo("kuramoto");

        try (AnalyticsService svc = analytics("webview-kuramoto-it-");
                KafkaProducer<String, byte[]> producer = producer()) {
            svc.awaitRunning(WAIT);
            for (PositionFrame f : frames) {
                send(producer, Topics.POSITIONS, scene, f);
            }
            send(producer, Topics.FORECASTS, scene, forecast(scene, frames, frames.size() - 1 - HORIZON));
            PositionFrame last = frames.get(frames.size() - 1);
            Map<String, Integer> truth = new HashMap<>();
            last.getGroundTruthEdges().forEach(e -> truth.put(e.getSender() + ">" + e.getReceiver(), e.getEdgeType()));
            send(producer, Topics.GRAPHS, scene, InteractionGraph.newBuilder(graph(scene, last, truth, Map.of()))
                    .setModelId("kuramoto5").setEdgeTypeNames(List.of("none", "coupling")).build());
            producer.flush();
            long lastFrame = frames.get(frames.size() - 1).getFrameIndex();
            WebViewPage.awaitLive(svc.httpPort(), scene, j -> "kuramoto".equals(j.path("view").path("system").asText())
                    && j.path("view").path("frame_index").asLong() == lastFrame
                    && j.path("graph").path("window_end_frame").asLong() == lastFrame
                    && j.path("view").path("forecast").path("origin_frame").asLong() == lastFrame - HORIZON, WAIT);

            WebViewPage page = WebViewPage.render(chromium, svc.httpPort(), scene, work);
            String dom = page.dom();
            assertThat(dom).as("the oscillators' circle is drawn").containsOnlyOnce("class=\"unit-circle\"");
            assertThat(dom).as("no scale bar: a phase has no length unit").doesNotContain(" sim</text>");
            assertThat(dom).as("every oscillator is drawn").contains(">p4</text>");
            assertThat(dom).as("phase trails").contains("class=\"path\"");
            assertThat(dom).as("forecast trails").contains("class=\"forecast\"");
            page.saveScreenshot("web-view-kuramoto");
        }
    }

    /** The real analytics on the real broker and registry, committing every 100 ms, HTTP on a free port. */
    private AnalyticsService analytics(String applicationPrefix) {
        return AnalyticsService.builder()
                .setBootstrapServers(RealServices.bootstrapServers())
                .setRegistry(RealServices.registryConfig())
                .withApplicationId(applicationPrefix + UUID.randomUUID())
                .withStateDir(work.resolve("state"))
                .withHttpPort(0)
                .withConfig(AnalyticsConfig.builder().withGrace(Duration.ZERO).build())
                .withStreamsProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100)
                .start();
    }

    /** A graph over the frame's agents, every pair typed by its ground truth except {@code flips}. */
    private static InteractionGraph graph(String scene, PositionFrame frame, Map<String, Integer> truth,
            Map<String, Integer> flips) {
        List<String> ids = frame.getAgents().stream().map(Agent::getId).toList();
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = 0; j < ids.size(); j++) {
                if (i != j) {
                    String pair = ids.get(j) + ">" + ids.get(i);
                    int type = flips.getOrDefault(pair, truth.get(pair));
                    float p = 0.55f + 0.4f * ((i * 5 + j) % 7) / 6f;
                    List<Float> probs = type == 1 ? List.of(1 - p, p) : List.of(p, 1 - p);
                    edges.add(Edge.newBuilder().setSender(ids.get(j)).setReceiver(ids.get(i)).setEdgeType(type)
                            .setProbabilities(probs).build());
                }
            }
        }
        return InteractionGraph.newBuilder().setSceneId(scene).setModelId("springs5")
                .setWindowStartMs(frame.getEventTimeMs() - 4900).setWindowEndMs(frame.getEventTimeMs())
                .setWindowStartFrame(frame.getFrameIndex() - 49).setWindowEndFrame(frame.getFrameIndex())
                .setAgentIds(ids).setEdges(edges).setEdgeTypeNames(TYPES).setNoEdgeType(0)
                .setProcessingTimeMs(System.currentTimeMillis()).build();
    }

    /** A forecast from frame {@code origin}: the actual later positions, drifting off with the step. */
    private static TrajectoryForecast forecast(String scene, List<PositionFrame> frames, int origin) {
        PositionFrame o = frames.get(origin);
        List<AgentForecast> agents = new ArrayList<>();
        for (int a = 0; a < o.getAgents().size(); a++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 1; k <= HORIZON; k++) {
                Agent actual = frames.get(origin + k).getAgents().get(a);
                double drift = 0.004 * k * k;
                x.add(actual.getX() + drift);
                y.add(actual.getY() - drift / 2);
            }
            agents.add(AgentForecast.newBuilder().setAgentId(o.getAgents().get(a).getId()).setX(x).setY(y).build());
        }
        return TrajectoryForecast.newBuilder().setSceneId(scene).setModelId("springs5")
                .setOriginTimeMs(o.getEventTimeMs()).setOriginFrame(o.getFrameIndex())
                .setStepPeriodMs(1000.0 / o.getSamplingRateHz()).setHorizon(HORIZON).setAgents(agents).build();
    }

    private static <V extends SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
            TopicSpec<String, V> topic, String key, V value) throws Exception {
        byte[] bytes = RegistrySerdes.valueSerializer(topic, RealServices.registryConfig()).serialize(topic.name(),
                value);
        producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
