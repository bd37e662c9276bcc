package dev.nristream.sim;

import java.util.SplittableRandom;

/**
 * Kuramoto oscillators as in the NRI paper: natural frequencies omega_i ~ U[1, 10), initial phases ~ U[0, 2 pi),
 * couplings K_ij in {0, 1} with probability 0.5 (directed, or symmetric when asked), and
 * {@code d phi_i/dt = omega_i + sum_j K_ij sin(phi_j - phi_i)}, integrated with the adaptive Dormand-Prince solver
 * (rtol 1e-6, atol 1e-12, scipy's dopri5 defaults) onto an output grid of spacing dt = 0.01.
 *
 * <p>A run of length L with sample frequency f keeps S = L/f samples, every 10th grid point, so t covers
 * [0, S/10) (L 10000, f 100: 1000 grid points over [0, 10), 100 samples), and records the first S - 1. Features per
 * oscillator and sample, in the research code's order: d phi/dt (the forward difference over one grid step),
 * sin phi, phi (unless {@link SimConfig#kuramotoPhase()} is off) and omega. Normalised (the default, as the
 * research files): d phi/dt and phi scaled per oscillator to [-1, 1] over the S samples, d phi/dt set to 0 for an
 * oscillator nothing drives (its row of K is zero), omega mapped from [1, 10] to [-1, 1].
 *
 * <p>In the {@linkplain KuramotoForm#CIRCLE circle form} a scene is positions and velocities like a particle
 * system's: state k (k = 0 .. S - 2) is the oscillators at t = (k + 1) / 10 as points {@code (cos phi, sin phi)} on
 * the unit circle, moving at {@code d phi/dt (-sin phi, cos phi)} (the right-hand side at that instant, not a
 * difference). The phases are wrapped into [0, 2 pi) after every recorded state (the right-hand side is periodic, and
 * the solver's relative tolerance stays tight however long a live scene runs), and {@link #live} steps the same
 * states forever.
 */
final class KuramotoSimulator implements Simulator {
    /** Grid points per kept sample. */
    static final int SUBSAMPLE = 10;
    static final double RTOL = 1e-6;
    static final double ATOL = 1e-12;

    private final SimConfig cfg;

