package dev.nristream.plot;

import dev.nristream.io.Npy;
import dev.nristream.io.NpyArray;
import dev.nristream.model.DatasetLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where to draw a motion-capture skeleton's joints and bones: the front view (x to the right, y up, as the dataset
 * builder keeps the ASF frame) of the split's first sample at its first frame, and the bones from
 * {@code edges_<split><suffix>.npy}, which holds the skeleton's parent-child graph as 1s.
 *
 * <pre>{@code
 * SkeletonLayout s = SkeletonLayout.read(dir, "test", "_mocap35");
 * }</pre>
 *
 * @param x horizontal position per joint
 * @param y vertical position per joint
 * @param bones symmetric: true where two joints share a bone
 */
public record SkeletonLayout(double[] x, double[] y, boolean[][] bones) {

    public static SkeletonLayout read(Path dir, String split, String suffix) {
        Path locFile = DatasetLayout.file(dir, DatasetLayout.LOC, split, suffix);
        Path edgesFile = DatasetLayout.file(dir, DatasetLayout.EDGES, split, suffix);
        NpyArray loc = load(locFile);
        NpyArray edges = load(edgesFile);
        long[] ls = loc.shape();
        if (ls.length != 4 || ls[0] < 1 || ls[1] < 1 || ls[2] < 2) {
            throw new IllegalArgumentException(locFile + " has shape " + java.util.Arrays.toString(ls)
                    + ", expected [samples >= 1, T, 2 or 3, N]");
        }
        int n = Math.toIntExact(ls[3]);
        long[] es = edges.shape();
        if (es.length != 3 || es[1] != n || es[2] != n) {
            throw new IllegalArgumentException(edgesFile + " has shape " + java.util.Arrays.toString(es)
                    + ", expected [samples, " + n + ", " + n + "]");
        }
        double[] l = loc.asDoubles();
        double[] e = edges.asDoubles();
        double[] x = new double[n];
        double[] y = new double[n];
        boolean[][] bones = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            // loc [sample, t, c, i]: sample 0, frame 0, c = 0 (x) and 1 (y)
            x[i] = l[i];
            y[i] = l[n + i];
            for (int j = 0; j < n; j++) {
                bones[i][j] = e[i * n + j] != 0 || e[j * n + i] != 0;
            }
        }
        return new SkeletonLayout(x, y, bones);
    }

    public int joints() {
        return x.length;
    }

    private static NpyArray load(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("dataset file missing: " + f);
        }
        try {
            return Npy.read(f);
        } catch (IOException ex) {
            throw new IllegalArgumentException("cannot read " + f + ": " + ex.getMessage(), ex);
        }
    }
}
