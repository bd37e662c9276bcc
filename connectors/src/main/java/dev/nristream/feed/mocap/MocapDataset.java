package dev.nristream.feed.mocap;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.io.NpyDType;
import dev.nristream.model.FiniteDifferences;
import dev.nristream.model.FrameGrid;
import dev.nristream.model.ModelGridResampler;
import dev.nristream.sim.DatasetSummary;
import dev.nristream.sim.ParticleSplitWriter;
import dev.nristream.sim.Segments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a CMU motion-capture subject as an NRI dataset in the particle layout the simulators use
 * ({@code loc_/vel_/edges_<split><suffix>.npy}, through {@link ParticleSplitWriter}): joints are the atoms, D = 3.
 *
 * <ul>
 *   <li>{@code loc}: the 31 joints' positions by forward kinematics, in metres, in the ASF frame (y up), float64
 *       {@code [segments, T, 3, 31]}, joints in {@link AsfSkeleton#jointNames()} order (root first).
 *   <li>{@code vel}: metres per second, {@link FiniteDifferences#central} on the resampled series of the whole
 *       trial (one-sided only at the trial's two ends), the rule the stream applies to feeds without velocities.
 *   <li>{@code edges}: the skeleton's parent-child graph, symmetric 0/1 {@code [segments, 31, 31]}, the same in
 *       every segment: a "known graph" to compare inferred graphs with, not a ground truth of interactions.
 * </ul>
 *
 * Each trial is put on the model's frame grid through {@link ModelGridResampler} (the resampling the stream's
 * windower does), once per phase of the subsampling, and cut into overlapping segments; {@link MocapDatasetSpec}
 * says why.
 *
 * <pre>{@code
 * MocapDataset.Summary s = MocapDataset.write(spec);
 * s.samples();          // {train=..., valid=..., test=...}
 * }</pre>
 */
public final class MocapDataset {

    /** How one trial contributed: native frames, grid steps of each phase, segments written, phases too short. */
    public record TrialSegments(String split, String trial, int nativeFrames, int[] stepsPerPhase, int segments,
            int skippedPhases) {
    }

    /**
     * What was written.
     *
     * @param samples segments per split, in train, valid, test order
     */
    public record Summary(Path outDir, List<DatasetSummary.WrittenFile> files, List<TrialSegments> trials,
            Map<String, Integer> samples, List<String> joints, double seconds) {

        public long bytes() {
            return files.stream().mapToLong(DatasetSummary.WrittenFile::bytes).sum();
        }
    }

    /** One trial's joint positions at the native rate: times (ms) and {@code [frame][3][joint]} metres. */
    record Recording(String trial, long[] timesMs, double[][][] positions) {
    }

    private MocapDataset() {
    }

    /**
     * Reads every trial of the spec, then writes the three splits and returns what was written.
     *
     * @throws IllegalArgumentException naming a missing or unusable trial file, or a split left without segments
     */
    public static Summary write(MocapDatasetSpec spec) throws IOException {
        long start = System.nanoTime();
        AsfSkeleton skeleton = AsfSkeleton.parse(spec.asf());
        List<String> joints = skeleton.jointNames();
        // Every trial is checked before anything is written: a missing file late in the list must not leave half a
        // dataset behind.
        for (List<String> trials : spec.splits().values()) {
            for (String t : trials) {
                Path amc = spec.amc(t);
                if (!Files.isRegularFile(amc)) {
                    throw new IllegalArgumentException("trial " + t + ": no such file " + amc
                            + " (list only trials present in " + spec.dataDir() + ")");
                }
            }
        }
        prepareOutDir(spec.outDir());
        int[] edges = skeletonAdjacency(skeleton);
        List<DatasetSummary.WrittenFile> files = new ArrayList<>();
        List<TrialSegments> report = new ArrayList<>();
        Map<String, Integer> samples = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> split : spec.splits().entrySet()) {
            String name = split.getKey();
            int steps = spec.segment(name);
            List<double[]> locs = new ArrayList<>();
            List<double[]> vels = new ArrayList<>();
            for (String trial : split.getValue()) {
                Recording rec = read(skeleton, spec.amc(trial), trial);
                int[] phaseSteps = new int[spec.stride()];
                int before = locs.size();
                int skipped = 0;
                for (int phase = 0; phase < spec.stride(); phase++) {
                    double[][][] grid = resample(rec, phase, spec.samplingRateHz());
                    phaseSteps[phase] = grid.length;
                    if (grid.length < steps) {
                        skipped++;
                        continue;
                    }
                    double[][][] vel = FiniteDifferences.central(grid, 1.0 / spec.samplingRateHz());
                    for (int from : Segments.starts(grid.length, steps, spec.hop(name))) {
                        locs.add(Segments.flatten(grid, from, steps));
                        vels.add(Segments.flatten(vel, from, steps));
                    }
                }
                report.add(new TrialSegments(name, trial, rec.timesMs().length, phaseSteps, locs.size() - before,
                        skipped));
            }
            if (locs.isEmpty()) {
                throw new IllegalArgumentException("split " + name + " has no segment: its trials " + split.getValue()
                        + " are all shorter than " + steps + " steps at " + spec.fps() + " Hz");
            }
            ParticleSplitWriter w = ParticleSplitWriter.open(spec.outDir(), name, spec.suffix(), locs.size(), steps, 3,
                    joints.size(), NpyDType.FLOAT64);
            try (w) {
                for (int i = 0; i < locs.size(); i++) {
                    w.write(locs.get(i), vels.get(i), edges);
                }
            }
            files.addAll(w.files());
            samples.put(name, locs.size());
        }
        return new Summary(spec.outDir(), files, report, samples, joints, (System.nanoTime() - start) / 1e9);
    }

    /** A trial's frames at the native rate, in metres; an unusable file is an error naming it. */
    static Recording read(AsfSkeleton skeleton, Path amc, String trial) throws IOException {
        FeedProblems problems = FeedProblems.silent();
        List<Long> times = new ArrayList<>();
        List<double[][]> pos = new ArrayList<>();
        int n = skeleton.jointNames().size();
        try (MocapFrameSource src = MocapFrameSource.open(skeleton, amc, MocapOptions.defaults().withMetres(true),
                problems)) {
            while (src.hasNext()) {
                PositionFrame f = src.next();
                double[][] p = new double[3][n];
                List<Agent> agents = f.getAgents();
                for (int j = 0; j < n; j++) {
                    Agent a = agents.get(j);
                    p[0][j] = a.getX();
                    p[1][j] = a.getY();
                    p[2][j] = a.getZ();
                }
                times.add(f.getEventTimeMs());
                pos.add(p);
            }
        }
        if (problems.problemCount() > 0) {
            throw new IllegalArgumentException("trial " + trial + " (" + amc + ") is not clean: "
                    + problems.summary().replace(System.lineSeparator(), "; ")
                    + "; training data is made from complete trials only");
        }
        if (times.size() < 2) {
            throw new IllegalArgumentException("trial " + trial + " (" + amc + ") has " + times.size()
                    + " frame(s); a trial needs at least two");
        }
        return new Recording(trial, times.stream().mapToLong(Long::longValue).toArray(),
                pos.toArray(new double[0][][]));
    }

    /**
     * The recording on the grid of {@code rateHz} anchored at native frame {@code phase}, through
     * {@link ModelGridResampler} (the resampling the trainer's dataset path and the stream share).
     *
     * @return {@code [step][3][joint]}
     * @throws IllegalArgumentException when a grid step falls in a gap of the recording
     */
    static double[][][] resample(Recording rec, int phase, double rateHz) {
        long[] t = rec.timesMs();
        if (phase >= t.length) {
            return new double[0][][];
        }
        FrameGrid grid = new FrameGrid(1000.0 / rateHz);
        double[][][] out = new ModelGridResampler(grid).resample(Arrays.copyOfRange(t, phase, t.length),
                Arrays.copyOfRange(rec.positions(), phase, t.length), null).loc();
        for (int k = 0; k < out.length; k++) {
            if (Double.isNaN(out[k][0][0])) {
                throw new IllegalArgumentException("trial " + rec.trial() + ": no frames around "
                        + grid.time(t[phase], k) + " ms (a gap longer than " + grid.maxInterpolationGapMs() + " ms)");
            }
        }
        return out;
    }

    /** The symmetric 0/1 adjacency of the ASF hierarchy, {@code [joint][joint]} flattened, joints in ASF order. */
    public static int[] skeletonAdjacency(AsfSkeleton skeleton) {
        List<String> joints = skeleton.jointNames();
        int n = joints.size();
        int[] a = new int[n * n];
        for (SkeletonEdge e : skeleton.edges()) {
            int p = joints.indexOf(e.parent());
            int c = joints.indexOf(e.child());
            a[p * n + c] = 1;
            a[c * n + p] = 1;
        }
        return a;
    }

    private static void prepareOutDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("output directory " + dir + " is not writable");
        }
    }
}
