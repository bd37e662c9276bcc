package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.forecast;
import static dev.nristream.analytics.Samples.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.Agent;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.PositionFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web view's per-scene state: latest positions, a bounded path, the latest forecast, dropped when idle. */
class SceneViewTopologyTest {

    private static final List<String> AB = List.of("a", "b");

    @TempDir
    Path stateDir;

    private static SceneView view(AnalyticsDriver d, String scene) {
        KeyValueStore<String, SceneView> s = d.driver.getKeyValueStore(AnalyticsApp.SCENE_VIEW_STORE);
        return s.get(scene);
    }

    @Test
    void keepsTheLatestFrameABoundedPathAndTheLatestForecast() {
        try (AnalyticsDriver d = new AnalyticsDriver(AnalyticsConfig.defaults(), stateDir)) {
            int frames = SceneView.MAX_PATH * 3;
            for (int i = 0; i < frames; i++) {
                PositionFrame f = frame("s", 1000 + 50L * i, i, AB, i, -i, 2 * i, 0);
                f.setGroundTruthEdges(List.of(new GroundTruthEdge("a", "b", 1), new GroundTruthEdge("b", "a", 0)));
                d.frame(f);
            }
            d.forecast(forecast("s", "m1", 5000, 100.0, AB, new double[] {1, 1, 2, 2}, new double[] {3, 3, 4, 4}));
            d.forecast(forecast("s", "m1", 4000, 100.0, AB, new double[] {9, 9, 9, 9}, new double[] {9, 9, 9, 9}));

            SceneView v = view(d, "s");
            // Frames 50 ms apart and one path point per 100 ms: every other frame is kept, the last one included.
            long last = 1000 + 50L * (frames - 2);
            assertThat(v.timeMs).isEqualTo(last);
            assertThat(v.ids).containsExactly("a", "b");
            assertThat(v.x).containsExactly(frames - 2, 2.0 * (frames - 2));
            assertThat(v.z).isNull();
            assertThat(v.unit).isEqualTo("ft");
            assertThat(v.groundTruth).containsExactly(new SceneView.TrueEdge("a", "b", 1),
                    new SceneView.TrueEdge("b", "a", 0));
            assertThat(v.path).hasSize(SceneView.MAX_PATH);
            assertThat(v.path.get(v.path.size() - 1).timeMs()).isEqualTo(last);
            assertThat(v.path.get(0).timeMs()).isEqualTo(last - SceneView.PATH_SPACING_MS * (SceneView.MAX_PATH - 1));
            assertThat(v.forecast.originTimeMs()).isEqualTo(5000); // the older forecast arriving later is ignored
            assertThat(v.forecast.agents().get(1).x()).containsExactly(3.0, 4.0);
        }
    }

    @Test
    void restartsThePathWhenTheAgentsChangeAndSkipsOversizedFrames() {
        try (AnalyticsDriver d = new AnalyticsDriver(AnalyticsConfig.defaults(), stateDir)) {
            d.frame(frame("s", 1000, 0, AB, 0, 0, 1, 1));
            d.frame(frame("s", 1100, 1, AB, 0, 0, 1, 1));
            d.frame(frame("s", 1200, 2, List.of("a", "c"), 0, 0, 1, 1));
            assertThat(view(d, "s").path).hasSize(1);
            assertThat(view(d, "s").pathIds).containsExactly("a", "c");

            List<String> many = new ArrayList<>();
            for (int i = 0; i <= SceneView.MAX_AGENTS; i++) {
                many.add("p" + i);
            }
            d.frame(frame("s", 1300, 3, many, new double[2 * many.size()]));
            assertThat(view(d, "s").ids).containsExactly("a", "c");
            PositionFrame longId = frame("s", 1400, 4, AB, 0, 0, 0, 0);
            longId.setAgents(List.of(Agent.newBuilder().setId("x".repeat(SceneViewProcessor.MAX_ID_CHARS + 1))
                    .setX(0).setY(0).build()));
            d.frame(longId);
            assertThat(view(d, "s").timeMs).isEqualTo(1200);
        }
    }

    @Test
    void dropsTheViewOfAnIdleScene() {
        AnalyticsConfig cfg = AnalyticsConfig.builder().withIdleTimeout(Duration.ofSeconds(5)).build();
        try (AnalyticsDriver d = new AnalyticsDriver(cfg, stateDir)) {
            d.frame(frame("idle", 1000, 0, AB, 0, 0, 1, 1));
            d.frame(frame("busy", 1000, 0, AB, 0, 0, 1, 1));
            d.driver.advanceWallClockTime(Duration.ofSeconds(3));
            d.frame(frame("busy", 1100, 1, AB, 0, 0, 1, 1));
            d.driver.advanceWallClockTime(Duration.ofSeconds(3));
            assertThat(view(d, "idle")).isNull();
            assertThat(view(d, "busy")).isNotNull();
        }
    }
}
