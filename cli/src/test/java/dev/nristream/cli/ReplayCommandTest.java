package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.feed.sportvu.SyntheticSportVu;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = Path.of(System.getProperty("nri.shared.data"));

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String l : out.toString().split("\n")) {
            if (!l.isBlank()) {
                nodes.add(JSON.readTree(l));
            }
        }
        return nodes;
    }

    @Test
    void simPrintsInterleavedScenesWithTheirEdges() throws IOException {
        int code = run("replay", "sim", "--system", "springs", "--atoms", "4", "--scenes", "2", "--frames", "3",
                "--seed", "5", "--speed", "max", "--print");
        assertThat(code).as(err.toString()).isZero();
        List<JsonNode> frames = lines();
        assertThat(frames).hasSize(6);
        assertThat(frames.get(0).get("scene").asText()).isEqualTo("sim-springs4-s5-0");
        assertThat(frames.get(1).get("scene").asText()).isEqualTo("sim-springs4-s5-1");
        assertThat(frames.get(2).get("frame").asLong()).isEqualTo(1);
        assertThat(frames.get(2).get("time_ms").asLong() - frames.get(0).get("time_ms").asLong()).isEqualTo(100);
        assertThat(frames.get(0).get("agents")).hasSize(4);
        assertThat(frames.get(0).get("agents").get(0).has("vx")).isTrue();
        assertThat(frames.get(0).get("edges")).hasSize(12);
        assertThat(err.toString()).contains("6 frames").contains("2 scenes");
    }

    @Test
    void sportVuFilePrintsFramesAndSummarisesProblemsOnStderr() throws IOException {
        Path game = tmp.resolve("g.json");
        Files.writeString(game, SyntheticSportVu.game("0029900003", List.of(
                SyntheticSportVu.event("1", List.of(SyntheticSportVu.moment(1, 100, 11, null),
                        SyntheticSportVu.moment(1, 140, 10, null))),
                SyntheticSportVu.event("2", List.of(SyntheticSportVu.moment(1, 140, 10, null),
                        SyntheticSportVu.moment(1, 180, 11, "NaN"))),
                SyntheticSportVu.event("3", List.of()))));
        int code = run("replay", "sportvu", game.toString(), "--speed", "max", "--clock", "recorded", "--print");
        assertThat(code).as(err.toString()).isZero();
        List<JsonNode> frames = lines();
        assertThat(frames).extracting(f -> f.get("time_ms").asLong()).containsExactly(100L, 140L, 180L);
        assertThat(frames).extracting(f -> f.get("scene").asText()).containsOnly("0029900003-p1");
        assertThat(frames.get(0).get("agents").get(0).get("id").asText()).isEqualTo("ball");
        assertThat(frames.get(2).get("agents")).hasSize(10);
        assertThat(err.toString()).contains("NON_FINITE_COORDINATE in " + game).contains("event 2")
                .containsPattern("NON_FINITE_COORDINATE\\s+1")
                .containsPattern("DUPLICATE_MOMENT\\s+1")
                .containsPattern("EVENT_WITHOUT_MOMENTS\\s+1");
    }

    @Test
    void liveStdinReadsOneMomentPerLine() throws IOException {
        String lines = SyntheticSportVu.moment(2, 500, 11, null) + "\n{oops\n"
                + SyntheticSportVu.moment(2, 540, 10, null) + "\n";
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(run("replay", "sportvu", "--live-stdin", "--game-id", "g9", "--print")).as(err.toString())
                    .isZero();
        } finally {
            System.setIn(stdin);
        }
        List<JsonNode> frames = lines();
        assertThat(frames).extracting(f -> f.get("scene").asText()).containsExactly("g9-p2", "g9-p2");
        assertThat(err.toString()).contains("MALFORMED_RECORD in stdin at line 2");
    }

    @Test
    void realGameFileWithoutMomentsSummarisesThenExitsNonZero() {
        // Nothing usable was replayed: the summary says why, and the exit code says it failed (issue 17).
        int code = run("replay", "sportvu", DATA.resolve("nba-tracking/sportvu_0021500659_events_no_moments.json")
                .toString(), "--speed", "max", "--print");
        assertThat(code).as(err.toString()).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("0 frames").containsPattern("EVENT_WITHOUT_MOMENTS\\s+466")
                .contains("yielded no frames");
    }

    @Test
    void theRealClevelandTestPlaysReplayAsSportVuFramesWithTheBallsHeight() throws IOException {
        int code = run("replay", "sportvu", "--cleveland", DATA.resolve("nba-tracking").toString(), "--speed", "max",
                "--print");
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("the real Cleveland test plays");
        List<JsonNode> frames = lines();
        assertThat(frames).hasSizeGreaterThan(1000);
        JsonNode first = frames.get(0);
        assertThat(first.get("scene").asText()).isEqualTo("cle4-p1");
        assertThat(first.get("agents")).hasSize(11);
        assertThat(first.get("agents").get(0).get("id").asText()).isEqualTo("ball");
        assertThat(first.get("agents").get(0).get("z").asDouble()).isPositive();
        assertThat(run("replay", "sportvu", "--cleveland", tmp.toString(), "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("has no cle_4games_5hz_players_ball.csv");
    }

    @Test
    void mocapAndCsvPrintTheirFrames() throws IOException {
        Path dir = DATA.resolve("cmu-mocap/subject35");
        assertThat(run("replay", "mocap", "--asf", dir.resolve("35.asf").toString(), "--amc",
                dir.resolve("35_13.amc").toString(), "--fps", "10", "--speed", "max", "--print")).as(err.toString())
                .isZero();
        List<JsonNode> frames = lines();
        assertThat(frames.get(0).get("scene").asText()).isEqualTo("cmu-35_13");
        assertThat(frames.get(0).get("frame").asLong()).isEqualTo(80);
        assertThat(frames.get(1).get("frame").asLong()).isEqualTo(92);
        assertThat(frames.get(0).get("rate_hz").asDouble()).isEqualTo(10.0);
        assertThat(frames.get(0).get("agents")).hasSize(31);
        // The replay's own clock by default: the first frame at the moment the replay started, 1/10 s apart.
        long before = System.currentTimeMillis() - 60_000;
        assertThat(frames.get(0).get("time_ms").asLong()).isBetween(before, System.currentTimeMillis());
        assertThat(frames.get(1).get("time_ms").asLong() - frames.get(0).get("time_ms").asLong()).isEqualTo(100);

        out.getBuffer().setLength(0);
        assertThat(run("replay", "mocap", "--asf", dir.resolve("35.asf").toString(), "--amc",
                dir.resolve("35_13.amc").toString(), "--fps", "10", "--speed", "max", "--clock", "recorded",
                "--print")).as(err.toString()).isZero();
        // As recorded: milliseconds since the AMC's frame 1 at 120 Hz (this trial's first frame is 80).
        assertThat(lines().get(0).get("time_ms").asLong()).isEqualTo(Math.round(79 * 1000.0 / 120));

        out.getBuffer().setLength(0);
        assertThat(run("replay", "csv", DATA.resolve("nba-tracking/tor_starters_25hz_feet.csv").toString(), "--rate",
                "25", "--unit", "ft", "--scene", "tor", "--max-frames", "5", "--speed", "max", "--print"))
                .as(err.toString()).isZero();
        List<JsonNode> csv = lines();
        assertThat(csv).hasSize(5);
        assertThat(csv).extracting(f -> f.get("scene").asText()).containsOnly("tor");
        assertThat(csv.get(0).get("unit").asText()).isEqualTo("ft");
        assertThat(csv.get(0).get("agents").get(0).get("x").asDouble()).isEqualTo(19.08811);
    }

    @Test
    void missingFilesAndBadDirectoriesExitWithTwo() throws IOException {
        Path missing = tmp.resolve("nope.json");
        assertThat(run("replay", "sportvu", missing.toString(), "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("no such file").contains("nope.json");

        assertThat(run("replay", "mocap", "--dir", tmp.resolve("nodir").toString(), "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("nodir");

        Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        err.getBuffer().setLength(0);
        assertThat(run("replay", "mocap", "--dir", file.toString(), "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("is not a directory");

        Path empty = Files.createDirectory(tmp.resolve("empty"));
        err.getBuffer().setLength(0);
        assertThat(run("replay", "mocap", "--dir", empty.toString(), "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("expected exactly one .asf");

        err.getBuffer().setLength(0);
        assertThat(run("replay", "csv", tmp.resolve("x.csv").toString(), "--rate", "5", "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("x.csv");
    }

    @Test
    void helpShowsTheSharedDefaults() {
        assertThat(run("replay", "csv", "--help")).isZero();
        assertThat(out.toString()).contains("default: " + dev.nristream.topic.Topics.POSITIONS.name())
                .contains("default: localhost:9092").contains("default: http://localhost:8081")
                .contains("--speed").contains("--loop").contains("--scene").contains("--print");
    }

    @Test
    void badFlagsExitWithTwoAndSayWhy() {
        assertThat(run("replay", "sim", "--speed", "fast", "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("speed must be a positive number or 'max'");

        err.getBuffer().setLength(0);
        assertThat(run("replay", "sim", "--system", "gravity", "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown system 'gravity'");

        err.getBuffer().setLength(0);
        assertThat(run("replay", "csv", DATA.resolve("nba-tracking/tor_starters_25hz_feet.csv").toString(),
                "--rate", "25", "--layout", "long", "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("no column 'agent'");

        err.getBuffer().setLength(0);
        assertThat(run("replay", "sportvu", "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("exactly one");

        err.getBuffer().setLength(0);
        assertThat(run("replay", "mocap", "--fps", "7", "--dir", "x", "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("must divide 120");

        err.getBuffer().setLength(0);
        assertThat(run("replay", "sim", "--clock", "wall", "--print")).isEqualTo(2);
        assertThat(err.toString()).contains("--clock").contains("replay, recorded");
    }
}
