package dev.nristream.job.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneWindowerTest {

    static final String[] IDS = {"a", "b"};

    /** Agent a moves along x at 1 unit/s, agent b sits at y = 5; time t in ms. */
    static FrameSample frame(long index, long t) {
        double s = t / 1000.0;
        return FrameSample.of(index, t, 2, IDS, new double[] {s, 0, 0, 5}, null);
    }

    static List<ResampledWindow> feed(SceneWindower w, SceneWindowState st, long periodMs, int frames) {
        List<ResampledWindow> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            SceneWindower.Result r = w.add(st, frame(i, 1000 + i * periodMs));
            assertThat(r.outcome()).isEqualTo(SceneWindower.Outcome.ACCEPTED);
            if (r.window() != null) {
                out.add(r.window());
            }
        }
        return out;
    }

    @Test
    void sameRateFramesPassThroughAndWindowsFollowTheStride() {
        SceneWindower w = new SceneWindower(new WindowSpec(5, 100, 2, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        List<ResampledWindow> windows = feed(w, st, 100, 11);
        // windows end at frames 4, 6, 8, 10
        assertThat(windows).extracting(ResampledWindow::endFrame).containsExactly(4L, 6L, 8L, 10L);
        assertThat(windows).extracting(ResampledWindow::startFrame).containsExactly(0L, 2L, 4L, 6L);
        ResampledWindow last = windows.get(3);
        assertThat(last.endTimeMs()).isEqualTo(2000);
        assertThat(last.agentIds()).containsExactly("a", "b");
        double[] a = last.positions().get(0);
        for (int s = 0; s < 5; s++) {
            assertThat(a[s * 2]).isEqualTo((1000 + (6 + s) * 100) / 1000.0);
        }
        assertThat(last.positions().get(1)[1]).isEqualTo(5.0);
        // only what the next window needs is kept
        assertThat(st.size()).isLessThanOrEqualTo(5);
    }

    @Test
    void fasterFeedIsDecimatedToTheModelPeriod() {
        SceneWindower w = new SceneWindower(new WindowSpec(5, 100, 5, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        List<ResampledWindow> windows = feed(w, st, 40, 30); // 25 Hz for 1.2 s
        assertThat(windows).isNotEmpty();
        for (ResampledWindow rw : windows) {
            double[] a = rw.positions().get(0);
            for (int s = 0; s < 5; s++) {
                double expected = (rw.startTimeMs() + s * 100) / 1000.0;
                assertThat(a[s * 2]).isCloseTo(expected, within(1e-9));
            }
            assertThat(rw.endTimeMs() - rw.startTimeMs()).isEqualTo(400);
        }
    }

    @Test
    void slowerFeedIsInterpolated() {
        SceneWindower w = new SceneWindower(new WindowSpec(5, 100, 1, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        List<ResampledWindow> windows = feed(w, st, 250, 6); // 4 Hz
        assertThat(windows).isNotEmpty();
        ResampledWindow rw = windows.get(windows.size() - 1);
        for (int s = 0; s < 5; s++) {
            assertThat(rw.positions().get(0)[s * 2]).isCloseTo((rw.startTimeMs() + s * 100) / 1000.0, within(1e-9));
            assertThat(Double.isNaN(rw.positions().get(0)[s * 2])).isFalse();
        }
    }

    @Test
    void duplicatesAndStaleFramesAreDropped() {
        SceneWindower w = new SceneWindower(new WindowSpec(3, 100, 1, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        feed(w, st, 100, 10);
        assertThat(w.add(st, frame(9, 1900)).outcome()).isEqualTo(SceneWindower.Outcome.DUPLICATE);
        assertThat(w.add(st, frame(1, 1100)).outcome()).isEqualTo(SceneWindower.Outcome.STALE);
        assertThat(st.maxEvictedIndex).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aFrameWhoseTimeContradictsItsIndexIsRefused() {
        SceneWindower w = new SceneWindower(new WindowSpec(5, 100, 1, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        assertThat(w.add(st, frame(3, 1300)).outcome()).isEqualTo(SceneWindower.Outcome.ACCEPTED);
        assertThat(w.add(st, frame(4, 1250)).outcome()).as("later index, earlier time")
                .isEqualTo(SceneWindower.Outcome.TIME_BACKWARDS);
        assertThat(w.add(st, frame(2, 1350)).outcome()).as("earlier index, later time")
                .isEqualTo(SceneWindower.Outcome.TIME_BACKWARDS);
        assertThat(w.add(st, frame(1, 1100)).outcome()).as("out of order but consistent")
                .isEqualTo(SceneWindower.Outcome.ACCEPTED);
        assertThat(st.frames).extracting(f -> f.frameIndex).containsExactly(1L, 3L);
    }

    @Test
    void outOfOrderFrameIsSortedIn() {
        SceneWindower w = new SceneWindower(new WindowSpec(4, 100, 4, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        long[] order = {0, 1, 3, 2};
        ResampledWindow got = null;
        for (long i : order) {
            SceneWindower.Result r = w.add(st, frame(i, 1000 + i * 100));
            assertThat(r.outcome()).isEqualTo(SceneWindower.Outcome.ACCEPTED);
            if (r.window() != null) {
                got = r.window();
            }
        }
        // frame 3 completed the window before frame 2 arrived: step 2 was interpolated from frames 1 and 3
        assertThat(got).isNotNull();
        assertThat(got.positions().get(0)[2 * 2]).isCloseTo(1.2, within(1e-9));
        assertThat(st.frames).extracting(f -> f.frameIndex).isSorted();
    }

    @Test
    void afterAGapOnlyTheLatestDueWindowIsProduced() {
        SceneWindower w = new SceneWindower(new WindowSpec(3, 100, 1, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        feed(w, st, 100, 4);
        long before = st.windows;
        SceneWindower.Result r = w.add(st, frame(50, 1000 + 50 * 100));
        assertThat(st.windows).isEqualTo(before + 1);
        assertThat(r.window().endFrame()).isEqualTo(50);
        // the two earlier grid steps have no frame on both sides: every agent is missing there
        assertThat(Double.isNaN(r.window().positions().get(0)[0])).isTrue();
        assertThat(r.window().positions().get(0)[4]).isEqualTo(6.0);
    }

    @Test
    void agentsJoiningMidWindowAreMissingBeforeTheyJoin() {
        SceneWindower w = new SceneWindower(new WindowSpec(4, 100, 4, 0.25, 2));
        SceneWindowState st = new SceneWindowState();
        ResampledWindow got = null;
        for (int i = 0; i < 4; i++) {
            String[] ids = i < 2 ? new String[] {"a"} : new String[] {"a", "c"};
            double[] p = i < 2 ? new double[] {i, 0} : new double[] {i, 0, 9, 9};
            SceneWindower.Result r = w.add(st, FrameSample.of(i, i * 100L, 2, ids, p, null));
            if (r.window() != null) {
                got = r.window();
            }
        }
        assertThat(got.agentIds()).containsExactly("a", "c");
        double[] c = got.positions().get(1);
        assertThat(Double.isNaN(c[0])).isTrue();
        assertThat(Double.isNaN(c[2])).isTrue();
        assertThat(c[4]).isEqualTo(9.0);
    }
}
