package dev.nristream.sim;

import java.util.SplittableRandom;

/**
 * One simulation with positions (particles, Kuramoto on the unit circle) stepped forward a recorded frame at a
 * time, for as long as the caller wants: frame k is state k of {@link Simulator#simulate} for the same (run seed,
 * index) when there is no observation noise (with noise, the noise values differ but follow the same distribution).
 * Not thread-safe.
 *
 * <pre>{@code
 * LiveScene live = Simulators.forConfig(cfg).live(42, 0);
 * int[][] edges = live.edges();
 * double[] loc = new double[2 * live.atoms()], vel = new double[2 * live.atoms()];
 * while (running) {
 *     live.next(loc, vel);          // x of every atom, then y; no allocation
 *     double t = live.time();       // simulation time of the frame: 0.1, 0.2, ...
 * }
 * }</pre>
 */
public final class LiveScene {
    private final SimConfig cfg;
    private final long runSeed;
    private final long index;
    private final int[] edges;
    private final Stepper stepper;
    private final SplittableRandom noise;
    private final double[] loc;
    private final double[] vel;
    private long frames;

    /** Advances a simulation by one recorded frame and writes it, all x then all y. */
    interface Stepper {
        void next(double[] loc, double[] vel);
    }

    /**
     * @param edges the edge matrix {@code [N][N]} flattened, as {@link Scene#edgesFlat()}
     * @param stepper produces frame 0, 1, 2, ... on successive calls
     * @param noise draws the observation noise, when the configuration has any
     */
    LiveScene(SimConfig cfg, long runSeed, long index, int[] edges, Stepper stepper, SplittableRandom noise) {
        this.cfg = cfg;
        this.runSeed = runSeed;
        this.index = index;
        this.edges = edges;
        this.stepper = stepper;
        this.noise = noise;
        this.loc = new double[2 * cfg.atoms()];
        this.vel = new double[2 * cfg.atoms()];
    }

    public SimConfig config() {
        return cfg;
    }

    public long runSeed() {
        return runSeed;
    }

    public long index() {
        return index;
    }

    public int atoms() {
        return cfg.atoms();
    }

    /** The edge matrix {@code [N][N]}, as in {@link Scene#edges()}. */
    public int[][] edges() {
        int n = cfg.atoms();
        int[][] out = new int[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(edges, i * n, out[i], 0, n);
        }
        return out;
    }

    /** Training labels of the edges, as in {@link Scene#edgeLabels()}. */
    public int[] edgeLabels() {
        return Scene.edgeLabels(cfg.system(), cfg.atoms(), edges);
    }

    /** Frames produced so far. */
    public long frames() {
        return frames;
    }

    /** Simulation time of the last frame: frames * dt * f (0.1 per frame by default; 0 before the first). */
    public double time() {
        return frames * cfg.frameInterval();
    }

    /**
     * Advances one frame (f integration steps of a particle system, one recorded state of Kuramoto) and copies it
     * out: {@code loc} and {@code vel} of length 2N, all x then all y (the {@code [2][N]} layout flattened).
     */
    public void next(double[] locOut, double[] velOut) {
        int n = cfg.atoms();
        if (locOut.length < 2 * n || velOut.length < 2 * n) {
            throw new IllegalArgumentException("output arrays need length " + 2 * n);
        }
        stepper.next(locOut, velOut);
        if (cfg.noiseStd() > 0) {
            for (int i = 0; i < 2 * n; i++) {
                locOut[i] += noise.nextGaussian() * cfg.noiseStd();
            }
            for (int i = 0; i < 2 * n; i++) {
                velOut[i] += noise.nextGaussian() * cfg.noiseStd();
            }
        }
        frames++;
    }

    /** Advances one frame and returns it as new {@code [2][N]} arrays. */
    public Frame next() {
        next(loc, vel);
        int n = cfg.atoms();
        double[][] l = new double[2][n];
        double[][] v = new double[2][n];
        for (int d = 0; d < 2; d++) {
            System.arraycopy(loc, d * n, l[d], 0, n);
            System.arraycopy(vel, d * n, v[d], 0, n);
        }
        return new Frame(frames - 1, time(), l, v);
    }

    /**
     * One recorded state.
     *
     * @param frame 0-based frame number
     * @param time simulation time (one unit is one second on the live feed)
     * @param loc positions {@code [2][N]}
     * @param vel velocities {@code [2][N]}
     */
    public record Frame(long frame, double time, double[][] loc, double[][] vel) {
    }
}
