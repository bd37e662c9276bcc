package dev.nristream.job.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load-shedding policy: forecasts first, then doubled strides, bounded, undone when the lag drops. */
class LoadShedderTest {
    private static final long LIMIT = 1000;
    private static final long STRIDE = 1000;

    private long clock;

    /**
     * One window per second for scene "s", ending at second k, arriving {@code lag} ms later but never before the
     * previous window (processing time only moves forward; a backlog arrives in a burst); true when run.
     */
    private boolean window(LoadShedder shed, long k, long lag, List<Long> strides) {
        long end = 1_000_000 + k * STRIDE;
        clock = Math.max(clock + 1, end + lag);
        shed.observe("s", clock - end, clock);
        long stride = shed.admit("s", end, STRIDE);
        if (stride >= 0) {
            strides.add(stride);
        }
        return stride >= 0;
    }

    @Test
    void aSmallSteadyLagShedsNothing() {
        LoadShedder shed = new LoadShedder(LIMIT, 8);
        List<Long> strides = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            assertThat(window(shed, k, 300 + (k % 3) * 100, strides)).isTrue();
        }
        assertThat(shed.level()).isZero();
        assertThat(shed.forecasts()).isTrue();
        assertThat(strides).containsOnly(STRIDE);
        assertThat(shed.windowsShed()).isZero();
        assertThat(shed.forecastsShed()).isZero();
    }

    @Test
    void growingLagDropsForecastsFirstThenDoublesTheStrideUpToTheCap() {
        LoadShedder shed = new LoadShedder(LIMIT, 4);
        List<Long> strides = new ArrayList<>();
        window(shed, 0, 100, strides);
        List<Integer> levels = new ArrayList<>();
        for (int k = 1; k <= 12; k++) {
            window(shed, k, 100 + 600L * k, strides); // falls further behind every second
            levels.add(shed.level());
        }
        // excess lag passes 1000 ms at k = 2: forecasts go first; then one step up per second of processing time,
        // never more than one at a time, capped at x4 (level 3)
        assertThat(levels.get(0)).isZero();
        assertThat(levels.get(1)).isEqualTo(1);
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i)).isBetween(levels.get(i - 1), levels.get(i - 1) + 1);
        }
        assertThat(levels.get(levels.size() - 1)).isEqualTo(3);
        assertThat(shed.strideFactor()).isEqualTo(4);
        assertThat(shed.forecasts()).isFalse();
        assertThat(shed.windowsShed()).isPositive();
        assertThat(shed.forecastsShed()).isPositive();
        // from k = 3 on every window is over 1.5 x the limit late: stale, dropped whatever the stride
        assertThat(strides).hasSize(3);
    }

    @Test
    void atFactorTwoEveryOtherWindowRunsAndSaysSo() {
        LoadShedder shed = new LoadShedder(LIMIT, 2);
        List<Long> strides = new ArrayList<>();
        window(shed, 0, 0, strides);
        for (int k = 1; k <= 3; k++) {
            window(shed, k, 1200, strides);
        }
        assertThat(shed.strideFactor()).isEqualTo(2);
        strides.clear();
        List<Boolean> run = new ArrayList<>();
        for (int k = 4; k <= 11; k++) {
            run.add(window(shed, k, 1200, strides));
        }
        assertThat(run.stream().filter(b -> b).count()).isEqualTo(4);
        assertThat(strides).containsOnly(2 * STRIDE);
    }

    @Test
    void itRecoversOneStepAtATimeWhenTheLagStaysLow() {
        LoadShedder shed = new LoadShedder(LIMIT, 8);
        List<Long> strides = new ArrayList<>();
        window(shed, 0, 0, strides);
        for (int k = 1; k <= 6; k++) {
            window(shed, k, 5000, strides);
        }
        int top = shed.level();
        assertThat(top).isGreaterThanOrEqualTo(3);
        List<Integer> levels = new ArrayList<>();
        for (int k = 7; k <= 30; k++) {
            window(shed, k, 50, strides);
            levels.add(shed.level());
        }
        assertThat(levels.get(levels.size() - 1)).isZero();
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i)).isBetween(levels.get(i - 1) - 1, levels.get(i - 1));
        }
        assertThat(shed.forecasts()).isTrue();
    }

    @Test
    void staleWindowsAreDroppedAtAnyLevelAndFreshOnesRunAgain() {
        LoadShedder shed = new LoadShedder(LIMIT, 8);
        List<Long> strides = new ArrayList<>();
        assertThat(window(shed, 0, 100, strides)).isTrue();
        assertThat(window(shed, 1, 100 + 1600, strides)).as("1,600 ms excess > 1.5 x 1,000").isFalse();
        assertThat(window(shed, 2, 100 + 1400, strides)).as("1,400 ms excess: late, not stale").isTrue();
        assertThat(shed.windowsShed()).isEqualTo(1);
    }

    @Test
    void aReplayOfOldRecordingsIsNotShedForItsAge() {
        LoadShedder shed = new LoadShedder(LIMIT, 8);
        List<Long> strides = new ArrayList<>();
        long yearsMs = 9L * 365 * 24 * 3600 * 1000;
        for (int k = 0; k < 20; k++) {
            assertThat(window(shed, k, yearsMs + (k % 2) * 200, strides)).isTrue();
        }
        assertThat(shed.level()).isZero();
    }

    @Test
    void aLiveSceneWhoseFirstWindowsWereAlreadyLateIsShedToo() {
        // Overloaded from the start: every window 4 s late and no better. Measured against its own first windows
        // this lag would look normal; a live scene's baseline is capped at half the limit.
        LoadShedder shed = new LoadShedder(LIMIT, 8);
        List<Long> strides = new ArrayList<>();
        List<Boolean> run = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            run.add(window(shed, k, 4000 + (k % 2) * 100, strides));
        }
        assertThat(run).as("4 s late is stale for a 1 s limit").containsOnly(false);
        assertThat(shed.level()).isPositive();
        // A steady lag within half the limit stays normal, and the level comes back down.
        for (int k = 10; k < 60; k++) {
            window(shed, k, 400 + (k % 3) * 50, strides);
        }
        assertThat(shed.level()).isZero();
        assertThat(window(shed, 60, 450, strides)).isTrue();
    }

    @Test
    void zeroLimitNeverSheds() {
        LoadShedder shed = new LoadShedder(0, 8);
        List<Long> strides = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            assertThat(window(shed, k, 10_000L * k, strides)).isTrue();
        }
        assertThat(shed.level()).isZero();
    }

    @Test
    void idleScenesAreForgottenAndBadSettingsNamed() {
        LoadShedder shed = new LoadShedder(LIMIT, 8);
        shed.observe("a", 10, 1_000);
        shed.admit("a", 990, STRIDE);
        shed.observe("b", 10, 100_000);
        shed.admit("b", 99_990, STRIDE);
        shed.expire(100_000, 60_000);
        assertThat(shed.scenes()).isEqualTo(1);
        assertThatThrownBy(() -> new LoadShedder(-1, 8)).hasMessageContaining("lag limit");
        assertThatThrownBy(() -> new LoadShedder(LIMIT, 3)).hasMessageContaining("power of two");
    }
}
