package dev.nristream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped model under models/: a valid model directory whose ONNX graphs, run by ONNX Runtime, reproduce
 * the trained network's outputs recorded at export (golden.json) within 1e-4.
 */
class ShippedModelTest {
    static Path models() {
        return Path.of(System.getProperty("nri.project.root", "..")).resolve("models");
    }

    static List<Path> shippedModels() throws IOException {
        try (Stream<Path> dirs = Files.list(models())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(ModelSpec.FILE_NAME))).sorted().toList();
        }
    }

    @Test
    void theModelsTheDocsNameAreShipped() throws IOException {
        assertThat(shippedModels()).extracting(p -> p.getFileName().toString())
                .contains("springs5", "springs5-live", "charged5", "kuramoto5", "springs10", "mocap35", "nba");
    }

    @ParameterizedTest
    @MethodSource("shippedModels")
    void shippedModelMatchesTheTrainedNetwork(Path dir) throws Exception {
        assertThat(dir.resolve(ModelSpec.FILE_NAME)).as("the shipped model").isRegularFile();
        ModelDirectory md = ModelDirectory.open(dir);
        assertThat(md.spec().validate()).isEmpty();
        assertThat(md.spec().training().command()).startsWith("./nri train");
        assertThat(md.spec().testMetrics()).containsKeys("edge_accuracy_permutation", "mse_1",
                "onnx_parity_max_abs_diff");
        // Scored as far as the test samples reach: 20 steps, 7 for basketball's 25-step segments after 17.
        assertThat(md.spec().testMetrics().keySet()).as("a multi-step forecast score")
                .anyMatch(k -> k.matches("mse_([2-9]|[1-9][0-9]+)"));
        JsonNode g = new ObjectMapper().readTree(dir.resolve(ModelExport.GOLDEN).toFile());
        int b = g.get("batch").asInt();
        int n = g.get("atoms").asInt();
        float[] x = floats(g.get("trajectories"));
        float[] probs = floats(g.get("edge_probs"));
        boolean recurrent = md.spec().recurrentDecoder();
        // A recurrent model's golden output is the forecast after a burn-in on the whole window.
        assertThat(g.has("forecast")).as("golden.json has 'forecast' exactly when the decoder is recurrent")
                .isEqualTo(recurrent);
        double diff = LargeStack.call(() -> {
            try (NriOnnxModel m = NriOnnxModel.open(md, NriOnnxModel.Options.defaults()
                    .withDevice(NriOnnxModel.Device.CPU))) {
                double d = ModelExport.maxAbsDiff(m.encode(x, b, n), probs);
                if (recurrent) {
                    float[] forecast = floats(g.get("forecast"));
                    int t = md.spec().windowLength();
                    int steps = forecast.length / (b * n * md.spec().features());
                    return Math.max(d, ModelExport.maxAbsDiff(m.rolloutWindow(x, t, probs, b, n, steps), forecast));
                }
                float[] state = floats(g.get("state"));
                float[] next = floats(g.get("next_state"));
                return Math.max(d, ModelExport.maxAbsDiff(m.decodeStep(state, probs, b, n), next));
            }
        });
        assertThat(diff).isLessThanOrEqualTo(1e-4);
    }

    @ParameterizedTest
    @MethodSource("shippedModels")
    void shippedModelHasASparseRolloutEqualToTheDenseDecoder(Path dir) throws Exception {
        ModelDirectory md = ModelDirectory.open(dir);
        if (md.spec().recurrentDecoder()) {
            // The sparse rollout is the MLP decoder's; a recurrent model must not carry a stale one.
            assertThat(md.rollout()).as(dir.getFileName() + "/" + ModelSpec.ROLLOUT_FILE).isEmpty();
            assertThat(ModelUpgrade.unsupported(md.spec())).contains("recurrent");
            return;
        }
        assertThat(md.rollout()).as(dir.getFileName() + "/" + ModelSpec.ROLLOUT_FILE).isPresent();
        assertThat(LargeStack.call(() -> ModelUpgrade.rolloutParity(md))).isLessThanOrEqualTo(ModelUpgrade.TOLERANCE);
    }

    /**
     * The live models of simulated particles forecast inside their box: 40 steps of the served (sparse) rollout from
     * states anywhere in it, moving fast toward the walls, never leave it.
     */
    @Test
    void modelsOfSimulatedParticlesForecastInsideTheirBox() throws Exception {
        List<String> boxed = new java.util.ArrayList<>();
        for (Path dir : shippedModels()) {
            ModelDirectory md = ModelDirectory.open(dir);
            if (md.spec().walls() == null) {
                continue;
            }
            boxed.add(dir.getFileName().toString());
            dev.nristream.model.ReflectingWalls.Normalised w = md.spec().walls().normalised(md.spec().normalisation());
            int b = 8;
            int n = 5;
            java.util.SplittableRandom r = new java.util.SplittableRandom(4);
            float[] state = new float[b * n * 4];
            for (int i = 0; i < b * n; i++) {
                state[i * 4] = (float) (w.low() + (w.high() - w.low()) * r.nextDouble());
                state[i * 4 + 1] = (float) (w.low() + (w.high() - w.low()) * r.nextDouble());
                state[i * 4 + 2] = (float) (2 * r.nextDouble() - 1);
                state[i * 4 + 3] = (float) (2 * r.nextDouble() - 1);
            }
            float[] probs = ModelUpgrade.randomProbs(r, b * n * (n - 1), md.spec().edgeTypes());
            float[] hard = NriOnnxModel.hardEdges(probs, md.spec().edgeTypes());
            float[] ahead = LargeStack.call(() -> {
                try (NriOnnxModel m = NriOnnxModel.open(md, NriOnnxModel.Options.defaults()
                        .withDevice(NriOnnxModel.Device.CPU))) {
                    assertThat(m.decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.SPARSE);
                    return m.rollout(state, hard, b, n, 40);
                }
            });
            for (int i = 0; i < ahead.length; i += 4) {
                for (int c = 0; c < 2; c++) {
                    assertThat(ahead[i + c]).as("%s: position %d, axis %d", dir.getFileName(), i / 4, c)
                            .isBetween(w.low(), w.high());
                }
            }
        }
        assertThat(boxed).as("shipped models with walls").contains("springs5-live");
    }

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }
}
