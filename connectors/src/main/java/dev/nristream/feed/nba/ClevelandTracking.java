package dev.nristream.feed.nba;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "Cleveland starters" SportVU tracking of {@code ../shared/data/nba-tracking/} (from the tufts-ml
 * team-dynamics-time-series export): 5 Hz frames of ten players and the ball, and the plays that cut them.
 *
 * <p>The source scales x and y to the unit square of a 94 x 50 ft court (origin at a corner, x along the sideline)
 * and turns the court by 180 degrees where needed so that Cleveland's own hoop is always the one at x = 0; this
 * reader gives feet in that same frame. Players 0-4 are Cleveland's starters (0 James, 1 Love, 2 the centre, 3 Smith, 4 the point guard),
 * 5-9 the opponents (5-6 forwards, 7 centre, 8-9 guards), as {@link #ROLES} lists. The ball's height is dropped: the
 * model is planar.
 *
 * <pre>{@code
 * ClevelandTracking t = ClevelandTracking.read(dir.resolve(ClevelandTracking.FRAMES_FILE),
 *         dir.resolve(ClevelandTracking.PLAYS_FILE));
 * double[][] p = t.frame(0);   // [11][2] feet: p0..p9, then the ball
 * }</pre>
 */
public final class ClevelandTracking {
    public static final String FRAMES_FILE = "cle_4games_5hz_players_ball.csv";
    public static final String PLAYS_FILE = "cle_4games_5hz_plays.csv";
    public static final double RATE_HZ = 5.0;
    public static final double COURT_LENGTH_FT = 94.0;
    public static final double COURT_WIDTH_FT = 50.0;
    public static final int PLAYERS = 10;
    /** Agent ids in tensor order: the players, then the ball. */
    public static final List<String> AGENTS = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9",
            "ball");
    /** Team of each agent in {@link #AGENTS} order ({@code CLE}, {@code OPP}, {@code ball}). */
    public static final List<String> TEAMS = List.of("CLE", "CLE", "CLE", "CLE", "CLE", "OPP", "OPP", "OPP", "OPP",
            "OPP", "ball");
    /** Role of each agent in {@link #AGENTS} order, after the source's player indexing. */
    public static final List<String> ROLES = List.of("F (James)", "PF/C (Love)", "C", "SG/SF (Smith)", "G", "F", "F",
            "C", "G", "G", "ball");

    private static final int COLUMNS = 1 + 2 * PLAYERS + 3;

    /** A play: frames {@code [start, stop)}. */
    public record Play(int index, int start, int stop) {
        public int length() {
            return stop - start;
        }
    }

    private final double[][][] frames;
    private final double[] ballHeights;
    private final List<Play> plays;

    private ClevelandTracking(double[][][] frames, double[] ballHeights, List<Play> plays) {
        this.frames = frames;
        this.ballHeights = ballHeights;
        this.plays = plays;
    }

    /**
     * Reads and checks both files.
     *
     * @throws IllegalArgumentException naming the file, line and what is wrong (a missing column, a value that is
     *     not a finite number, frames out of order, plays that overlap or leave the frames)
     */
    public static ClevelandTracking read(Path framesCsv, Path playsCsv) throws IOException {
        List<Double> heights = new ArrayList<>();
        double[][][] frames = readFrames(framesCsv, heights);
        List<Play> plays = readPlays(playsCsv, frames.length);
        return new ClevelandTracking(frames, heights.stream().mapToDouble(Double::doubleValue).toArray(), plays);
    }

    /** Frames in the file. */
    public int frameCount() {
        return frames.length;
    }

    /** One frame, {@code [agent][x or y]} in feet, agents in {@link #AGENTS} order; not copied. */
    public double[][] frame(int i) {
        return frames[i];
    }

    /** The ball's height in feet at frame {@code i} (the one value not in {@link #frame}: the model is planar). */
    public double ballHeightFt(int i) {
        return ballHeights[i];
    }

    public List<Play> plays() {
        return plays;
    }

    private static double[][][] readFrames(Path file, List<Double> ballHeights) throws IOException {
        List<double[][]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || header.split(",", -1).length != COLUMNS || !header.startsWith("frame,p0_x,p0_y")) {
                throw new IllegalArgumentException(file + ": line 1 is not the expected header 'frame,p0_x,p0_y,...,"
                        + "p9_y,ball_x,ball_y,ball_z' (" + COLUMNS + " columns)");
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                if (c.length != COLUMNS) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + c.length + " columns, expected "
                            + COLUMNS);
                }
                int frame = (int) number(c[0], file, lineNo, "frame");
                if (frame != out.size()) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": frame " + frame + " where frame "
                            + out.size() + " was expected (frames must be numbered 0, 1, 2, ... without gaps)");
                }
                double[][] f = new double[PLAYERS + 1][2];
                for (int a = 0; a <= PLAYERS; a++) {
                    String who = a < PLAYERS ? "p" + a : "ball";
                    f[a][0] = number(c[1 + 2 * a], file, lineNo, who + "_x") * COURT_LENGTH_FT;
                    f[a][1] = number(c[2 + 2 * a], file, lineNo, who + "_y") * COURT_WIDTH_FT;
                }
                out.add(f);
                ballHeights.add(number(c[COLUMNS - 1], file, lineNo, "ball_z"));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no frames");
        }
        return out.toArray(new double[0][][]);
    }

    private static List<Play> readPlays(Path file, int frames) throws IOException {
        List<Play> plays = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !header.strip().equals("play,start_frame,stop_frame")) {
                throw new IllegalArgumentException(file + ": line 1 is not the header 'play,start_frame,stop_frame'");
            }
            String line;
            int lineNo = 1;
            int previousStop = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                if (c.length != 3) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + c.length + " columns, expected 3");
                }
                int index = (int) number(c[0], file, lineNo, "play");
                int start = (int) number(c[1], file, lineNo, "start_frame");
                int stop = (int) number(c[2], file, lineNo, "stop_frame");
                if (start < previousStop || stop <= start || stop > frames) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: play %d [%d, %d) overlaps "
                            + "the previous play (ended at %d), is empty or goes past the %d frames", file, lineNo,
                            index, start, stop, previousStop, frames));
                }
                plays.add(new Play(index, start, stop));
                previousStop = stop;
            }
        }
        if (plays.isEmpty()) {
            throw new IllegalArgumentException(file + ": no plays");
        }
        return plays;
    }

    private static double number(String s, Path file, int line, String column) {
        double v;
        try {
            v = Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + line + ": column " + column + " is '" + s
                    + "', not a number");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(file + ":" + line + ": column " + column + " is " + s
                    + ", not a finite number");
        }
        return v;
    }
}
