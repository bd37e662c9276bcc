package dev.nristream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.io.Npy;
import dev.nristream.io.Python;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parity with a straightforward vectorised numpy transcription of the reference integration loop (the issue's
 * facts: first kick, then drift, reflect, record every f-th step, clipped force, kick), started from the same
 * initial state. Skipped where python3 with numpy is not installed.
 */
class ReferenceParityTest {
    @TempDir
    Path tmp;

    private static final String REFERENCE = """
            import numpy as np, sys
            d, system, L, f = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
            loc, vel, e = np.load(d + '/loc0.npy'), np.load(d + '/vel0.npy'), np.load(d + '/edges.npy')
            dt, box = 0.001, 5.0
            max_f = 0.1 / dt
            def forces(loc):
                diff = loc[:, :, None] - loc[:, None, :]          # [2, N, N]: x_i - x_j
                if system == 'springs':
                    w = -0.1 * e
                else:
                    r2 = (diff ** 2).sum(0)
                    np.fill_diagonal(r2, 1.0)
                    w = 1.0 * e / r2 ** 1.5
                np.fill_diagonal(w, 0.0)
                return np.clip((w[None] * diff).sum(-1), -max_f, max_f)
            def reflect(loc, vel):
                over = loc > box
                loc[over] = 2 * box - loc[over]
                vel[over] = -np.abs(vel[over])
                under = loc < -box
                loc[under] = -2 * box - loc[under]
                vel[under] = np.abs(vel[under])
            vel = vel + dt * forces(loc)
            locs, vels = [], []
            for i in range(1, L):
                loc = loc + dt * vel
                reflect(loc, vel)
                if i % f == 0:
                    locs.append(loc.copy())
                    vels.append(vel.copy())
                vel = vel + dt * forces(loc)
            np.save(d + '/loc_ref.npy', np.stack(locs))
            np.save(d + '/vel_ref.npy', np.stack(vels))
            """;

    @ParameterizedTest
    @EnumSource(value = SimSystem.class, names = {"SPRINGS", "CHARGED"})
    void matchesTheReferenceLoop(SimSystem system) throws IOException {
        Python.requireNumpy();
        // Speeds of 3 make the particles hit the walls within the run.
        SimConfig cfg = SimConfig.builder().setSystem(system).setAtoms(5).optLength(3000).optVelNorm(3.0).build();
        for (long index = 0; index < 1; index++) {
            ParticleState init = ParticleState.create(cfg, Seeds.forScene(99, index));
            double[] loc0 = new double[10];
            double[] vel0 = new double[10];
            System.arraycopy(init.x, 0, loc0, 0, 5);
            System.arraycopy(init.y, 0, loc0, 5, 5);
            System.arraycopy(init.vx, 0, vel0, 0, 5);
            System.arraycopy(init.vy, 0, vel0, 5, 5);
            Npy.write(tmp.resolve("loc0.npy"), loc0, 2, 5);
            Npy.write(tmp.resolve("vel0.npy"), vel0, 2, 5);
            Npy.write(tmp.resolve("edges.npy"), java.util.Arrays.stream(init.edges).asDoubleStream().toArray(), 5, 5);
            Python.Result r = Python.run(REFERENCE, tmp.toString(), system.id(), "3000", "100");
            assertThat(r.exitCode()).as(r.output()).isZero();

            Scene scene = Simulators.forConfig(cfg).simulate(99, index);
            double[] refLoc = Npy.read(tmp.resolve("loc_ref.npy")).asDoubles();
            double[] refVel = Npy.read(tmp.resolve("vel_ref.npy")).asDoubles();
            assertThat(refLoc).hasSameSizeAs(scene.locFlat());
            double reach = 0;
            for (double v : refLoc) {
                reach = Math.max(reach, Math.abs(v));
            }
            assertThat(reach).as("some particle reached a wall").isGreaterThan(4.8);
            for (int k = 0; k < refLoc.length; k++) {
                assertThat(scene.locFlat()[k]).as("loc %d", k).isCloseTo(refLoc[k], within(1e-9));
                assertThat(scene.velFlat()[k]).as("vel %d", k).isCloseTo(refVel[k], within(1e-9));
            }
        }
    }

    private static final String KURAMOTO_REFERENCE = """
            import numpy as np, sys, warnings
            from scipy.integrate import ode
            warnings.simplefilter('ignore')
            d = sys.argv[1]
            w, y0, k = np.load(d + '/omega.npy'), np.load(d + '/phi0.npy'), np.load(d + '/k.npy')
            def rhs(t, y):
                return w + (k * np.sin(y[None, :] - y[:, None])).sum(1)   # sum_j K_ij sin(phi_j - phi_i)
            r = ode(rhs).set_integrator('dopri5')
            r.set_initial_value(y0, 0.0)
            t = np.arange(0, 10, 0.01)
            phi = np.empty((len(w), len(t)))
            phi[:, 0] = y0
            for i in range(1, len(t)):
                r.integrate(t[i])
                phi[:, i] = r.y
            def scale(v):
                lo, hi = v.min(1, keepdims=True), v.max(1, keepdims=True)
                return (v - lo) * 2 / (hi - lo) - 1
            dphi = scale(np.diff(phi)[:, ::10] / 0.01)
            dphi[k.sum(1) == 0] = 0
            sin = np.sin(phi[:, :-1])[:, ::10]
            phase = scale(phi[:, :-1][:, ::10])
            omega = np.repeat(((w - 1) * 2 / 9 - 1)[:, None], dphi.shape[1], 1)
            np.save(d + '/feat_ref.npy', np.stack([dphi, sin, phase, omega], -1)[:, :99])
            """;

    @org.junit.jupiter.api.Test
    void kuramotoMatchesScipysDormandPrince() throws IOException {
        Python.requireScipy();
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.KURAMOTO).setAtoms(5).optLength(10000).build();
        Scene raw = Simulators.forConfig(cfg.toBuilder().optKuramotoNormalized(false).build()).simulate(5, 11);
        Scene scene = Simulators.forConfig(cfg).simulate(5, 11);
        double[][][] f = raw.features();
        double[] omega = new double[5];
        double[] phi0 = new double[5];
        for (int i = 0; i < 5; i++) {
            omega[i] = f[i][0][3];
            phi0[i] = f[i][0][2];
        }
        Npy.write(tmp.resolve("omega.npy"), omega, 5);
        Npy.write(tmp.resolve("phi0.npy"), phi0, 5);
        Npy.write(tmp.resolve("k.npy"), java.util.Arrays.stream(scene.edgesFlat()).asDoubleStream().toArray(), 5, 5);
        Python.Result r = Python.run(KURAMOTO_REFERENCE, tmp.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        double[] ref = Npy.read(tmp.resolve("feat_ref.npy")).asDoubles();
        double[] ours = scene.featuresFlat();
        assertThat(ours).hasSameSizeAs(ref);
        double worst = 0;
        for (int k = 0; k < ref.length; k++) {
            worst = Math.max(worst, Math.abs(ours[k] - ref[k]));
        }
        // Both solvers are far inside their tolerance on this smooth problem (seen: 7e-13); the forward difference
        // over 0.01 and the rescaling would magnify a real discrepancy of the phases a hundredfold.
        assertThat(worst).isLessThan(1e-6);
    }
}
