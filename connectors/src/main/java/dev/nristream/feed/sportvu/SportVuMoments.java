package dev.nristream.feed.sportvu;

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
    private final Map<Long, PlayerStrings> playerCache = new HashMap<>();
    private String lastGameId;
    private int lastPeriod;
    private String lastSceneId;

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
        playerCache.remove(playerId);
    }

    /**
     * Turns one moment read by {@code m} into a frame.
     *
     * @param where location for problem reports, e.g. "event 12" or "line 40"
     * @return the frame, or null when the moment is a duplicate, malformed or left without agents
     */
    PositionFrame decode(MomentReader m, String gameId, String where) {
        if (m.shapeProblem != null) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where, m.shapeProblem);
            return null;
        }
        int period = m.period;
        long time = m.time;
        long key = mix(((long) period << 48) ^ time);
        if (seen.put(key, Boolean.TRUE) != null) {
            problems.report(ProblemKind.DUPLICATE_MOMENT, source, where, () -> "period " + period + " time " + time);
            return null;
        }
        String sceneId = sceneId(gameId, period);
        long[] state = sceneState.computeIfAbsent(sceneId, k -> new long[] {0, Long.MIN_VALUE});
        if (time <= state[1]) {
            problems.report(ProblemKind.OUT_OF_ORDER, source, where, "scene " + sceneId + " time " + time
                    + " is not after " + state[1] + "; moment skipped");
            return null;
        }
        int n = m.rowCount;
        if (n != 10 && n != 11) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, where,
                    n + " rows (expected 10 or 11) at time " + time + "; kept the valid ones");
        }
        List<Agent> agents = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Agent a = agent(m, r, where, time);
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
        return new PositionFrame(sceneId, SourceKind.SPORTVU, index, time, RATE_HZ, coordinates, agents, null, null);
    }

    /**
     * MurmurHash3's 64-bit finaliser: a bijection (no two keys collide) that spreads unix times, which step by
     * 40 ms, over the hash table instead of piling them into a few buckets.
     */
    static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private String sceneId(String gameId, int period) {
        if (!gameId.equals(lastGameId) || period != lastPeriod) {
            lastGameId = gameId;
            lastPeriod = period;
            lastSceneId = gameId + "-p" + period;
        }
        return lastSceneId;
    }

    private Agent agent(MomentReader m, int r, String where, long time) {
        if (m.rowProblem[r] != null) {
            problems.report(m.rowNonNumeric[r] ? ProblemKind.MALFORMED_RECORD : ProblemKind.UNEXPECTED_SHAPE, source,
                    where, m.rowProblem[r] + " at time " + time + "; row skipped");
            return null;
        }
        double[] row = m.rows[r];
        long team = (long) row[0];
        long player = (long) row[1];
        double x = row[2];
        double y = row[3];
        double z = row[4];
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(z)) {
            problems.report(ProblemKind.NON_FINITE_COORDINATE, source, where,
                    "agent " + (player == -1 ? BALL_ID : player) + " at time " + time + " has (" + x + ", " + y
                            + ", " + z + "); row skipped");
            return null;
        }
        if (player == -1 && team == -1) {
            return new Agent(BALL_ID, null, BALL_ID, x, y, z, null, null, null);
        }
        PlayerStrings ids = playerStrings(player, team);
        // Players' z is always 0 in SportVU: a placeholder, not a measured height, so it stays null.
        return new Agent(ids.id(), ids.teamId(), ids.role(), x, y, null, null, null, null);
    }

    /** Player id, team id and roster position as strings, built once per player and team. */
    private PlayerStrings playerStrings(long player, long team) {
        PlayerStrings s = playerCache.get(player);
        if (s == null || s.team != team) {
            PlayerInfo info = roster.get(player);
            s = new PlayerStrings(Long.toString(player), team, Long.toString(team),
                    info == null ? null : info.position());
            playerCache.put(player, s);
        }
        return s;
    }

    private record PlayerStrings(String id, long team, String teamId, String role) {
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
