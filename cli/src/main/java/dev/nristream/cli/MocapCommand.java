package dev.nristream.cli;

import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.mocap.AsfSkeleton;
import dev.nristream.feed.mocap.MocapCsv;
import dev.nristream.feed.mocap.MocapDataset;
import dev.nristream.feed.mocap.MocapDatasetSpec;
import dev.nristream.feed.mocap.MocapFrameSource;
import dev.nristream.feed.mocap.MocapOptions;
import dev.nristream.feed.mocap.SkeletonEdge;
import dev.nristream.sim.DatasetProvenance;
import dev.nristream.sim.DatasetSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri mocap}: CMU motion capture tools.
 *
 * <pre>{@code
 * ./nri mocap positions --asf 35.asf --amc 35_01.amc --out 35_01.csv --metres --fps 30
 * ./nri mocap edges --asf 35.asf
 * ./nri mocap dataset --data ../shared/data/cmu-mocap/subject35 --out /root/nri-data/mocap35
 * }</pre>
 */
@Command(
        name = "mocap",
        mixinStandardHelpOptions = true,
        description = "CMU motion capture (ASF/AMC): joint positions by forward kinematics, the skeleton graph, an NRI "
                + "dataset.",
        subcommands = {MocapCommand.Positions.class, MocapCommand.Edges.class, MocapCommand.Dataset.class})
