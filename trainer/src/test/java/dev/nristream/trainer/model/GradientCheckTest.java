package dev.nristream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nristream.model.EdgeOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Gradient checks of the hand-built pieces: autograd against finite differences and against reference forms. */
class GradientCheckTest {
    private final Engine engine = Engine.getEngine("PyTorch");

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble() * 2 - 1;
        }
        return d;
    }

    /** Central differences of a scalar function of one float64 input, against autograd. */
    private void checkGradient(NDManager m, double[] x0, Shape shape, Function<NDArray, NDArray> f) {
        NDArray x = m.create(x0, shape);
        x.setRequiresGradient(true);
        try (GradientCollector gc = engine.newGradientCollector()) {
            gc.backward(f.apply(x));
        }
        double[] analytic = x.getGradient().toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < x0.length; i++) {
            double[] plus = x0.clone();
            double[] minus = x0.clone();
            plus[i] += h;
            minus[i] -= h;
            double fp = f.apply(m.create(plus, shape)).getDouble();
            double fm = f.apply(m.create(minus, shape)).getDouble();
            double numeric = (fp - fm) / (2 * h);
            assertThat(analytic[i]).as("d/dx[%d]", i).isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
        }
    }

    @Test
    void batchNormTrainingModeMatchesFiniteDifferences() {
        try (NDManager m = engine.newBaseManager()) {
            NDArray gamma = m.create(random(3, 2), new Shape(3));
            NDArray beta = m.create(random(3, 3), new Shape(3));
            NDArray weights = m.create(random(24, 4), new Shape(2, 4, 3));
            // Running statistics are side effects; give them float64 so the in-place update type-checks.
            NDArray rm = m.zeros(new Shape(3), DataType.FLOAT64);
            NDArray rv = m.ones(new Shape(3), DataType.FLOAT64);
            checkGradient(m, random(24, 1), new Shape(2, 4, 3),
                    x -> Nn.batchNorm(x, gamma, beta, rm, rv, true).mul(weights).sum());
        }
    }

    @Test
    void eluAndLinearMatchFiniteDifferences() {
        try (NDManager m = engine.newBaseManager()) {
            NDArray w = m.create(random(12, 6), new Shape(4, 3));
            NDArray b = m.create(random(3, 7), new Shape(3));
            checkGradient(m, random(20, 5), new Shape(5, 4), x -> Nn.elu(Nn.linear(x, w, b)).square().sum());
        }
    }

    @Test
    void batchNormRunningStatisticsFollowPyTorch() {
        try (NDManager m = engine.newBaseManager()) {
            double[] v = {1, 2, 3, 4, 5, 6};
            NDArray x = m.create(v, new Shape(3, 2));
            NDArray rm = m.zeros(new Shape(2), DataType.FLOAT64);
            NDArray rv = m.ones(new Shape(2), DataType.FLOAT64);
            Nn.batchNorm(x, m.ones(new Shape(2), DataType.FLOAT64), m.zeros(new Shape(2), DataType.FLOAT64), rm, rv,
                    true);
            // column means 3 and 4; unbiased variance 4 for both columns; momentum 0.1 (a float constant)
            assertThat(rm.toDoubleArray()).containsExactly(new double[] {0.3, 0.4}, within(1e-7));
            assertThat(rv.toDoubleArray()).containsExactly(new double[] {0.9 + 0.4, 0.9 + 0.4}, within(1e-7));
        }
    }

    @Test
    void gatherAndReceiverSumEqualOneHotProducts() {
        int n = 4;
        try (NDManager m = engine.newBaseManager()) {
            EdgeIndex idx = new EdgeIndex(m);
            double[] x0 = random(2 * n * 3, 9);
            float[] rec = EdgeOrder.oneHot(EdgeOrder.receivers(n), n);
            float[] send = EdgeOrder.oneHot(EdgeOrder.senders(n), n);
            int e = n * (n - 1);
            NDArray relRec = m.create(rec, new Shape(e, n)).toType(DataType.FLOAT64, false);
            NDArray relSend = m.create(send, new Shape(e, n)).toType(DataType.FLOAT64, false);
            NDArray weights = m.create(random(2 * e * 6, 10), new Shape(2, e, 6));
            Map<String, double[]> grads = new LinkedHashMap<>();
            for (String form : new String[] {"gather", "onehot"}) {
                NDArray x = m.create(x0, new Shape(2, n, 3));
                x.setRequiresGradient(true);
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray edges = form.equals("gather")
                            ? idx.gatherReceivers(x).concat(idx.gatherSenders(x), 2)
                            : relRec.matMul(x).concat(relSend.matMul(x), 2);
                    NDArray agg = form.equals("gather") ? EdgeIndex.sumAtReceivers(edges, n)
                            : relRec.transpose().matMul(edges);
                    NDArray loss = edges.mul(weights).sum().add(agg.square().sum());
                    gc.backward(loss);
                    grads.put(form + ".loss", new double[] {loss.getDouble()});
                }
                grads.put(form, x.getGradient().toDoubleArray());
            }
            assertThat(grads.get("gather.loss")[0]).isCloseTo(grads.get("onehot.loss")[0], within(1e-9));
            assertThat(grads.get("gather")).containsExactly(grads.get("onehot"), within(1e-9));
        }
    }

    @Test
    void decoderFastPathEqualsTheDirectFormulaIncludingGradients() {
        NriConfig soft = NriConfig.builder().atoms(4).timesteps(8).hidden(16).predictionSteps(3).edgeTypes(3)
                .skipFirst(true).build();
        // The hard flag selects the direct path in training mode; the same soft weights are fed to both paths.
        NriConfig direct = soft.toBuilder().hard(true).build();
        Map<String, float[]> results = new LinkedHashMap<>();
        for (NriConfig cfg : new NriConfig[] {soft, direct}) {
            try (NDManager m = engine.newBaseManager();
                    NriModel model = new NriModel(m, cfg, 3)) {
                SplittableRandom r = new SplittableRandom(4);
                float[] xs = new float[2 * 8 * 4 * 4];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) (r.nextDouble() * 2 - 1);
                }
                float[] zs = new float[2 * 12 * 3];
                for (int i = 0; i < zs.length; i += 3) {
                    double a = r.nextDouble();
                    double b = r.nextDouble() * (1 - a);
                    zs[i] = (float) a;
                    zs[i + 1] = (float) b;
                    zs[i + 2] = (float) (1 - a - b);
                }
                NDArray xt = m.create(xs, new Shape(2, 8, 4, 4));
                NDArray z = m.create(zs, new Shape(2, 12, 3));
                z.setRequiresGradient(true);
                NDArray pred;
                try (GradientCollector gc = engine.newGradientCollector()) {
                    pred = model.decoder().rollout(xt, z, 3, true);
                    gc.backward(pred.square().sum());
                }
                String key = cfg.hard() ? "direct" : "fast";
                results.put(key + ".pred", pred.toFloatArray());
                results.put(key + ".z", z.getGradient().toFloatArray());
                for (String p : new String[] {"dec.msg1.w", "dec.msg1.b", "dec.msg2.w", "dec.msg2.b", "dec.out1.w"}) {
                    results.put(key + "." + p, model.store().get(p).getGradient().toFloatArray());
                }
            }
        }
        for (String k : results.keySet()) {
            if (k.startsWith("fast.")) {
                float[] a = results.get(k);
                float[] b = results.get("direct." + k.substring(5));
                double scale = 0;
                for (float v : b) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertThat(scale).as(k).isGreaterThan(0);
                for (int i = 0; i < a.length; i++) {
                    assertThat((double) a[i]).as("%s[%d]", k, i).isCloseTo(b[i], within(1e-4 * scale + 1e-6));
                }
            }
        }
    }
}
