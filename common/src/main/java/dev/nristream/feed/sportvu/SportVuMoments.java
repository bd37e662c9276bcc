package dev.nristream.feed.sportvu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.Coordinates;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns SportVU moments ({@code [period, unix_time_ms, game_clock_s, shot_clock_s|null, null, [[team_id,
 * player_id, x, y, z], ...]]}) into frames of scene {@code <game>-p<period>}: de-duplicates on (period, unix time),
 * drops bad rows (reported with their event), keeps each scene's frame index counting up. Shared by the game-file
 * and the live readers; not thread-safe.
 */
final class SportVuMoments {

    /** SportVU samples at 25 Hz. */
    static final double RATE_HZ = 25.0;
    static final String BALL_ID = "ball";

    /** What the roster says about a player: team and position. */
    record PlayerInfo(String team, String position) {
    }

    private final FeedProblems problems;
    private final String source;
    private final CoordinateSystem coordinates = Coordinates.nbaCourtFeet();
    private final Map<Long, Boolean> seen;
    private final Map<String, long[]> sceneState = new HashMap<>();
    private final Map<Long, PlayerInfo> roster = new HashMap<>();

    /**
     * @param dedupCapacity how many recent (period, time) keys are remembered; a game file needs all of them, a
     *     live feed only a recent window
     */
    SportVuMoments(String source, FeedProblems problems, int dedupCapacity) {
        this.source = source;
        this.problems = problems;
        this.seen = new LinkedHashMap<>(Math.min(dedupCapacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > dedupCapacity;
            }
        };
    }

    void addToRoster(long playerId, PlayerInfo info) {
        roster.put(playerId, info);
    }

    /**
     * Decodes one moment.
     *
     * @param where location for problem reports, e.g. "event 12" or "line 40"
     * @return the frame, or null when the moment is a duplicate, malformed or left without agents
     */
    PositionFrame decode(JsonNode m, String gameId, String where) {
        if (m == null || !m.isArray() || m.size() < 6) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where,
                    "moment is not an array of 6 (period, time, game clock, shot clock, null, rows): "
                            + abbreviate(String.valueOf(m)));
            return null;
        }
        JsonNode p = m.get(0);
        JsonNode t = m.get(1);
        JsonNode rows = m.get(5);
        if (!p.canConvertToInt() || !p.isIntegralNumber() || !t.isIntegralNumber() || !rows.isArray()) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where,
                    "moment needs an integer period, an integer unix time and an array of rows: "
                            + abbreviate(m.toString()));
            return null;
        }
        int period = p.intValue();
        long time = t.longValue();
        long key = ((long) period << 48) ^ time;
        if (seen.put(key, Boolean.TRUE) != null) {
            problems.report(ProblemKind.DUPLICATE_MOMENT, source, where, "period " + period + " time " + time);
            return null;
        }
        String sceneId = gameId + "-p" + period;
        long[] state = sceneState.computeIfAbsent(sceneId, k -> new long[] {0, Long.MIN_VALUE});
        if (time <= state[1]) {
            problems.report(ProblemKind.OUT_OF_ORDER, source, where, "scene " + sceneId + " time " + time
                    + " is not after " + state[1] + "; moment skipped");
            return null;
        }
        if (rows.size() != 10 && rows.size() != 11) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where,
                    rows.size() + " rows (expected 10 or 11) at time " + time + "; kept the valid ones");
        }
        List<Agent> agents = new ArrayList<>(rows.size());
        for (JsonNode row : rows) {
            Agent a = agent(row, where, time);
            if (a != null) {
                if (containsId(agents, a.getId())) {
                    problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where,
                            "agent " + a.getId() + " twice at time " + time + "; second row skipped");
                } else {
                    agents.add(a);
                }
            }
        }
        if (agents.isEmpty()) {
            problems.report(ProblemKind.EMPTY_FRAME, source, where, "no valid rows at time " + time);
            return null;
        }
        long index = state[0]++;
        state[1] = time;
        return new PositionFrame(sceneId, SourceKind.SPORTVU, index, time, RATE_HZ, coordinates, agents, null);
    }

    private Agent agent(JsonNode row, String where, long time) {
        if (!row.isArray() || row.size() != 5) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where,
                    "row is not [team_id, player_id, x, y, z]: " + abbreviate(row.toString()) + " at time " + time);
            return null;
        }
        for (JsonNode v : row) {
            if (!v.isNumber()) {
                problems.report(ProblemKind.MALFORMED_RECORD, source, where,
                        "non-numeric value in row " + abbreviate(row.toString()) + " at time " + time);
                return null;
            }
        }
        long team = row.get(0).longValue();
        long player = row.get(1).longValue();
        double x = row.get(2).doubleValue();
        double y = row.get(3).doubleValue();
        double z = row.get(4).doubleValue();
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
            problems.report(ProblemKind.NON_FINITE_COORDINATE, source, where,
                    "agent " + (player == -1 ? BALL_ID : player) + " at time " + time + " has (" + x + ", " + y
                            + ", " + z + "); row skipped");
            return null;
        }
        if (player == -1 && team == -1) {
            return new Agent(BALL_ID, null, BALL_ID, x, y, z, null, null, null);
        }
        PlayerInfo info = roster.get(player);
        String position = info == null ? null : info.position();
        // Players' z is always 0 in SportVU: a placeholder, not a measured height, so it stays null.
        return new Agent(Long.toString(player), Long.toString(team), position, x, y, null, null, null, null);
    }

    private static boolean containsId(List<Agent> agents, String id) {
        for (Agent a : agents) {
            if (a.getId().equals(id)) {
                return true;
            }
        }
        return false;
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