public final class MocapCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ./nri mocap positions}. */
    @Command(
            name = "positions",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Write the 31 joints' 3D positions of a trial as CSV frame,joint,x,y,z: frame numbers as in the AMC,",
                "joints named as in the ASF, ASF length units unless --metres."
            })
    static final class Positions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--asf", required = true, description = "Skeleton file (.asf).")
        Path asf;

        @Option(names = "--amc", required = true, description = "Motion file (.amc).")
        Path amc;

        @Option(names = "--out", required = true, description = "Output CSV file.")
        Path out;

        @Option(names = "--metres", description = "Convert to metres (ASF unit x 0.0254 / length multiplier).")
        boolean metres;

        @Option(names = "--allow-partial",
                description = "Accept a truncated AMC: write the frames before the cut and exit 0.")
        boolean allowPartial;

        @Option(names = "--fps", defaultValue = "120",
                description = "Output frames per second, a divisor of 120 (default: ${DEFAULT-VALUE}).")
        int fps;

        @Override
        public Integer call() throws IOException {
            MocapOptions options = options(metres, fps);
            requireFile(asf, "--asf");
            requireFile(amc, "--amc");
            if (Files.isDirectory(out)) {
                throw new UserError("--out " + out + " is a directory; name the CSV file to write");
            }
            AsfSkeleton skeleton = AsfSkeleton.parse(asf);
            PrintWriter err = spec.commandLine().getErr();
            FeedProblems problems = FeedProblems.printingTo(err::println);
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            long frames;
            // Written beside the target and moved into place only when usable: no half-made CSV is left behind.
            Path part = out.resolveSibling(out.getFileName() + ".part");
            try {
                try (MocapFrameSource src = MocapFrameSource.open(skeleton, amc, options, problems);
                        Writer w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                    frames = MocapCsv.write(src, w);
                }
                UsableInput.require(amc + " with " + asf, frames, problems, allowPartial);
                Files.move(part, out, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "mocap positions: wrote %,d frames x %d joints (%s, %s Hz) to %s; %s%n", frames,
                    skeleton.jointNames().size(), metres ? "metres" : "ASF units", options.samplingRateHz(), out,
                    problems.summary().replace(System.lineSeparator(), ", "));
            return 0;
        }
    }

    /** {@code ./nri mocap edges}. */
    @Command(
            name = "edges",
            mixinStandardHelpOptions = true,
            description = "Print the skeleton's parent-child edges (CMU: 30) as CSV parent,child: the natural graph.")
    static final class Edges implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--asf", required = true, description = "Skeleton file (.asf).")
        Path asf;

        @Override
        public Integer call() throws IOException {
            requireFile(asf, "--asf");
            AsfSkeleton skeleton = AsfSkeleton.parse(asf);
            PrintWriter out = spec.commandLine().getOut();
            out.println("parent,child");
            for (SkeletonEdge e : skeleton.edges()) {
                out.println(e.parent() + "," + e.child());
            }
            out.flush();
            return 0;
        }
    }

    /** {@code ./nri mocap dataset}. */
    @Command(
            name = "dataset",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Write a CMU subject's trials as an NRI dataset for ./nri train: loc_/vel_/edges_{train,valid,test}"
                        + "<suffix>.npy in the simulators' layout with D = 3 (positions [segments, T, 3, 31] in metres, "
                        + "ASF frame, y up; velocities in m/s, central differences at the chosen rate, one-sided at a "
                        + "trial's ends; edges the symmetric ASF parent-child graph, a known graph to compare with, "
                        + "not a ground truth) and dataset<suffix>.json with the command that makes the same files "
                        + "again.",
                "",
                "Each trial is resampled to --fps from each of its first 120/fps frames (every phase a replay can "
                        + "start at) and cut into segments of --segment steps (--segment-test for test) starting every "
                        + "segment - window + 1 steps, plus one ending at the trial's end, so ./nri train --windows "
                        + "live draws windows of --window steps starting anywhere in a trial. A trial phase shorter "
                        + "than a segment gives none (listed).",
                "",
                "Train with --atoms 31 --dims 6 --timesteps <window> (models/README.md, mocap35).",
                ""
            })
    static final class Dataset implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true,
                description = "Folder with one <subject>.asf and its <subject>_NN.amc trials.")
        Path data;

        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;

        @Option(names = "--fps", defaultValue = "" + MocapDatasetSpec.DEFAULT_FPS,
                description = "Frames per second of the dataset, a divisor of 120. ${DEFAULT-VALUE} makes a 50-step "
                        + "window 1.67 s, a walking stride and a half (default: ${DEFAULT-VALUE}).")
        int fps;

        @Option(names = "--window", defaultValue = "" + MocapDatasetSpec.DEFAULT_WINDOW,
                description = "Encoder window the segments are cut for; train with --timesteps of this value "
                        + "(default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--segment", defaultValue = "" + MocapDatasetSpec.DEFAULT_SEGMENT,
                description = "Steps per train and valid segment, >= --window (default: ${DEFAULT-VALUE}).")
        int segment;

        @Option(names = "--segment-test", defaultValue = "" + MocapDatasetSpec.DEFAULT_SEGMENT_TEST,
                description = "Steps per test segment: the window plus the steps forecasts are scored over "
                        + "(default: ${DEFAULT-VALUE}).")
        int segmentTest;

        @Option(names = "--train", defaultValue = MocapDatasetSpec.DEFAULT_TRAIN,
                description = "Training trials (default: ${DEFAULT-VALUE}, the data README's split).")
        String train;

        @Option(names = "--valid", defaultValue = MocapDatasetSpec.DEFAULT_VALID,
                description = "Validation trials (default: ${DEFAULT-VALUE}).")
        String valid;

        @Option(names = "--test", defaultValue = MocapDatasetSpec.DEFAULT_TEST,
                description = "Test trials (default: ${DEFAULT-VALUE}).")
        String test;

        @Option(names = "--suffix", description = "File suffix (default: _mocap<subject>, e.g. _mocap35).")
        String suffix;

        @Override
        public Integer call() throws IOException {
            MocapDatasetSpec.Builder b = MocapDatasetSpec.builder().setDataDir(data).setOutDir(out).optFps(fps)
                    .optWindow(window).optSegment(segment).optSegmentTest(segmentTest).optTrials(train, valid, test);
            if (suffix != null) {
                b.optSuffix(suffix);
            }
            MocapDatasetSpec ds = b.build();
            MocapDataset.Summary summary = MocapDataset.write(ds);
            PrintWriter o = spec.commandLine().getOut();
            for (MocapDataset.TrialSegments t : summary.trials()) {
                o.printf(Locale.ROOT, "  %-5s trial %s: %3d frames at 120 Hz, %s steps per phase at %d Hz, %3d "
                        + "segments%s%n", t.split(), t.trial(), t.nativeFrames(), Arrays.toString(t.stepsPerPhase()),
                        ds.fps(), t.segments(), t.skippedPhases() == 0 ? ""
                                : " (" + t.skippedPhases() + " phase(s) shorter than " + ds.segment(t.split())
                                        + " steps skipped)");
            }
            for (DatasetSummary.WrittenFile f : summary.files()) {
                o.printf(Locale.ROOT, "  %-30s %s %s%n", f.path().getFileName(), f.header().dtype().descr(),
                        f.header().shapeString());
            }
            Path provenance = writeProvenance(ds, summary);
            o.printf(Locale.ROOT, "mocap dataset: %s segments (train, valid, test) of subject %s at %s Hz, %d joints, "
                    + "%.1f MB in %s in %.1f s; how to make them again: %s%n", summary.samples().values(),
                    ds.subject(), ds.samplingRateHz(), summary.joints().size(), summary.bytes() / 1e6,
                    summary.outDir(), summary.seconds(), provenance.getFileName());
            o.flush();
            return 0;
        }

        // Every flag that changes the bytes, defaults included, as ./nri simulate writes it (--out does not change
        // them); --data is kept as typed, so the line runs from the same directory.
        private Path writeProvenance(MocapDatasetSpec ds, MocapDataset.Summary summary) throws IOException {
            String reproduce = "./nri mocap dataset --data " + data + " --fps " + fps + " --window " + window
                    + " --segment " + segment + " --segment-test " + segmentTest + " --train " + train + " --valid "
                    + valid + " --test " + test + " --suffix " + ds.suffix();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("system", "mocap");
            m.put("subject", ds.subject());
            m.put("atoms", summary.joints().size());
            m.put("joints", summary.joints());
            m.put("spatial_dims", 3);
            m.put("units", "metres (ASF frame, y up); velocities m/s, central differences at the dataset rate");
            m.put("window", ds.window());
            m.put("trials", ds.splits());
            m.put("segments", summary.samples());
            m.put("bytes", summary.bytes());
            m.put("source", "CMU Graphics Lab Motion Capture Database, mocap.cs.cmu.edu (funded by NSF "
                    + "EIA-0196217)");
            return DatasetProvenance.write(out, ds.suffix(), reproduce,
                    "./nri " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                    ds.samplingRateHz(), m);
        }
    }

    /** Mocap options from the flags; {@code --fps} must be a positive divisor of 120. */
    static MocapOptions options(boolean metres, int fps) {
        if (fps <= 0 || MocapOptions.NATIVE_FPS % fps != 0) {
            throw new UserError("--fps must divide " + MocapOptions.NATIVE_FPS + " and be positive (1, 2, 3, 4, 5, 6, "
                    + "8, 10, 12, 15, 20, 24, 30, 40, 60 or 120), got " + fps);
        }
        return new MocapOptions(metres, fps == MocapOptions.NATIVE_FPS ? 0 : fps, null);
    }

    static void requireFile(Path p, String flag) throws NoSuchFileException {
        if (!Files.exists(p)) {
            throw new UserError(flag + ": no such file: " + p);
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UserError(flag + ": cannot read " + p + " (not a readable file)");
        }
    }
}
