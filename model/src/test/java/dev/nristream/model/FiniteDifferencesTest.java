package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FiniteDifferencesTest {

    @Test
    void centralInsideOneSidedAtTheEndsPerSecond() {
        // x = t^2 (exact derivative 2t), y = 3t, sampled at 10 Hz
        int steps = 5;
        double dt = 0.1;
        double[] pos = new double[steps * 2];
        for (int s = 0; s < steps; s++) {
            double t = s * dt;
            pos[s * 2] = t * t;
            pos[s * 2 + 1] = 3 * t;
        }
        double[] vel = new double[pos.length];
        FiniteDifferences.central(pos, vel, steps, 2, dt);
        for (int s = 1; s < steps - 1; s++) {
            assertThat(vel[s * 2]).isCloseTo(2 * s * dt, within(1e-12)); // central differences are exact on t^2
            assertThat(vel[s * 2 + 1]).isCloseTo(3, within(1e-12));
        }
        assertThat(vel[0]).isCloseTo((0.01 - 0) / 0.1, within(1e-12));
        assertThat(vel[(steps - 1) * 2]).isCloseTo((0.16 - 0.09) / 0.1, within(1e-12));
        assertThat(vel[(steps - 1) * 2 + 1]).isCloseTo(3, within(1e-12));
    }

    @Test
    void needsTwoStepsAndAPositiveStep() {
        assertThatThrownBy(() -> FiniteDifferences.central(new double[3], new double[3], 1, 3, 0.1))
                .hasMessageContaining("need >= 2 steps");
        assertThatThrownBy(() -> FiniteDifferences.central(new double[6], new double[6], 2, 3, 0))
                .hasMessageContaining("dt > 0");
    }
}
