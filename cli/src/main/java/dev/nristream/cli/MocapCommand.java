package dev.nristream.cli;

import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.mocap.AsfSkeleton;
import dev.nristream.feed.mocap.MocapCsv;
import dev.nristream.feed.mocap.MocapFrameSource;
import dev.nristream.feed.mocap.MocapOptions;
import dev.nristream.feed.mocap.SkeletonEdge;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
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
 * }</pre>
 */
@Command(
        name = "mocap",
        mixinStandardHelpOptions = true,
        description = "CMU motion capture (ASF/AMC): joint positions by forward kinematics, the skeleton graph.",
        subcommands = {MocapCommand.Positions.class, MocapCommand.Edges.class})
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
