package dev.nristream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.model.EdgeCalibration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TemperatureFitTest {

    /**
     * Edges scored like the NRI encoder in a live stream: logit gap 8 (confidence 0.9997) for every edge, but the
     * type is right for only 92% of them. The fitted temperature must bring the confidence down to the accuracy.
     */
    @Test
    void anOverConfidentEncoderGetsATemperatureThatMatchesItsAccuracy() {
        TemperatureFit fit = new TemperatureFit(2);
        SplittableRandom rnd = new SplittableRandom(3);
        int edges = 20_000;
        float[] scores = new float[edges * 2];
        int[] labels = new int[edges];
        int right = 0;
        for (int e = 0; e < edges; e++) {
            labels[e] = rnd.nextInt(2);
            boolean correct = rnd.nextDouble() < 0.92;
            right += correct ? 1 : 0;
            int said = correct ? labels[e] : 1 - labels[e];
            double gap = 8 + rnd.nextGaussian();
            scores[e * 2 + said] = (float) gap;
        }
        for (int from = 0; from < edges; from += 1000) { // in batches, as the export adds them
            fit.add(java.util.Arrays.copyOfRange(scores, 2 * from, 2 * (from + 1000)),
                    java.util.Arrays.copyOfRange(labels, from, from + 1000));
        }
        assertThat(fit.edges()).isEqualTo(edges);
        EdgeCalibration c = fit.fit("synthetic");
        assertThat(c.temperature()).isGreaterThan(2);
        assertThat(c.eceBefore()).isGreaterThan(0.07);
        assertThat(c.eceAfter()).isLessThan(0.02);
        // Calibrated mean confidence ~ accuracy.
        float[] q = c.applyToScores(scores, 2);
        double conf = 0;
        for (int e = 0; e < edges; e++) {
            conf += Math.max(q[2 * e], q[2 * e + 1]);
        }
        assertThat(conf / edges).isCloseTo((double) right / edges, within(0.02));
    }

    /** Scores whose softmax already is the probability of being right: the temperature stays ~1. */
    @Test
    void aCalibratedScorerKeepsTemperatureOne() {
        TemperatureFit fit = new TemperatureFit(2);
        SplittableRandom rnd = new SplittableRandom(5);
        int edges = 40_000;
        float[] scores = new float[edges * 2];
        int[] labels = new int[edges];
        for (int e = 0; e < edges; e++) {
            double gap = rnd.nextDouble() * 6;
            double p = 1 / (1 + Math.exp(-gap));
            labels[e] = rnd.nextDouble() < p ? 0 : 1; // type 0 is right with probability p
            scores[e * 2] = (float) gap;
        }
        fit.add(scores, labels);
        EdgeCalibration c = fit.fit("synthetic");
        assertThat(c.temperature()).isCloseTo(1.0, within(0.08));
        assertThat(c.eceAfter()).isLessThan(0.02);
    }

    /** Unsupervised types: type 1 stands for label 0. The fit uses the best assignment, not the identity. */
    @Test
    void swappedTypesAreMatchedBeforeFitting() {
        TemperatureFit fit = new TemperatureFit(2);
        SplittableRandom rnd = new SplittableRandom(7);
        int edges = 10_000;
        float[] scores = new float[edges * 2];
        int[] labels = new int[edges];
        for (int e = 0; e < edges; e++) {
            labels[e] = rnd.nextInt(2);
            boolean correct = rnd.nextDouble() < 0.9;
            int said = correct ? 1 - labels[e] : labels[e]; // swapped meaning
            scores[e * 2 + said] = 6f;
        }
        fit.add(scores, labels);
        EdgeCalibration c = fit.fit("synthetic");
        assertThat(c.eceAfter()).isLessThan(0.02);
        assertThat(c.temperature()).isGreaterThan(1.5);
    }
}
