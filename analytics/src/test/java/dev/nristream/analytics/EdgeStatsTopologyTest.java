package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.EdgePairCounts;
import dev.nristream.avro.EdgeStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeStatsTopologyTest {

    private static final List<String> ABC = List.of("a", "b", "c");
    private static final List<String> TYPES = List.of("no edge", "spring");

    @TempDir
    Path stateDir;

    private static AnalyticsConfig window(long ms) {
        return AnalyticsConfig.builder().withEdgeStatsWindow(Duration.ofMillis(ms))
                .withIdleTimeout(Duration.ofSeconds(30)).build();
    }

    /** sender->receiver -> counts. */
    private static Map<String, List<Long>> pairs(EdgeStats s) {
        return s.getPairs().stream().collect(Collectors.toMap(p -> p.getSender() + "->" + p.getReceiver(),
                EdgePairCounts::getCounts));
    }

    @Test
    void countsEdgeTypesPerPairOverTheRollingWindow() {
        try (AnalyticsDriver d = new AnalyticsDriver(window(1000), stateDir)) {
            // Edge order (receiver, sender): (a,b) (a,c) (b,a) (b,c) (c,a) (c,b)
            d.graph(graph("s", "m1", 1000, ABC, TYPES, 1, 0, 1, 0, 0, 0));
            d.graph(graph("s", "m1", 1500, ABC, TYPES, 1, 1, 0, 0, 0, 0));
            d.graph(graph("s", "m1", 2100, ABC, TYPES, 0, 1, 0, 0, 1, 0)); // the graph ending 1000 leaves

            List<EdgeStats> out = d.edgeStats.readValuesToList();
            assertThat(out).hasSize(3);
            assertThat(out.get(0).getGraphs()).isEqualTo(1);
            assertThat(out.get(0).getTotals()).containsExactly(4L, 2L);
            EdgeStats s = out.get(2);
            assertThat(s.getGraphs()).isEqualTo(2);
            assertThat(s.getFirstWindowEndMs()).isEqualTo(1500);
            assertThat(s.getLastWindowEndMs()).isEqualTo(2100);
            assertThat(s.getWindowMs()).isEqualTo(1000);
            assertThat(s.getEdgeTypeNames()).isEqualTo(TYPES);
            assertThat(s.getTotals()).containsExactly(8L, 4L);
            Map<String, List<Long>> p = pairs(s);
            assertThat(p).hasSize(6);
            assertThat(p.get("b->a")).containsExactly(1L, 1L);
            assertThat(p.get("c->a")).containsExactly(0L, 2L);
            assertThat(p.get("a->b")).containsExactly(2L, 0L);
            assertThat(p.get("a->c")).containsExactly(1L, 1L);
            assertThat(s.getPairs()).extracting(EdgePairCounts::getSender).isSorted();
            assertThat(d.storedEdgeStats("s")).isEqualTo(s);
            assertThat(d.sceneEntries(AnalyticsApp.EDGE_WINDOW_STORE, "s")).isEqualTo(2);
        }
    }

    @Test
    void lateGraphIsNotCountedAndDoesNotReplaceTheLatest() {
        try (AnalyticsDriver d = new AnalyticsDriver(window(1000), stateDir)) {
            d.graph(graph("s", "m1", 5000, ABC, TYPES, 1, 1, 1, 1, 1, 1));
            d.graph(graph("s", "m1", 3000, ABC, TYPES, 0, 0, 0, 0, 0, 0));
            assertThat(d.edgeStats.readValuesToList()).hasSize(1);
            assertThat(d.storedEdgeStats("s").getTotals()).containsExactly(0L, 6L);
            assertThat(d.latestGraph("s").getWindowEndMs()).isEqualTo(5000);

            // Within the window but older than the latest: counted, yet the latest graph stays.
            d.graph(graph("s", "m1", 4500, ABC, TYPES, 0, 0, 0, 0, 0, 0));
            assertThat(d.storedEdgeStats("s").getTotals()).containsExactly(6L, 6L);
            assertThat(d.storedEdgeStats("s").getFirstWindowEndMs()).isEqualTo(4500);
            assertThat(d.latestGraph("s").getWindowEndMs()).isEqualTo(5000);
        }
    }

    @Test
    void graphWithTheSameWindowEndReplacesTheOneCounted() {
        try (AnalyticsDriver d = new AnalyticsDriver(window(1000), stateDir)) {
            d.graph(graph("s", "m1", 1000, ABC, TYPES, 1, 1, 1, 1, 1, 1));
            d.graph(graph("s", "m1", 1000, ABC, TYPES, 1, 0, 0, 0, 0, 0));
            EdgeStats s = d.storedEdgeStats("s");
            assertThat(s.getGraphs()).isEqualTo(1);
            assertThat(s.getTotals()).containsExactly(5L, 1L);
        }
    }

    @Test
    void countsRestartWhenTheModelChangesAndSkipUnknownTypes() {
        try (AnalyticsDriver d = new AnalyticsDriver(window(10_000), stateDir)) {
            d.graph(graph("s", "m1", 1000, ABC, TYPES, 1, 1, 1, 1, 1, 1));
            d.graph(graph("s", "m2", 2000, ABC, List.of("none", "push", "pull"), 2, 1, 0, 0, 7, 0));
            EdgeStats s = d.storedEdgeStats("s");
            assertThat(s.getModelId()).isEqualTo("m2");
            assertThat(s.getGraphs()).isEqualTo(1);
            assertThat(s.getTotals()).containsExactly(3L, 1L, 1L); // type 7 is not a type of m2
            assertThat(d.sceneEntries(AnalyticsApp.EDGE_WINDOW_STORE, "s")).isEqualTo(1);
        }
    }

    @Test
    void idleSceneDropsItsWindowAndRestartsCountingWhenItReturns() {
        try (AnalyticsDriver d = new AnalyticsDriver(window(60_000), stateDir)) {
            d.graph(graph("s", "m1", 1000, ABC, TYPES, 1, 1, 1, 1, 1, 1));
            d.driver.advanceWallClockTime(Duration.ofSeconds(31));
            assertThat(d.sceneEntries(AnalyticsApp.EDGE_WINDOW_STORE, "s")).isZero();
            assertThat(d.storedEdgeStats("s").getGraphs()).as("still queryable").isEqualTo(1);
            d.graph(graph("s", "m1", 2000, ABC, TYPES, 0, 0, 0, 0, 0, 0));
            assertThat(d.storedEdgeStats("s").getGraphs()).isEqualTo(1);
            assertThat(d.storedEdgeStats("s").getTotals()).containsExactly(6L, 0L);
        }
    }
}
