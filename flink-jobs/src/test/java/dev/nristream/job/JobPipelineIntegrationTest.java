package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.Agent;
import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.source.FrameValidator;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowFeatures;
import dev.nristream.job.window.WindowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Simulated scenes through the whole job (Kafka source with the registry, MiniCluster, golden random-weight
 * model, transactional Kafka sinks), checked against the same windows computed offline.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobPipelineIntegrationTest {

    static final int STRIDE = 10;
    static TestTopics topics;
    static List<PositionFrame> all = new ArrayList<>();
    static Map<String, List<InteractionGraph>> graphs;
    static Map<String, List<TrajectoryForecast>> forecasts;

    @BeforeAll
    static void runJob() throws Exception {
        topics = TestTopics.create("pipeline", 3);
        for (int s = 0; s < 3; s++) {
            all.addAll(StreamTestKit.springsScene("springs-" + s, 5, 80, 100 + s));
        }
        all.addAll(changingScene());
        all.addAll(fastScene());
        StreamTestKit.send(topics.positions(), all);

        JobConfig cfg = StreamTestKit.config(topics, StreamTestKit.goldenModel(), "pipeline")
                .set(JobConfig.STRIDE, STRIDE).set(JobConfig.BATCH_MAX_SIZE, 4)
                .set(JobConfig.IDLENESS_MS, 120_000L) // every frame is sent before the job starts: no partition idles
                .build();
        NriStreamJob.fromConfig(cfg).execute(FlinkMiniCluster.environment(2));

        graphs = StreamTestKit.readCommitted(topics.graphs(), InteractionGraph.class).stream()
                .map(ConsumerRecord::value)
                .collect(Collectors.groupingBy(g -> g.getSceneId()));
        forecasts = StreamTestKit.readCommitted(topics.forecasts(), TrajectoryForecast.class).stream()
                .map(ConsumerRecord::value)
                .collect(Collectors.groupingBy(f -> f.getSceneId()));
    }

    /** Agents p0-p3 throughout; p4 leaves after frame 59; p5 joins at frame 40. */
    static List<PositionFrame> changingScene() {
        List<PositionFrame> src = StreamTestKit.springsScene("changing", 6, 100, 7);
        List<PositionFrame> out = new ArrayList<>();
        for (PositionFrame f : src) {
            long k = f.getFrameIndex();
            List<Agent> kept = f.getAgents().stream()
                    .filter(a -> !(a.getId().equals("p4") && k >= 60) && !(a.getId().equals("p5") && k < 40))
                    .collect(Collectors.toList());
            out.add(PositionFrame.newBuilder(f).setAgents(kept).setGroundTruthEdges(null).build());
        }
        return out;
    }

    /** A 25 Hz scene (frames 40 ms apart) for the 10 Hz model: decimated to the model's grid. */
    static List<PositionFrame> fastScene() {
        List<PositionFrame> src = StreamTestKit.springsScene("fast", 4, 150, 8);
        List<PositionFrame> out = new ArrayList<>();
        for (PositionFrame f : src) {
            out.add(PositionFrame.newBuilder(f).setEventTimeMs(StreamTestKit.T0 + 40 * f.getFrameIndex())
                    .setSamplingRateHz(25.0).build());
        }
        return out;
    }

    static List<Long> endFrames(List<InteractionGraph> g) {
        return g.stream().map(InteractionGraph::getWindowEndFrame).sorted().collect(Collectors.toList());
    }

    @Test
    void everyDueWindowYieldsExactlyOneGraphAndOneForecast() {
        for (int s = 0; s < 3; s++) {
            assertThat(endFrames(graphs.get("springs-" + s))).containsExactly(48L, 58L, 68L, 78L);
            assertThat(forecasts.get("springs-" + s)).extracting(TrajectoryForecast::getOriginFrame)
                    .containsExactlyInAnyOrder(48L, 58L, 68L, 78L);
        }
        assertThat(endFrames(graphs.get("changing"))).containsExactly(48L, 58L, 68L, 78L, 88L, 98L);
    }

    @Test
    void aFasterFeedIsResampledToTheModelsPeriod() {
        List<InteractionGraph> g = graphs.get("fast");
        assertThat(endFrames(g)).containsExactly(120L, 145L); // 4.8 s and 5.8 s after the first frame
        assertThat(g).extracting(InteractionGraph::getWindowStartFrame).containsExactlyInAnyOrder(0L, 25L);
        assertThat(g).extracting(x -> x.getWindowEndMs() - x.getWindowStartMs()).containsOnly(4800L);
    }

    @Test
    void graphsAreCompleteAndStamped() {
        for (InteractionGraph g : graphs.get("springs-1")) {
            assertThat(g.getModelId()).isEqualTo("golden-random-springs");
            assertThat(g.getAgentIds()).containsExactly("p0", "p1", "p2", "p3", "p4");
            assertThat(g.getEdges()).hasSize(20);
            assertThat(g.getEdgeTypeNames()).containsExactly("none", "spring");
            assertThat(g.getNoEdgeType()).as("the model's no_edge_type").isZero();
            assertThat(g.getWindowStartFrame()).isEqualTo(g.getWindowEndFrame() - 48);
            assertThat(g.getWindowEndMs()).isEqualTo(StreamTestKit.T0 + 100 * g.getWindowEndFrame());
            assertThat(g.getWindowStartMs()).isEqualTo(StreamTestKit.T0 + 100 * g.getWindowStartFrame());
            Edge first = g.getEdges().get(0);
            assertThat(first.getReceiver()).isEqualTo("p0");
            assertThat(first.getSender()).isEqualTo("p1");
            assertThat(g.getEdges().get(4).getReceiver()).isEqualTo("p1");
            assertThat(g.getEdges().get(4).getSender()).isEqualTo("p0");
            for (Edge e : g.getEdges()) {
                assertThat(e.getProbabilities().get(0) + e.getProbabilities().get(1)).isCloseTo(1f, within(1e-4f));
                assertThat(e.getEdgeType()).isEqualTo(e.getProbabilities().get(1) > e.getProbabilities().get(0) ? 1 : 0);
            }
        }
    }

    @Test
    void nodesFollowTheAgentsPresentInTheWindow() {
        Map<Long, List<String>> nodes = new HashMap<>();
        for (InteractionGraph g : graphs.get("changing")) {
            nodes.put(g.getWindowEndFrame(), g.getAgentIds());
        }
        assertThat(nodes.get(48L)).containsExactly("p0", "p1", "p2", "p3", "p4");
        assertThat(nodes.get(58L)).containsExactly("p0", "p1", "p2", "p3", "p4");
        assertThat(nodes.get(68L)).containsExactly("p0", "p1", "p2", "p3");
        assertThat(nodes.get(78L)).containsExactly("p0", "p1", "p2", "p3", "p5");
        assertThat(nodes.get(98L)).containsExactly("p0", "p1", "p2", "p3", "p5");
        for (InteractionGraph g : graphs.get("changing")) {
            int n = g.getAgentIds().size();
            assertThat(g.getEdges()).hasSize(n * (n - 1));
        }
    }

    @Test
    void outputsMatchTheSameWindowsComputedOffline() throws Exception {
        ModelDirectory dir = ModelDirectory.open(StreamTestKit.goldenModel());
        WindowSpec ws = WindowSpec.forModel(dir.spec(), STRIDE);
        SceneWindower windower = new SceneWindower(ws);
        FeatureBuilder fb = new FeatureBuilder(dir.spec(), ws);
        FrameValidator validator = new FrameValidator(64);
        Map<Long, InteractionGraph> byEnd = graphs.get("changing").stream()
                .collect(Collectors.toMap(InteractionGraph::getWindowEndFrame, g -> g));
        Map<Long, TrajectoryForecast> fcByEnd = forecasts.get("changing").stream()
                .collect(Collectors.toMap(TrajectoryForecast::getOriginFrame, f -> f));
        SceneWindowState state = new SceneWindowState();
        int checked = 0;
        try (NriOnnxModel model = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))) {
            for (PositionFrame f : all) {
                if (!f.getSceneId().equals("changing")) {
                    continue;
                }
                SceneWindower.Result r = windower.add(state, validator.check(f).sample());
                if (r.window() == null) {
                    continue;
                }
                WindowFeatures wf = fb.build(r.window());
                int n = wf.nodes();
                float[] probs = model.encode(wf.features(), 1, n);
                float[] roll = model.rolloutWindow(wf.features(), ws.windowLength(), NriOnnxModel.hardEdges(probs, 2),
                        1, n, 10);
                double[][][] xy = fb.forecastPositions(roll, 0, 10, n);
                InteractionGraph g = byEnd.get(r.window().endFrame());
                assertThat(g.getAgentIds()).isEqualTo(wf.agentIds());
                for (int e = 0; e < g.getEdges().size(); e++) {
                    assertThat(g.getEdges().get(e).getProbabilities().get(1)).isCloseTo(probs[2 * e + 1], within(1e-5f));
                }
                TrajectoryForecast fc = fcByEnd.get(r.window().endFrame());
                assertThat(fc.getHorizon()).isEqualTo(10);
                assertThat(fc.getStepPeriodMs()).isEqualTo(100.0);
                assertThat(fc.getOriginTimeMs()).isEqualTo(g.getWindowEndMs());
                for (int a = 0; a < n; a++) {
                    AgentForecast af = fc.getAgents().get(a);
                    assertThat(af.getAgentId()).isEqualTo(wf.agentIds().get(a));
                    assertThat(af.getX()).hasSize(10);
                    assertThat(af.getZ()).isNull();
                    for (int h = 0; h < 10; h++) {
                        assertThat(af.getX().get(h)).isCloseTo(xy[a][h][0], within(1e-6));
                        assertThat(af.getY().get(h)).isCloseTo(xy[a][h][1], within(1e-6));
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6);
    }
}
