package dev.nristream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EdgeAccuracyTest {

    @Test
    void relabelledTypesScoreAsWellAsTheTruth() {
        EdgeAccuracy acc = new EdgeAccuracy();
        // The model calls springs "0" and non-edges "1": perfect up to the names.
        for (int i = 0; i < 30; i++) {
            acc.add(1, 0);
            acc.add(0, 1);
        }
        EdgeAccuracy.Result r = acc.best();
        assertThat(r.accuracy()).isEqualTo(1.0);
        assertThat(r.assignment()).containsExactly(1, 0);
        assertThat(acc.accuracy(new int[] {0, 1})).isEqualTo(0.0);
        assertThat(r.compared()).isEqualTo(60);
    }

    @Test
    void bestAssignmentIsTheMaximumOverAllPermutations() {
        Random rnd = new Random(3);
        EdgeAccuracy acc = new EdgeAccuracy();
        int[] truthOf = {2, 0, 1};
        for (int i = 0; i < 500; i++) {
            int predicted = rnd.nextInt(3);
            // 70 % of the time the truth is what the predicted type stands for, otherwise anything.
            int truth = rnd.nextDouble() < 0.7 ? truthOf[predicted] : rnd.nextInt(3);
            acc.add(truth, predicted);
        }
        EdgeAccuracy.Result r = acc.best();
        assertThat(r.assignment()).containsExactly(truthOf);
        int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] p : perms) {
            assertThat(r.accuracy()).isGreaterThanOrEqualTo(acc.accuracy(p));
        }
    }

    @Test
    void moreModelTypesThanTrueLabelsLeaveTheExtraTypesWrong() {
        EdgeAccuracy acc = new EdgeAccuracy();
        acc.add(0, 2);
        acc.add(0, 2);
        acc.add(1, 1);
        acc.add(1, 0);
        // Labels 0 and 1 can each be claimed by one model type only: 3 of the 4 edges at best.
        EdgeAccuracy.Result r = acc.best();
        assertThat(r.accuracy()).isCloseTo(0.75, within(1e-12));
        assertThat(r.assignment()[2]).isZero();
        assertThat(r.assignment()).doesNotHaveDuplicates();
    }

    @Test
    void manyTypesFallBackToAGreedyAssignment() {
        EdgeAccuracy acc = new EdgeAccuracy();
        int m = EdgeAccuracy.EXHAUSTIVE_LIMIT + 2;
        for (int k = 0; k < m; k++) {
            for (int i = 0; i <= k; i++) {
                acc.add((k + 1) % m, k);
            }
        }
        EdgeAccuracy.Result r = acc.best();
        assertThat(r.accuracy()).isEqualTo(1.0);
        for (int k = 0; k < m; k++) {
            assertThat(r.assignment()[k]).isEqualTo((k + 1) % m);
        }
    }

    @Test
    void emptyIsNaNAndNegativeTypesAreRejected() {
        EdgeAccuracy acc = new EdgeAccuracy();
        assertThat(acc.best().accuracy()).isNaN();
        assertThatThrownBy(() -> acc.add(-1, 0)).hasMessageContaining("truth -1");
    }

    @Test
    void addAllMergesCounts() {
        EdgeAccuracy a = new EdgeAccuracy();
        a.add(0, 0);
        EdgeAccuracy b = new EdgeAccuracy();
        b.add(2, 1);
        b.add(2, 1);
        a.addAll(b);
        assertThat(a.compared()).isEqualTo(3);
        assertThat(a.best().accuracy()).isEqualTo(1.0);
    }
}
