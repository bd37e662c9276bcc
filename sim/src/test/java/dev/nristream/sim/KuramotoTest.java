package dev.nristream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KuramotoTest {

    private static SimConfig.Builder kuramoto(int atoms) {
        return SimConfig.builder().setSystem(SimSystem.KURAMOTO).setAtoms(atoms).optLength(10000);
    }

    @Test
    void dormandPrinceSolvesKnownOdesToTolerance() {
        // y' = -y and y' = cos t on one solver: e^-t and sin t.
        DormandPrince dp = new DormandPrince((t, y, d) -> {
            d[0] = -y[0];
            d[1] = Math.cos(t);
        }, 2, 1e-9, 1e-12);
        double[] y = {1.0, 0.0};
        for (int k = 0; k < 500; k++) {
            dp.integrate(y, k * 0.01, (k + 1) * 0.01);
        }
        assertThat(y[0]).isCloseTo(Math.exp(-5), within(1e-9));
        assertThat(y[1]).isCloseTo(Math.sin(5), within(1e-8));
        // Adaptive: far fewer steps than a fixed 1e-3 grid would need.
        assertThat(dp.steps()).isLessThan(2000);
    }

    @Test
    void uncoupledOscillatorsTurnAtTheirNaturalFrequency() {
        SimConfig c = kuramoto(4).optEdgeProbability(0).optKuramotoNormalized(false).build();
        Scene s = Simulators.forConfig(c).simulate(6, 1);
        double[][][] f = s.features();
        for (int i = 0; i < 4; i++) {
            double omega = f[i][0][3];
            assertThat(omega).isBetween(1.0, 10.0);
            double phi0 = f[i][0][2];
            assertThat(phi0).isBetween(0.0, 2 * Math.PI);
            for (int t = 0; t < s.steps(); t++) {
                assertThat(f[i][t][0]).isCloseTo(omega, within(1e-6));
                assertThat(f[i][t][2]).isCloseTo(phi0 + omega * 0.1 * t, within(1e-6));
                assertThat(f[i][t][1]).isCloseTo(Math.sin(f[i][t][2]), within(1e-12));
                assertThat(f[i][t][3]).isEqualTo(omega);
            }
        }
    }

    @Test
    void symmetricCouplingConservesTheMeanFrequency() {
        // sin is odd, so with K symmetric the coupling terms cancel in sum_i d phi_i/dt = sum_i omega_i.
        SimConfig c = kuramoto(5).optSymmetric(true).optEdgeProbability(0.8).optKuramotoNormalized(false).build();
        for (long idx = 0; idx < 5; idx++) {
            Scene s = Simulators.forConfig(c).simulate(12, idx);
            int[][] e = s.edges();
            for (int i = 0; i < 5; i++) {
                assertThat(e[i][i]).isZero();
                for (int j = 0; j < 5; j++) {
                    assertThat(e[i][j]).isEqualTo(e[j][i]);
                }
            }
            double[][][] f = s.features();
            double omegaSum = 0;
            for (int i = 0; i < 5; i++) {
                omegaSum += f[i][0][3];
            }
            for (int t = 0; t < s.steps(); t++) {
                double sum = 0;
                for (int i = 0; i < 5; i++) {
                    sum += f[i][t][0];
                }
                assertThat(sum).isCloseTo(omegaSum, within(1e-4));
            }
        }
    }

    @Test
    void couplingPullsPhasesTogether() {
        // Two oscillators coupled both ways with |omega_1 - omega_2| < 2 lock: their frequencies meet.
        SimConfig c = kuramoto(2).optSymmetric(true).optEdgeProbability(1).optKuramotoNormalized(false).build();
        int locked = 0;
        for (long idx = 0; locked < 3 && idx < 200; idx++) {
            double[][][] f = Simulators.forConfig(c).simulate(1, idx).features();
            if (Math.abs(f[0][0][3] - f[1][0][3]) < 1.5) {
                assertThat(f[0][98][0]).isCloseTo(f[1][98][0], within(1e-3));
                locked++;
            }
        }
        assertThat(locked).isEqualTo(3);
    }

    @Test
    void normalisedFeaturesFollowTheResearchLayout() {
        SimConfig c = kuramoto(5).build();
        for (long idx = 0; idx < 20; idx++) {
            Scene s = Simulators.forConfig(c).simulate(3, idx);
            assertThat(s.steps()).isEqualTo(99);
            assertThat(s.featureDims()).isEqualTo(4);
            double[][][] f = s.features();
            int[][] e = s.edges();
            for (int i = 0; i < 5; i++) {
                assertThat(e[i][i]).isZero();
                boolean driven = false;
                for (int j = 0; j < 5; j++) {
                    driven |= e[i][j] != 0;
                }
                for (int t = 0; t < 99; t++) {
                    for (int d = 0; d < 4; d++) {
                        assertThat(f[i][t][d]).isBetween(-1.0, 1.0);
                    }
                    assertThat(f[i][t][3]).isEqualTo(f[i][0][3]);
                    if (!driven) {
                        assertThat(f[i][t][0]).isZero();
                    }
                }
                // Scaled over 100 samples of which 99 are kept: at least one of the extremes is in the scene.
                double min = 1;
                double max = -1;
                for (int t = 0; t < 99; t++) {
                    min = Math.min(min, f[i][t][2]);
                    max = Math.max(max, f[i][t][2]);
                }
                assertThat(min == -1.0 || max == 1.0).as("phase range [%s, %s]", min, max).isTrue();
            }
        }
    }

    @Test
    void phaseFeatureCanBeLeftOut() {
        SimConfig with = kuramoto(3).optLength(1000).build();
        SimConfig without = with.toBuilder().optKuramotoPhase(false).build();
        double[][][] a = Simulators.forConfig(with).simulate(1, 1).features();
        double[][][] b = Simulators.forConfig(without).simulate(1, 1).features();
        assertThat(b[0][0]).hasSize(3);
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < a[0].length; t++) {
                assertThat(b[i][t]).containsExactly(a[i][t][0], a[i][t][1], a[i][t][3]);
            }
        }
    }

    @Test
    void directedCouplingsAreAboutHalfAndNotAlwaysSymmetric() {
        SimConfig c = kuramoto(5).optLength(200).build();
        long on = 0;
        long asymmetric = 0;
        for (long idx = 0; idx < 1000; idx++) {
            int[][] e = Simulators.forConfig(c).simulate(2, idx).edges();
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    if (i != j) {
                        on += e[i][j];
                        asymmetric += e[i][j] != e[j][i] ? 1 : 0;
                    }
                }
            }
        }
        assertThat(on / 20000.0).isCloseTo(0.5, within(0.02));
        assertThat(asymmetric / 20000.0).isCloseTo(0.5, within(0.03));
    }

    @Test
    void researchFeaturesCannotBeSteppedLive() {
        Simulator sim = Simulators.forConfig(kuramoto(3).build());
        assertThatThrownBy(() -> sim.live(1, 1))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("normalised over a whole run")
                .hasMessageContaining("circle form");
    }

    @Test
    void circleFormIsTheSameOscillatorsAsPointsOnTheUnitCircle() {
        int n = 5;
        // The research form, raw, gives each oscillator's phase at t = s / 10 and its natural frequency.
        Scene research = Simulators.forConfig(kuramoto(n).optKuramotoNormalized(false).build()).simulate(11, 3);
        Scene circle = Simulators.forConfig(kuramoto(n).optKuramotoForm(KuramotoForm.CIRCLE).build()).simulate(11, 3);
        double[][][] f = research.features();
        double[][][] loc = circle.loc();
        double[][][] vel = circle.vel();
        int[][] k = circle.edges();
        assertThat(k).isDeepEqualTo(research.edges());
        assertThat(circle.steps()).isEqualTo(99);
        for (int t = 0; t < circle.steps() - 1; t++) { // the research files keep samples 0 .. 98
            for (int i = 0; i < n; i++) {
                double x = loc[t][0][i];
                double y = loc[t][1][i];
                assertThat(Math.hypot(x, y)).isCloseTo(1.0, within(1e-12));
                // state t is the research sample t + 1: the same phase, wrapped
                double phi = f[i][t + 1][2];
                assertThat(Math.cos(phi)).isCloseTo(x, within(1e-4));
                assertThat(Math.sin(phi)).isCloseTo(y, within(1e-4));
                // the velocity is tangent, at d phi/dt = omega_i + sum_j K_ij sin(phi_j - phi_i)
                assertThat(x * vel[t][0][i] + y * vel[t][1][i]).isCloseTo(0.0, within(1e-9));
                double rate = omega(f, i);
                for (int j = 0; j < n; j++) {
                    rate += k[i][j] * Math.sin(Math.atan2(loc[t][1][j], loc[t][0][j]) - Math.atan2(y, x));
                }
                assertThat(x * vel[t][1][i] - y * vel[t][0][i]).isCloseTo(rate, within(1e-9));
            }
        }
    }

    private static double omega(double[][][] rawFeatures, int i) {
        return rawFeatures[i][0][3];
    }

    @Test
    void circleFormStepsLiveAsItSimulates() {
        SimConfig c = kuramoto(4).optKuramotoForm(KuramotoForm.CIRCLE).build();
        Simulator sim = Simulators.forConfig(c);
        Scene whole = sim.simulate(5, 2);
        LiveScene live = sim.live(5, 2);
        assertThat(live.edges()).isDeepEqualTo(whole.edges());
        assertThat(live.edgeLabels()).containsExactly(whole.edgeLabels());
        double[] l = new double[8];
        double[] v = new double[8];
        double[] wl = whole.locFlat();
        double[] wv = whole.velFlat();
        for (int t = 0; t < whole.steps(); t++) {
            live.next(l, v);
            for (int d = 0; d < 8; d++) {
                assertThat(l[d]).isEqualTo(wl[t * 8 + d]);
                assertThat(v[d]).isEqualTo(wv[t * 8 + d]);
            }
        }
        assertThat(live.time()).isCloseTo(9.9, within(1e-9));
        // and on past the configured length, still on the circle
        for (int t = 0; t < 5000; t++) {
            live.next(l, v);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(Math.hypot(l[i], l[4 + i])).isCloseTo(1.0, within(1e-12));
        }
    }
}
