package dev.nristream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelException;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.model.OnnxContract;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sparse rollout ({@code rollout.onnx}) must give the dense decoder's rollout to 1e-5 for soft, hard, partly
 * zero and all-silent edge weights, with and without a skipped "no edge" type, at several N and B.
 */
class SparseRolloutParityTest {
    private static final double TOLERANCE = 1e-5;
    private static final int HORIZON = 6;

    @TempDir
    Path dir;

    private Path export(NriConfig cfg, String name) throws Exception {
        Path out = dir.resolve(name);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 23)) {
            OnnxExportParityTest.perturbBatchNorm(model, 3);
            new NriOnnxExporter(model).write(out, OnnxExportParityTest.spec(cfg), Map.of("model_id",
                    OnnxExportParityTest.spec(cfg).modelId()));
        }
        return out;
    }

    /** Largest |dense - sparse| over the weight cases, and checks the sparse path was really taken. */
    static double compare(Path out, int k, int[] atomCounts, int[] batches) throws Exception {
        ModelDirectory md = ModelDirectory.open(out);
        NriOnnxModel.Options cpu = NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU);
        return LargeStack.call(() -> {
            double worst = 0;
            try (NriOnnxModel dense = NriOnnxModel.open(md, cpu.withDecoderPath(NriOnnxModel.DecoderPath.DENSE));
                    NriOnnxModel sparse = NriOnnxModel.open(md, cpu)) {
                assertThat(sparse.decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.SPARSE);
                assertThat(dense.decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.DENSE);
                SplittableRandom r = new SplittableRandom(11);
                for (int n : atomCounts) {
                    for (int b : batches) {
                        int edges = b * EdgeOrder.edgeCount(n);
                        float[] state = new float[b * n * 4];
                        for (int i = 0; i < state.length; i++) {
                            state[i] = (float) (r.nextDouble() * 2 - 1);
                        }
                        float[] soft = ModelUpgrade.randomProbs(r, edges, k);
                        float[] hard = NriOnnxModel.hardEdges(soft, k);
                        float[] partlyZero = soft.clone();
                        for (int i = 0; i < partlyZero.length; i += 3) {
                            partlyZero[i] = 0f;
                        }
                        float[] typeZeroOnly = new float[edges * k];
                        for (int e = 0; e < edges; e++) {
                            typeZeroOnly[e * k] = 1f;
                        }
                        for (float[] w : new float[][] {soft, hard, partlyZero, typeZeroOnly}) {
                            float[] a = dense.rollout(state, w, b, n, HORIZON);
                            float[] s = sparse.rollout(state, w, b, n, HORIZON);
                            assertThat(s).hasSameSizeAs(a);
                            for (int i = 0; i < a.length; i++) {
                                assertThat(Float.isFinite(s[i])).isTrue();
                                worst = Math.max(worst, Math.abs(a[i] - s[i]));
                            }
                        }
                    }
                }
            }
            return worst;
        });
    }

    @Test
    void skipFirstModelMatchesTheDenseRollout() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(5).timesteps(6).predictionSteps(2).hidden(32).skipFirst(true).build();
        Path out = export(cfg, "skip");
        assertThat(compare(out, 2, new int[] {5, 11, 2}, new int[] {1, 3})).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void modelWithoutANoEdgeTypeMatchesTheDenseRollout() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(4).timesteps(5).predictionSteps(2).hidden(16).edgeTypes(3).build();
        Path out = export(cfg, "all-types");
        assertThat(compare(out, 3, new int[] {4, 7}, new int[] {1, 2})).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void threeTypesWithASkippedFirstMatch() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(4).timesteps(5).predictionSteps(2).hidden(16).edgeTypes(3)
                .skipFirst(true).build();
        assertThat(compare(export(cfg, "skip3"), 3, new int[] {4}, new int[] {2})).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void rolloutMetadataNamesTheSilentTypesAndTheAggregation() throws Exception {
        NriConfig skip = NriConfig.builder().atoms(3).timesteps(4).predictionSteps(2).hidden(8).skipFirst(true).build();
        NriConfig all = NriConfig.builder().atoms(3).timesteps(4).predictionSteps(2).hidden(8).build();
        Map<String, String> s = metadata(export(skip, "m-skip").resolve(ModelSpec.ROLLOUT_FILE));
        Map<String, String> a = metadata(export(all, "m-all").resolve(ModelSpec.ROLLOUT_FILE));
        assertThat(s).containsEntry(OnnxContract.SILENT_EDGE_TYPES, "0")
                .containsEntry(OnnxContract.MESSAGE_AGGREGATION, OnnxContract.AGGREGATION_SCATTER_ADD)
                .containsKey(OnnxContract.MODEL_ID);
        assertThat(a).containsEntry(OnnxContract.SILENT_EDGE_TYPES, "");
    }

    @Test
    void upgradeAddsTheRolloutToAModelWithoutOneAndChecksParity() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(5).timesteps(6).predictionSteps(2).hidden(16).skipFirst(true).build();
        Path out = export(cfg, "old");
        Files.delete(out.resolve(ModelSpec.ROLLOUT_FILE));
        NriOnnxModel.Options cpu = NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU);
        LargeStack.call(() -> {
            try (NriOnnxModel m = NriOnnxModel.open(ModelDirectory.open(out), cpu)) {
                assertThat(m.decoderPath()).as("no rollout file: dense").isEqualTo(NriOnnxModel.DecoderPath.DENSE);
            }
            return null;
        });
        ModelUpgrade.Result r = LargeStack.call(() -> ModelUpgrade.upgrade(out));
        assertThat(r.rollout()).isRegularFile();
        assertThat(r.silentTypes()).containsExactly(0);
        assertThat(r.rolloutMaxAbsDiff()).isLessThanOrEqualTo(ModelUpgrade.TOLERANCE);
        assertThat(compare(out, 2, new int[] {5}, new int[] {2})).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void upgradeRefusesADecoderThatIsNotTheMlpDecoder() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(3).timesteps(4).predictionSteps(2).hidden(8).build();
        Path out = export(cfg, "odd");
        OnnxMl.ModelProto dec = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(out.resolve("decoder.onnx")));
        OnnxMl.GraphProto.Builder g = dec.getGraph().toBuilder();
        for (int i = g.getInitializerCount() - 1; i >= 0; i--) {
            if (g.getInitializer(i).getName().equals("dec.msg2.w")) {
                g.removeInitializer(i);
            }
        }
        Files.write(out.resolve("decoder.onnx"), dec.toBuilder().setGraph(g).build().toByteArray());
        Files.delete(out.resolve(ModelSpec.ROLLOUT_FILE));
        assertThatThrownBy(() -> ModelUpgrade.upgrade(out)).isInstanceOf(ModelException.class)
                .hasMessageContaining("decoder.onnx").hasMessageContaining("dec.msg2.w");
        assertThat(out.resolve(ModelSpec.ROLLOUT_FILE)).doesNotExist();
    }

    private static Map<String, String> metadata(Path onnx) throws Exception {
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        java.util.Map<String, String> meta = new java.util.HashMap<>();
        m.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        return meta;
    }
}
