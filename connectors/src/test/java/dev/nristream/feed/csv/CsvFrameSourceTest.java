package dev.nristream.feed.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import dev.nristream.feed.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvFrameSourceTest {

    @Test
    void clevelandFileHas10602FramesOf10PlayersAndTheBall() throws IOException {
        Path file = TestData.nba().resolve("cle_4games_5hz_players_ball.csv");
        CsvOptions opts = CsvOptions.builder(CsvLayout.WIDE, 5.0).withScale(94, 50, 1).withUnit("ft")
                .withOrigin("corner").withExtent(94, 50).build();
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = read(file, opts, problems);

        // The plays file indexes the same frames: its last stop frame is the frame count.
        List<String> plays = Files.readAllLines(TestData.nba().resolve("cle_4games_5hz_plays.csv"));
        long lastStop = Long.parseLong(plays.get(plays.size() - 1).split(",")[2]);
        assertThat(frames).hasSize(10_602).hasSize((int) lastStop);
        assertThat(problems.counts()).isEmpty();
        PositionFrame first = frames.get(0);
        assertThat(first.getSceneId()).isEqualTo("csv-cle_4games_5hz_players_ball");
        assertThat(first.getAgents()).extracting(Agent::getId)
                .containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "ball");
        assertThat(first.getAgents().get(0).getX()).isCloseTo(0.275681 * 94, within(1e-9));
        assertThat(first.getAgents().get(0).getY()).isCloseTo(0.960146 * 50, within(1e-9));
        assertThat(first.getAgents().get(0).getZ()).isNull();
        assertThat(first.getAgents().get(10).getZ()).isCloseTo(3.302950, within(1e-9));
        assertThat(first.getCoordinates().getDimensions()).isEqualTo(3);
        assertThat(frames.get(10_601).getFrameIndex()).isEqualTo(10_601);
        assertThat(frames.get(1).getEventTimeMs() - first.getEventTimeMs()).isEqualTo(200);
        assertThat(frames).allSatisfy(f -> assertThat(f.getAgents()).hasSize(11));
    }

    @Test
    void torontoFileHas41GapFramesWhereThePlayerIsAbsent() throws IOException {
        Path file = TestData.nba().resolve("tor_starters_25hz_feet.csv");
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = read(file, CsvOptions.builder(CsvLayout.WIDE, 25.0).withUnit("ft").build(),
                problems);

        // Count the gap rows independently: rows with an empty cell.
        long gapRows = Files.readAllLines(file).stream().skip(1)
                .filter(l -> l.contains(",,") || l.endsWith(",")).count();
        assertThat(frames).hasSize(21_467);
        List<PositionFrame> gaps = frames.stream().filter(f -> f.getAgents().size() < 5).toList();
        assertThat(gaps).hasSize(41).hasSize((int) gapRows);
        assertThat(gaps).allSatisfy(f -> assertThat(f.getAgents()).extracting(Agent::getId)
                .containsExactly("p1", "p2", "p3", "p4"));
        assertThat(problems.count(ProblemKind.AGENT_MISSING)).isEqualTo(41);
        assertThat(problems.problemCount()).isZero();
        assertThat(frames.get(0).getCoordinates().getDimensions()).isEqualTo(2);
        assertThat(frames.get(1).getEventTimeMs() - frames.get(0).getEventTimeMs()).isEqualTo(40);
        assertThat(frames).allSatisfy(f -> assertThat(f.getAgents()).allSatisfy(a -> assertThat(a.getZ()).isNull()));
    }

    @Test
    void longLayoutGroupsRowsByFrameAndSkipsBadRows() throws IOException {
        String csv = """
                t,who,px,py
                0.00,a,1,2
                0.00,b,3,4
                0.04,a,1.5,2
                0.04,b,nan,4
                0.04,a,9,9
                0.08,a,,2
                0.08,b,3,x
                0.12,a,1,2,7
                0.16,b,3,4
                0.20,a,1
                """;
        CsvOptions opts = CsvOptions.builder(CsvLayout.LONG, 25.0).withFrameColumn(null).withTimeColumn("t")
                .withAgentColumn("who").withXyzColumns("px", "py", null).build();
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = new ArrayList<>();
        try (CsvFrameSource src = CsvFrameSource.of(new BufferedReader(new StringReader(csv)), "long.csv", opts,
                problems)) {
            src.forEachRemaining(frames::add);
        }
        assertThat(frames).extracting(PositionFrame::getFrameIndex).containsExactly(0L, 1L, 4L);
        assertThat(frames).extracting(PositionFrame::getEventTimeMs).containsExactly(0L, 40L, 160L);
        assertThat(frames.get(1).getAgents()).extracting(Agent::getX).containsExactly(1.5);
        assertThat(problems.count(ProblemKind.NON_FINITE_COORDINATE)).isEqualTo(1);
        assertThat(problems.count(ProblemKind.UNEXPECTED_SHAPE)).isEqualTo(1);
        assertThat(problems.count(ProblemKind.AGENT_MISSING)).isEqualTo(1);
        assertThat(problems.count(ProblemKind.MALFORMED_RECORD)).isEqualTo(2);
        assertThat(problems.count(ProblemKind.EMPTY_FRAME)).isEqualTo(1);
        assertThat(problems.count(ProblemKind.TRUNCATED_FILE)).isEqualTo(1);
        assertThat(problems.first(ProblemKind.TRUNCATED_FILE)).contains("long.csv at line 11");
    }

    @Test
    void unknownColumnsAreAClearError() {
        String csv = "frame,a_x,a_y\n0,1,2\n";
        assertThatThrownBy(() -> CsvFrameSource.of(new BufferedReader(new StringReader(csv)), "w.csv",
                CsvOptions.builder(CsvLayout.LONG, 10).build(), FeedProblems.silent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no column 'agent'")
                .hasMessageContaining("[frame, a_x, a_y]");
        assertThatThrownBy(() -> CsvFrameSource.of(new BufferedReader(new StringReader("frame,a_x,b_y\n")), "w.csv",
                CsvOptions.builder(CsvLayout.WIDE, 10).build(), FeedProblems.silent()))
                .hasMessageContaining("a_x has no matching a_y");
        assertThatThrownBy(() -> CsvOptions.builder(CsvLayout.WIDE, 0).build())
                .hasMessageContaining("rate must be a positive");
    }

    @Test
    void quotedCellsMayHoldCommas() {
        assertThat(CsvFrameSource.split("1,\"a,b\",\"say \"\"hi\"\"\",")).containsExactly("1", "a,b", "say \"hi\"", "");
    }

    private static List<PositionFrame> read(Path file, CsvOptions opts, FeedProblems problems) throws IOException {
        List<PositionFrame> out = new ArrayList<>();
        try (CsvFrameSource src = CsvFrameSource.open(file, opts, problems)) {
            src.forEachRemaining(out::add);
        }
        return out;
    }
}
