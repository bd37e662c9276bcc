package dev.nristream.feed.mocap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small hand-made skeletons whose joint positions can be worked out on paper. */
class ForwardKinematicsTest {

    /** root -> a (along x, length 2, axis rotated 90 deg about z) -> b (along x, length 1, no dofs). */
    private static final String ASF = """
            :version 1.10
            :units
              mass 1.0
              length 0.45
              angle deg
            :root
               order TX TY TZ RX RY RZ
               axis XYZ
               position 0 0 0
               orientation 0 0 0
            :bonedata
              begin
                 id 1
                 name a
                 direction 1 0 0
                 length 2
                 axis 0 0 90 XYZ
                dof rx rz
                limits (-180 180)
                       (-180 180)
              end
              begin
                 id 2
                 name b
                 direction 1 0 0
                 length 1
                 axis 0 0 0 XYZ
              end
            :hierarchy
              begin
                root a
                a b
              end
            """;

    private final AsfSkeleton skel = AsfSkeleton.parse("test.asf", ASF);

    @Test
    void restPoseFollowsDirectionsFromTheRootTranslation() {
        double[][] p = positions(frame(1, "root 1 2 3 0 0 0", "a 0 0"));
        assertThat(p[0]).containsExactly(new double[] {1, 2, 3}, within(1e-12));
        assertThat(p[1]).containsExactly(new double[] {3, 2, 3}, within(1e-12));
        assertThat(p[2]).containsExactly(new double[] {4, 2, 3}, within(1e-12));
    }

    @Test
    void dofRotationIsAboutTheBoneLocalAxes() {
        // C = Rz(90) turns the bone's local x into global y: rx 90 rotates about global y, taking +x to -z.
        double[][] p = positions(frame(1, "root 0 0 0 0 0 0", "a 90 0"));
        assertThat(p[1]).containsExactly(new double[] {0, 0, -2}, within(1e-12));
        // The child inherits the rotation.
        assertThat(p[2]).containsExactly(new double[] {0, 0, -3}, within(1e-12));
        // rz about the local z (= global z): +x to +y.
        double[][] q = positions(frame(1, "root 0 0 0 0 0 0", "a 0 90"));
        assertThat(q[1]).containsExactly(new double[] {0, 2, 0}, within(1e-12));
    }

    @Test
    void dofAnglesComposeInTheAxisOrderFirstAxisFirst() {
        // XYZ order: M = Rz * Rx. The rest direction, global +x, is local -y (C = Rz(90)); rx 90 takes it to
        // local -z, which rz leaves alone: global -z. Composing the other way round (Rx * Rz) gives global +y.
        double[][] p = positions(frame(1, "root 0 0 0 0 0 0", "a 90 90"));
        assertThat(p[1]).containsExactly(new double[] {0, 0, -2}, within(1e-12));
    }

    @Test
    void rootRotationTurnsTheWholeSkeleton() {
        double[][] p = positions(frame(1, "root 0 0 0 0 90 0", "a 0 0"));
        assertThat(p[2]).containsExactly(new double[] {0, 0, -3}, within(1e-12));
    }

    @Test
    void badFramesAreSkippedAndReported() {
        String amc = ":FULLY-SPECIFIED\n:DEGREES\n"
                + frame(1, "root 0 0 0 0 0 0", "a 0 0")
                + frame(2, "root 0 0 0 0 0 0", "a NaN 0")
                + frame(3, "root 0 0 0 0 0", "a 0 0")
                + frame(4, "root 0 0 0 0 0 0", "bogus 1", "a 0 0")
                + frame(5, "root 0 0 0 0 0 0", "a x 0")
                + frame(6, "root 0 0 0 0 0 0", "a 0 0")
                + "7\nroot 0 0 0 0 0 0\n"; // truncated: file ends inside frame 7
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = read(amc, problems);
        assertThat(frames).extracting(PositionFrame::getFrameIndex).containsExactly(1L, 4L, 6L);
        assertThat(problems.count(ProblemKind.NON_FINITE_COORDINATE)).isEqualTo(1);
        assertThat(problems.count(ProblemKind.MALFORMED_RECORD)).isEqualTo(2);
        assertThat(problems.count(ProblemKind.UNEXPECTED_SHAPE)).isEqualTo(1);
        assertThat(problems.count(ProblemKind.TRUNCATED_FILE)).isEqualTo(1);
        assertThat(problems.first(ProblemKind.NON_FINITE_COORDINATE)).contains("t.amc").contains("line 8");
    }

    @Test
    void framesGoingBackwardsAreSkipped() {
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = read(frame(5, "root 0 0 0 0 0 0", "a 0 0") + frame(3, "root 0 0 0 0 0 0",
                "a 0 0") + frame(6, "root 0 0 0 0 0 0", "a 0 0"), problems);
        assertThat(frames).extracting(PositionFrame::getFrameIndex).containsExactly(5L, 6L);
        assertThat(problems.count(ProblemKind.OUT_OF_ORDER)).isEqualTo(1);
    }

    @Test
    void asfErrorsNameTheFileAndLine() {
        assertThatThrownBy(() -> AsfSkeleton.parse("x.asf", ASF.replace("a b\n", "a c\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.asf line")
                .hasMessageContaining("unknown segment");
        assertThatThrownBy(() -> AsfSkeleton.parse("x.asf", ASF.replace("dof rx rz", "dof tx rz")))
                .hasMessageContaining("unsupported degree of freedom 'tx'");
        assertThatThrownBy(() -> AsfSkeleton.parse("x.asf", ASF.substring(0, ASF.indexOf("id 2"))))
                .hasMessageContaining("not closed");
    }

    @Test
    void fpsMustDivideTheNativeRate() {
        assertThatThrownBy(() -> MocapOptions.defaults().withFps(50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must divide 120");
        assertThat(MocapOptions.defaults().withFps(24).samplingRateHz()).isEqualTo(24.0);
    }

    private double[][] positions(String amc) {
        PositionFrame f = read(amc, FeedProblems.silent()).get(0);
        double[][] p = new double[3][];
        for (int i = 0; i < 3; i++) {
            var a = f.getAgents().get(i);
            p[i] = new double[] {a.getX(), a.getY(), a.getZ()};
        }
        return p;
    }

    private List<PositionFrame> read(String amc, FeedProblems problems) {
        List<PositionFrame> out = new ArrayList<>();
        try (MocapFrameSource src = MocapFrameSource.of(skel, new BufferedReader(new StringReader(amc)), "t",
                MocapOptions.defaults(), problems)) {
            src.forEachRemaining(out::add);
        }
        return out;
    }

    private static String frame(int n, String... lines) {
        return n + "\n" + String.join("\n", lines) + "\n";
    }
}
