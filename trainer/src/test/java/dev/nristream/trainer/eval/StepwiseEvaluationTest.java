package dev.nristream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.nristream.io.Npy;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.export.LargeStack;
import dev.nristream.trainer.export.NriOnnxExporter;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation protocol for recurrent models (burn-in on the true frames up to the rollout's start) through
 * ONNX Runtime and DJL, and the step-by-step form behind {@code ./nri evaluate --dynamic}: with the graph held
 * fixed it must reproduce the static protocol, and re-encoding must change the forecast.
 */
class StepwiseEvaluationTest {
    private static final int SIMS = 5;
    private static final int STEPS = 16;
    private static final int N = 4;
    private static final int T = 6;
    private static final int HORIZON = 5;

    @TempDir
    Path dir;

    /** Smooth random walks in 2D and random symmetric 0/1 edges. */
    private NriDataset dataset() throws Exception {
        SplittableRandom r = new SplittableRandom(12);
        double[] loc = new double[SIMS * STEPS * 2 * N];
        double[] vel = new double[loc.length];
        for (int s = 0; s < SIMS; s++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < N; i++) {
                    double x = r.nextDouble() * 2 - 1;
                    double v = (r.nextDouble() - 0.5) * 0.2;
                    for (int t = 0; t < STEPS; t++) {
                        v += (r.nextDouble() - 0.5) * 0.05;
                        x += v;
                        loc[((s * STEPS + t) * 2 + c) * N + i] = x;
                        vel[((s * STEPS + t) * 2 + c) * N + i] = v;
                    }
                }
            }
        }
        double[] edges = new double[SIMS * N * N];
        for (int s = 0; s < SIMS; s++) {
            for (int i = 0; i < N; i++) {
                for (int j = i + 1; j < N; j++) {
                    double e = r.nextBoolean() ? 1 : 0;
                    edges[(s * N + i) * N + j] = e;
                    edges[(s * N + j) * N + i] = e;
                }
            }
        }
        Npy.write(dir.resolve("loc_test.npy"), loc, SIMS, STEPS, 2, N);
        Npy.write(dir.resolve("vel_test.npy"), vel, SIMS, STEPS, 2, N);
        Npy.write(dir.resolve("edges_test.npy"), edges, SIMS, N, N);
        return NriDataset.load(dir, "test", "", null);
    }

    private static double maxRelDiff(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-12, Math.abs(b[i])));
        }
        return worst;
    }

    private static ModelSpec spec(NriConfig cfg, NriDataset data) {
        return new ModelSpec("stepwise-" + cfg.decoder(), "springs", cfg.atoms(), true, cfg.timesteps(),
                ModelSpec.expectedLayout(2), 2, 10.0, cfg.edgeTypes(), List.of("t0", "t1"), -1,
                data.normalisation(), "encoder.onnx", "decoder.onnx", null, null, null);
    }

    private void check(NriConfig cfg) throws Exception {
        NriDataset data = dataset();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 7)) {
            Path out = dir.resolve("model-" + cfg.decoder());
            new NriOnnxExporter(model).write(out, spec(cfg, data),
                    Map.of());
            Evaluator ev = new Evaluator(T, HORIZON, 0.5, 42);
            LargeStack.call(() -> {
                try (OnnxPredictor onnx = new OnnxPredictor(NriOnnxModel.open(ModelDirectory.open(out),
                        NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU)));
                        DjlPredictor djl = new DjlPredictor(model)) {
                    for (int start : new int[] {0, 3}) {
                        Evaluator.Evaluation fixed = ev.evaluate(onnx, data, 2, start);
                        Evaluator.Evaluation trained = ev.evaluate(djl, data, 2, start);
                        assertThat(maxRelDiff(fixed.mse(), trained.mse())).as("ONNX vs DJL, start %d", start)
                                .isLessThan(1e-3);
                        Evaluator.Evaluation stepwise = ev.evaluateStepwise(onnx, data, 2, start, false);
                        assertThat(maxRelDiff(stepwise.mse(), fixed.mse())).as("stepwise static, start %d", start)
                                .isLessThan(1e-4);
                        assertThat(stepwise.staticMse()).containsExactly(fixed.staticMse());
                        // the per-sample errors behind the median are summed in each protocol's own order
                        assertThat(maxRelDiff(stepwise.medianMse(), fixed.medianMse()))
                                .as("stepwise median, start %d", start).isLessThan(1e-4);
                        assertThat(maxRelDiff(ev.evaluateStepwise(djl, data, 2, start, false).mse(), fixed.mse()))
                                .as("DJL stepwise static, start %d", start).isLessThan(1e-3);
                        Evaluator.Evaluation dynamic = ev.evaluateStepwise(onnx, data, 2, start, true);
                        assertThat(dynamic.edgeAccuracy()).isEqualTo(fixed.edgeAccuracy());
                        assertThat(java.util.Arrays.stream(dynamic.mse()).allMatch(Double::isFinite)).isTrue();
                        assertThat(maxRelDiff(dynamic.mse(), fixed.mse())).as("re-encoding changes the forecast")
                                .isGreaterThan(1e-4);
                    }
                }
                return null;
            });
        }
    }

    @Test
    void recurrentDecoderStaticStepwiseAndDynamic() throws Exception {
        check(NriConfig.builder().atoms(N).timesteps(T).predictionSteps(2).hidden(16)
                .decoder(NriConfig.DecoderKind.RECURRENT).build());
    }

    @Test
    void mlpDecoderStaticStepwiseAndDynamic() throws Exception {
        check(NriConfig.builder().atoms(N).timesteps(T).predictionSteps(2).hidden(16).build());
    }
}
