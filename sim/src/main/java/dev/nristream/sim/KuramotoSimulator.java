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

    @Override
    public LiveScene live(long runSeed, long index) {
        throw new UnsupportedOperationException("live stepping is for particle systems (springs, charged): Kuramoto "
                + "features are normalised over a whole window; draw whole scenes with simulate() or scenes()");
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
