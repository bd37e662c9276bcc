package dev.nristream.trainer.data;

import dev.nristream.io.Npy;
import dev.nristream.io.NpyArray;
import dev.nristream.model.DatasetLayout;
import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.Normaliser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One split of a dataset in the research code's layout, normalised and held in memory as float32 features
 * [sims, N, T, D] with edge labels [sims, E] in the contract's edge order. Two kinds:
 * <ul>
 *   <li>particles: {@code loc_<split><suffix>.npy} and {@code vel_...} [sims, T, S, N] with S = 2 spatial
 *   dimensions for the simulations, 3 for motion capture, {@code edges_...} [sims, N, N]; D = 2S features in the
 *   contract's layout ({@link ModelSpec#expectedLayout}: x, y, vx, vy or x, y, z, vx, vy, vz), positions and
 *   velocities each scaled by one global range;</li>
 *   <li>features (the Kuramoto oscillators): {@code feat_...} [sims, N, T, D] and {@code edges_...}; the layout
 *   {@link ModelSpec#oscillatorLayout}, each feature scaled by its own range (as the research code's Kuramoto
 *   loader). A directory holding {@code feat_} but no {@code loc_} file for the split is read this way.</li>
 * </ul>
 *
 * <pre>{@code
 * NriDataset train = NriDataset.load(dir, "train", "_springs5", null);          // computes the normalisation
 * NriDataset valid = NriDataset.load(dir, "valid", "_springs5", train.normalisation());
 * }</pre>
 */
public final class NriDataset {
    private final String name;
    private final int sims;
    private final int atoms;
    private final int timesteps;
    private final int spatialDims;
    private final List<String> layout;
    private final float[] features;
    private final int[] labels;
    private final Normaliser normalisation;

    NriDataset(String name, int sims, int atoms, int timesteps, int spatialDims, float[] features, int[] labels,
            Normaliser norm) {
        this(name, sims, atoms, timesteps, spatialDims, ModelSpec.expectedLayout(spatialDims), features, labels,
                norm);
    }

    private NriDataset(String name, int sims, int atoms, int timesteps, int spatialDims, List<String> layout,
            float[] features, int[] labels, Normaliser norm) {
        this.name = name;
        this.sims = sims;
        this.atoms = atoms;
        this.timesteps = timesteps;
        this.spatialDims = spatialDims;
        this.layout = layout;
        this.features = features;
        this.labels = labels;
        this.normalisation = norm;
    }

    /** Whether the split is stored as {@code feat_} features (Kuramoto) rather than {@code loc_}/{@code vel_}. */
    public static boolean isFeatureDataset(Path dir, String split, String suffix) {
        return Files.isRegularFile(DatasetLayout.file(dir, DatasetLayout.FEAT, split, suffix))
                && !Files.isRegularFile(DatasetLayout.file(dir, DatasetLayout.LOC, split, suffix));
    }

    /** Paths of the three files of a split. */
    public static List<Path> files(Path dir, String split, String suffix) {
        return DatasetLayout.particleFiles(dir, split, suffix);
    }

