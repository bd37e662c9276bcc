package dev.nristream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The square box of a simulated system, as the decoder knows it: particles move in [-h, h] on every position axis
 * and bounce off its walls elastically, exactly as the simulators do (a position past a wall is mirrored back
 * into the box and that axis's velocity turned to point inward).
 *
 * <p>Why the decoder is told: a bounce reverses a velocity within one frame. A decoder that must learn it from
 * data smooths the turn over several frames, and once a scene is old enough for particles to reach the walls
 * (about 5 s in a springs scene) its forecasts near the walls are 100-400x worse at one step than in the middle of
 * the box. With the walls declared, the learned part only forecasts free motion and every predicted state is
 * reflected by this rule, in training (the trainer's decoder step), in {@code decoder.onnx} and in
 * {@code rollout.onnx}; the trainer fits the free prediction against the nearer mirror image of each true state, so
 * a bounce placed a frame early or late costs its position error rather than a reversed velocity. Real feeds (a
 * court, a body) have no such walls, and their models leave this out.
 *
 * <p>The rule in feed units, per position axis c with velocity axis c + dims: past {@code h}, {@code x = 2h - x}
 * and {@code v = -|v|}; past {@code -h}, {@code x = -2h - x} and {@code v = |v|}. Because the model's normalisation
 * is affine per feature kind, the same rule holds on normalised values with the wall and the zero velocity mapped
 * through it ({@link #normalised}).
 *
 * <pre>{@code
 * ReflectingWalls walls = spec.walls();                     // null: the model knows no walls
 * ReflectingWalls.Normalised n = walls.normalised(spec.normalisation());
 * n.reflect(state, 2);                                      // [.., 2 * dims] states, in place
 * }</pre>
 *
 * @param halfWidth h, in the feed's units (the springs and charged simulators: 5)
 */
public record ReflectingWalls(@JsonProperty("half_width") double halfWidth) {

    @JsonCreator
    public ReflectingWalls {
        if (!(halfWidth > 0) || Double.isInfinite(halfWidth)) {
            throw new IllegalArgumentException("walls.half_width must be a positive number, got " + halfWidth);
        }
    }

    /**
     * The rule on normalised values.
     *
     * @param low the wall at -h, normalised
     * @param high the wall at h, normalised
     * @param zeroVelocity a velocity of 0, normalised
     */
    public record Normalised(float low, float high, float zeroVelocity) {

        /**
         * Reflects states in place.
         *
         * @param states flat [..., D] with D = 2 * dims: positions then velocities
         * @param dims position axes
         */
        public void reflect(float[] states, int dims) {
            int d = 2 * dims;
            if (states.length % d != 0) {
                throw new IllegalArgumentException("states of " + states.length + " values are not whole [.., "
                        + d + "] rows");
            }
            for (int row = 0; row < states.length; row += d) {
                for (int c = 0; c < dims; c++) {
                    float x = states[row + c];
                    float v = states[row + dims + c] - zeroVelocity;
                    if (x > high) {
                        states[row + c] = 2 * high - x;
                        states[row + dims + c] = zeroVelocity - Math.abs(v);
                    } else if (x < low) {
                        states[row + c] = 2 * low - x;
                        states[row + dims + c] = zeroVelocity + Math.abs(v);
                    }
                }
            }
        }
    }

    /**
     * The walls and the zero velocity on the model's normalised scale.
     *
     * @throws IllegalArgumentException when the normalisation has no position and velocity constants (a feature
     *     dataset such as Kuramoto's, which has no box)
     */
    public Normalised normalised(Normaliser n) {
        if (n.isPerFeature() || Double.isNaN(n.velMin())) {
            throw new IllegalArgumentException("reflecting walls need a position and velocity normalisation; this "
                    + "model scales per feature");
        }
        return new Normalised((float) n.loc(-halfWidth), (float) n.loc(halfWidth), (float) n.vel(0));
    }
}
