package dev.nristream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayClockTest {

    private static final long ORIGIN = 1_765_000_000_000L;

    /** Two mocap-like trials, each counting from 0 (30 Hz), then a SportVU-like jump forward past a long break. */
    private static final List<PositionFrame> TRIALS = List.of(
            ListSource.frame("trial-1", 1, 0, 30), ListSource.frame("trial-1", 2, 33, 30),
            ListSource.frame("trial-1", 3, 67, 30),
            ListSource.frame("trial-2", 1, 0, 30), ListSource.frame("trial-2", 2, 33, 30),
            ListSource.frame("trial-2", 3, 600_067, 30));

    @Test
    void keepsTheRecordedSpacingAndGoesOnOneFramePeriodAfterAJumpBackOrALongBreak() {
        ReplayClock clock = new ReplayClock(ORIGIN, 5_000);
        List<Long> stamped = TRIALS.stream().map(f -> {
            PositionFrame copy = PositionFrame.newBuilder(f).build();
            clock.restamp(copy);
            return copy.getEventTimeMs() - ORIGIN;
        }).toList();
        // 0, 33, 67 as recorded; trial 2 starts 33 ms (1/30 s) after trial 1's last frame; the 10-minute break
        // becomes one frame period.
        assertThat(stamped).containsExactly(0L, 33L, 67L, 100L, 133L, 166L);
    }

    @Test
    void anOriginFromTheClockIsTakenWhenTheFirstFrameIsStampedNotBefore() {
        long[] now = {1_000};
        ReplayClock clock = new ReplayClock(() -> now[0], 5_000);
        now[0] = 7_000; // the replay took 6 s to start (JVM, reading the trial, connecting the producer)
        PositionFrame first = PositionFrame.newBuilder(TRIALS.get(0)).build();
        PositionFrame second = PositionFrame.newBuilder(TRIALS.get(1)).build();
        clock.restamp(first);
        now[0] = 99_000; // asked once: later frames follow the recorded spacing, not the clock
        clock.restamp(second);
        assertThat(first.getEventTimeMs()).isEqualTo(7_000L);
        assertThat(second.getEventTimeMs()).isEqualTo(7_033L);
    }

    @Test
    void framesOfSeveralScenesAtOneRecordedTimeKeepSharingIt() {
        ReplayClock clock = new ReplayClock(ORIGIN, 5_000);
        List<PositionFrame> interleaved = List.of(ListSource.frame("a", 0, 500, 25),
                ListSource.frame("b", 0, 500, 25), ListSource.frame("a", 1, 540, 25),
                ListSource.frame("b", 1, 540, 25));
        List<Long> stamped = interleaved.stream().map(f -> {
            PositionFrame copy = PositionFrame.newBuilder(f).build();
            clock.restamp(copy);
            return copy.getEventTimeMs() - ORIGIN;
        }).toList();
        assertThat(stamped).containsExactly(0L, 0L, 40L, 40L);
    }

    @Test
    void aReplayOnItsTimelineNeverGoesBackInTimeAcrossTrialsAndLoopPasses() throws IOException {
        CollectingSink sink = new CollectingSink();
        Replay.builder().setSource(p -> new ListSource(TRIALS, p)).setSink(sink).withSpeed(Speed.MAX)
                .withLoop(true).withMaxFrames(15).withTimelineFrom(ORIGIN).withProblems(FeedProblems.silent())
                .build().run();
        List<Long> times = sink.frames.stream().map(PositionFrame::getEventTimeMs).toList();
        assertThat(times).hasSize(15).first().isEqualTo(ORIGIN);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).as("frame %d", i).isGreaterThan(times.get(i - 1));
        }
        // Without the timeline the second trial goes back to 0: what a job's watermark dead-letters as late.
        CollectingSink recorded = new CollectingSink();
        Replay.builder().setSource(p -> new ListSource(TRIALS, p)).setSink(recorded).withSpeed(Speed.MAX)
                .withProblems(FeedProblems.silent()).build().run();
        assertThat(recorded.frames.get(3).getEventTimeMs()).isLessThan(recorded.frames.get(2).getEventTimeMs());
    }

    @Test
    void aResumedReplayStampsItsFramesAsTheUninterruptedOneDid() throws IOException {
        CollectingSink whole = new CollectingSink();
        Replay.builder().setSource(p -> new ListSource(TRIALS, p)).setSink(whole).withSpeed(Speed.MAX)
                .withLoop(true).withMaxFrames(15).withTimelineFrom(ORIGIN).withProblems(FeedProblems.silent())
                .build().run();
        CollectingSink resumed = new CollectingSink();
        Replay.builder().setSource(p -> new ListSource(TRIALS, p)).setSink(resumed).withSpeed(Speed.MAX)
                .withLoop(true).withMaxFrames(15).withStartPosition(8).withTimelineFrom(ORIGIN)
                .withProblems(FeedProblems.silent()).build().run();
        assertThat(resumed.frames).isEqualTo(whole.frames.subList(8, 15));
    }
}
