package dev.nristream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.model.ModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated scenarios' plans: the charged scenario feeds charged scenes to a charged model and refuses a model
 * of another system (springs and charged frames share one layout, so nothing downstream would notice).
 */
class DemoPlanTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path GOLDEN = ROOT.resolve("flink-jobs/src/test/resources/golden-model");

    @TempDir
    Path tmp;

    @Test
    void theChargedScenarioFeedsChargedScenesToAChargedModel() throws Exception {
        Path charged = tmp.resolve("charged-model");
        Files.createDirectories(charged);
        for (String f : new String[] {"encoder.onnx", "decoder.onnx", "rollout.onnx"}) {
            Files.copy(GOLDEN.resolve(f), charged.resolve(f));
        }
        String json = Files.readString(GOLDEN.resolve("model.json"));
        assertThat(json).contains("\"system\" : \"springs\"");
        Files.writeString(charged.resolve("model.json"), json.replace("\"system\" : \"springs\"",
                "\"system\" : \"charged\""));
        DemoPlan plan = DemoPlan.resolve(settings(Scenario.CHARGED).withModel(charged).withScenes(2).build());
        assertThat(plan.description()).isEqualTo("simulated charged, 2 scenes x 5 particles (seed 42)");
        assertThat(plan.firstFrame().getSceneId().toString()).startsWith("sim-charged5-s42-");
        assertThat(plan.loop()).isFalse();

        assertThatThrownBy(() -> DemoPlan.resolve(settings(Scenario.CHARGED).withModel(GOLDEN).build()))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("trained on springs, not on the charged scenes of --scenario charged");
        assertThatThrownBy(() -> DemoPlan.resolve(settings(Scenario.SPRINGS).withModel(charged).build()))
                .isInstanceOf(ModelException.class).hasMessageContaining("trained on charged");
        // without --model: the shipped one, or a message naming where it should be
        Path noModels = Files.createDirectories(tmp.resolve("empty-project"));
        assertThatThrownBy(() -> DemoPlan.resolve(DemoSettings.builder().setProjectRoot(noModels)
                .withScenario(Scenario.CHARGED).build())).isInstanceOf(ModelException.class)
                .hasMessageContaining("models/charged5 does not exist");
    }

    @Test
    void theKuramotoScenarioStreamsOscillatorsOnTheUnitCircle() throws Exception {
        Path kuramoto = Files.createDirectories(tmp.resolve("kuramoto-model"));
        for (String f : new String[] {"encoder.onnx", "decoder.onnx", "rollout.onnx"}) {
            Files.copy(GOLDEN.resolve(f), kuramoto.resolve(f));
        }
        String json = Files.readString(GOLDEN.resolve("model.json"));
        Files.writeString(kuramoto.resolve("model.json"), json.replace("\"system\" : \"springs\"",
                "\"system\" : \"kuramoto\""));
        DemoPlan plan = DemoPlan.resolve(settings(Scenario.KURAMOTO).withModel(kuramoto).withScenes(2).build());
        assertThat(plan.description())
                .isEqualTo("simulated kuramoto, 2 scenes x 5 oscillators on the unit circle (seed 42)");
        var first = plan.firstFrame();
        assertThat(first.getSceneId().toString()).startsWith("sim-kuramoto5-s42-");
        assertThat(first.getSystem().toString()).isEqualTo("kuramoto");
        for (var a : first.getAgents()) {
            assertThat(Math.hypot(a.getX(), a.getY())).isCloseTo(1.0, within(1e-12));
            assertThat(a.getX() * a.getVx() + a.getY() * a.getVy())
                    .isCloseTo(0.0, within(1e-9));
        }
        assertThatThrownBy(() -> DemoPlan.resolve(settings(Scenario.KURAMOTO).withModel(GOLDEN).build()))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("trained on springs, not on the kuramoto scenes of --scenario kuramoto");
    }

    private static DemoSettings.Builder settings(Scenario s) {
        return DemoSettings.builder().setProjectRoot(ROOT).withScenario(s);
    }
}
