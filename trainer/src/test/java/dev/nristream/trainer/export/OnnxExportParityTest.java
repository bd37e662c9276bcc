package dev.nristream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelException;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.Normaliser;
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

/** ONNX Runtime must reproduce the DJL network (max abs difference <= 1e-4) for random weights. */
class OnnxExportParityTest {
    @TempDir
    Path dir;

    static ModelSpec spec(NriConfig cfg) {
        return new ModelSpec("test-" + cfg.edgeTypes(), "springs", cfg.atoms(), true, cfg.timesteps(),
                ModelSpec.expectedLayout(2), 2, 10.0, cfg.edgeTypes(),
                java.util.stream.IntStream.range(0, cfg.edgeTypes()).mapToObj(i -> "t" + i).toList(),
                cfg.noEdgeType(), new Normaliser(-1.0, 1.0, -1.0, 1.0), "encoder.onnx", "decoder.onnx",
                null, null, null);
    }

    /** Random weights plus non-trivial batch-norm statistics, so the folding is exercised. */
    static void perturbBatchNorm(NriModel model, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Map.Entry<String, NDArray> e : model.store().buffers().entrySet()) {
            long n = e.getValue().getShape().size();
            float[] v = new float[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = e.getKey().endsWith("var") ? (float) (0.2 + r.nextDouble()) : (float) (r.nextDouble() - 0.5);
            }
            model.store().assign(e.getKey(), v, e.getValue().getShape());
        }
        for (String name : model.store().params().keySet()) {
            if (name.endsWith("bn.gamma") || name.endsWith("bn.beta")) {
                NDArray a = model.store().get(name);
                float[] v = new float[(int) a.getShape().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (name.endsWith("gamma") ? 0.5 + r.nextDouble() : r.nextDouble() - 0.5);
                }
                model.store().assign(name, v, a.getShape());
            }
        }
    }

    private double exportAndCompare(NriConfig cfg, int[] atomCounts) throws Exception {
        double worst = 0;
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 17)) {
            perturbBatchNorm(model, 5);
            Path out = dir.resolve("k" + cfg.edgeTypes() + (cfg.skipFirst() ? "skip" : ""));
            new NriOnnxExporter(model).write(out, spec(cfg), Map.of("model_id", spec(cfg).modelId()));
            ModelDirectory md = ModelDirectory.open(out);
            SplittableRandom r = new SplittableRandom(9);
            for (int n : atomCounts) {
                int b = 3;
                float[] x = new float[b * n * cfg.timesteps() * cfg.dims()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextDouble() * 2 - 1);
                }
                float[] state = new float[b * n * cfg.dims()];
                for (int i = 0; i < state.length; i++) {
                    state[i] = (float) (r.nextDouble() * 2 - 1);
                }
                double d = LargeStack.call(() -> ModelExport.parity(model, md, x, state, b, n));
                worst = Math.max(worst, d);
            }
        }
        return worst;
    }

    @Test
    void twoEdgeTypesMatchForTheTrainedAndOtherAtomCounts() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(5).timesteps(6).predictionSteps(2).hidden(32).build();
        assertThat(exportAndCompare(cfg, new int[] {5, 3, 8})).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void threeTypesWithHardCodedNoEdgeMatch() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(4).timesteps(5).predictionSteps(2).hidden(16).edgeTypes(3).skipFirst(true).build();
        assertThat(exportAndCompare(cfg, new int[] {4, 2})).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void exportedGraphsDeclareTheContractNamesAndOpset() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(3).timesteps(4).predictionSteps(2).hidden(8).build();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 1)) {
            NriOnnxExporter ex = new NriOnnxExporter(model);
            var enc = ex.encoder(Map.of("model_id", "x"));
            var dec = ex.decoder(Map.of());
            assertThat(enc.getOpsetImport(0).getVersion()).isEqualTo(17);
            assertThat(enc.getGraph().getInputList()).extracting(v -> v.getName())
                    .containsExactly("trajectories", "rel_rec", "rel_send");
            assertThat(enc.getGraph().getOutputList()).extracting(v -> v.getName())
                    .containsExactly("edge_logits", "edge_probs");
            assertThat(dec.getGraph().getInputList()).extracting(v -> v.getName())
                    .containsExactly("state", "rel_rec", "rel_send", "edge_weights");
            assertThat(dec.getGraph().getOutputList()).extracting(v -> v.getName()).containsExactly("next_state");
            var dims = enc.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
            assertThat(dims.get(0).getDimParam()).isEqualTo("B");
            assertThat(dims.get(1).getDimParam()).isEqualTo("N");
            assertThat(enc.getMetadataPropsList()).extracting(p -> p.getKey()).contains("model_id");
        }
    }

    @Test
    void aModelExportedWithAnotherEdgeOrderOrLayoutIsRefusedOnLoad() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(3).timesteps(4).predictionSteps(2).hidden(8).build();
        String senderMajor = "e = (sender j, receiver i), i != j, row-major (j outer, i inner); E = N(N-1)";
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 1)) {
            Path order = dir.resolve("order");
            new NriOnnxExporter(model).write(order, spec(cfg), Map.of(OnnxContract.EDGE_ORDER, senderMajor));
            assertThatThrownBy(() -> NriOnnxModel.open(ModelDirectory.open(order), NriOnnxModel.Options.defaults()))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("model " + spec(cfg).modelId())
                    .hasMessageContaining(senderMajor)
                    .hasMessageContaining(EdgeOrder.DESCRIPTION);
            Path layout = dir.resolve("layout");
            new NriOnnxExporter(model).write(layout, spec(cfg), Map.of(OnnxContract.FEATURE_LAYOUT, "x,y"));
            assertThatThrownBy(() -> NriOnnxModel.open(ModelDirectory.open(layout), NriOnnxModel.Options.defaults()))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("'x,y'")
                    .hasMessageContaining("'x,y,vx,vy'");
        }
    }

    @Test
    void anIncompleteModelDirectoryIsNamed() throws Exception {
        NriConfig cfg = NriConfig.builder().atoms(3).timesteps(4).predictionSteps(2).hidden(8).build();
        Path out = dir.resolve("incomplete");
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 1)) {
            new NriOnnxExporter(model).write(out, spec(cfg), Map.of());
        }
        Files.delete(out.resolve("decoder.onnx"));
        assertThatThrownBy(() -> ModelDirectory.open(out)).isInstanceOf(ModelException.class)
                .hasMessageContaining("decoder.onnx");
        assertThatThrownBy(() -> dev.nristream.trainer.eval.ModelEvaluation.builder().setModel(dir.resolve("nothing"))
                .setData(dir).build().run()).hasMessageContaining("neither a model directory");
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("encoder.onnx", "model.json", ModelSpec.ROLLOUT_FILE);
        }
    }
}
