package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.forecast;
import static dev.nristream.analytics.Samples.forecast3d;
import static dev.nristream.analytics.Samples.frame;
import static dev.nristream.analytics.Samples.frame3d;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.ForecastError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastErrorTopologyTest {

    private static final List<String> AB = List.of("a", "b");
    private static final List<String> A = List.of("a");

    @TempDir
    Path stateDir;

    private static AnalyticsConfig grace(long graceMs) {
        return AnalyticsConfig.builder().withGrace(Duration.ofMillis(graceMs)).build();
    }

    @Test
    void errorOfEachStepIsTheMeanDistanceToTheLaterActualFrame() {
        try (AnalyticsDriver d = new AnalyticsDriver(grace(200), stateDir)) {
            d.frame(frame("s", 1000, 10, AB, 0, 0, 0, 0));
            // Agent c is forecast but never in the feed: it counts as missing, not as an error.
            d.forecast(forecast("s", "m1", 1000, 100.0, List.of("a", "b", "c"),
                    new double[] {1, 0, 2, 0}, new double[] {0, 0, 0, 0}, new double[] {5, 5, 5, 5}));
            d.frame(frame("s", 1100, 11, AB, 4, 4, 0, 2));
            d.frame(frame("s", 1200, 12, AB, 2, 0, 6, 8));
            d.frame(frame("s", 1300, 13, AB, 0, 0, 0, 0));
            assertThat(d.errors()).as("step 1 waits for tolerance 50 ms + grace 200 ms").isEmpty();

            d.frame(frame("s", 1400, 14, AB, 0, 0, 0, 0));
            List<ForecastError> first = d.errors();
            assertThat(first).hasSize(1);
            ForecastError e1 = first.get(0);
            assertThat(e1.getStep()).isEqualTo(1);
            assertThat(e1.getHorizon()).isEqualTo(2);
            assertThat(e1.getTargetTimeMs()).isEqualTo(1100);
            assertThat(e1.getActualTimeMs()).isEqualTo(1100);
            assertThat(e1.getActualFrame()).isEqualTo(11);
            assertThat(e1.getOriginFrame()).isEqualTo(10);
            // a: |(1,0)-(4,4)| = 5, b: |(0,0)-(0,2)| = 2
            assertThat(e1.getMeanError()).isEqualTo(3.5);
            assertThat(e1.getMaxError()).isEqualTo(5.0);
            assertThat(e1.getAgentsCompared()).isEqualTo(2);
            assertThat(e1.getAgentsMissing()).isEqualTo(1);
            assertThat(e1.getDimensions()).isEqualTo(2);
            assertThat(e1.getUnit()).isEqualTo("ft");
            assertThat(e1.getModelId()).isEqualTo("m1");

            d.frame(frame("s", 1500, 15, AB, 0, 0, 0, 0));
            List<ForecastError> second = d.errors();
            assertThat(second).hasSize(1);
            // a: |(2,0)-(2,0)| = 0, b: |(0,0)-(6,8)| = 10
            assertThat(second.get(0).getStep()).isEqualTo(2);
            assertThat(second.get(0).getMeanError()).isEqualTo(5.0);
            assertThat(second.get(0).getMaxError()).isEqualTo(10.0);
            assertThat(d.sceneEntries(AnalyticsApp.PENDING_STORE, "s")).as("fully scored forecast").isZero();
        }
    }

    @Test
    void threeDimensionalForecastsIncludeZ() {
        try (AnalyticsDriver d = new AnalyticsDriver(grace(0), stateDir)) {
            d.forecast(forecast3d("mocap", "m3", 0, 100.0, A, new double[] {1, 2, 3}));
            d.frame(frame3d("mocap", 100, 12, A, 2, 4, 5));
            d.frame(frame3d("mocap", 200, 24, A, 0, 0, 0));
            List<ForecastError> out = d.errors();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getMeanError()).isEqualTo(3.0); // sqrt(1 + 4 + 4)
            assertThat(out.get(0).getDimensions()).isEqualTo(3);
            assertThat(out.get(0).getUnit()).isEqualTo("asf");
        }
    }

    @Test
    void stepMatchesTheNearestFrameWithinToleranceOrIsUnmatched() {
        try (AnalyticsDriver d = new AnalyticsDriver(grace(0), stateDir)) {
            d.forecast(forecast("s", "m1", 1000, 100.0, A, new double[] {0, 0, 0, 0}));
            d.frame(frame("s", 1060, 1, A, 1, 0));  // 40 ms from step 1
            d.frame(frame("s", 1130, 2, A, 9, 0));  // 30 ms from step 1: the nearest
            d.frame(frame("s", 1300, 3, A, 5, 0));  // 100 ms from step 2, beyond the 50 ms tolerance
            List<ForecastError> out = d.errors();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getActualTimeMs()).isEqualTo(1130);
            assertThat(out.get(0).getMeanError()).isEqualTo(9.0);
            ForecastErrorSummary s = d.summary("s");
            assertThat(s.stepsUnmatched).isEqualTo(1);
            assertThat(s.errorsPublished).isEqualTo(1);
        }
    }

    @Test
    void forecastArrivingAfterItsFramesIsScoredAtOnceAndWaitsForTheRest() {
        try (AnalyticsDriver d = new AnalyticsDriver(grace(200), stateDir)) {
            for (long t = 1000; t <= 1500; t += 100) {
                d.frame(frame("s", t, t / 100, A, t / 100.0, 0));
            }
            d.forecast(forecast("s", "m1", 1000, 100.0, A, new double[] {11, 0, 12, 0, 10, 0}));
            List<ForecastError> now = d.errors();
            assertThat(now).extracting(ForecastError::getStep).containsExactly(1, 2);
            assertThat(now).extracting(ForecastError::getMeanError).containsExactly(0.0, 0.0);
            d.frame(frame("s", 1600, 16, A, 0, 0));
            List<ForecastError> later = d.errors();
            assertThat(later).extracting(ForecastError::getStep).containsExactly(3);
            assertThat(later.get(0).getMeanError()).isEqualTo(3.0); // predicted 10, actual 13
        }
    }

    @Test
    void forecastsAndFramesOlderThanTheFramesKeptAreCountedLateAndDropped() {
        AnalyticsConfig cfg = AnalyticsConfig.builder().withGrace(Duration.ZERO)
                .withFrameRetention(Duration.ofSeconds(1)).build();
        try (AnalyticsDriver d = new AnalyticsDriver(cfg, stateDir)) {
            for (long t = 1000; t <= 5000; t += 100) {
                d.frame(frame("s", t, t / 100, A, 0, 0));
            }
            assertThat(d.sceneEntries(AnalyticsApp.FRAMES_STORE, "s")).as("frames of the last second only")
                    .isEqualTo(11);
            d.forecast(forecast("s", "m1", 1000, 100.0, A, new double[] {1, 0, 1, 0}));
            d.frame(frame("s", 3000, 30, A, 0, 0));
            assertThat(d.errors()).isEmpty();
            ForecastErrorSummary s = d.summary("s");
            assertThat(s.forecastsLate).isEqualTo(1);
            assertThat(s.framesLate).isEqualTo(1);
            assertThat(d.sceneEntries(AnalyticsApp.PENDING_STORE, "s")).isZero();
        }
    }

    @Test
    void outOfOrderFrameWithinGraceCountsAndOneAfterItDoesNot() {
        try (AnalyticsDriver d = new AnalyticsDriver(grace(200), stateDir)) {
            // Scene "in": the frame at the target time arrives late but before the step is decided.
            d.forecast(forecast("in", "m1", 1000, 100.0, A, new double[] {0, 0}));
            d.frame(frame("in", 1140, 2, A, 7, 0));
            d.frame(frame("in", 1200, 3, A, 0, 0));
            d.frame(frame("in", 1100, 1, A, 3, 0));
            d.frame(frame("in", 1400, 4, A, 0, 0));
            // Scene "out": the same frame arrives after the grace period; the step was decided without it.
            d.forecast(forecast("out", "m1", 1000, 100.0, A, new double[] {0, 0}));
            d.frame(frame("out", 1140, 2, A, 7, 0));
            d.frame(frame("out", 1400, 4, A, 0, 0));
            d.frame(frame("out", 1100, 1, A, 3, 0));
            Map<String, ForecastError> byScene = new HashMap<>();
            for (ForecastError e : d.errors()) {
                assertThat(byScene.put(e.getSceneId(), e)).as("one error per scene").isNull();
            }
            assertThat(byScene.get("in").getActualTimeMs()).isEqualTo(1100);
            assertThat(byScene.get("in").getMeanError()).isEqualTo(3.0);
            assertThat(byScene.get("out").getActualTimeMs()).isEqualTo(1140);
            assertThat(byScene.get("out").getMeanError()).isEqualTo(7.0);
        }
    }

    @Test
    void rollingSummaryAveragesEachStepOverTheWindow() {
        AnalyticsConfig cfg = AnalyticsConfig.builder().withGrace(Duration.ZERO)
                .withErrorWindow(Duration.ofMillis(1000)).build();
        try (AnalyticsDriver d = new AnalyticsDriver(cfg, stateDir)) {
            for (long t = 0; t <= 2300; t += 100) {
                d.frame(frame("s", t, t / 100, A, t / 100.0, 0));
                if (t % 500 == 0 && t <= 2000) {
                    // Step k of the forecast from t misses the actual position by (t / 500 + 1) * k.
                    double miss = t / 500.0 + 1;
                    d.forecast(forecast("s", "m1", t, 100.0, A, new double[] {
                            t / 100.0 + 1 + miss, 0, t / 100.0 + 2 + 2 * miss, 0}));
                }
            }
            List<ForecastError> out = d.errors();
            assertThat(out).hasSize(10);
            long last = out.stream().mapToLong(ForecastError::getTargetTimeMs).max().orElseThrow();
            double[] sum = new double[2];
            int[] n = new int[2];
            for (ForecastError e : out) {
                if (e.getTargetTimeMs() > last - 1000) {
                    sum[e.getStep() - 1] += e.getMeanError();
                    n[e.getStep() - 1]++;
                }
            }
            ForecastErrorSummary s = d.summary("s");
            assertThat(s.errorsPublished).isEqualTo(10);
            assertThat(s.errorsInWindow()).isEqualTo(n[0] + n[1]).isLessThan(10);
            assertThat(s.lastTargetMs).isEqualTo(last);
            assertThat(s.meanErrorByStep()[0]).isCloseTo(sum[0] / n[0], within(1e-9));
            assertThat(s.meanErrorByStep()[1]).isCloseTo(sum[1] / n[1], within(1e-9));
            // Forecasts from 1500 and 2000 remain (targets 1600..2200 > 1200): step k misses by 4k and 5k.
            assertThat(s.meanErrorByStep()[0]).isCloseTo(4.5, within(1e-9));
            assertThat(s.meanErrorByStep()[1]).isCloseTo(9.0, within(1e-9));
            assertThat(d.sceneEntries(AnalyticsApp.ERROR_WINDOW_STORE, "s")).isEqualTo(4);
        }
    }

    @Test
    void idleSceneEndsScoringWhatItCanAndDroppingItsBuffers() {
        AnalyticsConfig cfg = AnalyticsConfig.builder().withGrace(Duration.ofMillis(200))
                .withIdleTimeout(Duration.ofSeconds(10)).build();
        try (AnalyticsDriver d = new AnalyticsDriver(cfg, stateDir)) {
            d.frame(frame("s", 1000, 10, A, 0, 0));
            d.forecast(forecast("s", "m1", 1000, 100.0, A, new double[] {1, 0, 2, 0, 3, 0}));
            d.frame(frame("s", 1100, 11, A, 1, 0));
            d.frame(frame("s", 1200, 12, A, 2, 1));
            d.frame(frame("other", 0, 0, A, 0, 0));
            assertThat(d.errors()).isEmpty();

            d.driver.advanceWallClockTime(Duration.ofSeconds(11));
            List<ForecastError> out = d.errors();
            assertThat(out).extracting(ForecastError::getStep).containsExactly(1, 2);
            assertThat(out).extracting(ForecastError::getMeanError).containsExactly(0.0, 1.0);
            ForecastErrorSummary s = d.summary("s");
            assertThat(s.stepsUnmatched).as("step 3 has no frame").isEqualTo(1);
            assertThat(s.meanErrorByStep()).containsExactly(0.0, 1.0);
            for (String store : List.of(AnalyticsApp.FRAMES_STORE, AnalyticsApp.PENDING_STORE,
                    AnalyticsApp.ERROR_WINDOW_STORE)) {
                assertThat(d.sceneEntries(store, "s")).as(store).isZero();
                assertThat(d.sceneEntries(store, "other")).as(store).isZero();
            }
            try (var clocks = d.driver.<String, SceneClock>getKeyValueStore(AnalyticsApp.SCENE_CLOCK_STORE).all()) {
                assertThat(clocks.hasNext()).as("scene clocks left").isFalse();
            }
        }
    }

    @Test
    void undecodableRecordIsSkippedAndTheRestFlows() {
        try (AnalyticsDriver d = new AnalyticsDriver(grace(0), stateDir)) {
            d.forecast(forecast("s", "m1", 0, 100.0, A, new double[] {1, 0}));
            d.rawPositions.pipeInput("s", "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8), 50L);
            d.frame(frame("s", 100, 1, A, 0, 0));
            d.frame(frame("s", 200, 2, A, 0, 0));
            assertThat(d.errors()).extracting(ForecastError::getMeanError).containsExactly(1.0);
        }
    }

    @Test
    void malformedForecastIsCountedNotScored() {
        try (AnalyticsDriver d = new AnalyticsDriver(grace(0), stateDir)) {
            var bad = forecast("s", "m1", 0, 100.0, A, new double[] {1, 0, 2, 0});
            bad.setHorizon(3);
            d.forecast(bad);
            d.frame(frame("s", 400, 4, A, 0, 0));
            assertThat(d.errors()).isEmpty();
            assertThat(d.summary("s").forecastsInvalid).isEqualTo(1);
        }
    }
}
