package dev.nristream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.Edge;
import dev.nristream.avro.ForecastError;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveStatsTest {

    static final List<String> IDS = List.of("p0", "p1", "p2");

    /** Springs between p0 and p1 (both directions), none elsewhere. */
    static List<GroundTruthEdge> truth() {
        List<GroundTruthEdge> gt = new ArrayList<>();
        for (String r : IDS) {
            for (String s : IDS) {
                if (!r.equals(s)) {
                    boolean spring = (r.equals("p0") && s.equals("p1")) || (r.equals("p1") && s.equals("p0"));
                    gt.add(new GroundTruthEdge(s, r, spring ? 1 : 0));
                }
            }
        }
        return gt;
    }

    static PositionFrame frame(String scene, long index, List<GroundTruthEdge> gt) {
        List<Agent> agents = new ArrayList<>();
        for (String id : IDS) {
            agents.add(new Agent(id, null, null, 0.0, 0.0, null, 0.0, 0.0, null));
        }
        return new PositionFrame(scene, SourceKind.SIMULATION, index, 1_000 + 100 * index, 10.0,
                new CoordinateSystem("sim", "center", 2, null), agents, gt, null);
    }

    /** A graph whose type 1 means "no edge" (relabelled) and that finds the p0-p1 springs as type 0. */
    static InteractionGraph graph(String scene, long endFrame, long processedAt, boolean p2p0Wrong) {
        List<Edge> edges = new ArrayList<>();
        for (String r : IDS) {
            for (String s : IDS) {
                if (!r.equals(s)) {
                    boolean spring = (r.equals("p0") && s.equals("p1")) || (r.equals("p1") && s.equals("p0"));
                    if (p2p0Wrong && s.equals("p2") && r.equals("p0")) {
                        spring = true;
                    }
                    float p = spring ? 0.9f : 0.2f;
                    edges.add(new Edge(s, r, spring ? 0 : 1, List.of(p, 1 - p)));
                }
            }
        }
        return new InteractionGraph(scene, "m", 0L, 1_000 + 100 * endFrame, endFrame - 4, endFrame, IDS, edges,
                List.of("a", "b"), processedAt, null, null, null);
    }

    @Test
    void accuracyIsPermutationInvariantAndSharedAcrossScenes() {
        LiveStats stats = new LiveStats(0, -1);
        for (long i = 0; i < 5; i++) {
            stats.onFrame(frame("s1", i, truth()), 10_000 + i);
            stats.onFrame(frame("s2", i, truth()), 10_000 + i);
        }
        stats.onGraph(graph("s1", 4, 10_504, false), 20_000);
        stats.onGraph(graph("s2", 4, 10_604, true), 20_500);

        LiveSnapshot s = stats.snapshot(30_000);
        assertThat(s.edgesCompared()).isEqualTo(12);
        assertThat(s.edgeAccuracy()).isCloseTo(11 / 12.0, within(1e-12));
        assertThat(s.assignment()).containsEntry("a", 1).containsEntry("b", 0);
        assertThat(s.scenes()).extracting(LiveSnapshot.SceneView::id).containsExactly("s1", "s2");
        assertThat(s.scenes().get(0).accuracy()).isEqualTo(1.0);
        assertThat(s.scenes().get(1).accuracy()).isCloseTo(5 / 6.0, within(1e-12));
        assertThat(s.firstGraphMs()).isEqualTo(20_000);
        assertThat(s.secondsToFirstGraph()).isEqualTo(20.0);
    }

    @Test
    void strongestEdgesSkipTheNoEdgeTypeAndRankByConfidence() {
        LiveStats stats = new LiveStats(0, 1);
        stats.onGraph(graph("s", 4, 0, true), 1);
        LiveSnapshot.SceneView v = stats.snapshot(2).scenes().get(0);
        assertThat(v.topEdges()).hasSize(3).allMatch(e -> e.contains(" a 0.90"));
        assertThat(v.topEdges()).contains("p1->p0 a 0.90", "p0->p1 a 0.90", "p2->p0 a 0.90");
        assertThat(v.interactions()).isEqualTo(3);
        assertThat(v.hasTruth()).isFalse();
        assertThat(v.accuracy()).isNaN();
    }

    @Test
    void theGraphsOwnNoEdgeTypeWinsOverTheModelGivenAtStart() {
        LiveStats stats = new LiveStats(0, 0);
        stats.onGraph(InteractionGraph.newBuilder(graph("s", 4, 0, true)).setNoEdgeType(1).build(), 1);
        LiveSnapshot.SceneView v = stats.snapshot(2).scenes().get(0);
        assertThat(v.topEdges()).containsExactlyInAnyOrder("p1->p0 a 0.90", "p0->p1 a 0.90", "p2->p0 a 0.90");
        assertThat(v.interactions()).isEqualTo(3);
    }

    @Test
    void graphsWithInputsBeyondTheTrainedRangeAreCountedPerScene() {
        LiveStats stats = new LiveStats(0, 1);
        stats.onGraph(graph("s", 4, 0, false), 1); // an older producer: no field
        InteractionGraph drifted = graph("s", 5, 0, false);
        drifted.setOutOfRangeFraction(0.25f);
        stats.onGraph(drifted, 2);
        InteractionGraph familiar = graph("t", 5, 0, false);
        familiar.setOutOfRangeFraction(0f);
        stats.onGraph(familiar, 3);
        LiveSnapshot snap = stats.snapshot(4);
        assertThat(snap.outOfRangeGraphs()).isEqualTo(1);
        LiveSnapshot.SceneView s = snap.scenes().get(0);
        assertThat(s.outOfRangeGraphs()).isEqualTo(1);
        assertThat(s.lastOutOfRange()).isEqualTo(0.25);
        assertThat(snap.scenes().get(1).lastOutOfRange()).isZero();
        assertThat(ConsoleView.block(snap, new ConsoleView.Rates(0, 0, 0))).anyMatch(l -> l.contains("out of the model's "
                + "trained range in 1 of 3 graphs"));
    }

    @Test
    void lagIsGraphProcessingTimeMinusTheSendTimeOfTheWindowsLastFrame() {
        LiveStats stats = new LiveStats(0, -1);
        for (long i = 0; i < 10; i++) {
            stats.onFrame(frame("s", i, null), 5_000 + 100 * i);
        }
        stats.onGraph(graph("s", 9, 5_900 + 250, false), 0);
        stats.onGraph(graph("s", 8, 5_800 + 50, false), 0);
        stats.onGraph(graph("s", 42, 9_999, false), 0); // its frame was never seen: no lag sample
        LiveSnapshot s = stats.snapshot(0);
        assertThat(s.lagSamples()).isEqualTo(2);
        assertThat(s.lagMaxMs()).isEqualTo(250);
        assertThat(s.lagP50Ms()).isEqualTo(250);
    }

    @Test
    void forecastErrorsAreAveragedPerStepAndDeadLettersCountedByKind() {
        LiveStats stats = new LiveStats(0, -1);
        stats.onForecastError(error("s", 1, 0.5));
        stats.onForecastError(error("s", 1, 1.5));
        stats.onForecastError(error("s", 3, 4.0));
        stats.onDeadLetter(dead("LATE"));
        stats.onDeadLetter(dead("LATE"));
        stats.onDeadLetter(dead("UNDECODABLE"));
        stats.onUndecodable(Topics.GRAPHS.name());
        LiveSnapshot s = stats.snapshot(0);
        assertThat(s.errorByStep()).hasSize(3);
        assertThat(s.errorByStep()[0]).isEqualTo(1.0);
        assertThat(s.errorByStep()[1]).isNaN();
        assertThat(s.errorByStep()[2]).isEqualTo(4.0);
        assertThat(s.errorCountByStep()).containsExactly(2, 0, 1);
        assertThat(s.errorUnit()).isEqualTo("sim");
        assertThat(s.deadLetters()).containsEntry("LATE", 2L).containsEntry("UNDECODABLE", 1L);
        assertThat(s.records(Topics.POSITIONS_DLQ.name())).isEqualTo(3);
        assertThat(s.records(Topics.FORECAST_ERRORS.name())).isEqualTo(3);
        assertThat(s.records(Topics.GRAPHS.name())).isEqualTo(1);
        assertThat(s.undecodable()).isEqualTo(1);
        assertThat(s.scenes().get(0).meanForecastError()).isEqualTo(2.0);
    }

    static ForecastError error(String scene, int step, double err) {
        return ForecastError.newBuilder().setSceneId(scene).setModelId("m").setOriginTimeMs(0).setStep(step)
                .setHorizon(3).setTargetTimeMs(step * 100L).setActualTimeMs(step * 100L).setActualFrame(step)
                .setMeanError(err).setMaxError(err).setAgentsCompared(3).setAgentsMissing(0).setDimensions(2)
                .setUnit("sim").build();
    }

    static DeadLetter dead(String kind) {
        return DeadLetter.newBuilder().setSourceTopic(Topics.POSITIONS.name()).setSourcePartition(0)
                .setSourceOffset(1).setErrorKind(kind).setReason("r").setTimeMs(0).build();
    }
}
