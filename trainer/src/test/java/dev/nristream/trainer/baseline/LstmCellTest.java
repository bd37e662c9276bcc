package dev.nristream.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nristream.trainer.model.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The LSTM cell and the baseline's step against the equations written out as loops over plain double arrays, the
 * shapes, the burn-in and that the loss reaches every parameter.
 */
class LstmCellTest {
    private static final int B = 2;
    private static final int N = 3;
    private static final int D = 4;
    private static final int H = 5;
    private static final int T = 7;

    private final Engine engine = Engine.getEngine("PyTorch");

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    @Test
    void oneCellStepEqualsTheGateEquationsWrittenOutAsLoops() {
        int in = 3;
        try (NDManager m = engine.newBaseManager();
                ParameterStore store = new ParameterStore(m, 11)) {
            LstmCell cell = new LstmCell(store, "c", in, H);
            assertThat(store.get("c.wx").getShape()).isEqualTo(new Shape(in, 4 * H));
            assertThat(store.get("c.wh").getShape()).isEqualTo(new Shape(H, 4 * H));
            assertThat(store.get("c.b").getShape()).isEqualTo(new Shape(4 * H));
            float[] x = random(B * in, 1);
            float[] h = random(B * H, 2);
            float[] c = random(B * H, 3);
            NDList out = cell.step(m.create(x, new Shape(B, in)), m.create(h, new Shape(B, H)),
                    m.create(c, new Shape(B, H)));
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(B, H));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(B, H));
            double[][] ref = cellReference(d(store, "c.wx"), d(store, "c.wh"), d(store, "c.b"), x, h, c, B, in, H);
            assertThat(out.get(0).toFloatArray()).containsExactly(toFloat(ref[0]), within(1e-6f));
            assertThat(out.get(1).toFloatArray()).containsExactly(toFloat(ref[1]), within(1e-6f));
        }
    }

    @Test
    void aHandComputedStepOfATinyCell() {
        // in = 1, H = 1: gates i, f, g, o = w_x x + w_h h + b with w_x = (1, 2, 3, 4), w_h = 0.5, b = 0.
        try (NDManager m = engine.newBaseManager();
                ParameterStore store = new ParameterStore(m, 1)) {
            LstmCell cell = new LstmCell(store, "t", 1, 1);
            store.assign("t.wx", new float[] {1, 2, 3, 4}, new Shape(1, 4));
            store.assign("t.wh", new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new Shape(1, 4));
            store.assign("t.b", new float[] {0, 0, 0, 0}, new Shape(4));
            NDList out = cell.step(m.create(new float[] {1}, new Shape(1, 1)), m.create(new float[] {2},
                    new Shape(1, 1)), m.create(new float[] {-1}, new Shape(1, 1)));
            // pre-activations 2, 3, 4, 5; c' = s(3) * -1 + s(2) * tanh(4); h' = s(5) * tanh(c')
            double c1 = -sigmoid(3) + sigmoid(2) * Math.tanh(4);
            double h1 = sigmoid(5) * Math.tanh(c1);
            assertThat((double) out.get(1).toFloatArray()[0]).isCloseTo(c1, within(1e-6));
            assertThat((double) out.get(0).toFloatArray()[0]).isCloseTo(h1, within(1e-6));
            assertThat(c1).isCloseTo(-0.07237, within(1e-4)); // -0.9526 + 0.8808 * 0.9993, by hand
            assertThat(h1).isCloseTo(-0.07176, within(1e-4)); // 0.9933 * tanh(c1)
        }
    }

    @Test
    void theBaselinesStepIsTheJointMlpLstmMlpWithAResidual() {
        LstmConfig cfg = new LstmConfig(N, D, T, H, 2, 3, 5e-5);
        try (NDManager m = engine.newBaseManager();
                LstmBaseline model = new LstmBaseline(m, cfg, 5)) {
            float[] x = random(B * N * D, 4);
            float[][] state = {random(B * H, 5), random(B * H, 6), random(B * H, 7), random(B * H, 8)};
            NDList st = new NDList();
            for (float[] s : state) {
                st.add(m.create(s, new Shape(B, H)));
            }
            NDList out = model.step(m.create(x, new Shape(B, N, D)), st);
            assertThat(out).hasSize(5);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(B, N, D));

            ParameterStore s = model.store();
            int w = N * D;
            double[] y = relu(linear(toDouble(x), d(s, "lstm.in1.w"), d(s, "lstm.in1.b"), B, w, H));
            y = relu(linear(y, d(s, "lstm.in2.w"), d(s, "lstm.in2.b"), B, H, H));
            double[][] l0 = cellReference(d(s, "lstm.cell0.wx"), d(s, "lstm.cell0.wh"), d(s, "lstm.cell0.b"),
                    toFloat(y), state[0], state[1], B, H, H);
            double[][] l1 = cellReference(d(s, "lstm.cell1.wx"), d(s, "lstm.cell1.wh"), d(s, "lstm.cell1.b"),
                    toFloat(l0[0]), state[2], state[3], B, H, H);
            double[] p = relu(linear(l1[0], d(s, "lstm.out1.w"), d(s, "lstm.out1.b"), B, H, H));
            p = linear(p, d(s, "lstm.out2.w"), d(s, "lstm.out2.b"), B, H, w);
            for (int i = 0; i < p.length; i++) {
                p[i] += x[i];
            }
            assertThat(out.get(0).toFloatArray()).containsExactly(toFloat(p), within(2e-5f));
            assertThat(out.get(1).toFloatArray()).containsExactly(toFloat(l0[0]), within(2e-5f));
            assertThat(out.get(2).toFloatArray()).containsExactly(toFloat(l0[1]), within(2e-5f));
            assertThat(out.get(3).toFloatArray()).containsExactly(toFloat(l1[0]), within(2e-5f));
            assertThat(out.get(4).toFloatArray()).containsExactly(toFloat(l1[1]), within(2e-5f));
        }
    }

    @Test
    void burnInFeedsTheTruthThenItsOwnPredictionsAndTheLossTrainsEveryWeight() {
        LstmConfig cfg = new LstmConfig(N, D, T, H, 2, 3, 5e-5);
        try (NDManager m = engine.newBaseManager();
                LstmBaseline model = new LstmBaseline(m, cfg, 9)) {
            float[] xs = random(B * T * N * D, 10);
            float[] base = model.rollout(m.create(xs, new Shape(B, T, N, D)), 3).toFloatArray();
            assertThat(base).hasSize(B * (T - 1) * N * D);
            // Burn-in on steps 0 .. T - 3 = 4: the truth at steps 5 and 6 is never an input.
            float[] late = xs.clone();
            float[] at4 = xs.clone();
            for (int b = 0; b < B; b++) {
                for (int i = 0; i < N * D; i++) {
                    late[(b * T + 5) * N * D + i] += 0.25f;
                    late[(b * T + 6) * N * D + i] += 0.25f;
                    at4[(b * T + 4) * N * D + i] += 0.25f;
                }
            }
            assertThat(model.rollout(m.create(late, new Shape(B, T, N, D)), 3).toFloatArray()).containsExactly(base);
            float[] moved = model.rollout(m.create(at4, new Shape(B, T, N, D)), 3).toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int t = 0; t < T - 1; t++) {
                    boolean same = true;
                    for (int i = 0; i < N * D; i++) {
                        int idx = (b * (T - 1) + t) * N * D + i;
                        same &= moved[idx] == base[idx];
                    }
                    assertThat(same).as("sample %d, prediction %d", b, t).isEqualTo(t < 4);
                }
            }
            // rolloutAfter on the first 5 frames continues as rollout with M = T - 4 does from its step 4 on.
            NDArray window = m.create(xs, new Shape(B, T, N, D)).get(":, 0:5");
            float[] ahead = model.rolloutAfter(window, 2).toFloatArray();
            float[] roll = model.rollout(m.create(xs, new Shape(B, T, N, D)), T - 4).toFloatArray();
            for (int b = 0; b < B; b++) {
                for (int k = 0; k < 2; k++) {
                    for (int i = 0; i < N * D; i++) {
                        assertThat(ahead[(b * 2 + k) * N * D + i]).isCloseTo(roll[(b * (T - 1) + 4 + k) * N * D + i],
                                within(1e-6f));
                    }
                }
            }

            NDArray x = m.create(random(B * N * T * D, 12), new Shape(B, N, T, D));
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(model.loss(x, 3).get(0));
            }
            for (String p : model.store().params().keySet()) {
                double norm = model.store().get(p).getGradient().abs().sum().getFloat();
                assertThat(norm).as("gradient of %s", p).isGreaterThan(0);
            }
        }
    }

    // --- plain-array reference

    static double[][] cellReference(double[] wx, double[] wh, double[] bias, float[] x, float[] h, float[] c,
            int batch, int in, int hid) {
        double[] hOut = new double[batch * hid];
        double[] cOut = new double[batch * hid];
        for (int b = 0; b < batch; b++) {
            double[] pre = new double[4 * hid];
            for (int j = 0; j < 4 * hid; j++) {
                double v = bias[j];
                for (int k = 0; k < in; k++) {
                    v += x[b * in + k] * wx[k * 4 * hid + j];
                }
                for (int k = 0; k < hid; k++) {
                    v += h[b * hid + k] * wh[k * 4 * hid + j];
                }
                pre[j] = v;
            }
            for (int j = 0; j < hid; j++) {
                double i = sigmoid(pre[j]);
                double f = sigmoid(pre[hid + j]);
                double g = Math.tanh(pre[2 * hid + j]);
                double o = sigmoid(pre[3 * hid + j]);
                double cn = f * c[b * hid + j] + i * g;
                cOut[b * hid + j] = cn;
                hOut[b * hid + j] = o * Math.tanh(cn);
            }
        }
        return new double[][] {hOut, cOut};
    }

    private static double[] linear(double[] x, double[] w, double[] bias, int rows, int in, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double v = bias[j];
                for (int k = 0; k < in; k++) {
                    v += x[r * in + k] * w[k * out + j];
                }
                y[r * out + j] = v;
            }
        }
        return y;
    }

    private static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(0, x[i]);
        }
        return y;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double[] d(ParameterStore s, String name) {
        return toDouble(s.get(name).toFloatArray());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
