package dev.nristream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.ProblemKind;
import dev.nristream.feed.sportvu.SportVuGameReader;
import dev.nristream.feed.sportvu.SyntheticSportVu;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static final List<PositionFrame> TWO_SCENES = List.of(
            ListSource.frame("a", 10, 1_000, 25), ListSource.frame("b", 0, 1_000, 25),
            ListSource.frame("a", 11, 1_040, 25), ListSource.frame("b", 1, 1_040, 25),
            ListSource.frame("a", 12, 1_080, 25));

    @Test
    void sendsEveryFrameOnceWithoutLoop() throws IOException {
        CollectingSink sink = new CollectingSink();
        ReplaySummary s = Replay.builder().setSource(p -> new ListSource(TWO_SCENES, p)).setSink(sink)
                .withSpeed(Speed.MAX).withProblems(FeedProblems.silent()).build().run();
        assertThat(sink.frames).isEqualTo(TWO_SCENES);
        assertThat(s.frames()).isEqualTo(5);
        assertThat(s.delivered()).isEqualTo(5);
        assertThat(s.scenes()).isEqualTo(2);
        assertThat(s.passes()).isEqualTo(1);
        assertThat(sink.flushes).isEqualTo(1);
        assertThat(s.format()).contains("5 frames").contains("no problems");
    }

    @Test
    void loopShiftsTimesAndIndexesSoEverySceneKeepsIncreasing() throws IOException {
        CollectingSink sink = new CollectingSink();
        ReplaySummary s = Replay.builder().setSource(p -> new ListSource(TWO_SCENES, p)).setSink(sink)
                .withSpeed(Speed.MAX).withLoop(true).withMaxFrames(12).withProblems(FeedProblems.silent())
                .build().run();
        assertThat(s.frames()).isEqualTo(12);
        assertThat(s.passes()).isEqualTo(3);
        List<Long> aTimes = sink.frames.stream().filter(f -> f.getSceneId().equals("a"))
                .map(PositionFrame::getEventTimeMs).toList();
        List<Long> aIndexes = sink.frames.stream().filter(f -> f.getSceneId().equals("a"))
                .map(PositionFrame::getFrameIndex).toList();
        // span 80 ms + one 40 ms frame; index span 10..12 over both scenes: 0..12 -> 13
        assertThat(aTimes).containsExactly(1_000L, 1_040L, 1_080L, 1_120L, 1_160L, 1_200L, 1_240L);
        assertThat(aIndexes).containsExactly(10L, 11L, 12L, 23L, 24L, 25L, 36L);
    }

    @Test
    void aResumedLoopSendsExactlyTheFramesAfterItsStartPosition() throws IOException {
        CollectingSink whole = new CollectingSink();
        Replay.builder().setSource(p -> new ListSource(TWO_SCENES, p)).setSink(whole).withSpeed(Speed.MAX)
                .withLoop(true).withMaxFrames(12).withProblems(FeedProblems.silent()).build().run();
        PositionSink resumed = new PositionSink();
        ReplaySummary s = Replay.builder().setSource(p -> new ListSource(TWO_SCENES, p)).setSink(resumed)
                .withSpeed(Speed.MAX).withLoop(true).withMaxFrames(12).withStartPosition(7)
                .withProblems(FeedProblems.silent()).build().run();
        // Positions 7..11: the second pass's last three frames (shifted) and two of the third.
        assertThat(resumed.frames).isEqualTo(whole.frames.subList(7, 12));
        assertThat(resumed.positions).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(s.frames()).isEqualTo(5);
        assertThat(s.resumedAfter()).isEqualTo(7);
        assertThat(s.format()).contains("resumed after 7 frames");
    }

    @Test
    void aReplayResumedAfterItsEndSendsNothing() throws IOException {
        PositionSink sink = new PositionSink();
        ReplaySummary s = Replay.builder().setSource(p -> new ListSource(TWO_SCENES, p)).setSink(sink)
                .withSpeed(Speed.MAX).withStartPosition(5).withProblems(FeedProblems.silent()).build().run();
        assertThat(sink.frames).isEmpty();
        assertThat(s.frames()).isZero();
        assertThat(s.resumedAfter()).isEqualTo(5);
    }

    /** Also records the positions the replay reports after each frame. */
    static final class PositionSink implements FrameSink {
        final List<PositionFrame> frames = new ArrayList<>();
        final List<Long> positions = new ArrayList<>();

        @Override
        public void accept(PositionFrame frame) {
            frames.add(PositionFrame.newBuilder(frame).build());
        }

        @Override
        public void position(long framesHandled) {
            positions.add(framesHandled);
        }

        @Override
        public void flush() {
        }

        @Override
        public long delivered() {
            return frames.size();
        }

        @Override
        public String describe() {
            return "positions";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void sceneOverrideRenamesEveryFrame() throws IOException {
        CollectingSink sink = new CollectingSink();
        Replay.builder().setSource(p -> new ListSource(TWO_SCENES.subList(0, 1), p)).setSink(sink)
                .withSpeed(Speed.MAX).withSceneOverride("demo").withProblems(FeedProblems.silent()).build().run();
        assertThat(sink.frames).extracting(PositionFrame::getSceneId).containsOnly("demo");
    }

    @Test
    void realTimeWaitsForTheTimestampsDividedBySpeed() throws IOException {
        AtomicLong now = new AtomicLong();
        List<Long> sleeps = new ArrayList<>();
        Pacer.Sleeper sleeper = nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        };
        List<PositionFrame> frames = List.of(ListSource.frame("a", 0, 0, 25), ListSource.frame("a", 1, 40, 25),
                ListSource.frame("a", 2, 120, 25), ListSource.frame("a", 3, 60_000, 25),
                ListSource.frame("a", 4, 60_040, 25));
        Replay.builder().setSource(p -> new ListSource(frames, p)).setSink(new CollectingSink())
                .withSpeed(new Speed(2)).withProblems(FeedProblems.silent()).withClock(now::get, sleeper).build()
                .run();
        // 40 ms and 80 ms at twice the speed; the minute-long gap re-anchors instead of waiting; then 20 ms.
        assertThat(sleeps).containsExactly(20_000_000L, 40_000_000L, 20_000_000L);
    }

    @Test
    void summaryCountsProblemsPerKind() throws IOException {
        String game = SyntheticSportVu.game("g", List.of(
                SyntheticSportVu.event("1", List.of(SyntheticSportVu.moment(1, 0, 11, null),
                        SyntheticSportVu.moment(1, 40, 11, "NaN"))),
                SyntheticSportVu.event("2", List.of(SyntheticSportVu.moment(1, 40, 11, "NaN"))),
                SyntheticSportVu.event("3", List.of())));
        CollectingSink sink = new CollectingSink();
        ReplaySummary s = Replay.builder()
                .setSource(p -> SportVuGameReader.of(
                        new ByteArrayInputStream(game.getBytes(StandardCharsets.UTF_8)), "g.json", null, p))
                .setSink(sink).withSpeed(Speed.MAX).withProblems(FeedProblems.silent()).build().run();
        assertThat(s.frames()).isEqualTo(2);
        assertThat(s.count(ProblemKind.NON_FINITE_COORDINATE)).isEqualTo(1);
        assertThat(s.count(ProblemKind.DUPLICATE_MOMENT)).isEqualTo(1);
        assertThat(s.count(ProblemKind.EVENT_WITHOUT_MOMENTS)).isEqualTo(1);
        assertThat(s.format()).contains("NON_FINITE_COORDINATE").contains("EVENT_WITHOUT_MOMENTS");
    }

    @Test
    void stopEndsAnEndlessReplayAndStillFlushes() throws Exception {
        CollectingSink sink = new CollectingSink();
        Replay[] holder = new Replay[1];
        FrameSink stopping = new FrameSink() {
            @Override
            public void accept(PositionFrame frame) {
                sink.accept(frame);
                if (sink.frames.size() == 7) {
                    holder[0].stop();
                }
            }

            @Override
            public void flush() {
                sink.flush();
            }

            @Override
            public long delivered() {
                return sink.delivered();
            }

            @Override
            public String describe() {
                return "stopping";
            }

            @Override
            public void close() {
            }
        };
        holder[0] = Replay.builder().setSource(p -> new ListSource(TWO_SCENES, p)).setSink(stopping)
                .withSpeed(Speed.MAX).withLoop(true).withProblems(FeedProblems.silent()).build();
        ReplaySummary s = holder[0].run();
        assertThat(s.frames()).isEqualTo(7);
        assertThat(s.stopped()).isTrue();
        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void emptySourceDoesNotLoopForever() throws IOException {
        ReplaySummary s = Replay.builder().setSource(p -> new ListSource(List.of(), p)).setSink(new CollectingSink())
                .withLoop(true).withProblems(FeedProblems.silent()).build().run();
        assertThat(s.frames()).isZero();
        assertThat(s.passes()).isEqualTo(1);
    }

    @Test
    void builderNamesMissingSettingsAndSpeedParses() {
        assertThatThrownBy(() -> Replay.builder().setSink(new CollectingSink()).build())
                .hasMessageContaining("source is not set");
        assertThatThrownBy(() -> Replay.builder().setSource(p -> null).build()).hasMessageContaining("sink");
        assertThat(Speed.parse("max").isMax()).isTrue();
        assertThat(Speed.parse("10x").factor()).isEqualTo(10.0);
        assertThatThrownBy(() -> Speed.parse("fast")).hasMessageContaining("'fast'");
        assertThatThrownBy(() -> Speed.parse("0")).hasMessageContaining("positive");
    }
}
