package dev.nristream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GumbelSoftmaxTest {
    @Test
    void argmaxFrequenciesFollowTheSoftmaxOfTheLogits() {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(11);
        int n = 40_000;
        float[] logits = {1.0f, 0.0f, -1.0f};
        try (NDManager m = engine.newBaseManager()) {
            NDArray l = m.create(logits).reshape(1, 3).broadcast(new Shape(n, 3));
            float[] z = GumbelSoftmax.sample(l, 0.5, false).toFloatArray();
            double[] freq = new double[3];
            double[] mean = new double[3];
            for (int i = 0; i < n; i++) {
                int best = 0;
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    sum += z[i * 3 + c];
                    mean[c] += z[i * 3 + c] / n;
                    if (z[i * 3 + c] > z[i * 3 + best]) {
                        best = c;
                    }
                }
                assertThat(sum).isCloseTo(1.0, within(1e-5));
                freq[best] += 1.0 / n;
            }
            double norm = Math.exp(1) + 1 + Math.exp(-1);
            double[] expected = {Math.exp(1) / norm, 1 / norm, Math.exp(-1) / norm};
            for (int c = 0; c < 3; c++) {
                // Gumbel-max: P(argmax = c) = softmax(logits)_c; 4 sigma of a binomial at n = 40000 is < 0.01.
                assertThat(freq[c]).isCloseTo(expected[c], within(0.01));
            }
            // At tau 0.5 samples are close to one-hot but soft: the mean sample sits between hard frequencies and
            // the probabilities, ordered like the logits.
            assertThat(mean[0]).isGreaterThan(mean[1]);
            assertThat(mean[1]).isGreaterThan(mean[2]);
        }
    }

    @Test
    void hardSamplesAreOneHotWithTheSoftSamplesGradient() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            float[] lv = {0.3f, -0.2f, 1.1f, 0.0f, 0.5f, -0.7f};
            float[] weights = {1f, 2f, 3f, -1f, 0.5f, 4f};
            float[][] grads = new float[2][];
            float[] hard = null;
            for (int pass = 0; pass < 2; pass++) {
                engine.setRandomSeed(5);
                NDArray logits = m.create(lv, new Shape(2, 3));
                logits.setRequiresGradient(true);
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray z = GumbelSoftmax.sample(logits, 0.5, pass == 1);
                    if (pass == 1) {
                        hard = z.toFloatArray();
                    }
                    gc.backward(z.mul(m.create(weights, new Shape(2, 3))).sum());
                }
                grads[pass] = logits.getGradient().toFloatArray();
            }
            for (int row = 0; row < 2; row++) {
                int ones = 0;
                for (int c = 0; c < 3; c++) {
                    assertThat(hard[row * 3 + c]).isIn(0f, 1f);
                    ones += hard[row * 3 + c] == 1f ? 1 : 0;
                }
                assertThat(ones).isEqualTo(1);
            }
            assertThat(grads[1]).containsExactly(grads[0], within(1e-6f));
            assertThat(grads[0]).isNotEqualTo(new float[6]);
        }
    }
}
