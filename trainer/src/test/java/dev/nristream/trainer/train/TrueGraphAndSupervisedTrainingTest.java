package dev.nristream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.TestSupport;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.eval.Evaluator;
import dev.nristream.trainer.eval.ModelEvaluation;
import dev.nristream.trainer.export.ModelExport;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriConfig.GraphKind;
import dev.nristream.trainer.model.NriModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's other two baselines on tiny springs runs (3 atoms, 20-step windows): {@code --graph true}, the decoder
 * on each sample's own graph (Table 2), and {@code --graph supervised}, the encoder taught the true edges (Table 1).
 * Each trains, lowers its loss, is evaluated for what it has (forecasts or edges) and is refused export.
 */
class TrueGraphAndSupervisedTrainingTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void dataset() throws Exception {
        data = TestSupport.springs(tmp.resolve("data"), 3, 80, 40, 10, 23);
    }

    private static TrainOptions options(Path out, int epochs, NriConfig cfg) {
        return TrainOptions.defaults(data, "_springs3", out).withModel(cfg).withEpochs(epochs).withBatchSize(10)
                .withLearningRate(5e-3, 200, 0.5).withCommand("test", false);
    }

    private static double metric(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static NriConfig.Builder tiny() {
        return NriConfig.builder().atoms(3).timesteps(20).hidden(16).skipFirst(true).predictionSteps(5);
    }

    @Test
    void theTrueGraphDecoderIsGivenEachSamplesOwnEdges() throws Exception {
        NriConfig cfg = tiny().graph(GraphKind.TRUE).build();
        NriDataset valid = NriDataset.load(data, "valid", "_springs3", null);
        int[] idx = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] labels = valid.gatherLabels(idx);
        assertThat(Arrays.stream(labels).distinct().count()).as("the samples hold both edge types").isEqualTo(2);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(manager, cfg, 5)) {
            NDArray x = manager.create(valid.gather(idx, 0, 20), new Shape(idx.length, 3, 20, 4));
            float nll = model.forward(x, labels, false).nll().getFloat();
            // The same loss by hand: the decoder's one-step rollout on the one-hot true graph.
            NDArray z = manager.create(NriModel.oneHot(labels, 2), new Shape(idx.length, 6, 2));
            NDArray xt = x.transpose(0, 2, 1, 3);
            NDArray pred = model.decoder().rollout(xt, z, 1, false);
            float byHand = pred.sub(xt.get(new NDIndex(":, 1:"))).square().sum()
                    .div((float) (2 * cfg.variance() * idx.length * 3)).getFloat();
            assertThat(nll).isCloseTo(byHand, org.assertj.core.data.Percentage.withPercentage(1e-3));
            // Another graph gives another loss: the labels are what the decoder runs on.
            int[] flipped = Arrays.stream(labels).map(l -> 1 - l).toArray();
            assertThat(model.forward(x, flipped, false).nll().getFloat()).isNotCloseTo(nll,
                    org.assertj.core.data.Percentage.withPercentage(0.1));
            assertThatThrownBy(() -> model.forward(x, null, false)).hasMessageContaining("trains on the true edge "
                    + "types");
            assertThatThrownBy(() -> NriModel.oneHot(new int[] {0, 2}, 2)).hasMessageContaining("edge label 2 at 1");
        }

        Path run = tmp.resolve("true");
        new Trainer(options(run, 4, cfg)).run(false);
        List<Map<String, Object>> m = MetricsLog.read(run.resolve(Trainer.METRICS));
        assertThat(m).hasSize(4);
        assertThat(metric(m.get(3), "train_nll")).isLessThan(metric(m.get(0), "train_nll"));
        assertThat(metric(m.get(3), "val_nll")).isLessThan(metric(m.get(0), "val_nll"));
        assertThat(m.get(3)).doesNotContainKeys("train_acc", "val_acc").containsKeys("train_mse", "val_mse");
        assertThat(Files.readString(run.resolve(RunInfo.FILE))).contains("\"graph\" : \"TRUE\"");
        assertThat(Checkpoint.read(run.resolve(Trainer.LAST)).tensors().keySet()).contains("dec.msg1.w")
                .noneMatch(k -> k.contains("enc.") || k.contains("cnn."));

        Evaluator.Evaluation ev = ModelEvaluation.builder().setModel(run).setData(data).optThreads(1).build().run();
        assertThat(ev.edgesInferred()).isFalse();
        assertThat(ev.graph()).isEqualTo("true");
        assertThat(ev.mse()).hasSize(20);
        assertThat(Arrays.stream(ev.mse()).allMatch(Double::isFinite)).isTrue();
        assertThat(ev.toMap()).containsEntry("graph", "true").containsKey("mse").doesNotContainKey("edge_accuracy");
        assertThatThrownBy(() -> ModelEvaluation.builder().setModel(run).setData(data).optThreads(1).build()
                .runDynamic()).hasMessageContaining("no graph to re-encode");
        assertThatThrownBy(() -> new ModelExport(run, tmp.resolve("true-model")).export())
                .hasMessageContaining("--graph true").hasMessageContaining("not exported");
    }

    @Test
    void theSupervisedEncoderLearnsTheTrueEdgesAndHasNoDecoder() throws Exception {
        NriConfig cfg = tiny().graph(GraphKind.SUPERVISED).build();
        Path run = tmp.resolve("supervised");
        new Trainer(options(run, 30, cfg)).run(false);
        List<Map<String, Object>> m = MetricsLog.read(run.resolve(Trainer.METRICS));
        assertThat(m).hasSize(30);
        Map<String, Object> first = m.get(0);
        Map<String, Object> last = m.get(29);
        // nll is the cross-entropy of the true types: ln 2 for a coin, falling as the encoder learns them.
        assertThat(metric(first, "train_nll")).isLessThan(1.0);
        assertThat(metric(last, "train_nll")).isLessThan(metric(first, "train_nll"));
        assertThat(metric(last, "val_nll")).isLessThan(metric(first, "val_nll"));
        // A coin is right half the time; 30 tiny epochs reach about 0.85 (0.82-0.86 with either of MKL's kernels).
        assertThat(metric(first, "val_acc")).isLessThan(0.6);
        assertThat(metric(last, "val_acc")).isGreaterThan(0.75);
        assertThat(last).doesNotContainKeys("train_mse", "val_mse");
        assertThat(metric(last, "train_kl")).isZero();
        assertThat(Checkpoint.read(run.resolve(Trainer.LAST)).tensors().keySet()).contains("enc.out.w")
                .noneMatch(k -> k.contains("dec."));

        // scored on the 240 validation edges: the 60 of the tiny test split swing 0.62-0.82 with rounding
        Evaluator.Evaluation ev = ModelEvaluation.builder().setModel(run).setData(data).optSplit("valid")
                .optThreads(1).build().run();
        assertThat(ev.edgesInferred()).isTrue();
        assertThat(ev.forecast()).isFalse();
        assertThat(ev.edgeAccuracy()).isGreaterThan(0.7);
        assertThat(ev.toMap()).containsEntry("graph", "supervised").containsKey("edge_accuracy")
                .doesNotContainKeys("mse", "static_mse");
        assertThatThrownBy(() -> ModelEvaluation.builder().setModel(run).setData(data).optThreads(1).build()
                .runDynamic()).hasMessageContaining("encoder alone");
        assertThatThrownBy(() -> new ModelExport(run, tmp.resolve("supervised-model")).export())
                .hasMessageContaining("--graph supervised").hasMessageContaining("not exported");
    }

    @Test
    void aSupervisedEncoderAndATrueGraphDecoderExportAsOneModel() throws Exception {
        Path enc = tmp.resolve("pair-encoder");
        Path dec = tmp.resolve("pair-decoder");
        // --skip-first shapes the decoder only: the supervised encoder may have been trained without it
        new Trainer(options(enc, 6, tiny().skipFirst(false).graph(GraphKind.SUPERVISED).build())).run(false);
        new Trainer(options(dec, 2, tiny().graph(GraphKind.TRUE).build())).run(false);

        Path out = tmp.resolve("pair-model");
        ModelExport.Result r = new ModelExport(enc, out).optDecoderRun(dec).export();
        // the encoder is the supervised run's: the same edges on the same test windows
        Evaluator.Evaluation alone = ModelEvaluation.builder().setModel(enc).setData(data).optThreads(1).build().run();
        assertThat(r.evaluation().edgeAccuracy()).isEqualTo(alone.edgeAccuracy());
        assertThat(r.evaluation().forecast()).isTrue();
        assertThat(r.parityMaxAbsDiff()).isLessThan(1e-4);
        String json = Files.readString(out.resolve("model.json"));
        assertThat(json).contains("paired_runs").contains(dec.toAbsolutePath().toString())
                .contains("test && test");
        assertThat(out.resolve(ModelExport.DECODER_PREFIX + Trainer.METRICS)).hasSameTextualContentAs(
                dec.resolve(Trainer.METRICS));
        // each half comes from its own run
        Checkpoint ckEnc = Checkpoint.read(enc.resolve(Trainer.BEST));
        Checkpoint ckDec = Checkpoint.read(dec.resolve(Trainer.BEST));
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(manager, tiny().build(), 1)) {
            ModelCheckpoints.restorePaired(ckEnc, ckDec, model);
            assertThat(model.store().params().get("enc.out.w").toFloatArray())
                    .containsExactly(ckEnc.tensors().get("enc.out.w").data());
            assertThat(model.store().params().get("dec.msg1.w").toFloatArray())
                    .containsExactly(ckDec.tensors().get("dec.msg1.w").data());
            assertThatThrownBy(() -> ModelCheckpoints.restorePaired(ckEnc, ckEnc, model))
                    .hasMessageContaining("both checkpoints hold tensor");
        }
        assertThatThrownBy(() -> new ModelExport(enc, tmp.resolve("pair-bad")).optDecoderRun(enc).export())
                .hasMessageContaining("with a decoder trained with --graph true");
        // a decoder trained on other data does not fit
        Path other = tmp.resolve("pair-other-data");
        Files.createDirectories(other);
        for (String f : List.of(RunInfo.FILE, Trainer.BEST, Trainer.LAST)) {
            Files.copy(dec.resolve(f), other.resolve(f));
        }
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(other.resolve(RunInfo.FILE).toFile());
        node.put("train_hash", "0".repeat(64));
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(other.resolve(RunInfo.FILE).toFile(), node);
        assertThatThrownBy(() -> new ModelExport(enc, tmp.resolve("pair-bad")).optDecoderRun(other).export())
                .hasMessageContaining("do not fit together").hasMessageContaining("training data");
    }

    @Test
    void aChargedPairNamesItsTypesAttractAndRepelWithNoNoEdgeType() throws Exception {
        Path charged = TestSupport.charged(tmp.resolve("charged-data"), 3, 40, 20, 10, 29);
        NriConfig.Builder cfg = NriConfig.builder().atoms(3).timesteps(20).hidden(16).predictionSteps(5);
        Path enc = tmp.resolve("charged-encoder");
        Path dec = tmp.resolve("charged-decoder");
        new Trainer(TrainOptions.defaults(charged, "_charged3", enc).withModel(cfg.graph(GraphKind.SUPERVISED).build())
                .withEpochs(2).withBatchSize(10).withCommand("test", false)).run(false);
        new Trainer(TrainOptions.defaults(charged, "_charged3", dec).withModel(cfg.graph(GraphKind.TRUE).build())
                .withEpochs(1).withBatchSize(10).withCommand("test", false)).run(false);
        Path out = tmp.resolve("charged-model");
        ModelExport.Result r = new ModelExport(enc, out).optDecoderRun(dec).export();
        dev.nristream.model.ModelSpec spec = dev.nristream.model.ModelSpec.read(
                out.resolve(dev.nristream.model.ModelSpec.FILE_NAME));
        assertThat(spec.system()).isEqualTo("charged");
        assertThat(spec.noEdgeType()).isEqualTo(-1);
        int[] assignment = r.evaluation().typeAssignment();
        // type k is named after the true label it stands for: 0 opposite charges (attract), 1 same (repel)
        for (int k = 0; k < 2; k++) {
            assertThat(spec.edgeTypeNames().get(k)).isEqualTo(assignment[k] == 0 ? "attract" : "repel");
        }
        assertThat(spec.edgeTypeNames()).containsExactlyInAnyOrder("attract", "repel");
    }

    @Test
    void optionsThatDoNotApplyToABaselineAreRefused() {
        assertThatThrownBy(() -> tiny().graph(GraphKind.TRUE).encoder(NriConfig.EncoderKind.CNN).build())
                .hasMessageContaining("--graph true has no encoder");
        assertThatThrownBy(() -> tiny().graph(GraphKind.TRUE).prior(new double[] {0.9, 0.1}).build())
                .hasMessageContaining("--prior does not apply");
        assertThatThrownBy(() -> tiny().graph(GraphKind.SUPERVISED).decoder(NriConfig.DecoderKind.RECURRENT).build())
                .hasMessageContaining("--graph supervised trains the encoder alone");
    }
}
