package dev.nristream.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.job.DeadLetterKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameValidatorTest {

    static PositionFrame frame(String scene, int dims, List<Agent> agents) {
        return PositionFrame.newBuilder()
                .setSceneId(scene).setSourceKind(SourceKind.SIMULATION).setFrameIndex(3).setEventTimeMs(300)
                .setSamplingRateHz(10.0)
                .setCoordinates(CoordinateSystem.newBuilder().setUnit("sim").setOrigin("center").setDimensions(dims).build())
                .setAgents(agents).build();
    }

    static Agent agent(String id, double x, double y) {
        return Agent.newBuilder().setId(id).setX(x).setY(y).build();
    }

    static List<Agent> agents(int n) {
        List<Agent> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(agent("p" + i, i, -i));
        }
        return l;
    }

    final FrameValidator v = new FrameValidator(5);

    @Test
    void goodFrameBecomesASample() {
        List<Agent> a = agents(3);
        a.set(1, Agent.newBuilder(a.get(1)).setVx(0.5).setVy(-0.5).build());
        FrameValidator.Verdict r = v.check(frame("s", 2, a));
        assertThat(r.ok()).isTrue();
        assertThat(r.sample().agentIds).containsExactly("p0", "p1", "p2");
        assertThat(r.sample().positions).containsExactly(0, 0, 1, -1, 2, -2);
        assertThat(r.sample().velocities[2]).isEqualTo(0.5);
        assertThat(Double.isNaN(r.sample().velocities[0])).isTrue();
        assertThat(r.sample().frameIndex).isEqualTo(3);
    }

    @Test
    void aThreeDimensionalFrameMayLeaveZOutButNotSetItToAnInfinity() {
        // SportVU: players carry no height, the ball does; whether z is needed is the model's call (window stage)
        List<Agent> a = agents(3);
        a.set(2, Agent.newBuilder(a.get(2)).setZ(8.5).build());
        FrameValidator.Verdict r = v.check(frame("s", 3, a));
        assertThat(r.ok()).isTrue();
        assertThat(r.sample().positions).containsExactly(0, 0, Double.NaN, 1, -1, Double.NaN, 2, -2, 8.5);
        assertThat(r.sample().firstWithoutZ()).isEqualTo("p0");
        a.set(0, Agent.newBuilder(a.get(0)).setZ(Double.NEGATIVE_INFINITY).build());
        assertBad(frame("s", 3, a), DeadLetterKind.NON_FINITE_COORDINATE, "agent p0 has z = -Infinity");
    }

    @Test
    void noVelocitiesGiveNull() {
        assertThat(v.check(frame("s", 2, agents(2))).sample().velocities).isNull();
    }

    @Test
    void eachBadKindIsNamed() {
        List<Agent> nan = agents(3);
        nan.set(2, agent("p2", Double.NaN, 1));
        assertBad(frame("s", 2, nan), DeadLetterKind.NON_FINITE_COORDINATE, "agent p2 has x = NaN");
        List<Agent> inf = agents(3);
        inf.set(0, Agent.newBuilder(inf.get(0)).setVy(Double.POSITIVE_INFINITY).build());
        assertBad(frame("s", 2, inf), DeadLetterKind.NON_FINITE_COORDINATE, "agent p0 has vy = Infinity");
        assertBad(frame("s", 2, agents(1)), DeadLetterKind.TOO_FEW_AGENTS, "has 1 agent;");
        assertBad(frame("s", 2, agents(6)), DeadLetterKind.TOO_MANY_AGENTS, "6 agents, more than the configured maximum of 5");
        assertBad(frame(" ", 2, agents(3)), DeadLetterKind.INVALID_FRAME, "blank scene_id");
        assertBad(frame("s", 4, agents(3)), DeadLetterKind.INVALID_FRAME, "dimensions must be 2 or 3");
        List<Agent> twice = agents(3);
        twice.set(2, agent("p1", 0, 0));
        assertBad(frame("s", 2, twice), DeadLetterKind.INVALID_FRAME, "agent id 'p1' appears twice");
        List<Agent> huge = agents(3);
        huge.set(1, agent("a".repeat(10_240), 0, 0));
        assertBad(frame("s", 2, huge), DeadLetterKind.INVALID_FRAME, "agent #1 has an id of 10240 characters (at most 256)");
        assertBad(frame("b".repeat(10_240), 2, agents(3)), DeadLetterKind.INVALID_FRAME,
                "scene_id of 10240 characters");
        assertThat(v.check(frame("s", 2, huge)).reason()).hasSizeLessThan(200);
        List<Agent> longest = agents(3);
        longest.set(1, agent("a".repeat(FrameValidator.MAX_ID_LENGTH), 0, 0));
        assertThat(v.check(frame("c".repeat(FrameValidator.MAX_ID_LENGTH), 2, longest)).ok()).isTrue();
    }

    private void assertBad(PositionFrame f, DeadLetterKind kind, String reason) {
        FrameValidator.Verdict r = v.check(f);
        assertThat(r.ok()).isFalse();
        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.reason()).contains(reason);
    }
}
