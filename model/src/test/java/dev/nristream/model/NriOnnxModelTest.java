package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the golden random-weight model (src/test/resources/golden-model: a random NRI exported by the trainer's
 * exporter, see its README) through ONNX Runtime.
 */
class NriOnnxModelTest {

    static NriOnnxModel model;
    static int t;
    static int d;

    @BeforeAll
    static void open() throws URISyntaxException {
        Path dir = Path.of(NriOnnxModelTest.class.getResource("/golden-model/model.json").toURI()).getParent();
        model = NriOnnxModel.open(ModelDirectory.open(dir), NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU));
        t = model.spec().windowLength();
        d = model.spec().features();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] input(long seed, int b, int n, int len) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[b * n * len];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void encodesAnyAtomCountToProbabilities() {
        for (int n : new int[] {2, 5, 11}) {
            float[] p = model.encode(input(1, 3, n, t * d), 3, n);
            int e = EdgeOrder.edgeCount(n);
            assertThat(p).hasSize(3 * e * 2);
            for (int i = 0; i < 3 * e; i++) {
                assertThat(p[2 * i] + p[2 * i + 1]).isCloseTo(1f, within(1e-5f));
            }
        }
    }

    @Test
    void batchingDoesNotChangeResults() {
        int n = 4;
        float[] a = input(2, 1, n, t * d);
        float[] b = input(3, 1, n, t * d);
        float[] ab = new float[a.length + b.length];
        System.arraycopy(a, 0, ab, 0, a.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        float[] pab = model.encode(ab, 2, n);
        float[] pa = model.encode(a, 1, n);
        float[] pb = model.encode(b, 1, n);
        assertThat(Arrays.copyOfRange(pab, 0, pa.length)).containsExactly(pa, within(1e-5f));
        assertThat(Arrays.copyOfRange(pab, pa.length, pab.length)).containsExactly(pb, within(1e-5f));
    }

    @Test
    void edgeOrderFollowsTheContractUnderNodePermutation() {
        // Swapping nodes 0 and 1 of the input must move edge (i, j)'s probabilities to (pi(i), pi(j)).
        int n = 3;
        float[] x = input(4, 1, n, t * d);
        float[] swapped = x.clone();
        int len = t * d;
        System.arraycopy(x, 0, swapped, len, len);
        System.arraycopy(x, len, swapped, 0, len);
        float[] p = model.encode(x, 1, n);
        float[] q = model.encode(swapped, 1, n);
        int[] pi = {1, 0, 2};
        for (int e = 0; e < EdgeOrder.edgeCount(n); e++) {
            int[] ij = EdgeOrder.endpoints(e, n);
            int f = edgeIndex(pi[ij[0]], pi[ij[1]], n);
            assertThat(q[2 * f + 1]).isCloseTo(p[2 * e + 1], within(1e-5f));
        }
    }

    static int edgeIndex(int i, int j, int n) {
        return i * (n - 1) + (j < i ? j : j - 1);
    }

    @Test
    void rolloutFeedsEachStepBack() {
        int n = 5;
        int b = 2;
        float[] state = input(5, b, n, d);
        float[] w = model.encode(input(6, b, n, t * d), b, n);
        float[] roll = model.rollout(state, w, b, n, 3);
        assertThat(roll).hasSize(b * 3 * n * d);
        float[] step1 = model.decodeStep(state, w, b, n);
        float[] step2 = model.decodeStep(step1, w, b, n);
        int stepLen = n * d;
        for (int bi = 0; bi < b; bi++) {
            assertThat(Arrays.copyOfRange(roll, (bi * 3) * stepLen, (bi * 3 + 1) * stepLen))
                    .containsExactly(Arrays.copyOfRange(step1, bi * stepLen, (bi + 1) * stepLen), within(1e-6f));
            assertThat(Arrays.copyOfRange(roll, (bi * 3 + 1) * stepLen, (bi * 3 + 2) * stepLen))
                    .containsExactly(Arrays.copyOfRange(step2, bi * stepLen, (bi + 1) * stepLen), within(1e-6f));
        }
    }

    @Test
    void theDynamicRolloutReEncodesTheMostRecentFramesBeforeEachStepAfterTheFirst() {
        int n = 4;
        int b = 2;
        float[] window = input(11, b, n, t * d);
        float[] hard = NriOnnxModel.hardEdges(model.encode(window, b, n), 2);
        float[] fixed = model.rolloutWindow(window, t, hard, b, n, 3);
        float[] dynamic = model.rolloutWindowDynamic(window, t, hard, b, n, 3, true);
        assertThat(dynamic).hasSize(b * 3 * n * d);
        int stepLen = n * d;
        // step 1: the window's graph, as the static rollout
        float[] step1 = model.decodeStep(frameOf(window, b, n, t, t - 1), hard, b, n);
        // step 2: the graph of the window moved on by one frame, its newest frame the first prediction
        float[] moved = new float[b * n * t * d];
        for (int r = 0; r < b * n; r++) {
            System.arraycopy(window, (r * t + 1) * d, moved, r * t * d, (t - 1) * d);
            System.arraycopy(step1, r * d, moved, (r * t + t - 1) * d, d);
        }
        float[] step2 = model.decodeStep(step1, NriOnnxModel.hardEdges(model.encode(moved, b, n), 2), b, n);
        for (int bi = 0; bi < b; bi++) {
            float[] s1 = Arrays.copyOfRange(step1, bi * stepLen, (bi + 1) * stepLen);
            assertThat(Arrays.copyOfRange(dynamic, (bi * 3) * stepLen, (bi * 3 + 1) * stepLen))
                    .containsExactly(s1, within(1e-6f));
            assertThat(Arrays.copyOfRange(fixed, (bi * 3) * stepLen, (bi * 3 + 1) * stepLen))
                    .containsExactly(s1, within(1e-6f));
            assertThat(Arrays.copyOfRange(dynamic, (bi * 3 + 1) * stepLen, (bi * 3 + 2) * stepLen))
                    .containsExactly(Arrays.copyOfRange(step2, bi * stepLen, (bi + 1) * stepLen), within(1e-6f));
        }
    }

    /** Frame {@code f} of a flat [B, N, T, D] window as a flat [B, N, D] state. */
    static float[] frameOf(float[] window, int b, int n, int frames, int f) {
        float[] out = new float[b * n * d];
        for (int r = 0; r < b * n; r++) {
            System.arraycopy(window, (r * frames + f) * d, out, r * d, d);
        }
        return out;
    }

    @Test
    void sparseRolloutGivesTheDenseDecodersForecasts() throws URISyntaxException {
        assertThat(model.decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.SPARSE);
        Path dir = Path.of(NriOnnxModelTest.class.getResource("/golden-model/model.json").toURI()).getParent();
        try (NriOnnxModel dense = NriOnnxModel.open(ModelDirectory.open(dir), NriOnnxModel.Options.defaults()
                .withDevice(NriOnnxModel.Device.CPU).withDecoderPath(NriOnnxModel.DecoderPath.DENSE))) {
            assertThat(dense.decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.DENSE);
            for (int n : new int[] {2, 5, 11}) {
                int b = 3;
                float[] state = input(7 + n, b, n, d);
                float[] probs = model.encode(input(8 + n, b, n, t * d), b, n);
                for (float[] w : new float[][] {probs, NriOnnxModel.hardEdges(probs, 2)}) {
                    assertThat(model.rollout(state, w, b, n, 10))
                            .containsExactly(dense.rollout(state, w, b, n, 10), within(1e-5f));
                }
            }
        }
    }

    @Test
    void hardEdgesAreTheOneHotArgmax() {
        assertThat(NriOnnxModel.hardEdges(new float[] {0.2f, 0.8f, 0.6f, 0.4f, 0.5f, 0.5f}, 2))
                .containsExactly(0f, 1f, 1f, 0f, 1f, 0f);
        assertThat(NriOnnxModel.hardEdges(new float[] {0.1f, 0.3f, 0.6f}, 3)).containsExactly(0f, 0f, 1f);
        assertThatThrownBy(() -> NriOnnxModel.hardEdges(new float[5], 2)).hasMessageContaining("multiple of K=2");
    }

    @Test
    void goldenOutputsStillMatch() {
        // Recorded once from this model with this input (STYLE.md #8): catches runtime or export drift.
        float[] p = model.encode(input(42, 1, 3, t * d), 1, 3);
        float[] golden = {0.5879714f, 0.41202867f, 0.42719096f, 0.57280904f, 0.5566736f, 0.44332638f,
            0.51120406f, 0.488796f, 0.5747432f, 0.42525685f, 0.64994115f, 0.35005882f};
        assertThat(p).containsExactly(golden, within(1e-4f));
    }

    @Test
    void badShapesAndAClosedModelAreNamed() {
        assertThatThrownBy(() -> model.encode(new float[10], 1, 3))
                .hasMessageContaining("trajectories must have " + (3 * t * d) + " values for shape [B=1, N=3, T=49, D=4]");
        assertThatThrownBy(() -> model.rollout(new float[12], new float[5], 1, 3, 2))
                .hasMessageContaining("edge_weights must have 12 values");
        assertThatThrownBy(() -> model.rollout(new float[12], new float[12], 1, 3, 0))
                .hasMessageContaining("horizon must be >= 1");
    }

    @Test
    void cudaFallsBackToCpuWithAReason() throws URISyntaxException {
        Path dir = Path.of(NriOnnxModelTest.class.getResource("/golden-model/model.json").toURI()).getParent();
        try (NriOnnxModel m = NriOnnxModel.open(ModelDirectory.open(dir),
                NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CUDA))) {
            if (m.activeDevice() == NriOnnxModel.Device.CPU) {
                assertThat(m.deviceReason()).containsAnyOf("no CUDA execution provider", "CUDA session failed");
            }
            assertThat(m.encode(input(1, 1, 2, t * d), 1, 2)).hasSize(4);
        }
        NriOnnxModel closed = NriOnnxModel.open(ModelDirectory.open(dir), NriOnnxModel.Options.defaults());
        closed.close();
        assertThatThrownBy(() -> closed.encode(new float[0], 1, 2)).hasMessageContaining("is closed");
    }
}
