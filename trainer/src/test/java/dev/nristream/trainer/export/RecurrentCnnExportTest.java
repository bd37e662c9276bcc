package dev.nristream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelException;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.model.TensorNames;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNN encoder and the recurrent decoder exported to ONNX against the DJL network, on tiny random-weight models:
 * encoder probabilities (the CNN encoder also at window lengths it was not built for), the recurrent decoder's
 * burn-in plus rollout against {@code RecurrentDecoder.rolloutAfter}, each within 1e-4; and the model.json
 * contract these models carry.
 */
class RecurrentCnnExportTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private static NriConfig.Builder base(int atoms, int t, int k, boolean skipFirst) {
        return NriConfig.builder().atoms(atoms).timesteps(t).predictionSteps(3).dims(4).hidden(16).edgeTypes(k)
                .skipFirst(skipFirst);
    }

    private static float[] uniform(SplittableRandom r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    private Path export(NriModel model, String name) throws Exception {
        OnnxExportParityTest.perturbBatchNorm(model, 5);
        Path out = dir.resolve(name);
        ModelSpec spec = OnnxExportParityTest.spec(model.config());
        new NriOnnxExporter(model).write(out, spec, Map.of("model_id", spec.modelId()));
        return out;
    }

    /** Worst |ONNX - DJL| of {@link ModelExport#parity} over atom counts and window lengths. */
    private double parity(NriModel model, Path out, int[] atoms, int[] windows) {
        ModelDirectory md = ModelDirectory.open(out);
        SplittableRandom r = new SplittableRandom(9);
        double worst = 0;
        int d = model.config().dims();
        for (int n : atoms) {
            for (int t : windows) {
                int b = 3;
                float[] x = uniform(r, b * n * t * d);
                float[] state = uniform(r, b * n * d);
                worst = Math.max(worst, LargeStack.call(() -> ModelExport.parity(model, md, x, state, b, n)));
            }
        }
        return worst;
    }

    @Test
    void cnnEncoderMatchesAtTheTrainedAndOtherWindowLengthsAndAtomCounts() throws Exception {
        NriConfig cfg = base(5, 16, 2, false).encoder(NriConfig.EncoderKind.CNN).build();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 17)) {
            Path out = export(model, "cnn");
            assertThat(parity(model, out, new int[] {5, 3}, new int[] {16, 14, 23})).isLessThanOrEqualTo(TOLERANCE);
            ModelSpec spec = ModelDirectory.open(out).spec();
            assertThat(spec.encoderKind()).isEqualTo(ModelSpec.ENCODER_CNN);
            assertThat(spec.decoderKind()).isNull();
            assertThat(out.resolve(ModelSpec.ROLLOUT_FILE)).as("the MLP decoder keeps its sparse rollout").exists();
            var enc = new NriOnnxExporter(model).encoder(Map.of());
            var dims = enc.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
            assertThat(dims.get(2).getDimParam()).as("the time axis is dynamic").isEqualTo("T");
            try (NriOnnxModel onnx = LargeStack.call(() -> NriOnnxModel.open(ModelDirectory.open(out),
                    NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU)))) {
                assertThatThrownBy(() -> onnx.encode(new float[5 * 13 * 4], 1, 5, 13))
                        .hasMessageContaining(">= 14 frames, got 13");
            }
        }
    }

    @Test
    void recurrentDecoderBurnInAndRolloutMatchRolloutAfter() throws Exception {
        for (boolean skipFirst : new boolean[] {false, true}) {
            NriConfig cfg = base(4, 7, 3, skipFirst).decoder(NriConfig.DecoderKind.RECURRENT).build();
            try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                    NriModel model = new NriModel(m, cfg, 23)) {
                Path out = export(model, "rnn" + skipFirst);
                assertThat(parity(model, out, new int[] {4, 6}, new int[] {7})).as("skipFirst=%s", skipFirst)
                        .isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @Test
    void cnnEncoderWithRecurrentDecoderMatchesAndDeclaresItsKinds() throws Exception {
        NriConfig cfg = base(5, 15, 2, true).encoder(NriConfig.EncoderKind.CNN)
                .decoder(NriConfig.DecoderKind.RECURRENT).build();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 3)) {
            Path out = export(model, "both");
            assertThat(parity(model, out, new int[] {5}, new int[] {15, 20})).isLessThanOrEqualTo(TOLERANCE);
            ModelSpec spec = ModelDirectory.open(out).spec();
            assertThat(spec.encoderKind()).isEqualTo(ModelSpec.ENCODER_CNN);
            assertThat(spec.decoderKind()).isEqualTo(ModelSpec.DECODER_RECURRENT);
            assertThat(spec.decoderHidden()).isEqualTo(16);
            assertThat(spec.decoderFrames()).isEqualTo(15);
            assertThat(out.resolve(ModelSpec.ROLLOUT_FILE)).doesNotExist();
            assertThatThrownBy(() -> ModelUpgrade.upgrade(out)).isInstanceOf(ModelException.class)
                    .hasMessageContaining("decoder_kind recurrent").hasMessageContaining("nothing to upgrade");
            var dec = new NriOnnxExporter(model).decoder(Map.of());
            assertThat(dec.getGraph().getInputList()).extracting(v -> v.getName()).containsExactly(
                    TensorNames.STATE, TensorNames.REL_REC, TensorNames.REL_SEND, TensorNames.EDGE_WEIGHTS,
                    TensorNames.HIDDEN);
            assertThat(dec.getGraph().getOutputList()).extracting(v -> v.getName())
                    .containsExactly(TensorNames.NEXT_STATE, TensorNames.NEXT_HIDDEN);
        }
    }

    @Test
    void stepByStepEqualsTheWindowRolloutAndTheBurnInIsCapped() throws Exception {
        int n = 4;
        int t = 6;
        NriConfig cfg = base(n, t, 2, false).decoder(NriConfig.DecoderKind.RECURRENT).build();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 31)) {
            Path out = export(model, "steps");
            SplittableRandom r = new SplittableRandom(4);
            int b = 2;
            int d = cfg.dims();
            float[] x = uniform(r, b * n * t * d);
            float[] w = ModelUpgrade.randomProbs(r, b * EdgeOrder.edgeCount(n), 2);
            LargeStack.call(() -> {
                try (NriOnnxModel onnx = NriOnnxModel.open(ModelDirectory.open(out),
                        NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))) {
                    assertThat(onnx.decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.DENSE);
                    float[] ahead = onnx.rolloutWindow(x, t, w, b, n, 4);
                    // The same with recurrentStep by hand: burn-in on the t true frames, then 3 of its own.
                    float[] hidden = null;
                    float[] pred = null;
                    float[] byHand = new float[ahead.length];
                    for (int s = 0; s < t + 3; s++) {
                        float[] in = s < t ? frame(x, b * n, t, d, s) : pred;
                        NriOnnxModel.RecurrentStep st = onnx.recurrentStep(in, hidden, w, b, n);
                        hidden = st.hidden();
                        pred = st.nextState();
                        if (s >= t - 1) {
                            for (int bi = 0; bi < b; bi++) {
                                System.arraycopy(pred, bi * n * d, byHand, (bi * 4 + s - (t - 1)) * n * d, n * d);
                            }
                        }
                    }
                    assertThat(ModelExport.maxAbsDiff(ahead, byHand)).isLessThanOrEqualTo(1e-6);
                    // A window longer than the burn-in: only its last decoder_frames() frames are stepped through.
                    float[] longer = uniform(r, b * n * (t + 3) * d);
                    for (int ba = 0; ba < b * n; ba++) {
                        System.arraycopy(x, ba * t * d, longer, (ba * (t + 3) + 3) * d, t * d);
                    }
                    assertThat(ModelExport.maxAbsDiff(onnx.rolloutWindow(longer, t + 3, w, b, n, 4), ahead))
                            .isLessThanOrEqualTo(1e-6);
                    // The single-frame rollout is a burn-in of one frame, not the window's forecast.
                    float[] last = frame(x, b * n, t, d, t - 1);
                    assertThat(ModelExport.maxAbsDiff(onnx.rollout(last, w, b, n, 4),
                            onnx.rolloutWindow(last, 1, w, b, n, 4))).isZero();
                    assertThat(ModelExport.maxAbsDiff(onnx.rollout(last, w, b, n, 4), ahead)).isGreaterThan(1e-4);
                }
                return null;
            });
        }
    }

    @Test
    void mlpModelsTakeTheWindowAndForecastFromItsLastFrame() throws Exception {
        int n = 3;
        int t = 5;
        NriConfig cfg = base(n, t, 2, false).build();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 8)) {
            Path out = export(model, "mlp");
            assertThat(Files.readString(out.resolve(ModelSpec.FILE_NAME))).doesNotContain("decoder_kind")
                    .doesNotContain("encoder_kind");
            SplittableRandom r = new SplittableRandom(2);
            int b = 2;
            int d = cfg.dims();
            float[] x = uniform(r, b * n * t * d);
            float[] w = ModelUpgrade.randomProbs(r, b * EdgeOrder.edgeCount(n), 2);
            LargeStack.call(() -> {
                try (NriOnnxModel onnx = NriOnnxModel.open(ModelDirectory.open(out),
                        NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))) {
                    assertThat(onnx.rolloutWindow(x, t, w, b, n, 5))
                            .containsExactly(onnx.rollout(frame(x, b * n, t, d, t - 1), w, b, n, 5));
                    assertThatThrownBy(() -> onnx.recurrentStep(new float[b * n * d], null, w, b, n))
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("no hidden state");
                    assertThatThrownBy(() -> onnx.encode(x, b, n, t - 1)).isInstanceOf(
                            IllegalArgumentException.class).hasMessageContaining("exactly 5 frames");
                }
                return null;
            });
        }
    }

    @Test
    void aRecurrentDecoderUnderAnMlpModelJsonIsRefusedOnLoad() throws Exception {
        NriConfig cfg = base(3, 5, 2, false).decoder(NriConfig.DecoderKind.RECURRENT).build();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 1)) {
            Path out = export(model, "mislabelled");
            OnnxExportParityTest.spec(cfg).write(out.resolve(ModelSpec.FILE_NAME)); // no decoder_kind
            assertThatThrownBy(() -> LargeStack.call(() -> NriOnnxModel.open(ModelDirectory.open(out),
                    NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))))
                    .isInstanceOf(ModelException.class).hasMessageContaining("'hidden' input")
                    .hasMessageContaining("decoder_kind mlp");
            ModelSpec wrongWidth = NriOnnxExporter.withArchitecture(OnnxExportParityTest.spec(cfg), cfg)
                    .withArchitecture(null, ModelSpec.DECODER_RECURRENT, 32, null);
            wrongWidth.write(out.resolve(ModelSpec.FILE_NAME));
            assertThatThrownBy(() -> LargeStack.call(() -> NriOnnxModel.open(ModelDirectory.open(out),
                    NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))))
                    .isInstanceOf(ModelException.class).hasMessageContaining("decoder_hidden 32");
        }
    }

    /** Frame f of a flat [rows, frames, D] window. */
    private static float[] frame(float[] x, int rows, int frames, int d, int f) {
        float[] out = new float[rows * d];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, (i * frames + f) * d, out, i * d, d);
        }
        return out;
    }
}
