package dev.nristream.sim;

import dev.nristream.model.EdgeOrder;

/**
 * One simulation: the recorded trajectory and its interaction graph.
 *
 * <p>Particle systems have positions and velocities, {@code [T][2][N]} (step, x/y, atom), the layout of the research
 * files; Kuramoto scenes have features {@code [N][T][D]} instead (see {@link KuramotoSimulator}). The edge matrix is
 * {@code [N][N]} as the research code stores it: springs 0/1, symmetric, zero diagonal; charged {@code q_i * q_j}
 * (+1 repel, -1 attract; the diagonal holds {@code q_i^2 = 1} and is not an edge); Kuramoto {@code K_ij} in {0, 1}
 * where {@code j} drives {@code i}, zero diagonal. {@link #edgeLabels()} gives the training labels.
 *
 * <p>The arrays are held flat in C order ({@link #locFlat()} etc.) and copied on the nested accessors.
 */
public final class Scene {
    private final SimSystem system;
    private final long runSeed;
    private final long index;
    private final int atoms;
    private final int steps;
    private final int featureDims;
    private final double[] loc;
    private final double[] vel;
    private final double[] features;
    private final int[] edges;
    private final int[] charges;

    Scene(SimSystem system, long runSeed, long index, int atoms, int steps, int featureDims, double[] loc,
            double[] vel, double[] features, int[] edges, int[] charges) {
        this.system = system;
        this.runSeed = runSeed;
        this.index = index;
        this.atoms = atoms;
        this.steps = steps;
        this.featureDims = featureDims;
        this.loc = loc;
        this.vel = vel;
        this.features = features;
        this.edges = edges;
        this.charges = charges;
    }

    public SimSystem system() {
        return system;
    }

    public long runSeed() {
        return runSeed;
    }

    public long index() {
        return index;
    }

    public int atoms() {
        return atoms;
    }

    /** Recorded states T. */
    public int steps() {
        return steps;
    }

    /** Kuramoto: features per oscillator and step (3 or 4). */
    public int featureDims() {
        return featureDims;
    }

    /** Positions {@code [T][2][N]}; particle systems only. */
    public double[][][] loc() {
        return nest(requireParticles(loc), steps, 2, atoms);
    }

    /** Velocities {@code [T][2][N]}; particle systems only. */
    public double[][][] vel() {
        return nest(requireParticles(vel), steps, 2, atoms);
    }

    /** Kuramoto features {@code [N][T][D]}. */
    public double[][][] features() {
        if (features == null) {
            throw new UnsupportedOperationException(system.id() + " scenes have positions and velocities, not features");
        }
        return nest(features, atoms, steps, featureDims);
    }

    /** Positions, C order {@code [T][2][N]} (not a copy: do not modify); particle systems only. */
    public double[] locFlat() {
        return requireParticles(loc);
    }

    /** Velocities, C order {@code [T][2][N]} (not a copy); particle systems only. */
    public double[] velFlat() {
        return requireParticles(vel);
    }

    /** Kuramoto features, C order {@code [N][T][D]} (not a copy). */
    public double[] featuresFlat() {
        if (features == null) {
            throw new UnsupportedOperationException(system.id() + " scenes have positions and velocities, not features");
        }
        return features;
    }

    /** The edge matrix {@code [N][N]} (a copy). */
    public int[][] edges() {
        int[][] out = new int[atoms][atoms];
        for (int i = 0; i < atoms; i++) {
            System.arraycopy(edges, i * atoms, out[i], 0, atoms);
        }
        return out;
    }

    /** The edge matrix, C order (not a copy). */
    public int[] edgesFlat() {
        return edges;
    }

    /** Charged: each particle's charge (+1 or -1). */
    public int[] charges() {
        if (charges == null) {
            throw new UnsupportedOperationException(system.id() + " particles carry no charge");
        }
        return charges.clone();
    }

    /**
     * Edge type labels for training: the off-diagonal entries of the edge matrix in row-major order (receiver
     * {@code i} outer, sender {@code j} inner), N(N-1) of them; charged -1 becomes type 0 and +1 type 1.
     */
    public int[] edgeLabels() {
        return edgeLabels(system, atoms, edges);
    }

    static int[] edgeLabels(SimSystem system, int atoms, int[] edges) {
        int[] labels = EdgeOrder.offDiagonal(edges, 0, atoms);
        if (system == SimSystem.CHARGED) {
            for (int k = 0; k < labels.length; k++) {
                labels[k] = (labels[k] + 1) / 2;
            }
        }
        return labels;
    }

    private double[] requireParticles(double[] a) {
        if (a == null) {
            throw new UnsupportedOperationException("kuramoto scenes have features, not positions and velocities");
        }
        return a;
    }

    private static double[][][] nest(double[] flat, int a, int b, int c) {
        double[][][] out = new double[a][b][c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(flat, (i * b + j) * c, out[i][j], 0, c);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Scene[" + system.id() + " atoms=" + atoms + " steps=" + steps + " seed=" + runSeed + " index=" + index
                + "]";
    }
}
