package dev.nristream.cli;

import dev.nristream.feed.csv.CsvLayout;
import dev.nristream.feed.nba.ClevelandGameFile;
import dev.nristream.feed.nba.ClevelandTracking;
import dev.nristream.feed.csv.CsvOptions;
import dev.nristream.feed.mocap.MocapOptions;
import dev.nristream.feed.sportvu.SportVuLiveReader;
import dev.nristream.replay.Feeds;
import dev.nristream.replay.FrameSourceFactory;
import dev.nristream.sim.KuramotoForm;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri replay}: feeds into {@code tracking.positions} (or JSON lines with {@code --print}).
 *
 * <pre>{@code
 * ./nri replay sportvu game.json --speed 10 --loop
 * ./nri replay sportvu --live-port 7070
 * ./nri replay sportvu --cleveland ../shared/data/nba-tracking --loop   # real plays, scored by models/nba
 * ./nri replay mocap --dir ../shared/data/cmu-mocap/subject35 --fps 30 --metres
 * ./nri replay csv ../shared/data/nba-tracking/tor_starters_25hz_feet.csv --rate 25 --unit ft
 * ./nri replay sim --system springs --atoms 5 --scenes 4 --frames 1000 --print
 * ./nri replay csv game.csv --rate 25 --state game.replay   # Ctrl-C or killed, then:
 * ./nri replay csv game.csv --rate 25 --state game.replay --resume
 * }</pre>
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay a feed into Kafka (key = scene id, registry serde) or print it as JSON lines (--print).",
            "Bad input is reported (first few in full, then counted) and skipped; the summary counts it per kind."
        },
        subcommands = {ReplayCommand.SportVu.class, ReplayCommand.Mocap.class, ReplayCommand.Csv.class,
            ReplayCommand.Sim.class})
