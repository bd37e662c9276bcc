package dev.nristream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** Short real training runs on a small springs dataset. */
class TrainingTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void dataset() throws Exception {
        data = TestSupport.springs(tmp.resolve("data"), 5, 200, 50, 50, 3);
    }

    static TrainOptions options(Path out, int epochs) {
        NriConfig cfg = NriConfig.builder().hidden(32).build();
        return TrainOptions.defaults(data, "_springs5", out).withModel(cfg).withEpochs(epochs).withBatchSize(10)
                .withLearningRate(5e-3, 200, 0.5).withCommand("test", false);
    }

    static TrainOptions resumeOptions(Path out, int epochs) {
        return options(out, epochs).withBatchSize(100);
    }

    @Test
    void aWindowsRampIsPartOfTheRunAndComesBackOnResume() throws Exception {
        Path run = tmp.resolve("ramp");
        new Trainer(options(run, 1).withWindowsRamp(30)).run(false);
        RunInfo info = RunInfo.read(run);
        assertThat(info.windowsRamp()).isEqualTo(30);
        assertThat(Files.readString(run.resolve(RunInfo.FILE))).contains("\"windows_ramp\" : 30");
        TrainOptions resumed = TrainOptions.fromRun(info, run, 2, false);
        assertThat(resumed.windowsRamp()).isEqualTo(30);
        assertThat(resumed.windowReach(14)).isEqualTo(0.5);
        // run.json of runs from before the ramp: none
        ObjectNode old = (ObjectNode) new ObjectMapper().readTree(run.resolve(RunInfo.FILE).toFile());
        old.remove("windows_ramp");
        new ObjectMapper().writeValue(run.resolve(RunInfo.FILE).toFile(), old);
        assertThat(RunInfo.read(run).windowsRamp()).isZero();
    }

    @Test
    void aShortRunClearlyBeatsTheStaticBaselineAndExportsAWorkingModel() throws Exception {
        Path run = tmp.resolve("run");
        Trainer.Summary s = new Trainer(options(run, 12)).run(false);
        assertThat(s.bestEpoch()).isBetween(1, 12);
        for (String f : Trainer.runFiles()) {
            assertThat(run.resolve(f)).exists();
        }
        List<Map<String, Object>> metrics = MetricsLog.read(run.resolve(Trainer.METRICS));
        assertThat(metrics).hasSize(12);
        assertThat(metrics.get(0)).containsKeys("train_nll", "train_kl", "train_acc", "val_nll", "val_acc",
                "val_acc_permutation", "lr", "seconds");
        double first = ((Number) metrics.get(0).get("val_nll")).doubleValue();
        double last = ((Number) metrics.get(11).get("val_nll")).doubleValue();
        assertThat(last).isLessThan(first);

        Evaluator.Evaluation ev = ModelEvaluation.builder().setModel(run).setData(data).optSplit("test")
                .optThreads(1).build().run();
        assertThat(ev.samples()).isEqualTo(50);
        assertThat(ev.mse()).hasSize(20);
        assertThat(ev.mse()[0]).isLessThan(0.5 * ev.staticMse()[0]);
        assertThat(ev.mse()[9]).isLessThan(0.5 * ev.staticMse()[9]);

        Path model = tmp.resolve("model");
        java.nio.file.Files.writeString(data.resolve(dev.nristream.model.DatasetLayout.provenanceFileName("_springs5")),
                "{\"reproduce\": \"./nri simulate --atoms 5 --seed 3\"}");
        ModelExport.Result r = new ModelExport(run, model).optModelId("springs5-test").export();
        assertThat(r.parityMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        ModelSpec spec = ModelSpec.read(model.resolve(ModelSpec.FILE_NAME));
        assertThat(spec.validate()).isEmpty();
        assertThat(spec.modelId()).isEqualTo("springs5-test");
        assertThat(spec.windowLength()).isEqualTo(49);
        assertThat(spec.training().command()).isEqualTo("test");
        assertThat(spec.training().dataHash()).hasSize(64);
        assertThat(spec.training().data()).endsWith(", made by ./nri simulate --atoms 5 --seed 3)");
        assertThat(spec.testMetrics().get("test_data").toString()).endsWith(", made by ./nri simulate --atoms 5 --seed 3");
        assertThat(spec.testMetrics()).containsKeys("edge_accuracy", "edge_accuracy_permutation", "mse_1", "mse_10",
                "mse_20", "static_mse_1");
        assertThat(model.resolve(ModelExport.EVALUATION)).exists();
        assertThat(model.resolve(Trainer.CURVES)).exists();
        // The exported graphs, run by ONNX Runtime, score like the checkpoint they came from.
        Evaluator.Evaluation onnx = ModelEvaluation.builder().setModel(model).setData(data).optThreads(1).build().run();
        assertThat(onnx.mse()[0]).isCloseTo(ev.mse()[0], org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(onnx.edgeAccuracy()).isCloseTo(ev.edgeAccuracy(), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOne() throws Exception {
        Path straight = tmp.resolve("straight");
        // Two updates an epoch (batches of 100): rounding that differs between the runs (below) stays rounding;
        // over 20 updates at this learning rate Adam amplified it into 10% differences in weights that have no
        // real gradient (biases ahead of a batch norm), and training diverged visibly (CI and this machine, 1 run
        // in 3).
        new Trainer(resumeOptions(straight, 2)).run(false);
        Path resumed = tmp.resolve("resumed");
        new Trainer(resumeOptions(resumed, 1)).run(false);
        Checkpoint afterOne = Checkpoint.read(resumed.resolve(Trainer.LAST));
        assertThatThrownBy(() -> new Trainer(resumeOptions(resumed, 2)).run(false))
                .hasMessageContaining("pass --resume");
        new Trainer(resumeOptions(resumed, 2)).run(true);
        Checkpoint a = Checkpoint.read(straight.resolve(Trainer.LAST));
        Checkpoint b = Checkpoint.read(resumed.resolve(Trainer.LAST));
        assertThat(b.tensors().keySet()).isEqualTo(a.tensors().keySet());
        // Bitwise equality holds on some CPUs only: MKL's AVX-512 kernels round differently by memory alignment,
        // and DJL tensors made from Java arrays have whatever alignment malloc gave (CI once saw enc.mlp1.fc1.w differ).
        // A wrong resume (other batches or noise, lost Adam moments, another learning rate) moves weights by the
        // size of the second epoch's updates, so the tolerance is checked to be far below that.
        // Both measured relative to each tensor's largest magnitude (Adam's second moments reach 1e8 here).
        double resumeDiff = 0;
        String worst = null;
        double leastEpochTwoMove = Double.MAX_VALUE;
        for (String k : a.tensors().keySet()) {
            float[] straightData = a.tensors().get(k).data();
            double scale = Math.max(maxAbs(straightData), Float.MIN_NORMAL);
            double diff = maxAbsDiff(straightData, b.tensors().get(k).data()) / scale;
            if (diff > resumeDiff) {
                resumeDiff = diff;
                worst = k;
            }
            leastEpochTwoMove = Math.min(leastEpochTwoMove,
                    maxAbsDiff(straightData, afterOne.tensors().get(k).data()) / scale);
        }
        assertThat(resumeDiff).as("max |straight - resumed| / max |straight|, over all tensors (worst: %s; "
                + "metrics straight %s, resumed %s)", worst, MetricsLog.read(straight.resolve(Trainer.METRICS)),
                MetricsLog.read(resumed.resolve(Trainer.METRICS)))
                .isLessThanOrEqualTo(RESUME_TOLERANCE);
        assertThat(leastEpochTwoMove).as("least relative change the second epoch made to a tensor")
                .isGreaterThan(10 * RESUME_TOLERANCE);
        assertThat(MetricsLog.read(resumed.resolve(Trainer.METRICS))).hasSize(2);

        // A run resumes only on the data it was started on.
        Path copy = tmp.resolve("resumed-elsewhere");
        Files.createDirectories(copy);
        for (String f : List.of(RunInfo.FILE, Trainer.LAST, Trainer.METRICS)) {
            Files.copy(resumed.resolve(f), copy.resolve(f));
        }
        RunInfo saved = RunInfo.read(copy);
        ObjectNode changed = (ObjectNode) new ObjectMapper().readTree(copy.resolve(RunInfo.FILE).toFile());
        changed.put("train_hash", "0".repeat(64));
        new ObjectMapper().writeValue(copy.resolve(RunInfo.FILE).toFile(), changed);
        assertThatThrownBy(() -> new Trainer(resumeOptions(copy, 3)).run(true))
                .hasMessageContaining("is not what the run was started on")
                .hasMessageContaining(saved.trainHash());

        // A schedule may change on resume only where it has not taken effect yet.
        assertThatThrownBy(() -> new Trainer(resumeOptions(resumed, 3).withLearningRate(5e-3, 1, 0.5)).run(true))
                .hasMessageContaining("would have given epoch 2 learning rate 0.0025, but it trained at 0.005");
        new Trainer(resumeOptions(resumed, 3).withLearningRate(5e-3, 2, 0.5)).run(true);
        RunInfo info = RunInfo.read(resumed);
        assertThat(info.lrDecay()).isEqualTo(2);
        assertThat(info.command()).isEqualTo("test --lr-decay 2");
        assertThat(MetricsLog.read(resumed.resolve(Trainer.METRICS)).get(2).get("lr")).isEqualTo(2.5e-3);

        // Milestones (MultiStepLR): 2 matches the decay every 2 epochs so far, 3 adds a second decay at epoch 4.
        new Trainer(resumeOptions(resumed, 4).withLearningRate(5e-3, 2, 0.5).withMilestones(List.of(2, 3))).run(true);
        RunInfo ms = RunInfo.read(resumed);
        assertThat(ms.lrMilestones()).containsExactly(2, 3);
        assertThat(ms.command()).isEqualTo("test --lr-decay 2 --lr-milestones 2,3");
        assertThat(MetricsLog.read(resumed.resolve(Trainer.METRICS)).get(3).get("lr")).isEqualTo(1.25e-3);
    }

    static final double RESUME_TOLERANCE = 1e-4;

    static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxAbsDiff(float[] x, float[] y) {
        assertThat(y).hasSameSizeAs(x);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs((double) x[i] - y[i]));
        }
        return m;
    }

    @Test
    void liveWindowsTrainOnEveryAgeAndTheExportRecordsAccuracyByAge() throws Exception {
        Path longData = TestSupport.longSprings(tmp.resolve("long"), 5, 40, 10, 12, 4, 20_000); // 199 states
        Path live = tmp.resolve("live");
        Path paper = tmp.resolve("paper");
        TrainOptions base = TrainOptions.defaults(longData, "_springs5", live)
                .withModel(NriConfig.builder().hidden(16).build()).withEpochs(2).withBatchSize(10)
                .withCommand("test", false);
        assertThat(base.windows()).isEqualTo(dev.nristream.trainer.data.WindowSampling.LIVE); // the default
        new Trainer(base).run(false);
        new Trainer(new TrainOptions(longData, "_springs5", paper, base.model(), 2, 10, base.learningRate(),
                base.lrDecay(), base.gamma(), List.of(), base.seed(), "test", false,
                dev.nristream.trainer.data.WindowSampling.PAPER)).run(false);
        assertThat(RunInfo.read(live).windowSampling()).isEqualTo(dev.nristream.trainer.data.WindowSampling.LIVE);
        assertThat(RunInfo.read(paper).windowSampling()).isEqualTo(dev.nristream.trainer.data.WindowSampling.PAPER);
        // Same data, seed and schedule: only where the windows start differs, and so do the weights.
        Checkpoint a = Checkpoint.read(live.resolve(Trainer.LAST));
        Checkpoint b = Checkpoint.read(paper.resolve(Trainer.LAST));
        assertThat(b.tensors().get("enc.out.w").data()).isNotEqualTo(a.tensors().get("enc.out.w").data());

        // As ./nri simulate writes it: the box the springs bounce in, for the by-age split by distance from its walls.
        dev.nristream.sim.DatasetProvenance.write(longData, "_springs5", "./nri simulate --system springs --atoms 5",
                "test", 10.0, Map.of(dev.nristream.trainer.eval.BoxWalls.HALF_WIDTH_KEY, 5.0));
        Path model = tmp.resolve("live-model");
        new ModelExport(live, model).optModelId("springs5-live-test").export();
        ModelSpec spec = ModelSpec.read(model.resolve(ModelSpec.FILE_NAME));
        assertThat(model.resolve(ModelSpec.ROLLOUT_FILE)).as("the served sparse rollout, written by the export")
                .isRegularFile();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> byAge = (List<Map<String, Object>>) spec.testMetrics().get("by_scene_age");
        assertThat(byAge).extracting(m -> ((Number) m.get("window_start")).intValue()).containsExactly(0, 50, 100);
        assertThat(byAge.get(2).get("scene_age_seconds")).isEqualTo(10.0);
        assertThat(byAge.get(1)).containsKeys("edge_accuracy", "expected_calibration_error", "mse_1", "mse_10",
                "mse_1_away_from_walls", "near_wall_fraction_1", "mse_10_away_from_walls", "near_wall_fraction_10");
        assertThat(((Number) byAge.get(0).get("near_wall_fraction_10")).doubleValue()).isBetween(0.0, 1.0);
        for (Map<String, Object> age : byAge) {
            double mean = ((Number) age.get("mse_10")).doubleValue();
            assertThat(((Number) age.get("median_mse_10")).doubleValue()).as("median beside the mean")
                    .isPositive().isLessThanOrEqualTo(2 * mean);
        }
        // The published probabilities are calibrated on the run's live validation windows, and the ONNX model's
        // evaluation reports the calibration error of those published probabilities, as the export did.
        dev.nristream.model.EdgeCalibration cal = spec.calibration();
        assertThat(cal.isIdentity()).isFalse();
        assertThat(cal.fittedOn()).contains("valid split").contains("live starts");
        assertThat(cal.eceAfter()).isLessThanOrEqualTo(cal.eceBefore());
        Evaluator.Evaluation onnxAtZero = ModelEvaluation.builder().setModel(model).setData(longData).optThreads(1)
                .build().run();
        assertThat(onnxAtZero.calibrationError()).isCloseTo(
                ((Number) byAge.get(0).get("expected_calibration_error")).doubleValue(),
                org.assertj.core.data.Offset.offset(0.02));
        // The command's per-start evaluation gives the same numbers as the export recorded.
        List<Evaluator.Evaluation> evs = ModelEvaluation.builder().setModel(live).setData(longData).optThreads(1)
                .optWindowStarts(0, 100).build().runAll();
        assertThat(evs).extracting(Evaluator.Evaluation::windowStart).containsExactly(0, 100);
        assertThat(evs.get(1).edgeAccuracy()).isEqualTo(((Number) byAge.get(2).get("edge_accuracy")).doubleValue());
        assertThat(evs.get(1).mse()[0]).isNotEqualTo(evs.get(0).mse()[0]);
        assertThat(evs.get(1).walls().nearWallFraction()[9])
                .isEqualTo(((Number) byAge.get(2).get("near_wall_fraction_10")).doubleValue());
        assertThatThrownBy(() -> ModelEvaluation.builder().setModel(live).setData(longData).optThreads(1)
                .optWindowStarts(150).build().run()).hasMessageContaining("largest start it allows is 129");
    }

    /**
     * The recurrent decoder trains through the same loop: its validation loss falls within a few epochs, a resumed
     * run picks up its GRU weights, and the export says clearly that its ONNX graph does not exist yet.
     */
    @Test
    void theRecurrentDecoderTrainsResumesAndExports() throws Exception {
        Path run = tmp.resolve("recurrent");
        NriConfig cfg = NriConfig.builder().hidden(16).decoder(NriConfig.DecoderKind.RECURRENT).build();
        TrainOptions o = options(run, 4).withModel(cfg);
        new Trainer(o).run(false);
        List<Map<String, Object>> metrics = MetricsLog.read(run.resolve(Trainer.METRICS));
        assertThat(metrics).hasSize(4);
        double first = ((Number) metrics.get(0).get("val_nll")).doubleValue();
        double last = ((Number) metrics.get(3).get("val_nll")).doubleValue();
        assertThat(last).isLessThan(first);
        assertThat(RunInfo.read(run).model().decoder()).isEqualTo(NriConfig.DecoderKind.RECURRENT);
        assertThat(Checkpoint.read(run.resolve(Trainer.LAST)).tensors()).containsKeys("rdec.msg1.w",
                "rdec.hidden_h.w", "rdec.out3.b").doesNotContainKey("dec.msg1.w");
        new Trainer(o.withEpochs(5)).run(true);
        assertThat(MetricsLog.read(run.resolve(Trainer.METRICS))).hasSize(5);
        // The export writes the one-step recurrent graph; ONNX Runtime scores it like the checkpoint.
        Path model = tmp.resolve("recurrent-model");
        ModelExport.Result r = new ModelExport(run, model).optModelId("springs5-rnn-test").export();
        assertThat(r.parityMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
        ModelSpec spec = ModelSpec.read(model.resolve(ModelSpec.FILE_NAME));
        assertThat(spec.decoderKind()).isEqualTo(ModelSpec.DECODER_RECURRENT);
        assertThat(spec.decoderHidden()).isEqualTo(16);
        assertThat(spec.encoderKindOrDefault()).isEqualTo(ModelSpec.ENCODER_MLP);
        assertThat(model.resolve(ModelSpec.ROLLOUT_FILE)).doesNotExist();
        Evaluator.Evaluation djl = ModelEvaluation.builder().setModel(run).setData(data).optThreads(1).build().run();
        Evaluator.Evaluation onnx = ModelEvaluation.builder().setModel(model).setData(data).optThreads(1).build().run();
        assertThat(onnx.mse()[0]).isCloseTo(djl.mse()[0], org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(onnx.mse()[19]).isCloseTo(djl.mse()[19], org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(onnx.mse()[0]).isLessThan(onnx.staticMse()[0]);
    }

    @Test
    void milestonesDecayTheRateWhereTheySay() {
        TrainOptions o = options(tmp, 10).withLearningRate(1e-3, 200, 0.5).withMilestones(List.of(3, 5));
        assertThat(o.learningRate(2)).isEqualTo(1e-3);
        assertThat(o.learningRate(3)).isEqualTo(5e-4);
        assertThat(o.learningRate(4)).isEqualTo(5e-4);
        assertThat(o.learningRate(5)).isEqualTo(2.5e-4);
        assertThat(o.learningRate(400)).isEqualTo(2.5e-4); // milestones replace the decay every 200 epochs
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.withMilestones(List.of(5, 3)))
                .hasMessageContaining("increasing");
    }

    @Test
    void aFlagIsReplacedNotRepeatedInTheRecordedCommand() {
        assertThat(RunInfo.setFlag("./nri train --out r --lr-decay 200 --seed 1", "--lr-decay", "50"))
                .isEqualTo("./nri train --out r --seed 1 --lr-decay 50");
        assertThat(RunInfo.setFlag("./nri train --gamma=0.3 --out r", "--gamma", null)).isEqualTo("./nri train --out r");
    }

    @Test
    void datasetShapeThatDoesNotMatchTheFlagsIsNamed() {
        TrainOptions o = options(tmp.resolve("bad"), 1).withModel(NriConfig.builder().hidden(8).atoms(10).build());
        assertThatThrownBy(() -> new Trainer(o).run(false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("N=5 atoms and T=49 steps, but the flags say --atoms 10 --timesteps 49");
        TrainOptions shortData = options(tmp.resolve("bad3"), 1).withModel(NriConfig.builder().hidden(8)
                .timesteps(60).build());
        assertThatThrownBy(() -> new Trainer(shortData).run(false))
                .hasMessageContaining("T=49 steps, but the flags say --atoms 5 --timesteps 60 (samples need at least");
        TrainOptions missing = TrainOptions.defaults(tmp.resolve("nowhere"), "_springs5", tmp.resolve("bad2"));
        assertThatThrownBy(() -> new Trainer(missing).run(false)).hasMessageContaining("loc_train_springs5.npy");
    }

    @Test
    void checkpointsRejectForeignAndTruncatedFiles() throws Exception {
        Path f = tmp.resolve("junk.ckpt");
        Files.writeString(f, "not a checkpoint");
        assertThatThrownBy(() -> Checkpoint.read(f)).hasMessageContaining("not an nri-stream checkpoint");
        Checkpoint ck = new Checkpoint("{}", Map.of("w", new Checkpoint.Tensor(new long[] {2}, new float[] {1, 2})));
        Path g = tmp.resolve("ok.ckpt");
        ck.write(g);
        assertThat(Checkpoint.read(g).tensors().get("w").data()).containsExactly(1f, 2f);
        byte[] bytes = Files.readAllBytes(g);
        Files.write(g, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Checkpoint.read(g)).hasMessageContaining("truncated");
    }
}
