package dev.nristream.job.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.model.ModelSpec;
import dev.nristream.model.Normaliser;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureBuilderTest {

    static ModelSpec spec(int t) {
        return ModelSpec.parse("""
                {"model_id": "m", "atoms": 3, "dynamic_atoms": true, "window_length": %d,
                 "feature_layout": ["x", "y", "vx", "vy"], "spatial_dims": 2, "sampling_rate_hz": 10.0,
                 "edge_types": 2, "edge_type_names": ["none", "spring"], "no_edge_type": 0,
                 "normalisation": {"loc_min": -10.0, "loc_max": 10.0, "vel_min": -4.0, "vel_max": 4.0}}
                """.formatted(t));
    }

    static double[] series(int t, double x0, double vx, int... missing) {
        double[] p = new double[t * 2];
        for (int s = 0; s < t; s++) {
            p[s * 2] = x0 + vx * s * 0.1;
            p[s * 2 + 1] = 1.0;
        }
        for (int m : missing) {
            p[m * 2] = Double.NaN;
            p[m * 2 + 1] = Double.NaN;
        }
        return p;
    }

    static double[] nans(int t) {
        double[] v = new double[t * 2];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    @Test
    void selectsNodesInterpolatesAndDerivesVelocities() {
        int t = 8;
        ModelSpec spec = spec(t);
        FeatureBuilder fb = new FeatureBuilder(spec, WindowSpec.forModel(spec, 1));
        ResampledWindow w = new ResampledWindow(t, 0, 700, 0, 7, 2,
                List.of("steady", "gappy", "rare", "left"),
                List.of(series(t, 0, 2), series(t, 1, 2, 3), series(t, 0, 0, 0, 1, 2, 3, 4, 5), series(t, 0, 0, 5, 6, 7)),
                List.of(nans(t), nans(t), nans(t), nans(t)));
        WindowFeatures f = fb.build(w);
        assertThat(f.agentIds()).containsExactly("steady", "gappy");
        assertThat(f.excluded()).containsExactly("rare", "left");
        assertThat(f.interpolatedPoints()).isEqualTo(1);
        assertThat(f.finiteDifferenceNodes()).isEqualTo(2);
        Normaliser n = fb.normaliser();
        // gappy's x at step 3 interpolated back onto its line: 1 + 2 * 0.3
        assertThat(n.unLoc(f.features()[(1 * t + 3) * 4])).isCloseTo(1.6, within(1e-5));
        // finite-difference velocity of a straight line is its slope, 2 units/s
        for (int s = 0; s < t; s++) {
            assertThat(n.unVel(f.features()[(0 * t + s) * 4 + 2])).isCloseTo(2.0, within(1e-5));
            assertThat(n.unVel(f.features()[(0 * t + s) * 4 + 3])).isCloseTo(0.0, within(1e-5));
        }
        assertThat(f.lastPositions()[0]).isCloseTo(1.4, within(1e-9));
        // the window's last frame, where the forecast continues from, is the last positions normalised
        assertThat(n.unLoc(f.features()[(0 * t + t - 1) * 4])).isCloseTo(f.lastPositions()[0], within(1e-5));
        assertThat(n.unLoc(f.features()[(1 * t + t - 1) * 4])).isCloseTo(f.lastPositions()[2], within(1e-5));
        for (float v : f.features()) {
            assertThat(v).isBetween(-1f, 1f);
        }
    }

    @Test
    void feedVelocitiesAreUsedWhenPresent() {
        int t = 4;
        ModelSpec spec = spec(t);
        FeatureBuilder fb = new FeatureBuilder(spec, WindowSpec.forModel(spec, 1));
        double[] v = new double[t * 2];
        Arrays.fill(v, 3.0);
        ResampledWindow w = new ResampledWindow(t, 0, 300, 0, 3, 2, List.of("a", "b"),
                List.of(series(t, 0, 1), series(t, 0, 1)), List.of(v, v));
        WindowFeatures f = fb.build(w);
        assertThat(f.finiteDifferenceNodes()).isZero();
        assertThat(fb.normaliser().unVel(f.features()[2])).isCloseTo(3.0, within(1e-5));
    }

    @Test
    void normalisationMapsTheRangeToMinusOneOne() {
        Normaliser n = spec(4).normalisation();
        assertThat(n.loc(-10)).isEqualTo(-1f);
        assertThat(n.loc(10)).isEqualTo(1f);
        assertThat(n.vel(0)).isEqualTo(0f);
        assertThat(n.unLoc(n.loc(3.25))).isCloseTo(3.25, within(1e-5));
        assertThat(n.unVel(n.vel(-1.5))).isCloseTo(-1.5, within(1e-6));
    }

    @Test
    void inputsBeyondTheTrainedRangeByMoreThanTheMarginAreCounted() {
        Normaliser n = spec(4).normalisation(); // positions -10..10
        float edge = (float) n.loc(10.9); // 1.09: inside the 10% margin
        float beyond = (float) n.loc(11.2); // 1.12
        float far = (float) n.loc(-40); // -4
        assertThat(Normaliser.outOfRangeFraction(new float[] {0f, edge, -1f, 0.5f})).isZero();
        assertThat(Normaliser.outOfRangeFraction(new float[] {0f, beyond, far, 0.5f})).isEqualTo(0.5f);
        assertThat(Normaliser.outOfRangeFraction(new float[0])).isZero();
    }

    @Test
    void forecastPositionsAreDenormalised() {
        ModelSpec spec = spec(4);
        FeatureBuilder fb = new FeatureBuilder(spec, WindowSpec.forModel(spec, 1));
        int b = 2;
        int h = 3;
        int n = 2;
        float[] rollout = new float[b * h * n * 4];
        // batch 1, step 2, node 1: x = 0.5 (normalised) -> 5.0 in feed units
        rollout[((1 * h + 2) * n + 1) * 4] = 0.5f;
        double[][][] xy = fb.forecastPositions(rollout, 1, h, n);
        assertThat(xy[1][2][0]).isCloseTo(5.0, within(1e-6));
        assertThat(xy[0][0][0]).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void threeDimensionalWindowOnATwoDimensionalModelIsRefused() {
        ModelSpec spec = spec(4);
        FeatureBuilder fb = new FeatureBuilder(spec, WindowSpec.forModel(spec, 1));
        ResampledWindow w = new ResampledWindow(4, 0, 300, 0, 3, 3, List.of(), List.of(), List.of());
        assertThatThrownBy(() -> fb.build(w)).hasMessageContaining("expects 2D features").hasMessageContaining("3D");
    }
}
