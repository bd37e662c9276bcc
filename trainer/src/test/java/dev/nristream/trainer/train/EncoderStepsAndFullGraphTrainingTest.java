package dev.nristream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.model.ModelSpec;
import dev.nristream.trainer.TestSupport;
import dev.nristream.trainer.eval.Evaluator;
import dev.nristream.trainer.eval.ModelEvaluation;
import dev.nristream.trainer.export.ModelExport;
import dev.nristream.trainer.model.NriConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny training runs (3 atoms, 20-step windows) with {@code --encoder-steps} (the encoder sees the first part of the
 * window) and {@code --graph full} (the paper's full-graph baseline): they train, resume with their settings,
 * evaluate and export (or are refused export) as documented in models/README.md.
 */
class EncoderStepsAndFullGraphTrainingTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void dataset() throws Exception {
        data = TestSupport.springs(tmp.resolve("data"), 3, 40, 20, 10, 11);
    }

    static TrainOptions options(Path out, int epochs, NriConfig cfg) {
        return TrainOptions.defaults(data, "_springs3", out).withModel(cfg).withEpochs(epochs).withBatchSize(10)
                .withLearningRate(5e-3, 200, 0.5).withCommand("test", false);
    }

    private static double metric(List<Map<String, Object>> m, int epoch, String key) {
        return ((Number) m.get(epoch).get(key)).doubleValue();
    }

    @Test
    void encoderStepsTrainResumeAndExportAnNFrameWindow() throws Exception {
        Path run = tmp.resolve("steps");
        NriConfig cfg = NriConfig.builder().atoms(3).timesteps(20).hidden(16).encoderSteps(8).build();
        new Trainer(options(run, 2, cfg)).run(false);
        assertThat(MetricsLog.read(run.resolve(Trainer.METRICS))).hasSize(2);
        assertThat(Files.readString(run.resolve(RunInfo.FILE))).contains("\"encoder_steps\" : 8");
        assertThat(RunInfo.read(run).model().encoderSteps()).isEqualTo(8);
        // Resumed from run.json (as ./nri train --resume does): the option is kept.
        new Trainer(TrainOptions.fromRun(RunInfo.read(run), run, 3, false)).run(true);
        assertThat(MetricsLog.read(run.resolve(Trainer.METRICS))).hasSize(3);
        assertThat(RunInfo.read(run).model().encoderWindow()).isEqualTo(8);
        // Flags that differ from the run are refused on resume.
        assertThatThrownBy(() -> new Trainer(options(run, 4, cfg.toBuilder().encoderSteps(null).build())).run(true))
                .hasMessageContaining("the model flags differ");

        // The stream's window is what the encoder sees: 8 frames.
        Path model = tmp.resolve("steps-model");
        ModelExport.Result r = new ModelExport(run, model).optModelId("springs3-steps-test").optCalibrate(false)
                .export();
        assertThat(r.parityMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        assertThat(ModelSpec.read(model.resolve(ModelSpec.FILE_NAME)).windowLength()).isEqualTo(8);
        Evaluator.Evaluation djl = ModelEvaluation.builder().setModel(run).setData(data).optThreads(1).build().run();
        Evaluator.Evaluation onnx = ModelEvaluation.builder().setModel(model).setData(data).optThreads(1).build()
                .run();
        assertThat(djl.edgesInferred()).isTrue();
        assertThat(onnx.edgeAccuracy()).isEqualTo(djl.edgeAccuracy());
        assertThat(onnx.mse()[0]).isCloseTo(djl.mse()[0], org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void theFullGraphLowersTheLossWithEitherDecoderAndIsEvaluatedButNotExported() throws Exception {
        for (NriConfig.DecoderKind decoder : NriConfig.DecoderKind.values()) {
            Path run = tmp.resolve("full-" + decoder);
            NriConfig cfg = NriConfig.builder().atoms(3).timesteps(20).hidden(16).skipFirst(true).decoder(decoder)
                    .predictionSteps(5).graph(NriConfig.GraphKind.FULL).build();
            new Trainer(options(run, 4, cfg)).run(false);
            List<Map<String, Object>> m = MetricsLog.read(run.resolve(Trainer.METRICS));
            assertThat(m).hasSize(4);
            assertThat(metric(m, 3, "train_nll")).as(decoder.name()).isLessThan(metric(m, 0, "train_nll"));
            assertThat(metric(m, 3, "val_nll")).as(decoder.name()).isLessThan(metric(m, 0, "val_nll"));
            for (Map<String, Object> e : m) {
                assertThat(e).doesNotContainKeys("train_acc", "val_acc", "val_acc_permutation");
                assertThat(metric(List.of(e), 0, "train_kl")).isZero();
                assertThat(metric(List.of(e), 0, "train_loss")).isEqualTo(metric(List.of(e), 0, "train_nll"));
            }
            assertThat(Files.readString(run.resolve(RunInfo.FILE))).contains("\"graph\" : \"FULL\"");
            assertThat(RunInfo.read(run).model()).isEqualTo(cfg);
            assertThat(Checkpoint.read(run.resolve(Trainer.LAST)).tensors().keySet())
                    .noneMatch(k -> k.startsWith("enc.") || k.startsWith("cnn."));

            Evaluator.Evaluation ev = ModelEvaluation.builder().setModel(run).setData(data).optThreads(1).build()
                    .run();
            assertThat(ev.edgesInferred()).isFalse();
            assertThat(ev.mse()).hasSize(20);
            assertThat(java.util.Arrays.stream(ev.mse()).allMatch(Double::isFinite)).isTrue();
            assertThat(ev.toMap()).containsEntry("graph", "full").doesNotContainKeys("edge_accuracy",
                    "expected_calibration_error").containsKeys("mse", "static_mse");
            assertThatThrownBy(() -> ModelEvaluation.builder().setModel(run).setData(data).optThreads(1).build()
                    .runDynamic()).hasMessageContaining("no graph to re-encode");

            Path model = tmp.resolve("full-model-" + decoder);
            assertThatThrownBy(() -> new ModelExport(run, model).export())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("was trained with --graph full").hasMessageContaining("not exported");
            assertThat(model).doesNotExist();
        }
    }
}
