package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.sim.SimSystem;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One job serving two models side by side (issue 14): the shipped 2D springs model and a random-weight 3D motion
 * capture model, picked per scene by what the frames say they are. Simulated springs scenes and 3D mocap scenes are
 * interleaved on two partitions; each scene's graphs carry its model's id and follow its model's window length and
 * rate; a 3D feed with more joints than any model takes, and a simulated system no model was trained on, are
 * dead-lettered with a reason naming what is missing.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobMultiModelIntegrationTest {

    static final Path SPRINGS = Path.of("..", "models", "springs5");
    static ModelSpec springs;
    static ModelSpec mocap;
    static Map<String, List<InteractionGraph>> graphs;
    static Map<String, List<TrajectoryForecast>> forecasts;
    static List<DeadLetter> deadLetters;

    static Path mocapModel() {
        try {
            return Path.of(JobMultiModelIntegrationTest.class.getResource("/golden-model-3d/model.json").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void runJob() throws Exception {
        springs = ModelDirectory.open(SPRINGS).spec();
        mocap = ModelDirectory.open(mocapModel()).spec();
        TestTopics topics = TestTopics.create("multi", 2);
        List<PositionFrame> frames = new ArrayList<>();
        frames.addAll(named(StreamTestKit.springsScene("springs-a", 5, 70, 1), "springs"));
        frames.addAll(named(StreamTestKit.springsScene("springs-b", 5, 70, 2), "springs"));
        frames.addAll(mocapScene("walk-a", 4, 60, 0.3));
        frames.addAll(mocapScene("walk-b", 4, 60, 1.1));
        frames.addAll(mocapScene("skeleton-31", 31, 30, 0.5));
        frames.addAll(named(StreamTestKit.particleScene(SimSystem.CHARGED, "charged-a", 5, 30, 3), "charged"));
        frames.sort((x, y) -> Long.compare(x.getEventTimeMs(), y.getEventTimeMs()));
        StreamTestKit.sendChecked(topics.positions(), frames);

        JobConfig cfg = StreamTestKit.config(topics, SPRINGS, "multi")
                .set(JobConfig.MODEL_DIR, SPRINGS + "," + mocapModel())
                .set(JobConfig.PARALLELISM, 2).build();
        NriStreamJob.fromConfig(cfg).execute(FlinkMiniCluster.environment(2));

        graphs = StreamTestKit.readCommitted(topics.graphs(), InteractionGraph.class).stream()
                .map(ConsumerRecord::value).collect(Collectors.groupingBy(InteractionGraph::getSceneId));
        forecasts = StreamTestKit.readCommitted(topics.forecasts(), TrajectoryForecast.class).stream()
                .map(ConsumerRecord::value).collect(Collectors.groupingBy(TrajectoryForecast::getSceneId));
        deadLetters = StreamTestKit.readCommitted(topics.dlq(), DeadLetter.class).stream()
                .map(ConsumerRecord::value).toList();
    }

    static List<PositionFrame> named(List<PositionFrame> frames, String system) {
        return frames.stream().map(f -> PositionFrame.newBuilder(f).setSystem(system).build()).toList();
    }

    /** Joints on slow 3D circles, 20 Hz, with velocities: the mocap model's layout. */
    static List<PositionFrame> mocapScene(String scene, int joints, int count, double phase) {
        List<PositionFrame> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double t = k * 0.05;
            List<Agent> agents = new ArrayList<>();
            for (int j = 0; j < joints; j++) {
                double w = 0.5 + 0.1 * j;
                double a = w * t + phase + j;
                agents.add(Agent.newBuilder().setId("j" + j).setX(Math.cos(a)).setY(Math.sin(a)).setZ(0.1 * j)
                        .setVx(-w * Math.sin(a)).setVy(w * Math.cos(a)).setVz(0.0).build());
            }
            out.add(PositionFrame.newBuilder().setSceneId(scene).setSourceKind(SourceKind.MOCAP).setFrameIndex(k)
                    .setEventTimeMs(StreamTestKit.T0 + 50L * k).setSamplingRateHz(20.0)
                    .setCoordinates(CoordinateSystem.newBuilder().setUnit("asf").setOrigin("skeleton-root")
                            .setDimensions(3).build())
                    .setAgents(agents).build());
        }
        return out;
    }

    @Test
    void eachSceneIsServedByTheModelThatFitsIt() {
        assertThat(graphs).containsOnlyKeys("springs-a", "springs-b", "walk-a", "walk-b");
        for (String s : List.of("springs-a", "springs-b")) {
            assertThat(graphs.get(s)).allSatisfy(g -> {
                assertThat(g.getModelId()).isEqualTo(springs.modelId());
                assertThat(g.getAgentIds()).hasSize(5);
                assertThat(g.getEdgeTypeNames()).isEqualTo(springs.edgeTypeNames());
            });
            assertThat(forecasts.get(s)).allSatisfy(f -> {
                assertThat(f.getModelId()).isEqualTo(springs.modelId());
                assertThat(f.getStepPeriodMs()).isEqualTo(springs.periodMs());
                assertThat(f.getAgents().get(0).getZ()).isNull();
            });
        }
        for (String s : List.of("walk-a", "walk-b")) {
            assertThat(graphs.get(s)).allSatisfy(g -> {
                assertThat(g.getModelId()).isEqualTo(mocap.modelId());
                assertThat(g.getAgentIds()).hasSize(4);
                assertThat(g.getEdgeTypeNames()).isEqualTo(mocap.edgeTypeNames());
            });
            assertThat(forecasts.get(s)).allSatisfy(f -> {
                assertThat(f.getModelId()).isEqualTo(mocap.modelId());
                assertThat(f.getStepPeriodMs()).isEqualTo(mocap.periodMs());
                assertThat(f.getAgents().get(0).getZ()).hasSize(f.getHorizon());
            });
        }
    }

    @Test
    void eachScenesWindowsFollowItsModelsLengthAndRate() {
        // stride 0: one window per second of scene time at the scene's model's rate
        for (String s : List.of("springs-a", "springs-b")) {
            assertThat(graphs.get(s)).extracting(InteractionGraph::getWindowEndFrame)
                    .containsExactlyInAnyOrder(48L, 58L, 68L); // T=49 at 10 Hz, every 10 frames
            assertThat(graphs.get(s)).allSatisfy(g -> assertThat(g.getWindowEndMs() - g.getWindowStartMs())
                    .isEqualTo(48 * 100L));
        }
        for (String s : List.of("walk-a", "walk-b")) {
            assertThat(graphs.get(s)).extracting(InteractionGraph::getWindowEndFrame)
                    .containsExactlyInAnyOrder(19L, 39L, 59L); // T=20 at 20 Hz, every 20 frames
            assertThat(graphs.get(s)).allSatisfy(g -> assertThat(g.getWindowEndMs() - g.getWindowStartMs())
                    .isEqualTo(19 * 50L));
        }
    }

    @Test
    void aFeedNoModelFitsIsDeadLetteredNamingWhatIsMissing() {
        Map<String, List<DeadLetter>> byScene = deadLetters.stream().collect(Collectors.groupingBy(
                d -> new String(d.getKey().array(), java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(byScene).containsOnlyKeys("skeleton-31", "charged-a");
        assertThat(byScene.get("skeleton-31")).hasSize(30).allSatisfy(d -> {
            assertThat(d.getErrorKind()).isEqualTo(DeadLetterKind.MODEL_MISMATCH.name());
            assertThat(d.getReason()).startsWith("no model for MOCAP mocap 3D 31 agents; loaded: ")
                    .contains(springs.modelId() + " (springs 2D 5 agents or any other count")
                    .contains(mocap.modelId() + " (mocap 3D 4 agents, T=20 at 20.0 Hz)");
        });
        assertThat(byScene.get("charged-a")).hasSize(30).allSatisfy(d -> assertThat(d.getReason())
                .startsWith("no model for SIMULATION charged 2D 5 agents; loaded: "));
    }
}
