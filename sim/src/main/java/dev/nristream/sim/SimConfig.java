package dev.nristream.sim;

import java.util.Objects;

/**
 * Everything that defines one kind of simulation: the system, the number of atoms, the run length and sampling,
 * and the physics constants, defaulted to the reference setup of the NRI paper.
 *
 * <pre>{@code
 * SimConfig cfg = SimConfig.builder()
 *         .setSystem(SimSystem.SPRINGS)
 *         .setAtoms(5)
 *         .optLength(5000)        // integration steps
 *         .optSampleFreq(100)     // record every 100th step: 5000 / 100 - 1 = 49 states
 *         .build();
 * }</pre>
 *
 * <p>Defaults (see {@link Builder}): box half-width 5.0 with elastic walls, dt 0.001 (Kuramoto: output grid 0.01),
 * forces clipped to +-0.1/dt per component, initial speed 0.5, edge probability 0.5, no observation noise; springs
 * loc_std 0.5 and strength 0.1, charged loc_std 1.0 and strength 1.0; Kuramoto directed couplings, phase feature
 * included, features normalised as the research code writes them.
 *
 * <p>Kuramoto has two forms ({@link KuramotoForm}): the research code's normalised features, how the paper's tables
 * are reproduced, and points on the unit circle with their velocities, which a live feed can carry and the stream can
 * serve like any 2D particle system.
 */
public final class SimConfig {
    public static final int DEFAULT_LENGTH = 5000;
    public static final int DEFAULT_SAMPLE_FREQ = 100;
    public static final double DEFAULT_BOX_SIZE = 5.0;
    public static final double DEFAULT_DT = 0.001;
    public static final double DEFAULT_KURAMOTO_DT = 0.01;
    public static final double DEFAULT_VEL_NORM = 0.5;
    public static final double DEFAULT_EDGE_PROBABILITY = 0.5;

    private final SimSystem system;
    private final int atoms;
    private final int length;
    private final int sampleFreq;
    private final double dt;
    private final double boxSize;
    private final double maxForce;
    private final double locStd;
    private final double velNorm;
    private final double strength;
    private final double edgeProbability;
    private final double noiseStd;
    private final boolean symmetric;
    private final boolean kuramotoPhase;
    private final boolean kuramotoNormalized;
    private final KuramotoForm kuramotoForm;

    private SimConfig(Builder b) {
        system = b.system;
        atoms = b.atoms;
        length = b.length;
        sampleFreq = b.sampleFreq;
        dt = b.dt != null ? b.dt : system == SimSystem.KURAMOTO ? DEFAULT_KURAMOTO_DT : DEFAULT_DT;
        boxSize = b.boxSize;
        maxForce = b.maxForce != null ? b.maxForce : 0.1 / dt;
        locStd = b.locStd != null ? b.locStd : system == SimSystem.CHARGED ? 1.0 : 0.5;
        velNorm = b.velNorm;
        strength = b.strength != null ? b.strength : system == SimSystem.CHARGED ? 1.0 : 0.1;
        edgeProbability = b.edgeProbability;
        noiseStd = b.noiseStd;
        symmetric = b.symmetric;
        kuramotoPhase = b.kuramotoPhase;
        kuramotoNormalized = b.kuramotoNormalized;
        kuramotoForm = b.kuramotoForm;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's settings, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.system = system;
        b.atoms = atoms;
        b.length = length;
        b.sampleFreq = sampleFreq;
        b.dt = dt;
        b.boxSize = boxSize;
        b.maxForce = maxForce;
        b.locStd = locStd;
        b.velNorm = velNorm;
        b.strength = strength;
        b.edgeProbability = edgeProbability;
        b.noiseStd = noiseStd;
        b.symmetric = symmetric;
        b.kuramotoPhase = kuramotoPhase;
        b.kuramotoNormalized = kuramotoNormalized;
        b.kuramotoForm = kuramotoForm;
        return b;
    }

    public SimSystem system() {
        return system;
    }

    /** Number of particles or oscillators. */
    public int atoms() {
        return atoms;
    }

    /** Integration steps of one run (L). */
    public int length() {
        return length;
    }

    /** Every how many integration steps a state is recorded (f). */
    public int sampleFreq() {
        return sampleFreq;
    }

    /** States a run records: L / f - 1 (the state at step 0 is not recorded). */
    public int recordedSteps() {
        return length / sampleFreq - 1;
    }

    /** Integration step (particles) or output grid spacing of the adaptive solver (Kuramoto). */
    public double dt() {
        return dt;
    }

