package dev.nristream.feed.nba;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the real Cleveland tracking ({@link ClevelandTracking}) as a SportVU game file in the public format, so that
 * the SportVU feed ({@code ./nri replay sportvu}, {@code ./nri demo --scenario sportvu}) can play real basketball:
 * the one real game file of {@code ../shared/data/nba-tracking/} has no moments.
 *
 * <p>What the file holds, and why:
 * <ul>
 *   <li>The plays of one split of {@link NbaDataset} (default: test, the plays models/nba was scored on and never
 *       trained on), cut where a player jumps more than {@code max-step-ft} as the dataset cuts them.</li>
 *   <li>Each piece of a play is its own period, so the stream sees each as a scene of its own ({@code <game>-p<n>}):
 *       the source turns the court so that Cleveland's hoop is at x = 0 and its plays come from four games, so a
 *       window must never run from one piece into the next.</li>
 *   <li>Moments 200 ms apart (the source's 5 Hz; SportVU logs are 25 Hz, and the stream puts either on the model's
 *       grid by event time), unix times counted from {@code startUnixMs} by source frame, one event per piece.</li>
 *   <li>Rows: the ball ({@code [-1, -1, x, y, z]}, z its real height), then the ten players ({@code [team, player,
 *       x, y, 0]}), Cleveland's five as the home team. Feet on the 94 x 50 ft court, origin at a corner.</li>
 * </ul>
 *
 * <pre>{@code
 * ClevelandGameFile.Summary s = ClevelandGameFile.write(tracking, spec, "test", Path.of("cle-test.json"), t0);
 * s.moments();   // frames written
 * }</pre>
 */
public final class ClevelandGameFile {

    /** Team ids in the written file (Cleveland's real NBA id; the opponents vary by game, so one made-up id). */
    public static final long CLEVELAND_TEAM_ID = 1610612739L;
    public static final long OPPONENT_TEAM_ID = 1610600000L;
    /** Game id of the written file: the source's four games are one file. */
    public static final String GAME_ID = "cle4";
    private static final long FRAME_MS = Math.round(1000 / ClevelandTracking.RATE_HZ);

    /**
     * @param split the split written
     * @param plays plays of that split
     * @param scenes pieces written, each its own period (scene)
     * @param moments frames written
     */
    public record Summary(String split, int plays, int scenes, long moments) {
    }

    private ClevelandGameFile() {
    }

    /** Player id of agent {@code i} of {@link ClevelandTracking#AGENTS} (0-9). */
    public static long playerId(int i) {
        return 100 + i;
    }

    /**
     * Reads the tracking from {@code dataDir} ({@code ../shared/data/nba-tracking}) and writes {@code split} with the
     * dataset's default split percentages and cuts.
     */
    public static Summary write(Path dataDir, String split, Path out, long startUnixMs) throws IOException {
        ClevelandTracking t = ClevelandTracking.read(dataDir.resolve(ClevelandTracking.FRAMES_FILE),
                dataDir.resolve(ClevelandTracking.PLAYS_FILE));
        NbaDatasetSpec spec = NbaDatasetSpec.builder().setDataDir(dataDir)
                .setOutDir(out.toAbsolutePath().getParent()).build();
        return write(t, spec, split, out, startUnixMs);
    }

    /**
     * @param split {@code train}, {@code valid} or {@code test} (the split of {@link NbaDataset} with {@code spec}'s
     *     percentages)
     * @param startUnixMs unix time of the tracking's frame 0
     */
    public static Summary write(ClevelandTracking t, NbaDatasetSpec spec, String split, Path out, long startUnixMs)
            throws IOException {
        int s = NbaDataset.SPLITS.indexOf(split);
        if (s < 0) {
            throw new IllegalArgumentException("split must be one of " + NbaDataset.SPLITS + ", got " + split);
        }
        List<ClevelandTracking.Play> plays = NbaDataset.splitPlays(t.plays(), spec).get(s);
        int scenes = 0;
        long moments = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("{\"gameid\":\"" + GAME_ID + "\",\"gamedate\":\"2016-01-23\",\"events\":[");
            for (ClevelandTracking.Play play : plays) {
                for (int[] piece : NbaDataset.sequences(t, play, spec.maxStepFt())) {
                    if (piece[1] - piece[0] < 2) {
                        continue;
                    }
                    scenes++;
                    if (scenes > 1) {
                        w.write(',');
                    }
                    w.write("{\"eventId\":\"" + scenes + "\",\"home\":" + team("Cleveland", "CLE",
                            CLEVELAND_TEAM_ID, 0) + ",\"visitor\":" + team("Opponent", "OPP", OPPONENT_TEAM_ID, 5)
                            + ",\"moments\":[");
                    for (int f = piece[0]; f < piece[1]; f++) {
                        if (f > piece[0]) {
                            w.write(',');
                        }
                        w.write(moment(t, f, scenes, startUnixMs + f * FRAME_MS));
                        moments++;
                    }
                    w.write("]}");
                }
            }
            w.write("]}");
        }
        return new Summary(split, plays.size(), scenes, moments);
    }

    private static String team(String name, String abbreviation, long id, int first) {
        StringBuilder sb = new StringBuilder("{\"name\":\"" + name + "\",\"teamid\":" + id + ",\"abbreviation\":\""
                + abbreviation + "\",\"players\":[");
        for (int i = first; i < first + 5; i++) {
            String role = ClevelandTracking.ROLES.get(i);
            sb.append(i > first ? "," : "").append("{\"lastname\":\"").append(ClevelandTracking.AGENTS.get(i))
                    .append("\",\"firstname\":\"\",\"playerid\":").append(playerId(i)).append(",\"jersey\":\"")
                    .append(i).append("\",\"position\":\"").append(role.split(" ")[0]).append("\"}");
        }
        return sb.append("]}").toString();
    }

    private static String moment(ClevelandTracking t, int f, int period, long unixMs) {
        double[][] p = t.frame(f);
        StringBuilder sb = new StringBuilder(600);
        // [period, unix ms, game clock, shot clock, null, rows]; the clocks are not in the source
        sb.append('[').append(period).append(',').append(unixMs).append(",0.0,null,null,[");
        int ball = ClevelandTracking.PLAYERS;
        sb.append(String.format(Locale.ROOT, "[-1,-1,%.5f,%.5f,%.5f]", p[ball][0], p[ball][1], t.ballHeightFt(f)));
        for (int i = 0; i < ClevelandTracking.PLAYERS; i++) {
            sb.append(String.format(Locale.ROOT, ",[%d,%d,%.5f,%.5f,0.0]",
                    i < 5 ? CLEVELAND_TEAM_ID : OPPONENT_TEAM_ID, playerId(i), p[i][0], p[i][1]));
        }
        return sb.append("]]").toString();
    }
}
