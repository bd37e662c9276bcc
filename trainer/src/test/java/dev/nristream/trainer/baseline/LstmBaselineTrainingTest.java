package dev.nristream.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.nristream.trainer.TestSupport;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.data.WindowSampling;
import dev.nristream.trainer.train.Checkpoint;
import dev.nristream.trainer.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny real runs of the LSTM baseline: the loss falls, a resumed run continues exactly, evaluation's protocol. */
class LstmBaselineTrainingTest {
    private static final int ATOMS = 3;
    private static final int T = 12;

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void dataset() throws Exception {
        data = TestSupport.springs(tmp.resolve("data"), ATOMS, 40, 10, 6, 5);
    }

    static LstmTrainOptions options(Path out, int epochs) {
        LstmConfig cfg = new LstmConfig(ATOMS, 4, T, 16, 2, 4, 5e-5);
        return new LstmTrainOptions(data, TestSupport.suffix(ATOMS), out, cfg, epochs, 8, 5e-3, 200, 0.5, 7,
                WindowSampling.LIVE, "test", false);
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    @Test
    void theLossFallsAndAResumedRunContinuesAsAnUninterruptedOne() throws Exception {
        Path straight = tmp.resolve("straight");
        LstmTrainer.Summary s = new LstmTrainer(options(straight, 3)).run(false);
        assertThat(s.bestEpoch()).isBetween(1, 3);
        for (String f : List.of(LstmRunInfo.FILE, LstmTrainer.LAST, LstmTrainer.BEST, LstmTrainer.METRICS,
                LstmTrainer.CURVES)) {
            assertThat(straight.resolve(f)).exists();
        }
        List<Map<String, Object>> a = MetricsLog.read(straight.resolve(LstmTrainer.METRICS));
        assertThat(a).hasSize(3);
        assertThat(a.get(0)).containsKeys("epoch", "lr", "train_nll", "train_mse", "val_nll", "val_mse",
                "val_rollout_mse", "seconds", "best");
        assertThat(num(a.get(2), "train_nll")).isLessThan(num(a.get(0), "train_nll"));
        assertThat(num(a.get(2), "val_mse")).isLessThan(num(a.get(0), "val_mse"));

        LstmRunInfo info = LstmRunInfo.read(straight);
        assertThat(info.kind()).isEqualTo(LstmRunInfo.KIND);
        assertThat(info.model()).isEqualTo(options(straight, 3).model());
        assertThat(info.trainHash()).hasSize(64);

        // Two epochs, stopped, then resumed to three: the third epoch is the uninterrupted run's.
        Path split = tmp.resolve("split");
        new LstmTrainer(options(split, 2)).run(false);
        assertThat(MetricsLog.read(split.resolve(LstmTrainer.METRICS))).hasSize(2);
        assertThatThrownBy(() -> new LstmTrainer(options(split, 3)).run(false))
                .hasMessageContaining("already holds a run").hasMessageContaining("--resume");
        LstmTrainOptions resumed = LstmTrainOptions.fromRun(LstmRunInfo.read(split), split, 3, false);
        new LstmTrainer(resumed).run(true);
        List<Map<String, Object>> b = MetricsLog.read(split.resolve(LstmTrainer.METRICS));
        assertThat(b).hasSize(3);
        for (String k : List.of("train_nll", "train_mse", "val_nll", "val_mse")) {
            assertThat(num(b.get(2), k)).as(k + " of epoch 3").isCloseTo(num(a.get(2), k),
                    within(1e-5 * Math.abs(num(a.get(2), k))));
        }
        assertThat(LstmRunInfo.read(split).epochs()).isEqualTo(3);
        Checkpoint last = Checkpoint.read(split.resolve(LstmTrainer.LAST));
        assertThat(last.headerJson()).contains("\"epoch\":3");
    }

    @Test
    void resumeNeedsACheckpointAndTheDataMustFitTheFlags() {
        Path empty = tmp.resolve("empty");
        assertThatThrownBy(() -> new LstmTrainer(options(empty, 1)).run(true))
                .hasMessageContaining("nothing to resume: no last.ckpt in " + empty);
        LstmTrainOptions five = new LstmTrainOptions(data, TestSupport.suffix(ATOMS), tmp.resolve("five"),
                new LstmConfig(5, 4, T, 8, 1, 2, 5e-5), 1, 8, 1e-3, 200, 0.5, 1, WindowSampling.LIVE, "", false);
        assertThatThrownBy(() -> new LstmTrainer(five).run(false))
                .hasMessageContaining("has N=3 atoms, but --atoms is 5");
        LstmTrainOptions dims = new LstmTrainOptions(data, TestSupport.suffix(ATOMS), tmp.resolve("dims"),
                new LstmConfig(ATOMS, 6, T, 8, 1, 2, 5e-5), 1, 8, 1e-3, 200, 0.5, 1, WindowSampling.LIVE, "", false);
        assertThatThrownBy(() -> new LstmTrainer(dims).run(false)).hasMessageContaining("but --dims is 6");
        LstmTrainOptions missing = new LstmTrainOptions(data, "_charged3", tmp.resolve("missing"),
                new LstmConfig(ATOMS, 4, T, 8, 1, 2, 5e-5), 1, 8, 1e-3, 200, 0.5, 1, WindowSampling.LIVE, "", false);
        assertThatThrownBy(() -> new LstmTrainer(missing).run(false))
                .hasMessageContaining("dataset file missing").hasMessageContaining("loc_train_charged3.npy");
        assertThatThrownBy(() -> new LstmConfig(ATOMS, 4, T, 8, 1, T, 5e-5))
                .hasMessageContaining("--prediction-steps must be in 1 .. 11");
    }

    @Test
    void evaluationBurnsInOnTheTrueFramesUpToTheForecastsStartAndScoresEachStep() throws Exception {
        Path run = tmp.resolve("eval");
        new LstmTrainer(options(run, 1)).run(false);
        int horizon = 5;
        List<LstmEvaluation.Result> rs = LstmEvaluation.run(run, null, null, "test", horizon, "best", 4,
                new int[] {0, 3});
        assertThat(rs).hasSize(2);
        LstmEvaluation.Result r = rs.get(1);
        assertThat(r.samples()).isEqualTo(6);
        assertThat(r.windowStart()).isEqualTo(3);
        assertThat(r.burnInFrames()).isEqualTo(T);
        assertThat(r.mse()).hasSize(horizon);
        assertThat(r.staticMse()).hasSize(horizon);
        for (int k = 0; k < horizon; k++) {
            assertThat(r.mse()[k]).isFinite().isPositive();
            assertThat(r.staticMse()[k]).isFinite().isPositive();
        }
        assertThat(r.toMap()).containsKeys("model", "split", "samples", "window_start", "burn_in_frames", "mse",
                "static_mse", "checkpoint", "epoch");

        // The same numbers by hand: burn in on steps start+1 .. start+T, predict start+T+1 .. start+T+H.
        LstmRunInfo info = LstmRunInfo.read(run);
        NriDataset test = NriDataset.load(data, "test", TestSupport.suffix(ATOMS), info.normalisation());
        int n = ATOMS;
        int d = 4;
        int s = test.size();
        int[] idx = new int[s];
        for (int i = 0; i < s; i++) {
            idx[i] = i;
        }
        int start = 3;
        float[] window = test.gather(idx, start + 1, T); // [S, N, T, D]
        float[] truth = test.gather(idx, start + T + 1, horizon); // [S, N, H, D]
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                LstmBaseline model = new LstmBaseline(m, info.model(), info.seed())) {
            LstmTrainer.restore(Checkpoint.read(run.resolve(LstmTrainer.BEST)), model, null);
            float[] pred = model.rolloutAfter(m.create(window, new Shape(s, n, T, d)).transpose(0, 2, 1, 3), horizon)
                    .toFloatArray(); // [S, H, N, D]
            for (int k = 0; k < horizon; k++) {
                double sum = 0;
                for (int b = 0; b < s; b++) {
                    for (int a = 0; a < n; a++) {
                        for (int c = 0; c < d; c++) {
                            double e = pred[((b * horizon + k) * n + a) * d + c] - truth[((b * n + a) * horizon + k) * d + c];
                            sum += e * e;
                        }
                    }
                }
                assertThat(r.mse()[k]).as("step %d", k + 1).isCloseTo(sum / (s * n * d), within(1e-6 * sum));
            }
        }

        assertThatThrownBy(() -> LstmEvaluation.run(run, null, null, "test", 200, "best", 4, new int[] {0}))
                .hasMessageContaining("the longest horizon here is");
        assertThatThrownBy(() -> LstmEvaluation.run(tmp.resolve("nothing"), null, null, "test", 5, "best", 4,
                new int[] {0})).hasMessageContaining("no run.json");
        Path nri = Files.createDirectories(tmp.resolve("nri"));
        Files.writeString(nri.resolve("run.json"), "{\"command\": \"./nri train\", \"model\": {}}");
        assertThatThrownBy(() -> LstmEvaluation.run(nri, null, null, "test", 5, "best", 4, new int[] {0}))
                .hasMessageContaining("not an LSTM baseline run").hasMessageContaining("./nri evaluate");
    }
}
