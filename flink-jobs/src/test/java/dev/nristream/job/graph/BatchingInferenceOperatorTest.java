package dev.nristream.job.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.job.WindowResult;
import dev.nristream.job.WindowTask;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.WindowSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
        t.lastState = new float[n * D];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.features, (i * T + T - 1) * D, t.lastState, i * D, D);
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
                double[][][] xy = fb.forecastPositions(model.rollout(t.lastState, probs, 1, n, H), 0, H, n);
                assertThat(r.forecast).hasSize(n * H * 2);
                assertThat(r.forecast[((n - 1) * H + H - 1) * 2 + 1]).isCloseTo(xy[n - 1][H - 1][1], within(1e-6));
                assertThat(r.horizon).isEqualTo(H);
                assertThat(r.endFrame).isEqualTo(t.endFrame);
                assertThat(r.edgeTypes).isEqualTo(2);
            }
        }
    }
}
