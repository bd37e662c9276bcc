package dev.nristream.feed.sportvu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SportVuLiveReaderTest {

    private static final String LINES = String.join("\n",
            SyntheticSportVu.moment(3, 5_000L, 11, null),
            "",
            "not json",
            SyntheticSportVu.moment(3, 5_040L, 10, null),
            SyntheticSportVu.moment(3, 5_040L, 10, null),
            SyntheticSportVu.moment(3, 5_080L, 11, "NaN")) + "\n";

    @Test
    void readsOneMomentPerLineAndReportsBadLines() {
        FeedProblems problems = FeedProblems.silent();
        List<PositionFrame> frames = new ArrayList<>();
        try (SportVuLiveReader r = SportVuLiveReader.fromReader(new BufferedReader(new StringReader(LINES)), "stdin",
                "live", problems)) {
            r.forEachRemaining(frames::add);
        }
        assertThat(frames).extracting(PositionFrame::getSceneId).containsOnly("live-p3");
        assertThat(frames).extracting(PositionFrame::getEventTimeMs).containsExactly(5_000L, 5_040L, 5_080L);
        assertThat(frames).extracting(f -> f.getAgents().size()).containsExactly(11, 10, 10);
        assertThat(problems.count(ProblemKind.MALFORMED_RECORD)).isEqualTo(1);
        assertThat(problems.first(ProblemKind.MALFORMED_RECORD)).contains("line 3");
        assertThat(problems.count(ProblemKind.DUPLICATE_MOMENT)).isEqualTo(1);
        assertThat(problems.first(ProblemKind.NON_FINITE_COORDINATE)).contains("line 6");
    }

    @Test
    void readsMomentsFromATcpClient() throws Exception {
        FeedProblems problems = FeedProblems.silent();
        try (SportVuLiveReader r = SportVuLiveReader.listen(0, "g7", false, problems)) {
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), r.port());
                        OutputStream out = s.getOutputStream()) {
                    out.write(LINES.getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<PositionFrame> frames = new ArrayList<>();
            r.forEachRemaining(frames::add);
            client.get(10, TimeUnit.SECONDS);
            assertThat(frames).extracting(PositionFrame::getSceneId).containsOnly("g7-p3");
            assertThat(frames).hasSize(3);
        }
    }

    @Test
    void closeUnblocksAWaitingListener() throws Exception {
        SportVuLiveReader r = SportVuLiveReader.listen(0, "g", true, FeedProblems.silent());
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(r::hasNext);
        Thread.sleep(100);
        r.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
    }
}
