package dev.nristream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ParticlePhysicsTest {

    private static SimConfig.Builder cfg(SimSystem system, int atoms) {
        return SimConfig.builder().setSystem(system).setAtoms(atoms);
    }

    @ParameterizedTest
    @CsvSource({"5000, 100, 49", "10000, 100, 99", "1000, 10, 99", "200, 100, 1"})
    void aRunRecordsLengthOverSampleFreqMinusOneStates(int length, int freq, int expected) {
        for (SimSystem system : SimSystem.values()) {
            SimConfig c = cfg(system, 3).optLength(length).optSampleFreq(freq).build();
            Scene s = Simulators.forConfig(c).simulate(1, 2);
            assertThat(s.steps()).as(system.id()).isEqualTo(expected);
            if (system.isParticles()) {
                assertThat(s.loc()).hasDimensions(expected, 2);
                assertThat(s.loc()[0][0]).hasSize(3);
                assertThat(s.vel()).hasDimensions(expected, 2);
            } else {
                assertThat(s.features()).hasDimensions(3, expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SimSystem.class, names = {"SPRINGS", "CHARGED"})
    void initialSpeedsAreRescaledToHalf(SimSystem system) {
        SimConfig c = cfg(system, 10).build();
        for (long seed = 0; seed < 20; seed++) {
            ParticleState s = ParticleState.create(c, Seeds.forScene(7, seed));
            for (int p = 0; p < 10; p++) {
                assertThat(Math.hypot(s.vx[p], s.vy[p])).isCloseTo(0.5, within(1e-12));
            }
        }
    }

    @Test
    void initialPositionsHaveTheConfiguredSpread() {
        for (SimSystem system : new SimSystem[] {SimSystem.SPRINGS, SimSystem.CHARGED}) {
            SimConfig c = cfg(system, 10).build();
            double sumSq = 0;
            int count = 0;
            for (long seed = 0; seed < 2000; seed++) {
                ParticleState s = ParticleState.create(c, Seeds.forScene(3, seed));
                for (int p = 0; p < 10; p++) {
                    sumSq += s.x[p] * s.x[p] + s.y[p] * s.y[p];
                    count += 2;
                }
            }
            assertThat(Math.sqrt(sumSq / count)).as(system.id()).isCloseTo(c.locStd(), within(0.02 * c.locStd()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SimSystem.class, names = {"SPRINGS", "CHARGED"})
    void pairwiseForcesAreEqualAndOppositeAndMatchTheFormula(SimSystem system) {
        SimConfig c = cfg(system, 6).optEdgeProbability(0.6).build();
        for (long seed = 0; seed < 50; seed++) {
            ParticleState s = ParticleState.create(c, Seeds.forScene(11, seed));
            s.computeForces();
            double sumX = 0;
            double sumY = 0;
            for (int i = 0; i < 6; i++) {
                sumX += s.fx[i];
                sumY += s.fy[i];
                // The formula, evaluated naively over ordered pairs.
                double ex = 0;
                double ey = 0;
                for (int j = 0; j < 6; j++) {
                    if (j == i) {
                        continue;
                    }
                    double e = s.edges[i * 6 + j];
                    double dx = s.x[i] - s.x[j];
                    double dy = s.y[i] - s.y[j];
                    if (system == SimSystem.SPRINGS) {
                        ex += -0.1 * e * dx;
                        ey += -0.1 * e * dy;
                    } else {
                        double r3 = Math.pow(dx * dx + dy * dy, 1.5);
                        ex += e * dx / r3;
                        ey += e * dy / r3;
                    }
                }
                assertThat(s.fx[i]).isCloseTo(ex, within(1e-9 * Math.max(1, Math.abs(ex))));
                assertThat(s.fy[i]).isCloseTo(ey, within(1e-9 * Math.max(1, Math.abs(ey))));
            }
            // Newton's third law: internal forces sum to zero.
            assertThat(sumX).isCloseTo(0, within(1e-9));
            assertThat(sumY).isCloseTo(0, within(1e-9));
        }
    }

    @Test
    void twoChargesPushEachOtherExactlyOppositely() {
        SimConfig c = cfg(SimSystem.CHARGED, 2).build();
        ParticleState s = ParticleState.create(c, Seeds.forScene(5, 5));
        s.computeForces();
        assertThat(s.fx[0]).isEqualTo(-s.fx[1]);
        assertThat(s.fy[0]).isEqualTo(-s.fy[1]);
        double r = Math.hypot(s.x[0] - s.x[1], s.y[0] - s.y[1]);
        assertThat(Math.hypot(s.fx[0], s.fy[0])).isCloseTo(1 / (r * r), within(1e-9 / (r * r)));
    }

    @Test
    void forcesAreClippedPerComponent() {
        SimConfig c = cfg(SimSystem.CHARGED, 2).optVelNorm(0).build();
        ParticleState s = ParticleState.create(c, Seeds.forScene(1, 1));
        s.x[0] = 0;
        s.y[0] = 0;
        s.x[1] = 0.01; // |F| = 1e4, far over the clip
        s.y[1] = 0.001;
        s.kick();
        assertThat(Math.abs(s.vx[0])).isCloseTo(c.dt() * 100, within(1e-12));
        assertThat(Math.abs(s.vy[0])).isCloseTo(c.dt() * 100, within(1e-12));
    }

    @Test
    void aParticleCrossingAWallIsReflectedElastically() {
        SimConfig c = cfg(SimSystem.SPRINGS, 2).optEdgeProbability(0).build();
        ParticleState s = ParticleState.create(c, new SplittableRandom(1));
        s.x[0] = 4.9995;
        s.vx[0] = 1.0;
        s.y[0] = -4.9998;
        s.vy[0] = -0.5;
        s.drift();
        assertThat(s.x[0]).isCloseTo(4.9995, within(1e-12));
        assertThat(s.vx[0]).isEqualTo(-1.0);
        assertThat(s.y[0]).isCloseTo(-4.9997, within(1e-12));
        assertThat(s.vy[0]).isEqualTo(0.5);
    }

    @ParameterizedTest
    @EnumSource(value = SimSystem.class, names = {"SPRINGS", "CHARGED"})
    void fusedStepsEqualDriftThenKickBitForBit(SimSystem system) {
        SimConfig c = cfg(system, 6).optBoxSize(1.0).optLocStd(0.3).optVelNorm(3.0).build();
        ParticleState fused = ParticleState.create(c, Seeds.forScene(4, 4));
        ParticleState plain = ParticleState.create(c, Seeds.forScene(4, 4));
        fused.driftKick(3000);
        for (int k = 0; k < 3000; k++) {
            plain.drift();
            plain.kick();
        }
        assertThat(fused.x).isEqualTo(plain.x);
        assertThat(fused.y).isEqualTo(plain.y);
        assertThat(fused.vx).isEqualTo(plain.vx);
        assertThat(fused.vy).isEqualTo(plain.vy);
    }

    @ParameterizedTest
    @EnumSource(value = SimSystem.class, names = {"SPRINGS", "CHARGED"})
    void reflectionsKeepParticlesInTheBox(SimSystem system) {
        // Fast particles in a small box hit the walls many times.
        SimConfig c = cfg(system, 5).optBoxSize(1.0).optLocStd(0.3).optVelNorm(3.0).optLength(5000).optSampleFreq(10)
                .build();
        Simulator sim = Simulators.forConfig(c);
        int flips = 0;
        for (long i = 0; i < 20; i++) {
            Scene s = sim.simulate(9, i);
            double[] loc = s.locFlat();
            for (double v : loc) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(1.0);
            }
            double[] vel = s.velFlat();
            for (int k = 10; k < vel.length; k++) {
                flips += Math.signum(vel[k]) != Math.signum(vel[k - 10]) ? 1 : 0;
            }
        }
        assertThat(flips).isGreaterThan(100);
    }

    @Test
    void springsEnergyIsNearlyConservedWithoutWalls() {
        double coarse = maxRelativeEnergyDrift(1e-3, 20_000, 100);
        double fine = maxRelativeEnergyDrift(1e-4, 200_000, 1000);
        assertThat(fine).isLessThan(1e-4);
        // The integrator is first order in the recorded state: ten times smaller dt, about ten times smaller error.
        assertThat(fine).isLessThan(coarse / 5);
    }

    private static double maxRelativeEnergyDrift(double dt, int length, int freq) {
        SimConfig c = cfg(SimSystem.SPRINGS, 5).withoutWalls().optDt(dt).optLength(length).optSampleFreq(freq)
                .optEdgeProbability(1.0).optLocStd(1.0).build();
        double worst = 0;
        for (long i = 0; i < 5; i++) {
            Scene s = Simulators.forConfig(c).simulate(21, i);
            double[][][] loc = s.loc();
            double[][][] vel = s.vel();
            int[][] e = s.edges();
            double e0 = springEnergy(loc[0], vel[0], e);
            for (int t = 1; t < s.steps(); t++) {
                worst = Math.max(worst, Math.abs(springEnergy(loc[t], vel[t], e) - e0) / e0);
            }
        }
        return worst;
    }

    private static double springEnergy(double[][] loc, double[][] vel, int[][] e) {
        int n = e.length;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            energy += 0.5 * (vel[0][i] * vel[0][i] + vel[1][i] * vel[1][i]);
            for (int j = i + 1; j < n; j++) {
                double dx = loc[0][i] - loc[0][j];
                double dy = loc[1][i] - loc[1][j];
                energy += 0.5 * 0.1 * e[i][j] * (dx * dx + dy * dy);
            }
        }
        return energy;
    }

    @Test
    void springEdgesAreSymmetricWithZeroDiagonalAndAboutHalfConnected() {
        SimConfig c = cfg(SimSystem.SPRINGS, 5).optLength(200).build();
        Simulator sim = Simulators.forConfig(c);
        long connected = 0;
        long pairs = 0;
        for (long i = 0; i < 2000; i++) {
            int[][] e = sim.simulate(4, i).edges();
            for (int a = 0; a < 5; a++) {
                assertThat(e[a][a]).isZero();
                for (int b = a + 1; b < 5; b++) {
                    assertThat(e[a][b]).isEqualTo(e[b][a]).isIn(0, 1);
                    connected += e[a][b];
                    pairs++;
                }
            }
        }
        // 20000 pairs: the standard error of the fraction is 0.0035.
        assertThat((double) connected / pairs).isCloseTo(0.5, within(0.02));
    }

    @Test
    void chargedEdgesAreProductsOfCharges() {
        SimConfig c = cfg(SimSystem.CHARGED, 5).optLength(200).build();
        Simulator sim = Simulators.forConfig(c);
        long positive = 0;
        for (long i = 0; i < 1000; i++) {
            Scene s = sim.simulate(8, i);
            int[] q = s.charges();
            int[][] e = s.edges();
            int[] labels = s.edgeLabels();
            int k = 0;
            for (int a = 0; a < 5; a++) {
                assertThat(q[a]).isIn(-1, 1);
                positive += q[a] > 0 ? 1 : 0;
                for (int b = 0; b < 5; b++) {
                    assertThat(e[a][b]).isEqualTo(q[a] * q[b]);
                    if (a != b) {
                        assertThat(labels[k++]).isEqualTo(q[a] * q[b] > 0 ? 1 : 0);
                    }
                }
            }
        }
        assertThat(positive / 5000.0).isCloseTo(0.5, within(0.03));
    }

    @Test
    void edgeLabelsAreOffDiagonalRowMajor() {
        SimConfig c = cfg(SimSystem.KURAMOTO, 4).optLength(200).build();
        Scene s = Simulators.forConfig(c).simulate(2, 3);
        int[][] e = s.edges();
        int[] labels = s.edgeLabels();
        assertThat(labels).hasSize(12);
        int k = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (i != j) {
                    assertThat(labels[k++]).as("receiver %d sender %d", i, j).isEqualTo(e[i][j]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SimSystem.class)
    void scenesDependOnlyOnSeedAndIndex(SimSystem system) {
        SimConfig c = cfg(system, 4).optLength(1000).build();
        Scene a = Simulators.forConfig(c).simulate(42, 17);
        Scene b = Simulators.forConfig(c).simulate(42, 17);
        Scene other = Simulators.forConfig(c).simulate(42, 18);
        double[] fa = system.isParticles() ? a.locFlat() : a.featuresFlat();
        double[] fb = system.isParticles() ? b.locFlat() : b.featuresFlat();
        double[] fo = system.isParticles() ? other.locFlat() : other.featuresFlat();
        assertThat(fb).isEqualTo(fa);
        assertThat(b.edgesFlat()).isEqualTo(a.edgesFlat());
        assertThat(fo).isNotEqualTo(fa);
    }

    @Test
    void sceneStreamDrawsConsecutiveIndices() {
        Simulator sim = Simulators.forConfig(cfg(SimSystem.SPRINGS, 3).optLength(300).build());
        SceneStream scenes = sim.scenes(5);
        assertThat(scenes.next().locFlat()).isEqualTo(sim.simulate(5, 0).locFlat());
        assertThat(scenes.stream().limit(2).map(Scene::index)).containsExactly(1L, 2L);
    }

    @ParameterizedTest
    @EnumSource(value = SimSystem.class, names = {"SPRINGS", "CHARGED"})
    void liveSceneReplaysTheSimulationAndGoesOn(SimSystem system) {
        SimConfig c = cfg(system, 5).optLength(2000).build();
        Simulator sim = Simulators.forConfig(c);
        Scene scene = sim.simulate(3, 4);
        LiveScene live = sim.live(3, 4);
        assertThat(live.edges()).isEqualTo(scene.edges());
        assertThat(live.edgeLabels()).isEqualTo(scene.edgeLabels());
        double[][][] loc = scene.loc();
        double[][][] vel = scene.vel();
        for (int t = 0; t < scene.steps(); t++) {
            LiveScene.Frame f = live.next();
            assertThat(f.frame()).isEqualTo(t);
            assertThat(f.time()).isCloseTo((t + 1) * 0.1, within(1e-12));
            assertThat(f.loc()).isEqualTo(loc[t]);
            assertThat(f.vel()).isEqualTo(vel[t]);
        }
        double[] l = new double[10];
        double[] v = new double[10];
        for (int t = 0; t < 500; t++) {
            live.next(l, v);
            for (double x : l) {
                assertThat(Math.abs(x)).isLessThanOrEqualTo(5.0);
            }
        }
        assertThat(live.frames()).isEqualTo(scene.steps() + 500L);
    }

    @Test
    void noiseIsAddedOnlyWhenAsked() {
        SimConfig clean = cfg(SimSystem.SPRINGS, 3).optLength(1000).build();
        SimConfig noisy = clean.toBuilder().optNoiseStd(0.1).build();
        double[] a = Simulators.forConfig(clean).simulate(1, 1).locFlat();
        double[] b = Simulators.forConfig(noisy).simulate(1, 1).locFlat();
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
            sq += (a[i] - b[i]) * (a[i] - b[i]);
        }
        assertThat(Math.sqrt(sq / a.length)).isCloseTo(0.1, within(0.03));
    }
}