public final class ReplayCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ./nri replay sportvu}. */
    @Command(name = "sportvu", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "SportVU game files (one scene per game and period, e.g. 0021500659-p1), or a live feed of one JSON moment",
        "per line from stdin or TCP clients. Moments repeated by overlapping events are sent once."})
    static final class SportVu implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReplayFlags flags;

        @Parameters(arity = "0..*", paramLabel = "GAME.json", description = "Game files, replayed in order.")
        List<Path> games = new ArrayList<>();

        @Option(names = "--live-stdin", description = "Read moments from stdin, one JSON array per line.")
        boolean liveStdin;

        @Option(names = "--live-port", paramLabel = "N",
                description = "Listen on TCP port N for clients sending moments, one per line; with --loop keep "
                        + "accepting clients until stopped.")
        Integer livePort;

        @Option(names = "--cleveland", paramLabel = "DIR",
                description = "Replay the real Cleveland test plays of DIR (../shared/data/nba-tracking) as SportVU "
                        + "moments, as ./nri nba game writes them.")
        Path cleveland;

        @Option(names = "--game-id", defaultValue = "live",
                description = "Live feeds: game id for the scene ids <game>-p<period> (default: ${DEFAULT-VALUE}).")
        String gameId;

        @Override
        public Integer call() throws IOException {
            int modes = (games.isEmpty() ? 0 : 1) + (liveStdin ? 1 : 0) + (livePort != null ? 1 : 0)
                    + (cleveland != null ? 1 : 0);
            if (modes != 1) {
                throw new UserError("give game files, --cleveland DIR, --live-stdin or --live-port (exactly one)");
            }
            if (cleveland != null) {
                if (!Files.isRegularFile(cleveland.resolve(ClevelandTracking.FRAMES_FILE))) {
                    throw new UserError("--cleveland " + cleveland + " has no " + ClevelandTracking.FRAMES_FILE);
                }
                Path game = Files.createTempFile("nri-replay-cle-test-", ".json");
                game.toFile().deleteOnExit();
                ClevelandGameFile.Summary s = ClevelandGameFile.write(cleveland, "test", game,
                        System.currentTimeMillis());
                spec.commandLine().getErr().printf(Locale.ROOT, "replay sportvu: the real Cleveland test plays, %d "
                        + "scenes, %,d moments at %s Hz%n", s.scenes(), s.moments(), ClevelandTracking.RATE_HZ);
                spec.commandLine().getErr().flush();
                return ReplayRunner.run(spec, flags, Feeds.sportVu(List.of(game)), false);
            }
            if (liveStdin) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                FrameSourceFactory live = problems -> SportVuLiveReader.fromReader(in, "stdin", gameId, problems);
                return ReplayRunner.run(spec, flags, live, true);
            }
            if (livePort != null) {
                if (livePort < 0 || livePort > 65_535) {
                    throw new UserError("--live-port must be a TCP port (0-65535), got " + livePort);
                }
                boolean keep = flags.loop;
                FrameSourceFactory live = problems -> {
                    SportVuLiveReader r = SportVuLiveReader.listen(livePort, gameId, keep, problems);
                    spec.commandLine().getErr().println("replay sportvu: listening on port " + r.port());
                    spec.commandLine().getErr().flush();
                    return r;
                };
                return ReplayRunner.run(spec, flags, live, true);
            }
            return ReplayRunner.run(spec, flags, Feeds.sportVu(games), false);
        }
    }

    /** {@code ./nri replay mocap}. */
    @Command(name = "mocap", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "CMU ASF/AMC trials: 31 joints per frame by forward kinematics, one scene per trial (e.g. cmu-35_01),",
        "frame numbers as in the AMC."})
    static final class Mocap implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReplayFlags flags;

        @Option(names = "--asf", description = "Skeleton file (default with --dir: the directory's only .asf).")
        Path asf;

        @Option(names = "--amc", description = "Trial file; repeat for several trials, played in order.")
        List<Path> amcs = new ArrayList<>();

        @Option(names = "--dir", description = "A subject directory: every .amc with its .asf.")
        Path dir;

        @Option(names = "--metres", description = "Convert ASF units to metres.")
        boolean metres;

        @Option(names = "--fps", defaultValue = "120",
                description = "Frames per second, a divisor of 120 (default: ${DEFAULT-VALUE}).")
        int fps;

        @Override
        public Integer call() throws IOException {
            MocapOptions options = MocapCommand.options(metres, fps);
            if (dir != null && flags.scene != null) {
                throw new UserError("--scene with --dir would mix every trial in one scene");
            }
            FrameSourceFactory feed;
            if (dir != null && amcs.isEmpty() && asf == null) {
                feed = Feeds.mocapDirectory(dir, options);
            } else if (dir == null && asf != null && !amcs.isEmpty()) {
                if (flags.scene != null && amcs.size() > 1) {
                    throw new UserError("--scene with " + amcs.size() + " trials would mix them in one scene");
                }
                feed = Feeds.mocap(asf, amcs, options);
            } else {
                throw new UserError("give --dir DIR, or --asf FILE with one or more --amc FILE");
            }
            return ReplayRunner.run(spec, flags, feed, false);
        }
    }

    /** {@code ./nri replay csv}. */
    @Command(name = "csv", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "A positions CSV, wide (frame,p0_x,p0_y,...,ball_x,ball_y,ball_z) or long (frame,agent,x,y[,z]).",
        "Empty cells mean the agent is missing in that frame. Scene id: --scene, else csv-<file name>.",
        "Cleveland file in feet: --rate 5 --scale 94,50,1 --unit ft --origin corner --extent 94,50"})
    static final class Csv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReplayFlags flags;

        @Parameters(index = "0", paramLabel = "FILE.csv", description = "The CSV file (header line first).")
        Path file;

        @Option(names = "--rate", required = true, description = "Sampling rate of the rows in Hz.")
        double rate;

        @Option(names = "--layout", defaultValue = "wide", description = "wide or long (default: ${DEFAULT-VALUE}).")
        String layout;

        @Option(names = "--frame-column", defaultValue = "frame",
                description = "Frame number column; empty for none (default: ${DEFAULT-VALUE}).")
        String frameColumn;

        @Option(names = "--time-column", description = "Time column in seconds (gives the event times).")
        String timeColumn;

        @Option(names = "--agent-column", defaultValue = "agent",
                description = "Long layout: agent id column (default: ${DEFAULT-VALUE}).")
        String agentColumn;

        @Option(names = "--x-column", defaultValue = "x", description = "Long layout (default: ${DEFAULT-VALUE}).")
        String xColumn;

        @Option(names = "--y-column", defaultValue = "y", description = "Long layout (default: ${DEFAULT-VALUE}).")
        String yColumn;

        @Option(names = "--z-column", defaultValue = "z",
                description = "Long layout, used when present (default: ${DEFAULT-VALUE}).")
        String zColumn;

        @Option(names = "--scale", defaultValue = "1,1,1", split = ",",
                description = "Multipliers for x,y[,z] (default: ${DEFAULT-VALUE}).")
        List<Double> scale;

        @Option(names = "--unit", defaultValue = "unknown",
                description = "Length unit written into the frames: ft, m, unit, ... (default: ${DEFAULT-VALUE}).")
        String unit;

        @Option(names = "--origin", defaultValue = "unknown",
                description = "Where (0, 0) is: corner, center, ... (default: ${DEFAULT-VALUE}).")
        String origin;

        @Option(names = "--extent", split = ",", description = "Playing-area size per axis in the unit, e.g. 94,50.")
        List<Double> extent;

        @Override
        public Integer call() throws IOException {
            CsvLayout l;
            try {
                l = CsvLayout.valueOf(layout.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("--layout must be wide or long, got '" + layout + "'");
            }
            if (scale.size() < 2 || scale.size() > 3) {
                throw new UserError("--scale takes 2 or 3 numbers (x,y[,z]), got " + scale);
            }
            CsvOptions.Builder b = CsvOptions.builder(l, rate)
                    .withFrameColumn(frameColumn.isBlank() ? null : frameColumn)
                    .withTimeColumn(timeColumn)
                    .withAgentColumn(agentColumn)
                    .withXyzColumns(xColumn, yColumn, zColumn.isBlank() ? null : zColumn)
                    .withScale(scale.get(0), scale.get(1), scale.size() > 2 ? scale.get(2) : 1.0)
                    .withUnit(unit)
                    .withOrigin(origin);
            if (extent != null) {
                b.withExtent(extent.stream().mapToDouble(Double::doubleValue).toArray());
            }
            return ReplayRunner.run(spec, flags, Feeds.csv(file, b.build()), false);
        }
    }

    /** {@code ./nri replay sim}. */
    @Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "K simulated scenes streamed side by side with their ground-truth edges in every frame; one simulation",
        "time unit is one second (springs/charged/Kuramoto: 10 Hz). Runs until stopped or --frames."})
    static final class Sim implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReplayFlags flags;

        @Option(names = "--system", defaultValue = "springs",
                description = "springs, charged or kuramoto (default: ${DEFAULT-VALUE}).")
        String system;

        @Option(names = "--atoms", defaultValue = "5", description = "Agents per scene (default: ${DEFAULT-VALUE}).")
        int atoms;

        @Option(names = "--scenes", defaultValue = "1",
                description = "Concurrent scenes K (default: ${DEFAULT-VALUE}).")
        int scenes;

        @Option(names = "--frames", defaultValue = "0",
                description = "Frames per scene; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
        long frames;

        @Option(names = "--seed", defaultValue = "42", description = "Run seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--kuramoto-form", defaultValue = "circle", description = "Kuramoto: 'circle' (oscillators as "
                + "points on the unit circle with their velocities, what the stream job serves) or 'features' (whole "
                + "scenes of the research code's normalised features in x, y, vx, vy, which no shipped model serves) "
                + "(default: ${DEFAULT-VALUE}).")
        String kuramotoForm;

        @Override
        public Integer call() throws IOException {
            if (scenes < 1) {
                throw new UserError("--scenes must be at least 1, got " + scenes);
            }
            if (frames < 0) {
                throw new UserError("--frames must be >= 0, got " + frames);
            }
            SimSystem sys = SimSystem.parse(system);
            SimConfig.Builder b = SimConfig.builder().setSystem(sys).setAtoms(atoms);
            if (sys == SimSystem.KURAMOTO) {
                try {
                    b.optKuramotoForm(KuramotoForm.parse(kuramotoForm));
                } catch (IllegalArgumentException e) {
                    throw new UserError("--kuramoto-form: " + e.getMessage());
                }
            }
            SimConfig cfg = b.build();
            return ReplayRunner.run(spec, flags, Feeds.simulated(cfg, scenes, seed, frames, flags.originEpochMs()),
                    false);
        }
    }
}