    /** Simulation time between two recorded states: dt * f for particles (0.1 by default). */
    public double frameInterval() {
        return system == SimSystem.KURAMOTO ? dt * KuramotoSimulator.SUBSAMPLE : dt * sampleFreq;
    }

    /**
     * Recorded states per second when one simulation time unit is one second, as the live feed and the exported
     * model take it (10 Hz by default); rounded to 1e-9 so 1 / 0.1 is 10, not 9.999999999999998.
     */
    public double samplingRateHz() {
        return Math.rint(1e9 / frameInterval()) / 1e9;
    }

    /** Half-width of the box; {@code +Infinity} means no walls. */
    public double boxSize() {
        return boxSize;
    }

    public boolean hasWalls() {
        return boxSize != Double.POSITIVE_INFINITY;
    }

    /** Each force component is clipped to +-maxForce (default 0.1 / dt). */
    public double maxForce() {
        return maxForce;
    }

    /** Standard deviation of the initial positions. */
    public double locStd() {
        return locStd;
    }

    /** Every particle's initial speed. */
    public double velNorm() {
        return velNorm;
    }

    /** Spring constant (springs) or Coulomb constant (charged). */
    public double strength() {
        return strength;
    }

    /** Probability of an edge (springs, Kuramoto) or of a positive charge (charged). */
    public double edgeProbability() {
        return edgeProbability;
    }

    /** Standard deviation of Gaussian noise added to recorded positions and velocities (0: none). */
    public double noiseStd() {
        return noiseStd;
    }

    /** Kuramoto: symmetric couplings (K_ij = K_ji); springs and charged are symmetric anyway. */
    public boolean symmetric() {
        return symmetric;
    }

    /** Kuramoto: whether the phase is one of the features (d phi/dt, sin phi, [phi], omega). */
    public boolean kuramotoPhase() {
        return kuramotoPhase;
    }

    /** Kuramoto: features normalised to [-1, 1] as the research code writes them, or raw. */
    public boolean kuramotoNormalized() {
        return kuramotoNormalized;
    }

    /** Kuramoto: research features or points on the unit circle. */
    public KuramotoForm kuramotoForm() {
        return kuramotoForm;
    }

    /**
     * Whether scenes have positions and velocities {@code [T][2][N]} (particles, Kuramoto on the unit circle) rather
     * than Kuramoto's research features; such scenes can also be stepped live ({@link Simulator#live}).
     */
    public boolean hasPositions() {
        return system.isParticles() || kuramotoForm == KuramotoForm.CIRCLE;
    }

    /** Kuramoto research features per oscillator and step (3 or 4); 4 (x, y, vx, vy) for positions. */
    public int featureDims() {
        return hasPositions() ? 4 : kuramotoPhase ? 4 : 3;
    }

    @Override
    public String toString() {
        return system.id() + " atoms=" + atoms + " length=" + length + " sampleFreq=" + sampleFreq + " dt=" + dt
                + " box=" + boxSize + " maxForce=" + maxForce + " locStd=" + locStd + " velNorm=" + velNorm
                + " strength=" + strength + " edgeProbability=" + edgeProbability + " noiseStd=" + noiseStd
                + (system == SimSystem.KURAMOTO ? " symmetric=" + symmetric + " form=" + kuramotoForm.id()
                        + (kuramotoForm == KuramotoForm.FEATURES ? " phase=" + kuramotoPhase + " normalized="
                                + kuramotoNormalized : "") : "");
    }

    /** Required: {@code setSystem}, {@code setAtoms}; everything else has the reference default. */
    public static final class Builder {
        private SimSystem system;
        private int atoms = -1;
        private int length = DEFAULT_LENGTH;
        private int sampleFreq = DEFAULT_SAMPLE_FREQ;
        private Double dt;
        private double boxSize = DEFAULT_BOX_SIZE;
        private Double maxForce;
        private Double locStd;
        private double velNorm = DEFAULT_VEL_NORM;
        private Double strength;
        private double edgeProbability = DEFAULT_EDGE_PROBABILITY;
        private double noiseStd;
        private boolean symmetric;
        private boolean kuramotoPhase = true;
        private boolean kuramotoNormalized = true;
        private KuramotoForm kuramotoForm = KuramotoForm.FEATURES;

        private Builder() {
        }

        public Builder setSystem(SimSystem system) {
            this.system = Objects.requireNonNull(system, "system");
            return this;
        }

        public Builder setAtoms(int atoms) {
            this.atoms = atoms;
            return this;
        }

