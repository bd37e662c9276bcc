package dev.nristream.feed.sportvu;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds SportVU game files and moments in the documented public format, for tests, benchmarks and demos
 * (the real game file shipped with the project has no moments).
 *
 * <pre>{@code
 * String json = SyntheticSportVu.game("0029900001", List.of(SyntheticSportVu.event("1",
 *         List.of(SyntheticSportVu.moment(1, 1_453_590_000_000L, 11, null)))));
 * }</pre>
 */
public final class SyntheticSportVu {

    public static final long HOME = 1610612739L;
    public static final long VISITOR = 1610612741L;
    public static final double BALL_Z = 7.25;

    private SyntheticSportVu() {
    }

    /** Players 0-4 play for the home team, 5-9 for the visitors. */
    public static long playerId(int i) {
        return 200_000L + i;
    }

    public static String game(String gameId, List<String> events) {
        return "{\"gameid\":\"" + gameId + "\",\"gamedate\":\"2016-01-23\",\"events\":[" + String.join(",", events)
                + "]}";
    }

    public static String event(String id, List<String> moments) {
        return "{\"eventId\":\"" + id + "\",\"visitor\":" + team(VISITOR, 5) + ",\"home\":" + team(HOME, 0)
                + ",\"moments\":[" + String.join(",", moments) + "]}";
    }

    private static String team(long teamId, int first) {
        List<String> players = new ArrayList<>();
        for (int i = first; i < first + 5; i++) {
            players.add("{\"lastname\":\"L" + i + "\",\"firstname\":\"F" + i + "\",\"playerid\":" + playerId(i)
                    + ",\"jersey\":\"" + i + "\",\"position\":\"" + (i % 5 < 2 ? "G" : "F") + "\"}");
        }
        return "{\"name\":\"T" + teamId + "\",\"teamid\":" + teamId + ",\"abbreviation\":\"T\",\"players\":["
                + String.join(",", players) + "]}";
    }

    /**
     * A moment with the ball (11 rows) or without (10); {@code badX} replaces player 2's x with a bare token such
     * as NaN or Infinity.
     */
    public static String moment(int period, long unixMs, int rows, String badX) {
        StringBuilder sb = new StringBuilder(rows * 48 + 40);
        sb.append('[').append(period).append(',').append(unixMs).append(",700.5,null,null,[");
        double phase = (unixMs % 100_000) / 1000.0;
        if (rows == 11) {
            sb.append("[-1,-1,");
            fixed(sb, 47 + 10 * Math.sin(phase), 5).append(',');
            fixed(sb, 25 + 5 * Math.cos(phase), 5).append(',');
            fixed(sb, BALL_Z, 2).append("],");
        }
        for (int i = 0; i < 10; i++) {
            long team = i < 5 ? HOME : VISITOR;
            sb.append('[').append(team).append(',').append(playerId(i)).append(',');
            if (i == 2 && badX != null) {
                sb.append(badX);
            } else {
                fixed(sb, 10 + 7 * i + Math.sin(phase + i), 5);
            }
            sb.append(',');
            fixed(sb, 5 + 4 * i + Math.cos(phase + i), 5).append(",0.0]");
            if (i < 9) {
                sb.append(',');
            }
        }
        return sb.append("]]").toString();
    }

    /** Appends {@code v} with {@code decimals} digits after the point (String.format is slow for big files). */
    static StringBuilder fixed(StringBuilder sb, double v, int decimals) {
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        long n = Math.round(Math.abs(v) * scale);
        if (v < 0 && n != 0) {
            sb.append('-');
        }
        sb.append(n / scale).append('.');
        String frac = Long.toString(n % scale);
        for (int i = frac.length(); i < decimals; i++) {
            sb.append('0');
        }
        return sb.append(frac);
    }

    /**
     * Streams a whole synthetic game to a file: {@code periods} periods of {@code momentsPerPeriod} distinct
     * 11-row moments 40 ms apart, cut into events of {@code eventLength} moments where each event repeats the
     * previous event's last {@code overlap} moments (as real logs do).
     *
     * @return the number of distinct moments written
     */
    public static long writeGame(Path file, String gameId, int periods, int momentsPerPeriod, int eventLength,
            int overlap, long startUnixMs) throws IOException {
        if (eventLength <= overlap) {
            throw new IllegalArgumentException("event length must exceed the overlap");
        }
        long distinct = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"gameid\":\"" + gameId + "\",\"gamedate\":\"2016-01-23\",\"events\":[");
            int eventNo = 0;
            for (int p = 1; p <= periods; p++) {
                long periodStart = startUnixMs + (p - 1) * 3_600_000L;
                int from = 0;
                while (from < momentsPerPeriod) {
                    int start = Math.max(0, from - (from == 0 ? 0 : overlap));
                    int end = Math.min(momentsPerPeriod, from + eventLength - (from == 0 ? 0 : overlap));
                    if (eventNo++ > 0) {
                        w.write(',');
                    }
                    w.write("{\"eventId\":\"" + eventNo + "\",\"visitor\":" + team(VISITOR, 5) + ",\"home\":"
                            + team(HOME, 0) + ",\"moments\":[");
                    for (int m = start; m < end; m++) {
                        if (m > start) {
                            w.write(',');
                        }
                        w.write(moment(p, periodStart + 40L * m, 11, null));
                    }
                    w.write("]}");
                    distinct += end - from;
                    from = end;
                }
            }
            w.write("]}");
        }
        return distinct;
    }
}
