package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's bounce on normalised states, its place in model.json and in the ONNX metadata checks. */
class ReflectingWallsTest {
    // Asymmetric constants, so a wrong zero velocity or a wall mapped with the wrong constants shows.
    private static final Normaliser N = new Normaliser(-6.0, 4.0, -1.0, 3.0);
    private static final ReflectingWalls WALLS = new ReflectingWalls(3.0);

    @Test
    void wallsAndZeroVelocityAreMappedThroughTheNormalisation() {
        ReflectingWalls.Normalised w = WALLS.normalised(N);
        assertThat(w.low()).isEqualTo((float) N.loc(-3.0));
        assertThat(w.high()).isEqualTo((float) N.loc(3.0));
        assertThat(w.zeroVelocity()).isEqualTo((float) N.vel(0.0));
        assertThat(w.high()).isEqualTo(0.8f);
        assertThat(w.zeroVelocity()).isEqualTo(-0.5f);
    }

    /** In feed units: x = 3.5 past the wall at 3 comes back to 2.5, vx = 0.4 turns to -0.4; y stays. */
    @Test
    void normalisedRuleEqualsTheSimulatorsRuleInFeedUnits() {
        double[][] cases = {
            // x, y, vx, vy -> expected in feed units
            {3.5, 1.0, 0.4, -0.2, 2.5, 1.0, -0.4, -0.2},
            {-3.25, -3.5, -0.3, 0.7, -2.75, -2.5, 0.3, 0.7},
            // past the wall but already moving inward: the velocity keeps pointing inward
            {3.1, 0.0, -0.2, 0.0, 2.9, 0.0, -0.2, 0.0},
            // inside: untouched
            {2.9, -2.9, 1.5, -1.5, 2.9, -2.9, 1.5, -1.5},
        };
        ReflectingWalls.Normalised w = WALLS.normalised(N);
        for (double[] c : cases) {
            float[] s = {(float) N.loc(c[0]), (float) N.loc(c[1]), (float) N.vel(c[2]), (float) N.vel(c[3])};
            w.reflect(s, 2);
            assertThat(N.unLoc(s[0])).as("x of %s", java.util.Arrays.toString(c)).isCloseTo(c[4], within());
            assertThat(N.unLoc(s[1])).as("y of %s", java.util.Arrays.toString(c)).isCloseTo(c[5], within());
            assertThat(N.unVel(s[2])).as("vx of %s", java.util.Arrays.toString(c)).isCloseTo(c[6], within());
            assertThat(N.unVel(s[3])).as("vy of %s", java.util.Arrays.toString(c)).isCloseTo(c[7], within());
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-5);
    }

    @Test
    void refusesWhatIsNotABox() {
        assertThatThrownBy(() -> new ReflectingWalls(0)).hasMessageContaining("walls.half_width");
        assertThatThrownBy(() -> new ReflectingWalls(Double.NaN)).hasMessageContaining("walls.half_width");
        assertThatThrownBy(() -> WALLS.normalised(Normaliser.perFeature(new double[] {0, 0}, new double[] {1, 1})))
                .hasMessageContaining("per feature");
        assertThatThrownBy(() -> WALLS.normalised(N).reflect(new float[5], 2)).hasMessageContaining("[.., 4]");
    }

    @Test
    void modelJsonCarriesTheWallsAndChecksTheyFitTheLayout() {
        String withWalls = ModelSpecTest.SPRINGS.replace("\"some_future_key\": 1", "\"walls\": {\"half_width\": 5.0}");
        ModelSpec s = ModelSpec.parse(withWalls);
        assertThat(s.walls()).isEqualTo(new ReflectingWalls(5.0));
        assertThat(ModelSpec.parse(s.toJson()).walls()).isEqualTo(s.walls());
        assertThat(ModelSpec.parse(ModelSpecTest.SPRINGS).walls()).as("absent: no walls").isNull();
        String positionsOnly = withWalls.replace("[\"x\", \"y\", \"vx\", \"vy\"]", "[\"x\", \"y\"]");
        assertThatThrownBy(() -> ModelSpec.parse(positionsOnly)).isInstanceOf(ModelException.class)
                .hasMessageContaining("walls need positions and velocities");
        assertThatThrownBy(() -> ModelSpec.parse(withWalls.replace("5.0}", "-1}")))
                .isInstanceOf(ModelException.class).hasMessageContaining("walls.half_width");
    }

    @Test
    void decoderMetadataMustDeclareTheSameWallsAsModelJson() {
        ModelSpec none = ModelSpec.parse(ModelSpecTest.SPRINGS);
        ModelSpec walls = none.withWalls(new ReflectingWalls(5.0));
        Map<String, String> stamped = Map.of(OnnxContract.WALLS_HALF_WIDTH, "5.0");
        OnnxContract.checkDecoder("decoder.onnx", stamped, walls);
        OnnxContract.checkDecoder("decoder.onnx", Map.of(), none);
        assertThatThrownBy(() -> OnnxContract.checkDecoder("decoder.onnx", Map.of(), walls))
                .isInstanceOf(ModelException.class).hasMessageContaining("declares walls of half-width 5.0")
                .hasMessageContaining("has none");
        assertThatThrownBy(() -> OnnxContract.checkDecoder("rollout.onnx", stamped, none))
                .isInstanceOf(ModelException.class).hasMessageContaining("rollout.onnx reflects")
                .hasMessageContaining("declares no walls");
        assertThatThrownBy(() -> OnnxContract.checkDecoder("decoder.onnx", Map.of(OnnxContract.WALLS_HALF_WIDTH,
                "4.0"), walls)).isInstanceOf(ModelException.class).hasMessageContaining("exported with 4.0");
    }
}
