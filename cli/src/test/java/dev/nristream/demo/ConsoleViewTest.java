package dev.nristream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleViewTest {

    static LiveStats busyStats() {
        LiveStats stats = new LiveStats(0, -1);
        for (long i = 0; i < 5; i++) {
            stats.onFrame(LiveStatsTest.frame("sim-a", i, LiveStatsTest.truth()), 1_000 + 100 * i);
        }
        stats.onGraph(LiveStatsTest.graph("sim-a", 4, 1_500, false), 7_000);
        stats.onForecastError(LiveStatsTest.error("sim-a", 1, 0.25));
        stats.onForecastError(LiveStatsTest.error("sim-a", 2, 12.5));
        stats.onDeadLetter(LiveStatsTest.dead("LATE"));
        return stats;
    }

    @Test
    void blockShowsEveryPartOfThePipeline() {
        LiveSnapshot s = busyStats().snapshot(10_000);
        String block = String.join("\n", ConsoleView.block(s, new ConsoleView.Rates(50, 5, 5)));
        assertThat(block)
                .contains("up 00:10   first graph after 7.0 s")
                .contains("frames/s in 50.0   graphs/s 5.0   forecasts/s 5.0   lag 100 ms")
                .contains("tracking.positions 5", "nri.graphs 1", "nri.forecast-errors 2")
                .contains("dead letters LATE 1")
                .contains("edge accuracy 100.0% over 6 edges (permutation-invariant")
                .contains("1: 0.250 2: 12.5")
                .contains("sim-a").contains("p1->p0 a 0.90");
    }

    @Test
    void plainModePrintsOneLinePerRefreshAndAnsiModeRedrawsInPlace() {
        LiveStats stats = busyStats();
        StringWriter plain = new StringWriter();
        ConsoleView p = new ConsoleView(new PrintWriter(plain), false, List.of("header"));
        p.start();
        p.render(stats.snapshot(9_000), "footer");
        p.render(stats.snapshot(10_000), "footer");
        assertThat(plain.toString()).doesNotContain("\u001b[");
        assertThat(plain.toString().lines()).hasSize(3).first().isEqualTo("header");
        assertThat(plain.toString().lines().skip(1)).allMatch(l -> l.contains("graphs 1") && l.contains("edge acc 100.0%"));

        StringWriter ansi = new StringWriter();
        ConsoleView a = new ConsoleView(new PrintWriter(ansi), true, List.of("header"));
        a.start();
        a.render(stats.snapshot(9_000), "Ctrl-C to stop");
        assertThat(ansi.toString()).startsWith("\u001b[2J\u001b[H").contains("header\u001b[K\n")
                .contains("Ctrl-C to stop").endsWith("\u001b[J");
        a.render(stats.snapshot(10_000), "Ctrl-C to stop");
        assertThat(ansi.toString().split("\u001b\\[2J", -1)).hasSize(2);
    }

    @Test
    void ratesComeFromTheRecordCountsOverTime() {
        LiveStats stats = new LiveStats(0, -1);
        LiveSnapshot a = stats.snapshot(1_000);
        for (long i = 0; i < 20; i++) {
            stats.onFrame(LiveStatsTest.frame("s", i, null), 0);
        }
        LiveSnapshot b = stats.snapshot(3_000);
        ConsoleView.Rates r = ConsoleView.Rates.between(a, b);
        assertThat(r.framesPerSecond()).isEqualTo(10.0);
        assertThat(r.graphsPerSecond()).isZero();
    }

    @Test
    void finalBlockShowsTheRunsThroughputNotTheWindDown() {
        LiveStats stats = new LiveStats(0, -1);
        StringWriter out = new StringWriter();
        ConsoleView v = new ConsoleView(new PrintWriter(out), false, List.of());
        v.render(stats.snapshot(1_000), "");
        for (long i = 0; i < 30; i++) {
            stats.onFrame(LiveStatsTest.frame("s", i, null), 0);
        }
        v.render(stats.snapshot(2_000), "");
        // The feed has stopped; the final snapshot comes 3 s later with no new frames.
        v.renderFinal(stats.snapshot(5_000));
        assertThat(out.toString()).contains("frames/s in 30.0");
    }

    @Test
    void withoutGroundTruthAccuracyIsNotApplicable() {
        LiveStats stats = new LiveStats(0, -1);
        stats.onFrame(LiveStatsTest.frame("mocap", 0, null), 0);
        assertThat(ConsoleView.accuracy(stats.snapshot(0))).startsWith("n/a");
    }
}