        /** Integration steps L (default 5000). */
        public Builder optLength(int length) {
            this.length = length;
            return this;
        }

        /** Record every f-th step (default 100). */
        public Builder optSampleFreq(int sampleFreq) {
            this.sampleFreq = sampleFreq;
            return this;
        }

        /** Integration step (default 0.001; Kuramoto output grid 0.01). */
        public Builder optDt(double dt) {
            this.dt = dt;
            return this;
        }

        /** Box half-width (default 5.0). */
        public Builder optBoxSize(double boxSize) {
            this.boxSize = boxSize;
            return this;
        }

        /** Removes the walls: particles move freely (used to check energy conservation). */
        public Builder withoutWalls() {
            this.boxSize = Double.POSITIVE_INFINITY;
            return this;
        }

        /** Per-component force clip (default 0.1 / dt). */
        public Builder optMaxForce(double maxForce) {
            this.maxForce = maxForce;
            return this;
        }

        /** Initial position standard deviation (default springs 0.5, charged 1.0). */
        public Builder optLocStd(double locStd) {
            this.locStd = locStd;
            return this;
        }

        /** Initial speed of every particle (default 0.5). */
        public Builder optVelNorm(double velNorm) {
            this.velNorm = velNorm;
            return this;
        }

        /** Interaction strength (default springs 0.1, charged 1.0). */
        public Builder optStrength(double strength) {
            this.strength = strength;
            return this;
        }

        /** Edge probability (springs, Kuramoto) or positive-charge probability (charged); default 0.5. */
        public Builder optEdgeProbability(double p) {
            this.edgeProbability = p;
            return this;
        }

        /** Observation noise standard deviation (default 0). */
        public Builder optNoiseStd(double noiseStd) {
            this.noiseStd = noiseStd;
            return this;
        }

        /** Kuramoto: symmetric couplings (default directed). */
        public Builder optSymmetric(boolean symmetric) {
            this.symmetric = symmetric;
            return this;
        }

        /** Kuramoto: include the phase feature (default true, as the research files do). */
        public Builder optKuramotoPhase(boolean phase) {
            this.kuramotoPhase = phase;
            return this;
        }

        /** Kuramoto: normalise features to [-1, 1] as the research code does (default true). */
        public Builder optKuramotoNormalized(boolean normalized) {
            this.kuramotoNormalized = normalized;
            return this;
        }

        /** Kuramoto: research features (default) or points on the unit circle. */
        public Builder optKuramotoForm(KuramotoForm form) {
            this.kuramotoForm = Objects.requireNonNull(form, "form");
            return this;
        }

        /**
         * Checks every setting.
         *
         * @throws IllegalArgumentException naming the missing or invalid setting
         */
        public SimConfig build() {
            if (system == null) {
                throw new IllegalArgumentException("simulation config: system is not set (setSystem)");
            }
            if (atoms == -1) {
                throw new IllegalArgumentException("simulation config: atoms is not set (setAtoms)");
            }
            if (atoms < 2) {
                throw new IllegalArgumentException("atoms must be at least 2, got " + atoms);
            }
            if (sampleFreq < 1) {
                throw new IllegalArgumentException("sample frequency must be at least 1, got " + sampleFreq);
            }
            if (length <= sampleFreq) {
                throw new IllegalArgumentException("length (" + length + ") must be greater than the sample frequency ("
                        + sampleFreq + "): a run records length / sample frequency - 1 states");
            }
            if (length % sampleFreq != 0) {
                throw new IllegalArgumentException("length (" + length + ") must be a multiple of the sample frequency ("
                        + sampleFreq + ")");
            }
            positive("dt", dt == null ? 1 : dt);
            if (dt != null && !Double.isFinite(dt)) {
                throw new IllegalArgumentException("dt must be finite, got " + dt);
            }
            positive("box size", boxSize);
            if (maxForce != null) {
                positive("max force", maxForce);
            }
            nonNegative("loc std", locStd == null ? 0 : locStd);
            nonNegative("vel norm", velNorm);
            nonNegative("noise std", noiseStd);
            if (strength != null && !Double.isFinite(strength)) {
                throw new IllegalArgumentException("strength must be finite, got " + strength);
            }
            if (!(edgeProbability >= 0 && edgeProbability <= 1)) {
                throw new IllegalArgumentException("edge probability must be in [0, 1], got " + edgeProbability);
            }
            return new SimConfig(this);
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isNaN(v)) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
            }
        }
    }
}
