package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.Edge;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shipped springs5 model (models/springs5) on simulated springs scenes with ground truth, through the whole
 * job: every window yields a graph, edge accuracy >= 95%, and 1-step forecasts far better than standing still.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobAccuracyIntegrationTest {

    static final int SCENES = 6;
    static final int WINDOWS = 4;
    static final int STRIDE = 10;

    static Path springs5() {
        String root = System.getProperty("nri.project.root", ".");
        return Path.of(root, "models", "springs5");
    }

    @Test
    void springs5FindsTheSpringsAndForecastsThem() throws Exception {
        Path dir = springs5();
        assertThat(dir.resolve(ModelSpec.FILE_NAME)).as("the shipped model").isRegularFile();
        ModelSpec spec = ModelDirectory.open(dir).spec();
        int t = spec.windowLength();
        int frames = t + (WINDOWS - 1) * STRIDE + 2; // one frame past the last window, for the 1-step truth

        TestTopics topics = TestTopics.create("accuracy", 2);
        Map<String, List<PositionFrame>> scenes = new HashMap<>();
        List<PositionFrame> all = new ArrayList<>();
        for (int s = 0; s < SCENES; s++) {
            scenes.put("acc-" + s, StreamTestKit.springsScene("acc-" + s, 5, frames, 9_000 + s));
        }
        // Interleaved in time, as live scenes arrive: sent scene after scene, every scene but the first would be
        // seconds behind the watermark (all share one clock) and go to the dead-letter topic as late.
        for (int k = 0; k < frames; k++) {
            for (int s = 0; s < SCENES; s++) {
                all.add(scenes.get("acc-" + s).get(k));
            }
        }
        StreamTestKit.send(topics.positions(), all);
        // Every frame is in the topic before the job starts, so no partition is ever idle: a busy CI machine that
        // fetched one partition 5 s (the default idleness) before the other must not dead-letter the other as late.
        JobConfig cfg = StreamTestKit.config(topics, dir, "accuracy").set(JobConfig.STRIDE, STRIDE)
                .set(JobConfig.IDLENESS_MS, 120_000L).build();
        NriStreamJob.fromConfig(cfg).execute(FlinkMiniCluster.environment(1));

        List<InteractionGraph> graphs = StreamTestKit.readCommitted(topics.graphs(), InteractionGraph.class).stream()
                .map(ConsumerRecord::value).toList();
        List<TrajectoryForecast> forecasts = StreamTestKit.readCommitted(topics.forecasts(), TrajectoryForecast.class)
                .stream().map(ConsumerRecord::value).toList();
        List<String> deadLetters = StreamTestKit.readCommitted(topics.dlq(), DeadLetter.class).stream()
                .map(r -> r.value().getErrorKind() + ": " + r.value().getReason()).distinct().limit(5).toList();
        assertThat(graphs).as("one graph per window (dead letters: %s)", deadLetters).hasSize(SCENES * WINDOWS);
        assertThat(forecasts).as("one forecast per window").hasSize(SCENES * WINDOWS);

        int noEdge = spec.noEdgeTypeOrNone();
        long correct = 0;
        long total = 0;
        for (InteractionGraph g : graphs) {
            // Fresh scenes start where the training data does: every input is within the trained range.
            assertThat(g.getOutOfRangeFraction()).as("out-of-range share of %s", g.getSceneId()).isNotNull()
                    .isBetween(0f, 0.05f);
            Map<String, Integer> truth = new HashMap<>();
            for (GroundTruthEdge e : scenes.get(g.getSceneId()).get(0).getGroundTruthEdges()) {
                truth.put(e.getReceiver() + "<-" + e.getSender(), e.getEdgeType());
            }
            for (Edge e : g.getEdges()) {
                int actual = truth.get(e.getReceiver() + "<-" + e.getSender());
                boolean predictedEdge = noEdge >= 0 ? e.getEdgeType() != noEdge : e.getEdgeType() == 1;
                if (predictedEdge == (actual != 0)) {
                    correct++;
                }
                total++;
            }
        }
        double accuracy = correct / (double) total;
        assertThat(accuracy).as("edge accuracy of %s over %d edges", spec.modelId(), total).isGreaterThanOrEqualTo(0.95);

        double modelErr = 0;
        double staticErr = 0;
        int n = 0;
        for (TrajectoryForecast f : forecasts) {
            assertThat(f.getHorizon()).isEqualTo(cfg.get(JobConfig.HORIZON));
            List<PositionFrame> scene = scenes.get(f.getSceneId());
            PositionFrame origin = scene.get((int) f.getOriginFrame());
            PositionFrame next = scene.get((int) f.getOriginFrame() + 1);
            for (AgentForecast a : f.getAgents()) {
                assertThat(a.getX()).hasSize(f.getHorizon());
                var now = origin.getAgents().stream().filter(x -> x.getId().equals(a.getAgentId())).findFirst().orElseThrow();
                var then = next.getAgents().stream().filter(x -> x.getId().equals(a.getAgentId())).findFirst().orElseThrow();
                modelErr += sq(a.getX().get(0) - then.getX()) + sq(a.getY().get(0) - then.getY());
                staticErr += sq(now.getX() - then.getX()) + sq(now.getY() - then.getY());
                n++;
            }
        }
        System.out.printf(java.util.Locale.ROOT, "%s through the job: edge accuracy %.4f over %d edges of %d graphs;"
                + " 1-step forecast MSE %.3g vs the static baseline's %.3g%n", spec.modelId(), accuracy, total,
                graphs.size(), modelErr / n, staticErr / n);
        assertThat(modelErr / n).as("1-step MSE of the forecasts vs the static baseline's %s", staticErr / n)
                .isLessThan(0.25 * staticErr / n);
    }

    static double sq(double v) {
        return v * v;
    }
}
