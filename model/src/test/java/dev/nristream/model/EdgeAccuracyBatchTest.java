package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The trainer's use: batches of scores against labels, a fixed number of types. */
class EdgeAccuracyBatchTest {
    private static float[] oneHotScores(int k, int... predicted) {
        float[] s = new float[predicted.length * k];
        for (int e = 0; e < predicted.length; e++) {
            s[e * k + predicted[e]] = 1f;
        }
        return s;
    }

    @Test
    void swappedTypesAreRawWrongButPermutationRight() {
        EdgeAccuracy a = new EdgeAccuracy(2);
        a.add(oneHotScores(2, 1, 1, 0, 0, 1), new int[] {0, 0, 1, 1, 0});
        assertThat(a.raw()).isEqualTo(0.0);
        assertThat(a.permutationInvariant()).isEqualTo(1.0);
        assertThat(a.best().assignment()).containsExactly(1, 0);
    }

    @Test
    void onePermutationForTheWholeSetNotPerBatch() {
        EdgeAccuracy a = new EdgeAccuracy(2);
        a.add(oneHotScores(2, 0, 0, 1, 1), new int[] {0, 0, 1, 1}); // batch agreeing with the identity
        a.add(oneHotScores(2, 1, 0), new int[] {0, 1});              // batch agreeing with the swap
        assertThat(a.raw()).isEqualTo(4.0 / 6);
        assertThat(a.permutationInvariant()).isEqualTo(4.0 / 6);
    }

    @Test
    void threeTypesFindTheBestOfSixRelabellings() {
        EdgeAccuracy a = new EdgeAccuracy(3);
        // truth 0 -> predicted 2, 1 -> 0, 2 -> 1, with one mistake
        a.add(oneHotScores(3, 2, 2, 0, 0, 1, 1, 0), new int[] {0, 0, 1, 1, 2, 2, 2});
        assertThat(a.permutationInvariant()).isCloseTo(6.0 / 7, within(1e-12));
        // model type 0 stands for label 1, type 1 for label 2, type 2 for label 0
        assertThat(a.best().assignment()).containsExactly(1, 2, 0);
        assertThat(a.raw()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void argmaxOfScoresIsThePrediction() {
        EdgeAccuracy a = new EdgeAccuracy(2);
        a.add(new float[] {-3f, 2f, 0.5f, 0.4f}, new int[] {1, 0});
        assertThat(a.raw()).isEqualTo(1.0);
    }

    @Test
    void rejectsLabelsOutsideTheTypes() {
        EdgeAccuracy a = new EdgeAccuracy(2);
        assertThatThrownBy(() -> a.add(new float[] {1f, 0f}, new int[] {2}))
                .hasMessageContaining("label 2 outside the 2 edge types");
    }
}
