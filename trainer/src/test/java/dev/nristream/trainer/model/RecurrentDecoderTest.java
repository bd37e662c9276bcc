package dev.nristream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nristream.model.EdgeOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The recurrent decoder against a plain-loop transcription of the reference's RNNDecoder, and its burn-in. */
class RecurrentDecoderTest {
    private static final int B = 2;
    private static final int N = 4;
    private static final int T = 8;
    private static final int D = 4;
    private static final int H = 6;
    private static final int K = 3;

    private final Engine engine = Engine.getEngine("PyTorch");

    private static NriConfig config(boolean skipFirst) {
        return NriConfig.builder().atoms(N).timesteps(T).dims(D).hidden(H).edgeTypes(K).skipFirst(skipFirst)
                .predictionSteps(3).decoder(NriConfig.DecoderKind.RECURRENT).build();
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    /** Soft edge weights summing to 1 over K per edge. */
    private static float[] weights(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int e = N * (N - 1);
        float[] z = new float[B * e * K];
        for (int i = 0; i < z.length; i += K) {
            double sum = 0;
            for (int k = 0; k < K; k++) {
                z[i + k] = (float) (r.nextDouble() + 0.05);
                sum += z[i + k];
            }
            for (int k = 0; k < K; k++) {
                z[i + k] /= (float) sum;
            }
        }
        return z;
    }

    @Test
    void oneStepEqualsTheReferenceFormulaWrittenOutAsLoops() {
        for (boolean skipFirst : new boolean[] {false, true}) {
            try (NDManager m = engine.newBaseManager();
                    NriModel model = new NriModel(m, config(skipFirst), 5)) {
                RecurrentDecoder dec = model.recurrentDecoder();
                float[] x = random(B * N * D, 1);
                float[] hid = random(B * N * H, 2);
                float[] z = weights(3);
                NDList out = dec.step(m.create(x, new Shape(B, N, D)), m.create(hid, new Shape(B, N, H)),
                        dec.weights(m.create(z, new Shape(B, N * (N - 1), K))), false);
                double[][] expected = reference(model.store(), x, hid, z, skipFirst);
                assertThat(out.get(0).toFloatArray()).as("prediction, skipFirst=%s", skipFirst)
                        .containsExactly(toFloat(expected[0]), within(2e-5f));
                assertThat(out.get(1).toFloatArray()).as("hidden, skipFirst=%s", skipFirst)
                        .containsExactly(toFloat(expected[1]), within(2e-5f));
            }
        }
    }

    @Test
    void burnInFeedsTheTruthThenItsOwnPredictions() {
        try (NDManager m = engine.newBaseManager();
                NriModel model = new NriModel(m, config(true), 7)) {
            RecurrentDecoder dec = model.recurrentDecoder();
            float[] xs = random(B * T * N * D, 4);
            NDArray z = m.create(weights(5), new Shape(B, N * (N - 1), K));
            int m3 = 3; // burn-in on steps 0 .. T - 3 = 5, own predictions at steps 6 (of 0 .. T - 2)
            float[] base = dec.rollout(m.create(xs, new Shape(B, T, N, D)), z, m3, false).toFloatArray();
            assertThat(base).hasSize(B * (T - 1) * N * D);
            // The truth at step 6 is not an input (step 6 takes its own prediction) and step 7 never is.
            float[] late = perturb(xs, 6, 7);
            assertThat(dec.rollout(m.create(late, new Shape(B, T, N, D)), z, m3, false).toFloatArray())
                    .containsExactly(base);
            // The truth at step 5 is the last burn-in input: predictions from step 5 on change, earlier ones not.
            float[] atFive = perturb(xs, 5);
            float[] moved = dec.rollout(m.create(atFive, new Shape(B, T, N, D)), z, m3, false).toFloatArray();
            int perStep = N * D;
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T - 1; t++) {
                    boolean same = true;
                    for (int i = 0; i < perStep; i++) {
                        int idx = (b * (T - 1) + t) * perStep + i;
                        same &= moved[idx] == base[idx];
                    }
                    assertThat(same).as("sample %d, prediction %d", b, t).isEqualTo(t < 5);
                }
            }
            // With M = 1 every step sees the truth: the truth at step 6 now matters.
            float[] oneStep = dec.rollout(m.create(xs, new Shape(B, T, N, D)), z, 1, false).toFloatArray();
            float[] oneStepLate = dec.rollout(m.create(late, new Shape(B, T, N, D)), z, 1, false).toFloatArray();
            assertThat(oneStepLate).isNotEqualTo(oneStep);
        }
    }

    @Test
    void noMessagesFlowOverTheNoEdgeTypeAndTheLossTrainsEveryWeight() {
        try (NDManager m = engine.newBaseManager();
                NriModel model = new NriModel(m, config(true), 9)) {
            RecurrentDecoder dec = model.recurrentDecoder();
            int e = N * (N - 1);
            float[] none = new float[B * e * K];
            for (int i = 0; i < none.length; i += K) {
                none[i] = 1f; // every edge is "no edge"
            }
            float[] xs = random(B * T * N * D, 11);
            float[] other = xs.clone();
            // Change agent 1 everywhere: with no edges, agent 0's predictions cannot notice.
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T; t++) {
                    for (int d = 0; d < D; d++) {
                        other[((b * T + t) * N + 1) * D + d] += 0.5f;
                    }
                }
            }
            NDArray zNone = m.create(none, new Shape(B, e, K));
            float[] a = dec.rollout(m.create(xs, new Shape(B, T, N, D)), zNone, 3, false).toFloatArray();
            float[] b2 = dec.rollout(m.create(other, new Shape(B, T, N, D)), zNone, 3, false).toFloatArray();
            NDArray zSoft = m.create(weights(12), new Shape(B, e, K));
            float[] c = dec.rollout(m.create(xs, new Shape(B, T, N, D)), zSoft, 3, false).toFloatArray();
            float[] d2 = dec.rollout(m.create(other, new Shape(B, T, N, D)), zSoft, 3, false).toFloatArray();
            boolean agent0SameWithoutEdges = true;
            boolean agent0MovesWithEdges = false;
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T - 1; t++) {
                    for (int d = 0; d < D; d++) {
                        int idx = ((b * (T - 1) + t) * N) * D + d;
                        agent0SameWithoutEdges &= a[idx] == b2[idx];
                        agent0MovesWithEdges |= c[idx] != d2[idx];
                    }
                }
            }
            assertThat(agent0SameWithoutEdges).isTrue();
            assertThat(agent0MovesWithEdges).isTrue();

            // The full objective reaches every decoder parameter.
            NDArray x = m.create(xs, new Shape(B, N, T, D));
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(model.forward(x, true).loss());
            }
            for (String p : model.store().params().keySet()) {
                if (p.startsWith("rdec.")) {
                    double norm = model.store().get(p).getGradient().abs().sum().getFloat();
                    assertThat(norm).as("gradient of %s", p).isGreaterThan(0);
                }
            }
            assertThatThrownBy(model::decoder).hasMessageContaining("recurrent decoder");
        }
    }

    private static float[] perturb(float[] xs, int... steps) {
        float[] out = xs.clone();
        for (int b = 0; b < B; b++) {
            for (int t : steps) {
                for (int i = 0; i < N * D; i++) {
                    out[(b * T + t) * N * D + i] += 0.25f;
                }
            }
        }
        return out;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    // --- The reference's RNNDecoder.single_step_forward, transcribed with loops over plain arrays (receiver first,
    // as everywhere in this project).

    private static double[][] reference(ParameterStore s, float[] x, float[] hid, float[] z, boolean skipFirst) {
        int first = skipFirst ? 1 : 0;
        int kk = K - first;
        double[] msg1w = d(s, "rdec.msg1.w");
        double[] msg1b = d(s, "rdec.msg1.b");
        double[] msg2w = d(s, "rdec.msg2.w");
        double[] msg2b = d(s, "rdec.msg2.b");
        int[] rec = EdgeOrder.receivers(N);
        int[] send = EdgeOrder.senders(N);
        int e = N * (N - 1);
        double[] pred = new double[B * N * D];
        double[] next = new double[B * N * H];
        for (int b = 0; b < B; b++) {
            double[][] agg = new double[N][H];
            for (int edge = 0; edge < e; edge++) {
                double[] pre = new double[2 * H];
                for (int j = 0; j < H; j++) {
                    pre[j] = hid[(b * N + rec[edge]) * H + j];
                    pre[H + j] = hid[(b * N + send[edge]) * H + j];
                }
                for (int k = 0; k < kk; k++) {
                    double[] h1 = new double[H];
                    for (int o = 0; o < H; o++) {
                        double v = msg1b[k * H + o];
                        for (int i = 0; i < 2 * H; i++) {
                            v += pre[i] * msg1w[(k * 2 * H + i) * H + o];
                        }
                        h1[o] = Math.tanh(v);
                    }
                    double w = z[(b * e + edge) * K + k + first];
                    for (int o = 0; o < H; o++) {
                        double v = msg2b[k * H + o];
                        for (int i = 0; i < H; i++) {
                            v += h1[i] * msg2w[(k * H + i) * H + o];
                        }
                        agg[rec[edge]][o] += Math.tanh(v) * w / kk;
                    }
                }
            }
            for (int a = 0; a < N; a++) {
                double[] xa = new double[D];
                double[] ha = new double[H];
                for (int i = 0; i < D; i++) {
                    xa[i] = x[(b * N + a) * D + i];
                }
                for (int i = 0; i < H; i++) {
                    ha[i] = hid[(b * N + a) * H + i];
                    agg[a][i] /= D; // the reference's "average" divides by the input's last axis
                }
                double[] r = sigmoid(add(lin(xa, s, "rdec.input_r"), mat(agg[a], s, "rdec.hidden_r.w")));
                double[] ig = sigmoid(add(lin(xa, s, "rdec.input_i"), mat(agg[a], s, "rdec.hidden_i.w")));
                double[] hh = mat(agg[a], s, "rdec.hidden_h.w");
                double[] n = lin(xa, s, "rdec.input_n");
                for (int i = 0; i < H; i++) {
                    n[i] = Math.tanh(n[i] + r[i] * hh[i]);
                    next[(b * N + a) * H + i] = (1 - ig[i]) * n[i] + ig[i] * ha[i];
                }
                double[] hNext = java.util.Arrays.copyOfRange(next, (b * N + a) * H, (b * N + a + 1) * H);
                double[] p = relu(lin(hNext, s, "rdec.out1"));
                p = relu(lin(p, s, "rdec.out2"));
                p = lin(p, s, "rdec.out3");
                for (int i = 0; i < D; i++) {
                    pred[(b * N + a) * D + i] = xa[i] + p[i];
                }
            }
        }
        return new double[][] {pred, next};
    }

    private static double[] d(ParameterStore s, String name) {
        float[] f = s.get(name).toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** x @ w (+ b): w stored [in, out]. */
    private static double[] lin(double[] x, ParameterStore s, String prefix) {
        double[] y = mat(x, s, prefix + ".w");
        double[] b = d(s, prefix + ".b");
        for (int i = 0; i < y.length; i++) {
            y[i] += b[i];
        }
        return y;
    }

    private static double[] mat(double[] x, ParameterStore s, String name) {
        double[] w = d(s, name);
        int out = w.length / x.length;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < x.length; i++) {
                y[o] += x[i] * w[i * out + o];
            }
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = a.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += b[i];
        }
        return y;
    }

    private static double[] sigmoid(double[] a) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = 1 / (1 + Math.exp(-a[i]));
        }
        return y;
    }

    private static double[] relu(double[] a) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = Math.max(0, a[i]);
        }
        return y;
    }
}