    /**
     * Loads and normalises a split.
     *
     * @param norm constants to apply, or null to compute them from this split (the training split)
     * @throws IllegalArgumentException when a file is missing or the shapes disagree, naming the file
     */
    public static NriDataset load(Path dir, String split, String suffix, Normaliser norm) throws IOException {
        if (isFeatureDataset(dir, split, suffix)) {
            return loadFeatures(dir, split, suffix, norm);
        }
        List<Path> f = files(dir, split, suffix);
        for (Path p : f) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("dataset file missing: " + p
                        + " (expected " + DatasetLayout.describeParticleFiles(split, suffix) + " in " + dir + ")");
            }
        }
        NpyArray loc = Npy.read(f.get(0));
        NpyArray vel = Npy.read(f.get(1));
        NpyArray edges = Npy.read(f.get(2));
        long[] ls = loc.shape();
        if (ls.length != 4 || (ls[2] != 2 && ls[2] != 3)) {
            throw new IllegalArgumentException(f.get(0) + " has shape " + shape(ls) + ", expected [sims, T, 2, N] "
                    + "(2D particles) or [sims, T, 3, N] (3D, motion capture)");
        }
        if (!java.util.Arrays.equals(ls, vel.shape())) {
            throw new IllegalArgumentException(f.get(1) + " has shape " + shape(vel.shape()) + " but " + f.get(0)
                    + " has " + shape(ls));
        }
        int sims = Math.toIntExact(ls[0]);
        int t = Math.toIntExact(ls[1]);
        int n = Math.toIntExact(ls[3]);
        int sd = Math.toIntExact(ls[2]);
        checkEdgeShape(f.get(2), edges, sims, n);
        double[] l = loc.asDoubles();
        double[] v = vel.asDoubles();
        DatasetValidator.check(f, l, v, edges.asDoubles(), sims, t, sd, n);
        Normaliser nz = norm != null ? norm : Normaliser.fromData(l, v);
        int d = 2 * sd;
        float[] feat = new float[sims * n * t * d];
        // [s, t, c, i] -> [s, i, t, c'], c' in ModelSpec.expectedLayout(sd) order: positions, then velocities
        for (int s = 0; s < sims; s++) {
            for (int ti = 0; ti < t; ti++) {
                for (int c = 0; c < sd; c++) {
                    int src = ((s * t + ti) * sd + c) * n;
                    for (int i = 0; i < n; i++) {
                        int dst = ((s * n + i) * t + ti) * d;
                        feat[dst + c] = (float) nz.loc(l[src + i]);
                        feat[dst + sd + c] = (float) nz.vel(v[src + i]);
                    }
                }
            }
        }
        return new NriDataset(split + suffix, sims, n, t, sd, feat, labels(edges.asDoubles(), sims, n), nz);
    }

    /**
     * A Kuramoto split: {@code feat_} [sims, N, T, D] (already the contract's [sims, N, T, D] order) and
     * {@code edges_} [sims, N, N] with K_ij in {0, 1} (oscillator j drives i: receiver i, sender j).
     */
    private static NriDataset loadFeatures(Path dir, String split, String suffix, Normaliser norm) throws IOException {
        Path featFile = DatasetLayout.file(dir, DatasetLayout.FEAT, split, suffix);
        Path edgesFile = DatasetLayout.file(dir, DatasetLayout.EDGES, split, suffix);
        if (!Files.isRegularFile(edgesFile)) {
            throw new IllegalArgumentException("dataset file missing: " + edgesFile + " (expected feat_/edges_"
                    + split + suffix + ".npy in " + dir + ")");
        }
        NpyArray featArray = Npy.read(featFile);
        NpyArray edges = Npy.read(edgesFile);
        long[] fs = featArray.shape();
        if (fs.length != 4 || (fs[3] != 3 && fs[3] != 4)) {
            throw new IllegalArgumentException(featFile + " has shape " + shape(fs) + ", expected [sims, N, T, 4] "
                    + "(Kuramoto: dphi_dt, sin_phi, phi, omega) or [sims, N, T, 3] (without phi)");
        }
        int sims = Math.toIntExact(fs[0]);
        int n = Math.toIntExact(fs[1]);
        int t = Math.toIntExact(fs[2]);
        int d = Math.toIntExact(fs[3]);
        checkEdgeShape(edgesFile, edges, sims, n);
        double[] raw = featArray.asDoubles();
        double[] e = edges.asDoubles();
        DatasetValidator.checkFeatures(featFile, raw, edgesFile, e, sims, n, t, d);
        Normaliser nz = norm != null ? norm : Normaliser.fromFeatures(raw, d);
        if (nz.featureCount() != d) {
            throw new IllegalArgumentException(featFile + " has " + d + " features per step but the normalisation "
                    + "given has " + (nz.isPerFeature() ? nz.featureCount() + " per-feature ranges"
                    : "position and velocity ranges (a particle model)"));
        }
        float[] feat = new float[raw.length];
        for (int k = 0; k < raw.length; k++) {
            feat[k] = (float) nz.feature(k % d, raw[k]);
        }
        return new NriDataset(split + suffix, sims, n, t, 0, ModelSpec.oscillatorLayout(d), feat,
                labels(e, sims, n), nz);
    }

    private static void checkEdgeShape(Path file, NpyArray edges, int sims, int n) {
        long[] es = edges.shape();
        if (es.length != 3 || es[0] != sims || es[1] != n || es[2] != n) {
            throw new IllegalArgumentException(file + " has shape " + shape(es) + ", expected [" + sims + ", "
                    + n + ", " + n + "]");
        }
    }

    /** Edge labels [sims, E] in the contract's order from [sims, N, N] matrices. */
    private static int[] labels(double[] e, int sims, int n) {
        int ne = n * (n - 1);
        int[] lab = new int[sims * ne];
        for (int s = 0; s < sims; s++) {
            int base = s * ne;
            int matrix = s * n * n;
            // The research code's mapping: springs and Kuramoto 0/1 stay, charged -1/+1 become 0/1.
            EdgeOrder.forEach(n, (k, i, j) -> lab[base + k] = (int) Math.floor((e[matrix + i * n + j] + 1) / 2));
        }
        return lab;
    }

    /** SHA-256 over the split's files, in loc, vel, edges order (features: feat, edges). */
    public static String hash(Path dir, String split, String suffix) throws IOException {
        List<Path> files = isFeatureDataset(dir, split, suffix)
                ? List.of(DatasetLayout.file(dir, DatasetLayout.FEAT, split, suffix),
                        DatasetLayout.file(dir, DatasetLayout.EDGES, split, suffix))
                : files(dir, split, suffix);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (Path p : files) {
                try (InputStream in = Files.newInputStream(p)) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        md.update(buf, 0, r);
                    }
                } catch (NoSuchFileException ex) {
                    throw new IllegalArgumentException("dataset file missing: " + p);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String shape(long[] s) {
        return java.util.Arrays.toString(s);
    }

    public String name() {
        return name;
    }

    public int size() {
        return sims;
    }

    public int atoms() {
        return atoms;
    }

    public int timesteps() {
        return timesteps;
    }

    /** S: 2 (x, y) or 3 (x, y, z); 0 for a feature dataset, which has no positions. */
    public int spatialDims() {
        return spatialDims;
    }

    /** Whether the features are positions and velocities (particles, motion capture) rather than oscillators'. */
    public boolean hasPositions() {
        return spatialDims > 0;
    }

    /** Features per atom and step, D: 2S for particles (positions then velocities), 3 or 4 for Kuramoto. */
    public int dims() {
        return layout.size();
    }

    /** Names of the features in tensor order, as the exported model declares them. */
    public List<String> featureLayout() {
        return layout;
    }

    public int edges() {
        return atoms * (atoms - 1);
    }

    public Normaliser normalisation() {
        return normalisation;
    }

    /** Normalised features [sims, N, T, 2S] (do not modify). */
    public float[] features() {
        return features;
    }

    /** Edge labels [sims, E] (do not modify). */
    public int[] labels() {
        return labels;
    }

    /**
     * Copies the given samples' features, restricted to time steps [from, from + length), into a
     * [B, N, length, 2S] buffer.
     */
    public float[] gather(int[] indices, int from, int length) {
        int[] starts = new int[indices.length];
        java.util.Arrays.fill(starts, from);
        return gather(indices, starts, length);
    }

    /**
     * Copies the given samples' features, sample b restricted to time steps [starts[b], starts[b] + length), into a
     * [B, N, length, 2S] buffer: windows at different scene ages in one batch.
     */
    public float[] gather(int[] indices, int[] starts, int length) {
        if (starts.length != indices.length) {
            throw new IllegalArgumentException(indices.length + " samples but " + starts.length + " window starts");
        }
        int d = dims();
        float[] out = new float[indices.length * atoms * length * d];
        int o = 0;
        for (int b = 0; b < indices.length; b++) {
            int from = starts[b];
            if (from < 0 || from + length > timesteps) {
                throw new IllegalArgumentException("time window [" + from + ", " + (from + length) + ") outside the "
                        + timesteps + " steps of " + name);
            }
            for (int i = 0; i < atoms; i++) {
                int src = ((indices[b] * atoms + i) * timesteps + from) * d;
                System.arraycopy(features, src, out, o, length * d);
                o += length * d;
            }
        }
        return out;
    }

    /** Copies the given samples' labels into a [B, E] buffer. */
    public int[] gatherLabels(int[] indices) {
        int ne = edges();
        int[] out = new int[indices.length * ne];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(labels, indices[b] * ne, out, b * ne, ne);
        }
        return out;
    }
}
