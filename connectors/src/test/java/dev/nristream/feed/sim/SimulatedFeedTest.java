package dev.nristream.feed.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.Agent;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.sim.KuramotoForm;
import dev.nristream.sim.LiveScene;
import dev.nristream.sim.Scene;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.sim.Simulators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedFeedTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void springsInterleaveKScenesAt10HzWithTheirEdges() {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).build();
        List<PositionFrame> frames = drain(new SimulatedFeed(cfg, 3, 42, 4, T0));

        assertThat(frames).hasSize(12);
        assertThat(frames.subList(0, 3)).extracting(PositionFrame::getSceneId)
                .containsExactly("sim-springs5-s42-0", "sim-springs5-s42-1", "sim-springs5-s42-2");
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.getSourceKind()).isEqualTo(SourceKind.SIMULATION);
            assertThat(f.getSystem()).as("the system name a multi-model job matches on").isEqualTo(cfg.system().id());
            assertThat(f.getSamplingRateHz()).isEqualTo(10.0);
            assertThat(f.getAgents()).extracting(Agent::getId).containsExactly("p0", "p1", "p2", "p3", "p4");
            assertThat(f.getGroundTruthEdges()).hasSize(20);
        });
        List<PositionFrame> scene1 = frames.stream().filter(f -> f.getSceneId().endsWith("-1")).toList();
        assertThat(scene1).extracting(PositionFrame::getFrameIndex).containsExactly(0L, 1L, 2L, 3L);
        assertThat(scene1).extracting(PositionFrame::getEventTimeMs)
                .containsExactly(T0, T0 + 100, T0 + 200, T0 + 300);

        // Same frames and edges as stepping the simulator directly.
        LiveScene live = Simulators.forConfig(cfg).live(42, 1);
        int[][] edges = live.edges();
        double[] loc = new double[10];
        double[] vel = new double[10];
        for (PositionFrame f : scene1) {
            live.next(loc, vel);
            for (int i = 0; i < 5; i++) {
                Agent a = f.getAgents().get(i);
                assertThat(a.getX()).isEqualTo(loc[i]);
                assertThat(a.getY()).isEqualTo(loc[5 + i]);
                assertThat(a.getVx()).isEqualTo(vel[i]);
                assertThat(a.getZ()).isNull();
            }
        }
        for (GroundTruthEdge e : scene1.get(0).getGroundTruthEdges()) {
            int recv = Integer.parseInt(e.getReceiver().substring(1));
            int send = Integer.parseInt(e.getSender().substring(1));
            assertThat(recv).isNotEqualTo(send);
            assertThat(e.getEdgeType()).isEqualTo(edges[recv][send]);
        }
    }

    @Test
    void sameSeedGivesTheSameStream() {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.CHARGED).setAtoms(4).build();
        assertThat(drain(new SimulatedFeed(cfg, 2, 7, 5, T0))).isEqualTo(drain(new SimulatedFeed(cfg, 2, 7, 5, T0)));
        assertThat(drain(new SimulatedFeed(cfg, 2, 7, 5, T0))).isNotEqualTo(drain(new SimulatedFeed(cfg, 2, 8, 5, T0)));
    }

    @Test
    void kuramotoPlaysWholeScenesAndMovesOnToTheNextIndex() {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.KURAMOTO).setAtoms(3).optLength(1000)
                .optSampleFreq(100).build();
        Scene s0 = Simulators.forConfig(cfg).simulate(1, 0);
        int steps = s0.steps();
        List<PositionFrame> frames = drain(new SimulatedFeed(cfg, 2, 1, steps + 2, T0));
        List<PositionFrame> slot0 = new ArrayList<>();
        for (int i = 0; i < frames.size(); i += 2) {
            slot0.add(frames.get(i));
        }
        assertThat(slot0.get(0).getSceneId()).isEqualTo("sim-kuramoto3-s1-0");
        assertThat(slot0.get(steps).getSceneId()).isEqualTo("sim-kuramoto3-s1-2");
        assertThat(slot0.get(steps).getFrameIndex()).isZero();
        double[][][] feats = s0.features();
        Agent a = slot0.get(5).getAgents().get(1);
        assertThat(a.getX()).isEqualTo(feats[1][5][0]);
        assertThat(a.getY()).isEqualTo(feats[1][5][1]);
        assertThat(a.getVx()).isEqualTo(feats[1][5][2]);
        assertThat(frames.get(0).getSamplingRateHz()).isEqualTo(10.0);
    }

    @Test
    void kuramotoOnTheUnitCircleStepsLiveLikeTheParticles() {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.KURAMOTO).setAtoms(3)
                .optKuramotoForm(KuramotoForm.CIRCLE).build();
        List<PositionFrame> frames = drain(new SimulatedFeed(cfg, 2, 1, 300, T0));
        assertThat(frames).hasSize(600);
        LiveScene live = Simulators.forConfig(cfg).live(1, 1);
        double[] loc = new double[6];
        double[] vel = new double[6];
        // slot 1 plays index 1 forever (past the configured 99 states), frame t equal to the live stepper's
        for (int t = 0; t < 300; t++) {
            live.next(loc, vel);
            PositionFrame f = frames.get(2 * t + 1);
            assertThat(f.getSceneId()).isEqualTo("sim-kuramoto3-s1-1");
            assertThat(f.getFrameIndex()).isEqualTo(t);
            for (int i = 0; i < 3; i++) {
                Agent a = f.getAgents().get(i);
                assertThat(a.getX()).isEqualTo(loc[i]);
                assertThat(a.getY()).isEqualTo(loc[3 + i]);
                assertThat(a.getVx()).isEqualTo(vel[i]);
                assertThat(a.getVy()).isEqualTo(vel[3 + i]);
            }
        }
        PositionFrame first = frames.get(0);
        assertThat(first.getCoordinates().getUnit()).isEqualTo("sim");
        assertThat(first.getCoordinates().getExtent()).containsExactly(2.0, 2.0);
        assertThat(first.getSystem()).isEqualTo("kuramoto");
        assertThat(first.getGroundTruthEdges()).hasSize(6);
        int[] labels = live.edgeLabels();
        assertThat(frames.get(1).getGroundTruthEdges()).extracting(GroundTruthEdge::getEdgeType)
                .containsExactly(java.util.Arrays.stream(labels).boxed().toArray(Integer[]::new));
    }

    @Test
    void endlessFeedStopsWhenClosed() {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(3).build();
        SimulatedFeed feed = new SimulatedFeed(cfg, 1, 1, 0, T0);
        for (int i = 0; i < 50; i++) {
            assertThat(feed.hasNext()).isTrue();
            feed.next();
        }
        feed.close();
        assertThat(feed.hasNext()).isFalse();
    }

    private static List<PositionFrame> drain(SimulatedFeed feed) {
        List<PositionFrame> out = new ArrayList<>();
        try (feed) {
            feed.forEachRemaining(out::add);
        }
        return out;
    }
}
