package dev.nristream.feed.sportvu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import dev.nristream.feed.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SportVuGameReaderTest {

    /** Four events in the documented format: overlapping moments, a 10-row moment, an empty event, a NaN. */
    static final String GAME = SyntheticSportVu.game("0029900001", List.of(
            SyntheticSportVu.event("1", List.of(
                    SyntheticSportVu.moment(1, 1_000_000L, 11, null),
                    SyntheticSportVu.moment(1, 1_000_040L, 11, null),
                    SyntheticSportVu.moment(1, 1_000_080L, 10, null))),
            SyntheticSportVu.event("2", List.of(
                    SyntheticSportVu.moment(1, 1_000_040L, 11, null),
                    SyntheticSportVu.moment(1, 1_000_080L, 10, null),
                    SyntheticSportVu.moment(1, 1_000_120L, 11, "NaN"))),
            SyntheticSportVu.event("3", List.of()),
            SyntheticSportVu.event("4", List.of(
                    SyntheticSportVu.moment(2, 2_000_000L, 11, null),
                    SyntheticSportVu.moment(2, 2_000_040L, 11, "Infinity")))));

    @Test
    void fixtureGivesTheExpectedFramesAndCounts() throws IOException {
        List<String> printed = new ArrayList<>();
        FeedProblems problems = FeedProblems.printingTo(printed::add);
        List<PositionFrame> frames = read(GAME, problems);

        Map<String, List<Long>> times = frames.stream().collect(Collectors.groupingBy(PositionFrame::getSceneId,
                Collectors.mapping(PositionFrame::getEventTimeMs, Collectors.toList())));
        assertThat(times).containsOnlyKeys("0029900001-p1", "0029900001-p2");
        assertThat(times.get("0029900001-p1")).containsExactly(1_000_000L, 1_000_040L, 1_000_080L, 1_000_120L);
        assertThat(times.get("0029900001-p2")).containsExactly(2_000_000L, 2_000_040L);
        assertThat(frames.stream().filter(f -> f.getSceneId().endsWith("p1")).map(PositionFrame::getFrameIndex))
                .containsExactly(0L, 1L, 2L, 3L);

        assertThat(problems.count(ProblemKind.DUPLICATE_MOMENT)).isEqualTo(2);
        assertThat(problems.count(ProblemKind.EVENT_WITHOUT_MOMENTS)).isEqualTo(1);
        assertThat(problems.count(ProblemKind.NON_FINITE_COORDINATE)).isEqualTo(2);
        assertThat(problems.problemCount()).isEqualTo(2);
        assertThat(printed).hasSize(2);
        assertThat(printed.get(0)).contains("event 2").contains("NaN").contains("1000120");
        assertThat(printed.get(1)).contains("event 4").contains("Infinity");

        PositionFrame full = frames.get(0);
        assertThat(full.getSourceKind()).isEqualTo(SourceKind.SPORTVU);
        assertThat(full.getSamplingRateHz()).isEqualTo(25.0);
        assertThat(full.getCoordinates().getUnit()).isEqualTo("ft");
        assertThat(full.getCoordinates().getExtent()).containsExactly(94.0, 50.0);
        assertThat(full.getAgents()).hasSize(11);
        Agent ball = full.getAgents().stream().filter(a -> a.getId().equals("ball")).findFirst().orElseThrow();
        assertThat(ball.getTeam()).isNull();
        assertThat(ball.getZ()).isEqualTo(SyntheticSportVu.BALL_Z);
        Agent player = full.getAgents().get(1);
        assertThat(player.getId()).isEqualTo(Long.toString(SyntheticSportVu.playerId(0)));
        assertThat(player.getTeam()).isEqualTo(Long.toString(SyntheticSportVu.HOME));
        assertThat(player.getRole()).isEqualTo("G");
        assertThat(player.getZ()).as("players' z is a placeholder 0 in SportVU, not a height").isNull();

        PositionFrame noBall = frames.get(2);
        assertThat(noBall.getAgents()).hasSize(10).noneMatch(a -> a.getId().equals("ball"));
        PositionFrame withNaN = frames.get(3);
        assertThat(withNaN.getAgents()).hasSize(10)
                .noneMatch(a -> a.getId().equals(Long.toString(SyntheticSportVu.playerId(2))));
        assertThat(frames).allSatisfy(f -> assertThat(f.getAgents())
                .allSatisfy(a -> assertThat(Double.isFinite(a.getX()) && Double.isFinite(a.getY())).isTrue()));
    }

    @Test
    void truncatedFileKeepsTheFramesBeforeTheCut() throws IOException {
        int cut = GAME.indexOf("\"eventId\":\"2\"") + 200;
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = read(GAME.substring(0, cut), problems);
        assertThat(frames).extracting(PositionFrame::getEventTimeMs)
                .containsExactly(1_000_000L, 1_000_040L, 1_000_080L);
        assertThat(problems.count(ProblemKind.TRUNCATED_FILE)).isEqualTo(1);
        assertThat(problems.first(ProblemKind.TRUNCATED_FILE)).contains("event 2");
    }

    @Test
    void brokenJsonStopsOnlyThatFile() throws IOException {
        String broken = GAME.replaceFirst("\"eventId\":\"2\"", "\"eventId\":\"2\" oops");
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = read(broken, problems);
        assertThat(frames).hasSize(3);
        assertThat(problems.count(ProblemKind.MALFORMED_RECORD)).isEqualTo(1);
    }

    @Test
    void momentsOfTheWrongShapeAreSkipped() throws IOException {
        String game = SyntheticSportVu.game("g", List.of(SyntheticSportVu.event("1", List.of(
                "[1, 5, 720.0, 24.0, null]",
                "[1, 6, 720.0, 24.0, null, [[1, 2, 3, 4]]]",
                "\"moment\"",
                SyntheticSportVu.moment(1, 7, 11, null)))));
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = read(game, problems);
        assertThat(frames).extracting(PositionFrame::getEventTimeMs).containsExactly(7L);
        // The six-element moment with one short row counts twice: its row count and the row itself.
        assertThat(problems.count(ProblemKind.UNEXPECTED_SHAPE)).isEqualTo(4);
        assertThat(problems.count(ProblemKind.EMPTY_FRAME)).isEqualTo(1);
    }

    @Test
    void realGameFileWithoutMomentsGivesZeroFramesAndASummary() throws IOException {
        FeedProblems problems = FeedProblems.silent();
        try (SportVuGameReader game = SportVuGameReader.open(
                TestData.nba().resolve("sportvu_0021500659_events_no_moments.json"), problems)) {
            long n = 0;
            while (game.hasNext()) {
                game.next();
                n++;
            }
            assertThat(n).isZero();
            assertThat(game.gameId()).isEqualTo("0021500659");
            assertThat(game.events()).isEqualTo(466);
            assertThat(game.summary()).contains("466 events").contains("0 frames")
                    .contains("466 events without moments");
        }
        assertThat(problems.count(ProblemKind.EVENT_WITHOUT_MOMENTS)).isEqualTo(466);
        assertThat(problems.problemCount()).isZero();
    }

    static List<PositionFrame> read(String json, FeedProblems problems) throws IOException {
        List<PositionFrame> out = new ArrayList<>();
        try (SportVuGameReader r = SportVuGameReader.of(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "fixture.json", null, problems)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }
}
