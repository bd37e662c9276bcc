package dev.nristream.sim;

import dev.nristream.io.NpyDType;
import dev.nristream.io.NpyWriter;
import dev.nristream.model.DatasetLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams one split of a particle-layout dataset to disk: {@code loc_<split><suffix>.npy} and {@code vel_...}
 * float64 {@code [samples, T, D, N]} (D = 2 for the simulations, 3 for motion capture), {@code edges_...}
 * {@code [samples, N, N]}. The simulator's dataset generator and the motion-capture dataset builder both write
 * through this class, so every dataset the trainer reads has the same layout.
 *
 * <pre>{@code
 * try (ParticleSplitWriter w = ParticleSplitWriter.open(dir, "train", "_mocap35", 120, 60, 3, 31, NpyDType.FLOAT64)) {
 *     w.write(loc, vel, edges);     // any whole number of samples, flattened in file order
 * }
 * List<DatasetSummary.WrittenFile> files = w.files();
 * }</pre>
 *
 * The declared sample count is checked when the files are closed: a split that got fewer or more samples than its
 * header says is an error rather than a file NumPy cannot read.
 */
public final class ParticleSplitWriter implements AutoCloseable {
    private final NpyWriter loc;
    private final NpyWriter vel;
    private final NpyWriter edges;
    private final int perSample;
    private final int perEdges;
    private List<DatasetSummary.WrittenFile> files;

    private ParticleSplitWriter(NpyWriter loc, NpyWriter vel, NpyWriter edges, int perSample, int perEdges) {
        this.loc = loc;
        this.vel = vel;
        this.edges = edges;
        this.perSample = perSample;
        this.perEdges = perEdges;
    }

    /**
     * Creates the three files of a split.
     *
     * @param dims spatial dimensions D of loc and vel
     * @param edgeDtype float64 (the research code's springs/charged files) or int64
     */
    public static ParticleSplitWriter open(Path dir, String split, String suffix, int samples, int steps, int dims,
            int atoms, NpyDType edgeDtype) throws IOException {
        if (samples < 0 || steps < 1 || dims < 1 || atoms < 1) {
            throw new IllegalArgumentException("split " + split + ": need samples >= 0 and positive steps, dims and "
                    + "atoms, got " + samples + ", " + steps + ", " + dims + ", " + atoms);
        }
        List<NpyWriter> opened = new ArrayList<>();
        try {
            opened.add(NpyWriter.open(DatasetLayout.file(dir, DatasetLayout.LOC, split, suffix), NpyDType.FLOAT64,
                    samples, steps, dims, atoms));
            opened.add(NpyWriter.open(DatasetLayout.file(dir, DatasetLayout.VEL, split, suffix), NpyDType.FLOAT64,
                    samples, steps, dims, atoms));
            opened.add(NpyWriter.open(DatasetLayout.file(dir, DatasetLayout.EDGES, split, suffix), edgeDtype,
                    samples, atoms, atoms));
        } catch (IOException | RuntimeException e) {
            for (NpyWriter w : opened) {
                try {
                    w.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new ParticleSplitWriter(opened.get(0), opened.get(1), opened.get(2), steps * dims * atoms,
                atoms * atoms);
    }

    /**
     * Appends whole samples: {@code loc} and {@code vel} {@code [k, T, D, N]}, {@code edges} {@code [k, N, N]}.
     *
     * @throws IllegalArgumentException when the arrays do not hold the same whole number of samples
     */
    public void write(double[] locs, double[] vels, int[] edgeLabels) throws IOException {
        int k = locs.length / perSample;
        if (locs.length % perSample != 0 || vels.length != locs.length || edgeLabels.length != k * perEdges) {
            throw new IllegalArgumentException("not whole samples: loc " + locs.length + ", vel " + vels.length
                    + " values (" + perSample + " per sample), edges " + edgeLabels.length + " (" + perEdges
                    + " per sample)");
        }
        loc.writeDoubles(locs, 0, locs.length);
        vel.writeDoubles(vels, 0, vels.length);
        edges.writeInts(edgeLabels, 0, edgeLabels.length);
    }

    /** The files written, in loc, vel, edges order; available once closed. */
    public List<DatasetSummary.WrittenFile> files() {
        if (files == null) {
            throw new IllegalStateException("files are listed once the writer is closed");
        }
        return files;
    }

    @Override
    public void close() throws IOException {
        if (files != null) {
            return;
        }
        DatasetGenerator.closeAll(List.of(loc, vel, edges));
        List<DatasetSummary.WrittenFile> out = new ArrayList<>();
        for (NpyWriter w : List.of(loc, vel, edges)) {
            out.add(new DatasetSummary.WrittenFile(w.path(), w.header(), Files.size(w.path())));
        }
        files = List.copyOf(out);
    }
}
