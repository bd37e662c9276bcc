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
 * One split of a particle dataset in the research code's layout ({@code loc_<split><suffix>.npy} and {@code vel_...}
 * [sims, T, S, N] with S = 2 spatial dimensions for the simulations, 3 for motion capture, {@code edges_...}
 * [sims, N, N]), normalised and held in memory as float32 features [sims, N, T, 2S] in the contract's feature
 * layout ({@link ModelSpec#expectedLayout}: x, y, vx, vy or x, y, z, vx, vy, vz) with edge labels [sims, E] in the
 * contract's edge order.
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
    private final float[] features;
    private final int[] labels;
    private final Normaliser normalisation;

    NriDataset(String name, int sims, int atoms, int timesteps, int spatialDims, float[] features, int[] labels,
            Normaliser norm) {
        this.name = name;
        this.sims = sims;
        this.atoms = atoms;
        this.timesteps = timesteps;
        this.spatialDims = spatialDims;
        this.features = features;
        this.labels = labels;
        this.normalisation = norm;
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
        long[] es = edges.shape();
        if (es.length != 3 || es[0] != sims || es[1] != n || es[2] != n) {
            throw new IllegalArgumentException(f.get(2) + " has shape " + shape(es) + ", expected [" + sims + ", "
                    + n + ", " + n + "]");
        }
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
        double[] e = edges.asDoubles();
        int ne = n * (n - 1);
        int[] lab = new int[sims * ne];
        for (int s = 0; s < sims; s++) {
            int base = s * ne;
            int matrix = s * n * n;
            // The research code's mapping: springs 0/1 stay, charged -1/+1 become 0/1.
            EdgeOrder.forEach(n, (k, i, j) -> lab[base + k] = (int) Math.floor((e[matrix + i * n + j] + 1) / 2));
        }
        return new NriDataset(split + suffix, sims, n, t, sd, feat, lab, nz);
    }

    /** SHA-256 over the split's three files, in loc, vel, edges order. */
    public static String hash(Path dir, String split, String suffix) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (Path p : files(dir, split, suffix)) {
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

    /** S: 2 (x, y) or 3 (x, y, z). */
    public int spatialDims() {
        return spatialDims;
    }

    /** Features per atom and step, 2S: positions then velocities. */
    public int dims() {
        return 2 * spatialDims;
    }

    /** Names of the features in tensor order, as the exported model declares them. */
    public List<String> featureLayout() {
        return ModelSpec.expectedLayout(spatialDims);
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
