package dev.nristream.model;

import java.nio.file.Path;
import java.util.List;

/**
 * The file layout of a dataset, as the NRI research code writes it: per split and suffix
 * {@code loc_<split><suffix>.npy} and {@code vel_...} (particles [sims, T, 2, N]; motion capture [segments, T, 3,
 * N], joints as atoms) or {@code feat_...} (Kuramoto, [sims, N, T, D]), {@code edges_...} ([sims, N, N]), and
 * beside them {@code dataset<suffix>.json}, the command that makes them again. The simulator's and the
 * motion-capture builder's writer and the trainer's reader all name files through this class.
 *
 * <pre>{@code
 * Path loc = DatasetLayout.file(dir, DatasetLayout.LOC, "train", "_springs5");   // dir/loc_train_springs5.npy
 * }</pre>
 */
public final class DatasetLayout {

    public static final String LOC = "loc";
    public static final String VEL = "vel";
    public static final String EDGES = "edges";
    public static final String FEAT = "feat";

    private DatasetLayout() {
    }

    /** {@code <kind>_<split><suffix>.npy} in {@code dir}. */
    public static Path file(Path dir, String kind, String split, String suffix) {
        return dir.resolve(kind + "_" + split + suffix + ".npy");
    }

    /** A particle split's files, in the order loc, vel, edges. */
    public static List<Path> particleFiles(Path dir, String split, String suffix) {
        return List.of(file(dir, LOC, split, suffix), file(dir, VEL, split, suffix), file(dir, EDGES, split, suffix));
    }

    /** How the particle files of a split are named, for messages. */
    public static String describeParticleFiles(String split, String suffix) {
        return LOC + "_/" + VEL + "_/" + EDGES + "_" + split + suffix + ".npy";
    }

    /**
     * The JSON file {@code ./nri simulate} writes beside the .npy files: the command that makes them again
     * ({@code reproduce}) and the frame rate of the recorded states ({@code sampling_rate_hz}).
     */
    public static String provenanceFileName(String suffix) {
        return "dataset" + suffix + ".json";
    }
}
