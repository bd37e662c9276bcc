package dev.nristream.feed.mocap;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.Coordinates;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.feed.ProblemKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Frames of one CMU trial (ASF + AMC): the 31 joints' 3D positions by forward kinematics. Frame indexes are the
 * AMC's frame numbers; event times are milliseconds since AMC frame 1 at the native 120 Hz, so a trial that starts
 * part-way in keeps its original timing. Joints are agents named as in the ASF, root first.
 *
 * <pre>{@code
 * AsfSkeleton skel = AsfSkeleton.parse(Path.of("35.asf"));
 * try (MocapFrameSource src = MocapFrameSource.open(skel, Path.of("35_01.amc"),
 *         MocapOptions.defaults().withFps(30), FeedProblems.printingTo(System.err::println))) {
 *     src.forEachRemaining(frame -> ...); // scene "cmu-35_01", 30 Hz
 * }
 * }</pre>
 */
public final class MocapFrameSource implements FrameSource {

    private final AmcReader reader;
    private final BufferedReader in;
    private final ForwardKinematics fk;
    private final FeedProblems problems;
    private final String source;
    private final String sceneId;
    private final MocapOptions options;
    private final List<String> names;
    private final String[] roles;
    private final CoordinateSystem coordinates;
    private final double[][] xyz;
    private long firstNumber = Long.MIN_VALUE;
    private long lastNumber = Long.MIN_VALUE;
    private PositionFrame next;
    private boolean done;

    private MocapFrameSource(AsfSkeleton skel, BufferedReader in, String source, String trial, MocapOptions options,
            FeedProblems problems) {
        this.in = in;
        this.source = source;
        this.problems = problems;
        this.options = options;
        this.reader = new AmcReader(skel, in, source, problems);
        this.fk = new ForwardKinematics(skel, options.metres() ? skel.metresPerUnit() : 1.0);
        this.sceneId = options.sceneId() != null ? options.sceneId() : "cmu-" + trial;
        this.names = skel.jointNames();
        this.roles = new String[names.size()];
        for (int i = 0; i < roles.length; i++) {
            roles[i] = i == 0 ? "root" : "bone";
        }
        this.coordinates = Coordinates.mocap(options.metres());
        this.xyz = new double[names.size()][3];
    }

    /**
     * Opens a trial.
     *
     * @throws java.nio.file.NoSuchFileException when the AMC file is missing
     */
    public static MocapFrameSource open(AsfSkeleton skel, Path amc, MocapOptions options, FeedProblems problems)
            throws IOException {
        BufferedReader in = Files.newBufferedReader(amc, StandardCharsets.ISO_8859_1);
        return new MocapFrameSource(skel, in, amc.toString(), trialName(amc), options, problems);
    }

    /** Reads AMC text from a reader (tests); {@code trial} names the scene. */
    public static MocapFrameSource of(AsfSkeleton skel, BufferedReader amc, String trial, MocapOptions options,
            FeedProblems problems) {
        return new MocapFrameSource(skel, amc, trial + ".amc", trial, options, problems);
    }

    /** "35_01" for ".../35_01.amc". */
    public static String trialName(Path amc) {
        String f = amc.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    public String sceneId() {
        return sceneId;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = advance();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public PositionFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PositionFrame f = next;
        next = null;
        return f;
    }

    private PositionFrame advance() {
        int stride = options.stride();
        AmcReader.AmcFrame f;
        while ((f = reader.next()) != null) {
            if (f.number() <= lastNumber) {
                problems.report(ProblemKind.OUT_OF_ORDER, source, "line " + f.line(),
                        "frame " + f.number() + " after frame " + lastNumber + "; skipped");
                continue;
            }
            lastNumber = f.number();
            if (firstNumber == Long.MIN_VALUE) {
                firstNumber = f.number();
            }
            if ((f.number() - firstNumber) % stride != 0) {
                continue;
            }
            return toFrame(f);
        }
        return null;
    }

    private PositionFrame toFrame(AmcReader.AmcFrame f) {
        fk.positions(f.values(), xyz);
        List<Agent> agents = new ArrayList<>(names.size());
        for (int j = 0; j < names.size(); j++) {
            agents.add(new Agent(names.get(j), null, roles[j], xyz[j][0], xyz[j][1], xyz[j][2], null, null, null));
        }
        long timeMs = Math.round((f.number() - 1) * 1000.0 / MocapOptions.NATIVE_FPS);
        return new PositionFrame(sceneId, SourceKind.MOCAP, f.number(), timeMs, options.samplingRateHz(),
                coordinates, agents, null, null);
    }

    @Override
    public FeedProblems problems() {
        return problems;
    }

    @Override
    public String description() {
        return source;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
