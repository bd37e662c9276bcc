package dev.nristream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MedianTest {

    @Test
    void theMiddleValueOrTheMeanOfTheMiddleTwo() {
        assertThat(Evaluator.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(Evaluator.median(new double[] {4, 1, 100, 2})).isEqualTo(3);
        assertThat(Evaluator.median(new double[] {7})).isEqualTo(7);
    }

    @Test
    void oneHugeErrorMovesTheMeanButNotTheMedian() {
        double[] errors = {1e-7, 2e-7, 1.5e-7, 1e-2, 1.2e-7};
        double mean = java.util.Arrays.stream(errors).average().orElseThrow();
        assertThat(mean).isGreaterThan(1e-3);
        assertThat(Evaluator.median(errors)).isEqualTo(1.5e-7);
        assertThat(errors[3]).as("the input is not reordered").isEqualTo(1e-2);
    }
}