    KuramotoSimulator(SimConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public SimConfig config() {
        return cfg;
    }

    @Override
    public Scene simulate(long runSeed, long index) {
        SplittableRandom rng = Seeds.forScene(runSeed, index);
        Oscillators o = draw(rng);
        if (cfg.kuramotoForm() == KuramotoForm.CIRCLE) {
            return circleScene(runSeed, index, new CircleStepper(o, cfg.dt()), o.k(), rng);
        }
        int n = cfg.atoms();
        double[] omega = o.omega();
        double[] phi = o.phi();
        int[] k = o.k();

        int samples = cfg.length() / cfg.sampleFreq();
        double dt = cfg.dt();
        // phi at grid points 10 s and 10 s + 1 of every sample s: enough for the value and the forward difference.
        double[] at = new double[samples * n];
        double[] next = new double[samples * n];
        Coupled rhs = new Coupled(omega, k, n);
        DormandPrince solver = new DormandPrince(rhs, n, RTOL, ATOL);
        int gridPoint = 0;
        for (int s = 0; s < samples; s++) {
            int target = s * SUBSAMPLE;
            for (; gridPoint < target; gridPoint++) {
                solver.integrate(phi, gridPoint * dt, (gridPoint + 1) * dt);
            }
            System.arraycopy(phi, 0, at, s * n, n);
            solver.integrate(phi, gridPoint * dt, (gridPoint + 1) * dt);
            gridPoint++;
            System.arraycopy(phi, 0, next, s * n, n);
        }
        double[] features = features(omega, k, at, next, samples, n, dt);
        return new Scene(SimSystem.KURAMOTO, runSeed, index, n, samples - 1, cfg.featureDims(), null, null, features,
                k, null);
    }

    /** One scene's natural frequencies, initial phases and couplings {@code K [N][N]}, in the draw order. */
    private record Oscillators(double[] omega, double[] phi, int[] k) {
    }

    private Oscillators draw(SplittableRandom rng) {
        int n = cfg.atoms();
        double[] omega = new double[n];
        double[] phi = new double[n];
        for (int i = 0; i < n; i++) {
            omega[i] = 1.0 + 9.0 * rng.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            phi[i] = 2 * Math.PI * rng.nextDouble();
        }
        int[] k = couplings(rng, n);
        return new Oscillators(omega, phi, k);
    }

    private int[] couplings(SplittableRandom rng, int n) {
        int[] k = new int[n * n];
        double p = cfg.edgeProbability();
        if (cfg.symmetric()) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    int e = rng.nextDouble() < p ? 1 : 0;
                    k[i * n + j] = e;
                    k[j * n + i] = e;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int e = rng.nextDouble() < p ? 1 : 0;
                    k[i * n + j] = i == j ? 0 : e;
                }
            }
        }
        return k;
    }

    private double[] features(double[] omega, int[] k, double[] at, double[] next, int samples, int n, double dt) {
        int steps = samples - 1;
        int dims = cfg.featureDims();
        boolean normalise = cfg.kuramotoNormalized();
        double[] out = new double[n * steps * dims];
        double[] dphi = new double[samples];
        double[] phase = new double[samples];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < samples; s++) {
                phase[s] = at[s * n + i];
                dphi[s] = (next[s * n + i] - phase[s]) / dt;
            }
            boolean driven = false;
            for (int j = 0; j < n; j++) {
                driven |= k[i * n + j] != 0;
            }
            if (normalise) {
                if (driven) {
                    scaleToUnit(dphi);
                } else {
                    // Undriven: d phi/dt is the constant omega_i and has no range to scale (the reference zeroes it).
                    java.util.Arrays.fill(dphi, 0.0);
                }
            }
            double[] sinPhi = new double[samples];
            for (int s = 0; s < samples; s++) {
                sinPhi[s] = Math.sin(phase[s]);
            }
            if (normalise) {
                scaleToUnit(phase);
            }
            double w = normalise ? (omega[i] - 1.0) * 2 / (10.0 - 1.0) - 1.0 : omega[i];
            for (int s = 0; s < steps; s++) {
                int o = (i * steps + s) * dims;
                out[o] = dphi[s];
                out[o + 1] = sinPhi[s];
                if (dims == 4) {
                    out[o + 2] = phase[s];
                    out[o + 3] = w;
                } else {
                    out[o + 2] = w;
                }
            }
        }
        return out;
    }

    /** (v - min) * 2 / (max - min) - 1 over the whole series; a flat series becomes 0. */
    private static void scaleToUnit(double[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        double range = max - min;
        for (int s = 0; s < v.length; s++) {
            v[s] = range > 0 ? (v[s] - min) * 2 / range - 1 : 0.0;
        }
    }

    private Scene circleScene(long runSeed, long index, CircleStepper stepper, int[] k, SplittableRandom rng) {
        int n = cfg.atoms();
        int steps = cfg.recordedSteps();
        double[] loc = new double[steps * 2 * n];
        double[] vel = new double[steps * 2 * n];
        double[] l = new double[2 * n];
        double[] v = new double[2 * n];
        for (int t = 0; t < steps; t++) {
            stepper.next(l, v);
            System.arraycopy(l, 0, loc, t * 2 * n, 2 * n);
            System.arraycopy(v, 0, vel, t * 2 * n, 2 * n);
        }
        if (cfg.noiseStd() > 0) {
            for (int i = 0; i < loc.length; i++) {
                loc[i] += rng.nextGaussian() * cfg.noiseStd();
            }
            for (int i = 0; i < vel.length; i++) {
                vel[i] += rng.nextGaussian() * cfg.noiseStd();
            }
        }
        return new Scene(SimSystem.KURAMOTO, runSeed, index, n, steps, 4, loc, vel, null, k, null);
    }

    @Override
    public LiveScene live(long runSeed, long index) {
        if (cfg.kuramotoForm() != KuramotoForm.CIRCLE) {
            throw new UnsupportedOperationException("live stepping needs positions: Kuramoto's research features are "
                    + "normalised over a whole run; use the circle form (KuramotoForm.CIRCLE) or draw whole scenes "
                    + "with simulate() or scenes()");
        }
        SplittableRandom rng = Seeds.forScene(runSeed, index);
        Oscillators o = draw(rng);
        return new LiveScene(cfg, runSeed, index, o.k(), new CircleStepper(o, cfg.dt()), rng);
    }

    /** The circle form's states, one per call: {@link KuramotoSimulator#SUBSAMPLE} grid steps, then wrap. */
    private static final class CircleStepper implements LiveScene.Stepper {
        private final double[] phi;
        private final double[] dphi;
        private final Coupled rhs;
        private final DormandPrince solver;
        private final int n;
        private final double dt;
        private long gridPoint;

        CircleStepper(Oscillators o, double dt) {
            int n = o.phi().length;
            this.phi = o.phi().clone();
            this.dphi = new double[n];
            this.rhs = new Coupled(o.omega(), o.k(), n);
            this.solver = new DormandPrince(rhs, n, RTOL, ATOL);
            this.n = n;
            this.dt = dt;
        }

        @Override
        public void next(double[] loc, double[] vel) {
            for (int s = 0; s < SUBSAMPLE; s++, gridPoint++) {
                solver.integrate(phi, gridPoint * dt, (gridPoint + 1) * dt);
            }
            for (int i = 0; i < n; i++) {
                phi[i] -= 2 * Math.PI * Math.floor(phi[i] / (2 * Math.PI));
            }
            rhs.eval(gridPoint * dt, phi, dphi);
            for (int i = 0; i < n; i++) {
                double c = Math.cos(phi[i]);
                double sn = Math.sin(phi[i]);
                loc[i] = c;
                loc[n + i] = sn;
                vel[i] = -sn * dphi[i];
                vel[n + i] = c * dphi[i];
            }
        }
    }

    /** d phi_i/dt = omega_i + sum_j K_ij sin(phi_j - phi_i), each pair's sine computed once. */
    static final class Coupled implements DormandPrince.Derivative {
        private final double[] omega;
        private final int n;
        private final int[] pi;
        private final int[] pj;
        private final int[] kij;
        private final int[] kji;

        Coupled(double[] omega, int[] k, int n) {
            this.omega = omega;
            this.n = n;
            int count = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (k[i * n + j] != 0 || k[j * n + i] != 0) {
                        count++;
                    }
                }
            }
            pi = new int[count];
            pj = new int[count];
            kij = new int[count];
            kji = new int[count];
            int c = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (k[i * n + j] != 0 || k[j * n + i] != 0) {
                        pi[c] = i;
                        pj[c] = j;
                        kij[c] = k[i * n + j];
                        kji[c] = k[j * n + i];
                        c++;
                    }
                }
            }
        }

        @Override
        public void eval(double t, double[] phi, double[] d) {
            System.arraycopy(omega, 0, d, 0, n);
            for (int c = 0; c < pi.length; c++) {
                int i = pi[c];
                int j = pj[c];
                double s = Math.sin(phi[j] - phi[i]);
                d[i] += kij[c] * s;
                d[j] -= kji[c] * s;
            }
        }
    }
}
