package dev.nristream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.nristream.model.Normaliser;
import dev.nristream.model.ReflectingWalls;
import org.junit.jupiter.api.Test;

/**
 * A model with walls is trained on its free (unreflected) predictions against the nearer image of the truth: the
 * true state, or the true state mirrored at the nearer wall (position and velocity of that axis together).
 */
class WallsLossTargetTest {
    // Feed units = normalised units here (positions and velocities in [-1, 1]); walls at +-0.8, zero velocity 0.
    private static final Normaliser UNIT = new Normaliser(-1, 1, -1, 1);

    private static float[] target(float[] truth, float[] free) {
        NriConfig cfg = NriConfig.builder().atoms(2).timesteps(4).predictionSteps(2).hidden(4).graph(
                NriConfig.GraphKind.TRUE).skipFirst(true).walls(new ReflectingWalls(0.8)).build();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(m, cfg, 1, UNIT)) {
            Shape s = new Shape(1, 1, truth.length / 4, 4);
            return model.decoder().lossTarget(m.create(truth, s), m.create(free, s)).toFloatArray();
        }
    }

    @Test
    void aBounceThePredictionPlacedInTheFreeFrameIsComparedThere() {
        // Truth bounced at x = 0.8: now at 0.78 moving in (-0.3); the free prediction went on to 0.815 moving out.
        float[] got = target(new float[] {0.78f, 0.1f, -0.3f, 0.2f}, new float[] {0.815f, 0.1f, 0.29f, 0.2f});
        assertThat(got[0]).isCloseTo(0.82f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(got[2]).isCloseTo(0.3f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(got[1]).as("y far from a wall: the truth").isEqualTo(0.1f);
        assertThat(got[3]).isEqualTo(0.2f);
    }

    @Test
    void aPredictionBeforeTheBounceIsAlsoComparedWithTheMirrorNotWithAReversedVelocity() {
        // Truth bounced off the wall at -0.8 (now -0.79, moving +0.25); the free prediction stopped short (-0.795,
        // still moving -0.24): the mirror (-0.81, -0.25) is nearer than the truth with its reversed velocity.
        float[] got = target(new float[] {-0.79f, 0f, 0.25f, 0f}, new float[] {-0.795f, 0f, -0.24f, 0f});
        assertThat(got[0]).isCloseTo(-0.81f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(got[2]).isCloseTo(-0.25f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void awayFromTheWallsTheTargetIsTheTruth() {
        float[] truth = {0.2f, -0.5f, 0.6f, -0.6f, 0.7f, 0.0f, 0.05f, 0.0f};
        float[] free = {0.21f, -0.49f, 0.59f, -0.61f, 0.69f, 0.01f, 0.06f, -0.01f};
        assertThat(target(truth, free)).containsExactly(truth);
    }
}
