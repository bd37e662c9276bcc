package dev.nristream.cli;

import dev.nristream.feed.nba.ClevelandGameFile;
import dev.nristream.feed.nba.ClevelandTracking;
import dev.nristream.feed.nba.NbaDataset;
import dev.nristream.feed.nba.NbaDatasetSpec;
import dev.nristream.sim.DatasetProvenance;
import dev.nristream.sim.DatasetSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri nba}: NBA (SportVU) tracking tools.
 *
 * <pre>{@code
 * ./nri nba dataset --data ../shared/data/nba-tracking --out /root/nri-data/nba
 * ./nri nba game --out cle-test.json      # the real test plays as a SportVU game file
 * }</pre>
 */
@Command(
        name = "nba",
        mixinStandardHelpOptions = true,
        description = "NBA SportVU tracking: an NRI dataset of players and ball.",
        subcommands = {NbaCommand.Dataset.class, NbaCommand.Game.class})
public final class NbaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ./nri nba dataset}. */
    @Command(
            name = "dataset",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Write the Cleveland SportVU tracking (" + ClevelandTracking.FRAMES_FILE + " and "
                        + ClevelandTracking.PLAYS_FILE + ", 5 Hz, ten players and the ball) as an NRI dataset for "
                        + "./nri train: loc_/vel_/edges_{train,valid,test}<suffix>.npy in the simulators' layout with "
                        + "D = 2 (positions [segments, T, 2, N] in feet on the 94 x 50 ft court, origin at a corner, "
                        + "Cleveland's hoop at x = 0; velocities in ft/s, central differences; edges 1 between "
                        + "players of one team, a known structure to compare with, not a ground truth) and "
                        + "dataset<suffix>.json with the command that makes the same files again.",
                "",
                "Plays are split by time (the first --train-percent train, the next --valid-percent validate, the "
                        + "rest test), cut where a player jumps more than --max-step-ft between frames, and cut into "
                        + "segments of --segment steps (training segments every --train-hop steps, the others "
                        + "without overlap).",
                "",
                "Train with --atoms 11 --dims 4 --timesteps <segment> (models/README.md, nba).",
                ""
            })
    static final class Dataset implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true,
                description = "Folder with " + ClevelandTracking.FRAMES_FILE + " and " + ClevelandTracking.PLAYS_FILE
                        + " (../shared/data/nba-tracking).")
        Path data;

        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;

        @Option(names = "--segment", defaultValue = "" + NbaDatasetSpec.DEFAULT_SEGMENT,
                description = "Steps per segment at 5 Hz (default: ${DEFAULT-VALUE}, 5 s).")
        int segment;

        @Option(names = "--train-hop", defaultValue = "" + NbaDatasetSpec.DEFAULT_TRAIN_HOP,
                description = "Steps between training segments (default: ${DEFAULT-VALUE}).")
        int trainHop;

        @Option(names = "--train-percent", defaultValue = "" + NbaDatasetSpec.DEFAULT_TRAIN_PERCENT,
                description = "Share of the plays, the earliest, that train (default: ${DEFAULT-VALUE}).")
        int trainPercent;

        @Option(names = "--valid-percent", defaultValue = "" + NbaDatasetSpec.DEFAULT_VALID_PERCENT,
                description = "Share of the plays after those that validate; the rest test "
                        + "(default: ${DEFAULT-VALUE}).")
        int validPercent;

        @Option(names = "--max-step-ft", defaultValue = "" + NbaDatasetSpec.DEFAULT_MAX_STEP_FT,
                description = "A player moving further than this between two frames starts a new sequence "
                        + "(default: ${DEFAULT-VALUE}).")
        double maxStepFt;

        @Option(names = "--no-ball", description = "Write the ten players only (10 atoms instead of 11).")
        boolean noBall;

        @Option(names = "--suffix", defaultValue = NbaDatasetSpec.DEFAULT_SUFFIX,
                description = "File suffix (default: ${DEFAULT-VALUE}).")
        String suffix;

        @Override
        public Integer call() throws IOException {
            NbaDatasetSpec ds;
            try {
                ds = NbaDatasetSpec.builder().setDataDir(data).setOutDir(out).optSegment(segment)
                        .optTrainHop(trainHop).optSplitPercent(trainPercent, validPercent).optMaxStepFt(maxStepFt)
                        .optBall(!noBall).optSuffix(suffix).build();
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            NbaDataset.Summary summary = NbaDataset.write(ds);
            PrintWriter o = spec.commandLine().getOut();
            for (NbaDataset.SplitReport r : summary.splits()) {
                o.printf(Locale.ROOT, "  %-5s plays %3d-%3d (%3d): %3d sequences of >= %d steps, %2d cuts, %3d shorter "
                        + "pieces left out, %,6d frames, %,5d segments%n", r.split(), r.firstPlay(), r.lastPlay(),
                        r.plays(), r.sequences(), ds.segment(), r.cuts(), r.shortSequences(), r.framesUsed(),
                        r.segments());
            }
            for (DatasetSummary.WrittenFile f : summary.files()) {
                o.printf(Locale.ROOT, "  %-30s %s %s%n", f.path().getFileName(), f.header().dtype().descr(),
                        f.header().shapeString());
            }
            Path provenance = writeProvenance(ds, summary);
            o.printf(Locale.ROOT, "nba dataset: %s segments (train, valid, test) at %s Hz, %d agents, %.1f MB in %s in "
                    + "%.1f s; how to make them again: %s%n", summary.samples().values(), ClevelandTracking.RATE_HZ,
                    ds.atoms(), summary.bytes() / 1e6, summary.outDir(), summary.seconds(), provenance.getFileName());
            o.flush();
            return 0;
        }

        // Every flag that changes the bytes, defaults included (--out does not change them); --data as typed.
        private Path writeProvenance(NbaDatasetSpec ds, NbaDataset.Summary summary) throws IOException {
            String reproduce = String.format(Locale.ROOT, "./nri nba dataset --data %s --segment %d --train-hop %d "
                    + "--train-percent %d --valid-percent %d --max-step-ft %s%s --suffix %s", data, segment, trainHop,
                    trainPercent, validPercent, maxStepFt, noBall ? " --no-ball" : "", ds.suffix());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("system", "nba");
            m.put("atoms", ds.atoms());
            m.put("agents", summary.agents());
            m.put("teams", ClevelandTracking.TEAMS.subList(0, ds.atoms()));
            m.put("roles", ClevelandTracking.ROLES.subList(0, ds.atoms()));
            m.put("spatial_dims", 2);
            // SportVU frames are 3D (the ball's height); a model trained here reads their court plane (model.json)
            m.put("feed_dims", 3);
            m.put("units", "feet on the 94 x 50 ft court, origin at a corner, Cleveland's hoop at x = 0; velocities "
                    + "ft/s, central differences at 5 Hz");
            m.put("segment", ds.segment());
            m.put("splits", summary.splits());
            m.put("segments", summary.samples());
            m.put("bytes", summary.bytes());
            m.put("source", "SportVU 2015-16 tracking as exported by tufts-ml/team-dynamics-time-series (MIT), "
                    + "validation split: four Cleveland games (../shared/data/nba-tracking/README.md)");
            return DatasetProvenance.write(out, ds.suffix(), reproduce,
                    "./nri " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                    ClevelandTracking.RATE_HZ, m);
        }
    }

    /** {@code ./nri nba game}. */
    @Command(
            name = "game",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Write the real Cleveland tracking (" + ClevelandTracking.FRAMES_FILE + ") as a SportVU game file in "
                        + "the public format, for ./nri demo --scenario sportvu and ./nri replay sportvu (the real "
                        + "game file in ../shared/data/nba-tracking has no moments).",
                "",
                "It holds one split's plays (default: test, the plays models/nba was scored on and never trained "
                        + "on), each piece of a play (cut where a player jumps more than 10 ft between frames, as "
                        + "./nri nba dataset cuts) its own period so that the stream makes it a scene of its own. "
                        + "Moments are 200 ms apart (the source's 5 Hz), the ball first with its real height, then "
                        + "the ten players, Cleveland at home; feet on the 94 x 50 ft court, Cleveland's hoop at x = 0.",
                ""
            })
    static final class Game implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", defaultValue = "../shared/data/nba-tracking",
                description = "Folder with " + ClevelandTracking.FRAMES_FILE + " and " + ClevelandTracking.PLAYS_FILE
                        + " (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--out", required = true, description = "Game file to write (JSON).")
        Path out;

        @Option(names = "--split", defaultValue = "test",
                description = "train, valid or test: which plays of ./nri nba dataset's split (default: "
                        + "${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--start", defaultValue = "1453590000000", paramLabel = "UNIX_MS",
                description = "Unix time of the tracking's first frame, ms (default: ${DEFAULT-VALUE}, "
                        + "2016-01-23); a replay re-stamps times anyway.")
        long startUnixMs;

        @Override
        public Integer call() throws IOException {
            if (!java.nio.file.Files.isDirectory(data)) {
                throw new UserError("--data " + data + " is not a directory (the folder with "
                        + ClevelandTracking.FRAMES_FILE + ")");
            }
            ClevelandGameFile.Summary s;
            try {
                s = ClevelandGameFile.write(data, split, out, startUnixMs);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "nba game: the %s split, %d plays as %d scenes (periods), "
                    + "%,d moments at %s Hz, in %s; play it with ./nri demo --scenario sportvu %s%n", s.split(),
                    s.plays(), s.scenes(), s.moments(), ClevelandTracking.RATE_HZ, out, out);
            return 0;
        }
    }
}
