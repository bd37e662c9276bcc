package dev.nristream.model;

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
    void manyTypesStillFindTheBestAssignment() {
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
    void aboveTheExhaustiveLimitTheAssignmentIsExactNotGreedy() {
        // Taking the largest cell first (type 0 -> label 0, 10 edges) forces type 1 -> label 1 (0 edges): 10 + 8.
        // The best is the swap: 9 + 9, plus the 8 diagonal types either way.
        EdgeAccuracy acc = new EdgeAccuracy();
        int m = EdgeAccuracy.EXHAUSTIVE_LIMIT + 2;
        addTimes(acc, 0, 0, 10);
        addTimes(acc, 1, 0, 9);
        addTimes(acc, 0, 1, 9);
        for (int k = 2; k < m; k++) {
            addTimes(acc, k, k, 1);
        }
        EdgeAccuracy.Result r = acc.best();
        assertThat(r.assignment()[0]).isEqualTo(1);
        assertThat(r.assignment()[1]).isEqualTo(0);
        assertThat(r.accuracy()).isCloseTo(26.0 / 36, within(1e-12));
        assertThat(r.assignment()).doesNotHaveDuplicates();
    }

    @Test
    void hungarianAgreesWithTheExhaustiveSearchOnRandomCounts() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int m = 2 + rnd.nextInt(EdgeAccuracy.EXHAUSTIVE_LIMIT - 1);
            EdgeAccuracy small = new EdgeAccuracy();
            // Padded with types nobody uses so that the Hungarian method runs on the same counts.
            EdgeAccuracy padded = new EdgeAccuracy(EdgeAccuracy.EXHAUSTIVE_LIMIT + 1);
            for (int i = 0; i < 200; i++) {
                int t = rnd.nextInt(m);
                int p = rnd.nextInt(m);
                small.add(t, p);
                padded.add(t, p);
            }
            assertThat(padded.best().accuracy()).isCloseTo(small.best().accuracy(), within(1e-12));
        }
    }

    private static void addTimes(EdgeAccuracy acc, int truth, int predicted, int times) {
        for (int i = 0; i < times; i++) {
            acc.add(truth, predicted);
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
