package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void overconfidentProbabilitiesHaveTheGapAsTheirError() {
        // Four edges all at 0.95 for type 1; three are type 1: accuracy 0.75 in that bin -> ECE 0.2.
        Calibration c = new Calibration(2, 10);
        c.add(new float[] {0.05f, 0.95f, 0.05f, 0.95f, 0.05f, 0.95f, 0.05f, 0.95f}, new int[] {1, 1, 1, 0});
        assertThat(c.expectedError(new int[] {0, 1})).isCloseTo(0.2, within(1e-6));
        assertThat(c.meanConfidence()).isCloseTo(0.95, within(1e-6));
    }

    @Test
    void binsAreWeightedByTheirShareOfEdges() {
        // Bin 0.6: two edges at 0.6, one right (acc 0.5, gap 0.1); bin 0.9: two edges at 0.9, both right (gap 0.1).
        Calibration c = new Calibration(2, 10);
        c.add(new float[] {0.6f, 0.4f, 0.6f, 0.4f, 0.1f, 0.9f, 0.1f, 0.9f}, new int[] {0, 1, 1, 1});
        assertThat(c.expectedError(new int[] {0, 1})).isCloseTo(0.5 * 0.1 + 0.5 * 0.1, within(1e-6));
    }

    @Test
    void correctnessFollowsTheRelabellingOfUnsupervisedTypes() {
        // The model calls the true type 0 "1" and vice versa, always at 0.8: right under the swap, ECE 0.2.
        Calibration c = new Calibration(2, 10);
        c.add(new float[] {0.2f, 0.8f, 0.8f, 0.2f}, new int[] {0, 1});
        assertThat(c.expectedError(new int[] {1, 0})).isCloseTo(0.2, within(1e-6));
        assertThat(c.expectedError(new int[] {0, 1})).isCloseTo(0.8, within(1e-6));
    }

    @Test
    void softmaxOfLogitsAndOfLogProbabilitiesAgree() {
        float[] logits = {2f, -1f, 0.5f, 0.5f};
        float[] p = Calibration.softmax(logits, 2);
        assertThat((double) p[0]).isCloseTo(Math.exp(3) / (1 + Math.exp(3)), within(1e-6));
        assertThat(p[2]).isEqualTo(0.5f);
        float[] logp = {(float) Math.log(p[0]), (float) Math.log(p[1]), (float) Math.log(0.5), (float) Math.log(0.5)};
        float[] again = Calibration.softmax(logp, 2);
        assertThat((double) again[0]).isCloseTo(p[0], within(1e-6));
    }
}
