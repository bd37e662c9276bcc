package dev.nristream.feed.nba;

import dev.nristream.io.NpyDType;
import dev.nristream.model.FiniteDifferences;
import dev.nristream.sim.DatasetSummary;
import dev.nristream.sim.ParticleSplitWriter;
import dev.nristream.sim.Segments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the Cleveland SportVU tracking as an NRI dataset in the particle layout the simulators use
 * ({@code loc_/vel_/edges_<split><suffix>.npy}, through {@link ParticleSplitWriter}): players (and the ball) are the
 * atoms, D = 2.
 *
 * <ul>
 *   <li>{@code loc}: feet on the 94 x 50 ft court, origin at a corner, Cleveland's hoop at x = 0, float64
 *       {@code [segments, T, 2, N]}, agents in {@link ClevelandTracking#AGENTS} order.
 *   <li>{@code vel}: feet per second, {@link FiniteDifferences#central} over the whole sequence the segment is cut
 *       from (one-sided only at the sequence's two ends): the stream's rule for feeds without velocities.
 *   <li>{@code edges}: 1 between two players of the same team, 0 otherwise (the ball has none): a known structure to
 *       compare the learned edge types with, not a ground truth of interactions.
 * </ul>
 *
 * <p>{@link NbaDatasetSpec} says how plays are split, cut and segmented, and why.
 *
 * <pre>{@code
 * NbaDataset.Summary s = NbaDataset.write(NbaDatasetSpec.builder().setDataDir(dir).setOutDir(out).build());
 * s.samples();   // {train=..., valid=..., test=...}
 * }</pre>
 */
public final class NbaDataset {
    public static final List<String> SPLITS = List.of("train", "valid", "test");

    /**
     * How a split was made.
     *
     * @param plays plays of the split (chronological, first and last play index)
     * @param sequences pieces of plays between cuts, at least one segment long
     * @param cuts impossible jumps the split's plays were cut at
     * @param shortSequences pieces shorter than a segment (their frames are not used)
     * @param framesUsed frames in at least one segment
     */
    public record SplitReport(String split, int plays, int firstPlay, int lastPlay, int sequences, int cuts,
            int shortSequences, int framesUsed, int segments) {
    }

    /** What was written. */
    public record Summary(Path outDir, List<DatasetSummary.WrittenFile> files, List<SplitReport> splits,
            Map<String, Integer> samples, List<String> agents, double seconds) {

        public long bytes() {
            return files.stream().mapToLong(DatasetSummary.WrittenFile::bytes).sum();
        }
    }

    private NbaDataset() {
    }

    /**
     * Reads the tracking, then writes the three splits.
     *
     * @throws IllegalArgumentException naming a missing or malformed input file, or a split left without segments
     */
    public static Summary write(NbaDatasetSpec spec) throws IOException {
        long start = System.nanoTime();
        Path frames = spec.dataDir().resolve(ClevelandTracking.FRAMES_FILE);
        Path plays = spec.dataDir().resolve(ClevelandTracking.PLAYS_FILE);
        for (Path p : List.of(frames, plays)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such file " + p + " (the data directory must hold "
                        + ClevelandTracking.FRAMES_FILE + " and " + ClevelandTracking.PLAYS_FILE + ")");
            }
        }
        ClevelandTracking tracking = ClevelandTracking.read(frames, plays);
        Files.createDirectories(spec.outDir());
        int atoms = spec.atoms();
        int steps = spec.segment();
        int[] edges = teamAdjacency(atoms);
        List<List<ClevelandTracking.Play>> bySplit = splitPlays(tracking.plays(), spec);
        List<DatasetSummary.WrittenFile> files = new ArrayList<>();
        List<SplitReport> reports = new ArrayList<>();
        Map<String, Integer> samples = new LinkedHashMap<>();
        double dt = 1.0 / ClevelandTracking.RATE_HZ;
        for (int s = 0; s < SPLITS.size(); s++) {
            String name = SPLITS.get(s);
            List<ClevelandTracking.Play> splitPlays = bySplit.get(s);
            List<double[]> locs = new ArrayList<>();
            List<double[]> vels = new ArrayList<>();
            int sequences = 0;
            int cuts = 0;
            int tooShort = 0;
            int framesUsed = 0;
            for (ClevelandTracking.Play play : splitPlays) {
                List<int[]> pieces = sequences(tracking, play, spec.maxStepFt());
                cuts += pieces.size() - 1;
                for (int[] piece : pieces) {
                    int length = piece[1] - piece[0];
                    if (length < steps) {
                        tooShort++;
                        continue;
                    }
                    sequences++;
                    framesUsed += length;
                    double[][][] pos = positions(tracking, piece[0], piece[1], atoms);
                    double[][][] vel = FiniteDifferences.central(pos, dt);
                    for (int from : Segments.starts(length, steps, spec.hop(name))) {
                        locs.add(Segments.flatten(pos, from, steps));
                        vels.add(Segments.flatten(vel, from, steps));
                    }
                }
            }
            if (locs.isEmpty()) {
                throw new IllegalArgumentException("split " + name + " has no segment: its " + splitPlays.size()
                        + " plays have no stretch of " + steps + " frames without a cut");
            }
            ParticleSplitWriter w = ParticleSplitWriter.open(spec.outDir(), name, spec.suffix(), locs.size(), steps,
                    2, atoms, NpyDType.FLOAT64);
            try (w) {
                for (int i = 0; i < locs.size(); i++) {
                    w.write(locs.get(i), vels.get(i), edges);
                }
            }
            files.addAll(w.files());
            samples.put(name, locs.size());
            reports.add(new SplitReport(name, splitPlays.size(), splitPlays.get(0).index(),
                    splitPlays.get(splitPlays.size() - 1).index(), sequences, cuts, tooShort, framesUsed,
                    locs.size()));
        }
        return new Summary(spec.outDir(), files, reports, samples,
                ClevelandTracking.AGENTS.subList(0, atoms), (System.nanoTime() - start) / 1e9);
    }

    /** The plays of each split, in time order: the first train-percent of them, then valid, then the rest. */
    static List<List<ClevelandTracking.Play>> splitPlays(List<ClevelandTracking.Play> plays, NbaDatasetSpec spec) {
        int n = plays.size();
        int train = (int) Math.round(n * spec.trainPercent() / 100.0);
        int valid = (int) Math.round(n * spec.validPercent() / 100.0);
        if (train < 1 || valid < 1 || train + valid >= n) {
            throw new IllegalArgumentException(n + " plays cannot be split " + spec.trainPercent() + "/"
                    + spec.validPercent() + "/rest with at least one play in each split");
        }
        return List.of(plays.subList(0, train), plays.subList(train, train + valid), plays.subList(train + valid, n));
    }

    /**
     * The pieces {@code [from, to)} of a play between impossible jumps: a new piece starts at every frame where a
     * player is more than {@code maxStepFt} from where they were one frame before.
     */
    static List<int[]> sequences(ClevelandTracking t, ClevelandTracking.Play play, double maxStepFt) {
        List<int[]> pieces = new ArrayList<>();
        int from = play.start();
        for (int i = play.start() + 1; i < play.stop(); i++) {
            if (maxPlayerStep(t.frame(i - 1), t.frame(i)) > maxStepFt) {
                pieces.add(new int[] {from, i});
                from = i;
            }
        }
        pieces.add(new int[] {from, play.stop()});
        return pieces;
    }

    static double maxPlayerStep(double[][] a, double[][] b) {
        double max = 0;
        for (int p = 0; p < ClevelandTracking.PLAYERS; p++) {
            max = Math.max(max, Math.hypot(b[p][0] - a[p][0], b[p][1] - a[p][1]));
        }
        return max;
    }

    /** 1 between two different agents of the same team; the ball belongs to none. */
    static int[] teamAdjacency(int atoms) {
        int[] a = new int[atoms * atoms];
        for (int i = 0; i < atoms; i++) {
            for (int j = 0; j < atoms; j++) {
                String ti = ClevelandTracking.TEAMS.get(i);
                if (i != j && !"ball".equals(ti) && ti.equals(ClevelandTracking.TEAMS.get(j))) {
                    a[i * atoms + j] = 1;
                }
            }
        }
        return a;
    }

    /** Frames {@code [from, to)} as {@code [step][axis][agent]}. */
    private static double[][][] positions(ClevelandTracking t, int from, int to, int atoms) {
        double[][][] out = new double[to - from][2][atoms];
        for (int s = from; s < to; s++) {
            double[][] f = t.frame(s);
            for (int a = 0; a < atoms; a++) {
                out[s - from][0][a] = f[a][0];
                out[s - from][1][a] = f[a][1];
            }
        }
        return out;
    }
}
