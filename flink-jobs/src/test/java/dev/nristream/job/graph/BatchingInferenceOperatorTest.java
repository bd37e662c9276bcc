package dev.nristream.job.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.job.WindowResult;
import dev.nristream.job.WindowTask;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.model.EdgeCalibration;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.WindowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchingInferenceOperatorTest {

    static final int T = 49;
    static final int D = 4;
    static final int H = 3;

    BatchingInferenceOperator op;
    OneInputStreamOperatorTestHarness<WindowTask, WindowResult> h;

    @BeforeEach
    void open() throws Exception {
        op = new BatchingInferenceOperator(StreamTestKit.goldenModel().toString(),
                NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU), 3, 50, H);
        h = new OneInputStreamOperatorTestHarness<>(op);
        h.setProcessingTime(0);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    static WindowTask task(String scene, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        WindowTask t = new WindowTask();
        t.sceneId = scene;
        t.agentIds = new String[n];
        for (int i = 0; i < n; i++) {
            t.agentIds[i] = "a" + i;
        }
        t.features = new float[n * T * D];
        for (int i = 0; i < t.features.length; i++) {
            t.features[i] = (float) (r.nextDouble() * 2 - 1);
        }
        t.endFrame = seed;
        t.endTimeMs = 1000 + seed;
        return t;
    }

    @Test
    void waitsForAFullBatchOrTheTimer() throws Exception {
        h.processElement(task("a", 3, 1), 1);
        h.processElement(task("b", 3, 2), 2);
        assertThat(h.extractOutputValues()).isEmpty();
        h.setProcessingTime(49);
        assertThat(h.extractOutputValues()).isEmpty();
        h.setProcessingTime(50);
        assertThat(h.extractOutputValues()).extracting(r -> r.sceneId).containsExactly("a", "b");

        h.processElement(task("c", 3, 3), 3);
        h.processElement(task("d", 3, 4), 4);
        h.processElement(task("e", 3, 5), 5);
        assertThat(h.extractOutputValues()).extracting(r -> r.sceneId).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void flushesBeforeACheckpointBarrierAndAtTheEnd() throws Exception {
        h.processElement(task("a", 2, 1), 1);
        op.prepareSnapshotPreBarrier(1);
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processElement(task("b", 2, 2), 2);
        op.finish();
        assertThat(h.extractOutputValues()).hasSize(2);
    }

    @Test
    void mixedNodeCountsGiveTheSameResultsAsOneWindowAtATime() throws Exception {
        List<WindowTask> tasks = List.of(task("n3", 3, 11), task("n5", 5, 12), task("n3b", 3, 13));
        for (WindowTask t : tasks) {
            h.processElement(t, t.endTimeMs);
        }
        List<WindowResult> out = h.extractOutputValues();
        assertThat(out).extracting(r -> r.sceneId).containsExactlyInAnyOrder("n3", "n5", "n3b");
        ModelDirectory dir = ModelDirectory.open(StreamTestKit.goldenModel());
        FeatureBuilder fb = new FeatureBuilder(dir.spec(), WindowSpec.forModel(dir.spec(), 1));
        try (NriOnnxModel model = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))) {
            for (WindowResult r : out) {
                WindowTask t = tasks.stream().filter(x -> x.sceneId.equals(r.sceneId)).findFirst().orElseThrow();
                int n = t.nodes();
                float[] probs = model.encode(t.features, 1, n);
                assertThat(r.edgeProbs).containsExactly(probs, within(1e-5f));
                double[][][] xy = fb.forecastPositions(model.rolloutWindow(t.features, T,
                        NriOnnxModel.hardEdges(probs, 2), 1, n, H), 0, H, n);
                assertThat(r.forecast).hasSize(n * H * 2);
                assertThat(r.forecast[((n - 1) * H + H - 1) * 2 + 1]).isCloseTo(xy[n - 1][H - 1][1], within(1e-6));
                assertThat(r.horizon).isEqualTo(H);
                assertThat(r.endFrame).isEqualTo(t.endFrame);
                assertThat(r.edgeTypes).isEqualTo(2);
            }
        }
    }

    /**
     * A model with a fitted temperature: the graph carries the calibrated probabilities (same argmax, softer), the
     * forecast still comes from the decoder fed with the encoder's own probabilities' argmax.
     */
    @Test
    void aCalibratedModelPublishesTemperatureScaledProbabilitiesAndForecastsWithTheRawOnes(@TempDir Path tmp)
            throws Exception {
        Path golden = StreamTestKit.goldenModel();
        Path calibrated = tmp.resolve("calibrated");
        Files.createDirectories(calibrated);
        try (var files = Files.list(golden)) {
            for (Path f : files.toList()) {
                Files.copy(f, calibrated.resolve(f.getFileName()));
            }
        }
        ModelSpec spec = ModelSpec.read(golden.resolve(ModelSpec.FILE_NAME));
        EdgeCalibration c = EdgeCalibration.temperature(2.5, "test", 0.1, 0.01);
        Files.writeString(calibrated.resolve(ModelSpec.FILE_NAME), spec.withCalibration(c).toJson(),
                StandardOpenOption.TRUNCATE_EXISTING);
        BatchingInferenceOperator cop = new BatchingInferenceOperator(calibrated.toString(),
                NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU), 1, 50, H);
        WindowTask t = task("cal", 4, 21);
        List<WindowResult> out;
        try (var ch = new OneInputStreamOperatorTestHarness<WindowTask, WindowResult>(cop)) {
            ch.open();
            ch.processElement(t, t.endTimeMs);
            out = ch.extractOutputValues();
        }
        assertThat(out).hasSize(1);
        WindowResult r = out.get(0);
        ModelDirectory dir = ModelDirectory.open(golden);
        FeatureBuilder fb = new FeatureBuilder(dir.spec(), WindowSpec.forModel(dir.spec(), 1));
        try (NriOnnxModel model = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))) {
            float[] raw = model.encode(t.features, 1, 4);
            for (int e = 0; e < raw.length / 2; e++) {
                double expected = Math.pow(raw[2 * e], 1 / 2.5)
                        / (Math.pow(raw[2 * e], 1 / 2.5) + Math.pow(raw[2 * e + 1], 1 / 2.5));
                assertThat((double) r.edgeProbs[2 * e]).as("edge %d", e).isCloseTo(expected, within(1e-5));
                assertThat(r.edgeProbs[2 * e] > r.edgeProbs[2 * e + 1]).isEqualTo(raw[2 * e] > raw[2 * e + 1]);
                assertThat(Math.abs(r.edgeProbs[2 * e] - 0.5)).isLessThanOrEqualTo(Math.abs(raw[2 * e] - 0.5f) + 1e-6f);
            }
            double[][][] xy = fb.forecastPositions(
                    model.rolloutWindow(t.features, T, NriOnnxModel.hardEdges(raw, 2), 1, 4, H), 0, H, 4);
            assertThat(r.forecast[(3 * H + H - 1) * 2]).isCloseTo(xy[3][H - 1][0], within(1e-6));
        }
    }

    /** Soft edges feed the encoder's probabilities; the dense and the sparse decoder give the same forecasts. */
    @Test
    void softAndHardEdgesOnTheDenseAndTheSparsePath() throws Exception {
        WindowTask t = task("ab", 5, 31);
        NriOnnxModel.Options cpu = NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU);
        double[] sparseHard = forecast(cpu, true, t);
        double[] denseHard = forecast(cpu.withDecoderPath(NriOnnxModel.DecoderPath.DENSE), true, t);
        double[] sparseSoft = forecast(cpu, false, t);
        double[] denseSoft = forecast(cpu.withDecoderPath(NriOnnxModel.DecoderPath.DENSE), false, t);
        assertThat(sparseHard).containsExactly(denseHard, within(1e-4));
        assertThat(sparseSoft).containsExactly(denseSoft, within(1e-4));
        ModelDirectory dir = ModelDirectory.open(StreamTestKit.goldenModel());
        FeatureBuilder fb = new FeatureBuilder(dir.spec(), WindowSpec.forModel(dir.spec(), 1));
        try (NriOnnxModel model = NriOnnxModel.open(dir, cpu)) {
            assertThat(model.decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.SPARSE);
            float[] probs = model.encode(t.features, 1, 5);
            double[][][] soft = fb.forecastPositions(model.rolloutWindow(t.features, T, probs, 1, 5, H), 0, H, 5);
            assertThat(sparseSoft[(4 * H + H - 1) * 2]).isCloseTo(soft[4][H - 1][0], within(1e-6));
        }
    }

    private static double[] forecast(NriOnnxModel.Options options, boolean hard, WindowTask t) throws Exception {
        BatchingInferenceOperator o = new BatchingInferenceOperator(StreamTestKit.goldenModel().toString(), options,
                1, 50, H, hard);
        try (var ch = new OneInputStreamOperatorTestHarness<WindowTask, WindowResult>(o)) {
            ch.open();
            ch.processElement(t, t.endTimeMs);
            return ch.extractOutputValues().get(0).forecast;
        }
    }

    /**
     * Load shedding: a scene whose windows arrive 1.2 s late gets graphs without forecasts, then every other window,
     * each record saying the stride it was published at; the Avro records carry stride_ms and no forecast.
     */
    @Test
    void overloadDropsForecastsThenLengthensTheStrideAndSaysSo() throws Exception {
        BatchingInferenceOperator sop = new BatchingInferenceOperator(StreamTestKit.goldenModel().toString(),
                NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU), 4, 0, H, true, 1000, 2, 1000);
        List<WindowResult> out;
        try (var sh = new OneInputStreamOperatorTestHarness<WindowTask, WindowResult>(sop)) {
            sh.open();
            for (int k = 0; k <= 8; k++) {
                WindowTask t = task("late", 3, 40 + k);
                t.endTimeMs = 10_000 + 1000L * k;
                sh.setProcessingTime(t.endTimeMs + (k == 0 ? 0 : 1200));
                sh.processElement(t, t.endTimeMs);
            }
            out = sh.extractOutputValues();
            assertThat(sop.shedder().windowsShed()).isEqualTo(4); // k = 2, 4, 6, 8
            assertThat(sop.shedder().strideFactor()).isEqualTo(2);
        }
        assertThat(out).extracting(r -> r.endTimeMs).containsExactly(10_000L, 11_000L, 13_000L, 15_000L, 17_000L);
        assertThat(out).extracting(r -> r.strideMs).containsExactly(1000L, 1000L, 2000L, 2000L, 2000L);
        assertThat(out.get(0).forecast).isNotNull();
        assertThat(out.subList(1, out.size())).allSatisfy(r -> assertThat(r.forecast).isNull());
        assertThat(out).allSatisfy(r -> assertThat(r.edgeProbs).isNotEmpty());
        dev.nristream.job.sink.AvroOutputs avro = new dev.nristream.job.sink.AvroOutputs(
                ModelSpec.read(StreamTestKit.goldenModel().resolve(ModelSpec.FILE_NAME)));
        assertThat(avro.graph(out.get(2)).getStrideMs()).isEqualTo(2000L);
        assertThat(avro.forecast(out.get(2))).isNull();
        assertThat(avro.forecast(out.get(0)).getStrideMs()).isEqualTo(1000L);
    }
}
