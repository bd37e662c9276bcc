package dev.nristream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelException;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.Normaliser;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.model.OnnxContract;
import dev.nristream.model.ReflectingWalls;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decoder with walls: the trainer's step equals the same weights' step without walls followed by the reference
 * rule ({@link ReflectingWalls.Normalised#reflect}), and {@code decoder.onnx}, {@code rollout.onnx} and
 * {@code ./nri upgrade-model} reproduce it; the walls are declared in model.json and stamped in both graphs.
 */
class WallsParityTest {
    // Walls at +-0.9 of a [-1.2, 1] position range, velocity zero at -0.3: random states cross them often.
    private static final Normaliser SCALE = new Normaliser(-1.2, 1.0, -0.7, 1.3);
    private static final ReflectingWalls WALLS = new ReflectingWalls(0.9);

    @TempDir
    Path dir;

    private static NriConfig config(ReflectingWalls walls) {
        return NriConfig.builder().atoms(5).timesteps(6).predictionSteps(2).hidden(32).skipFirst(true).walls(walls)
                .build();
    }

    private static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    @Test
    void trainerStepIsTheFreeStepReflectedByTheReferenceRule() {
        int b = 4;
        int n = 5;
        SplittableRandom r = new SplittableRandom(3);
        float[] state = uniform(r, b * n * 4, -1.1, 1.1);
        float[] probs = ModelUpgrade.randomProbs(r, b * n * (n - 1), 2);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel free = new NriModel(m, config(null), 29);
                NriModel walled = new NriModel(m, config(WALLS), 29, SCALE)) {
            NDArray s = m.create(state, new Shape(b, n, 4));
            NDArray z = m.create(probs, new Shape(b, n * (n - 1), 2));
            float[] expected = free.decoder().rolloutFrom(s, z, 1).toFloatArray();
            float[] unreflected = expected.clone();
            WALLS.normalised(SCALE).reflect(expected, 2);
            float[] got = walled.decoder().rolloutFrom(s, z, 1).toFloatArray();
            int moved = 0;
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("value %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
                moved += got[i] != unreflected[i] ? 1 : 0;
            }
            assertThat(moved).as("some predictions crossed a wall").isGreaterThan(4);
        }
    }

    @Test
    void gradientOfAMirroredPositionIsMinusOne() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray x = m.create(new float[] {0.95f, 0.0f, 0.2f, 0.1f}, new Shape(1, 4));
            x.setRequiresGradient(true);
            try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = dev.nristream.trainer.model.NriDecoder.reflect(x, WALLS.normalised(SCALE));
                c.backward(y.get("0, 0").add(y.get("0, 1")));
            }
            float[] g = x.getGradient().toFloatArray();
            assertThat(g[0]).as("x past the wall at 0.9: mirrored").isEqualTo(-1f);
            assertThat(g[1]).as("y inside").isEqualTo(1f);
        }
    }

    @Test
    void exportedGraphsReflectAsTheTrainerDoes() throws Exception {
        Path out = dir.resolve("walls");
        SplittableRandom r = new SplittableRandom(5);
        int b = 3;
        int n = 5;
        float[] x = uniform(r, b * n * 6 * 4, -1, 1);
        float[] state = uniform(r, b * n * 4, -1.1, 1.1);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, config(WALLS), 17, SCALE)) {
            OnnxExportParityTest.perturbBatchNorm(model, 5);
            ModelSpec spec = OnnxExportParityTest.spec(model.config());
            spec = new ModelSpec(spec.modelId(), spec.system(), spec.atoms(), true, spec.windowLength(),
                    spec.featureLayout(), 2, 10.0, 2, spec.edgeTypeNames(), 0, SCALE, "encoder.onnx", "decoder.onnx",
                    null, null, null);
            new NriOnnxExporter(model).write(out, spec, Map.of(OnnxContract.MODEL_ID, spec.modelId()));
            ModelDirectory md = ModelDirectory.open(out);
            assertThat(md.spec().walls()).isEqualTo(WALLS);
            double diff = LargeStack.call(() -> ModelExport.parity(model, md, x, state, b, n));
            assertThat(diff).isLessThanOrEqualTo(1e-5);
        }
        for (String f : new String[] {"decoder.onnx", ModelSpec.ROLLOUT_FILE}) {
            assertThat(metadata(out.resolve(f))).as(f).containsEntry(OnnxContract.WALLS_HALF_WIDTH, "0.9");
        }
        assertThat(metadata(out.resolve("encoder.onnx"))).doesNotContainKey(OnnxContract.WALLS_HALF_WIDTH);
        assertThat(SparseRolloutParityTest.compare(out, 2, new int[] {5, 8}, new int[] {1, 3}))
                .as("sparse rollout vs dense steps, walls in both").isLessThanOrEqualTo(1e-5);

        // upgrade-model rebuilds the rollout from decoder.onnx and model.json's walls
        Files.delete(out.resolve(ModelSpec.ROLLOUT_FILE));
        ModelUpgrade.Result u = LargeStack.call(() -> ModelUpgrade.upgrade(out));
        assertThat(u.rolloutMaxAbsDiff()).isLessThanOrEqualTo(ModelUpgrade.TOLERANCE);
        assertThat(metadata(out.resolve(ModelSpec.ROLLOUT_FILE))).containsEntry(OnnxContract.WALLS_HALF_WIDTH, "0.9");

        // model.json without the walls no longer describes these graphs
        ModelSpec.read(out.resolve(ModelSpec.FILE_NAME)).withWalls(null).write(out.resolve(ModelSpec.FILE_NAME));
        assertThatThrownBy(() -> LargeStack.call(() -> {
            NriOnnxModel.open(ModelDirectory.open(out), NriOnnxModel.Options.defaults()
                    .withDevice(NriOnnxModel.Device.CPU)).close();
            return null;
        }))
                .isInstanceOf(ModelException.class).hasMessageContaining("reflects its forecasts at walls");
    }

    private static Map<String, String> metadata(Path onnx) throws Exception {
        ai.onnx.proto.OnnxMl.ModelProto mp = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        Map<String, String> meta = new java.util.HashMap<>();
        mp.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        return meta;
    }
}
