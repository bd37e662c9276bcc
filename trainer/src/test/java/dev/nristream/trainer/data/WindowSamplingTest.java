package dev.nristream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.trainer.TestSupport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowSamplingTest {
    @TempDir
    Path dir;

    @Test
    void liveStartsCoverEveryOffsetThatLeavesRoomForTheWindow() {
        int[] s = WindowSampling.LIVE.starts(20_000, 100, 49, new Random(1));
        assertThat(Arrays.stream(s).min().getAsInt()).isZero();
        assertThat(Arrays.stream(s).max().getAsInt()).isEqualTo(51); // 100 - 49: the last window ends at step 99
        assertThat(Arrays.stream(s).distinct().count()).isEqualTo(52);
        // Roughly uniform: the first and second half of the range are drawn about equally often.
        long low = Arrays.stream(s).filter(x -> x < 26).count();
        assertThat(low).isBetween(9_000L, 11_000L);
    }

    @Test
    void aRampShowsYoungScenesFirstAndEveryAgeOnceItEnds() {
        // 100 steps, 49-step windows: 52 possible starts; a quarter of them is 13
        int[] quarter = WindowSampling.LIVE.starts(5_000, 100, 49, new Random(3), 0.25);
        assertThat(Arrays.stream(quarter).max().getAsInt()).isEqualTo(12);
        assertThat(Arrays.stream(quarter).distinct().count()).isEqualTo(13);
        assertThat(WindowSampling.LIVE.starts(100, 100, 49, new Random(3), 1e-6)).containsOnly(0);
        assertThat(WindowSampling.LIVE.starts(20, 100, 49, new Random(4), 1.0))
                .containsExactly(WindowSampling.LIVE.starts(20, 100, 49, new Random(4)));
        assertThatThrownBy(() -> WindowSampling.LIVE.starts(1, 100, 49, new Random(1), 0))
                .hasMessageContaining("reach must be in (0, 1]");

        dev.nristream.trainer.train.TrainOptions o = dev.nristream.trainer.train.TrainOptions
                .defaults(dir, "_s", dir).withWindowsRamp(4);
        assertThat(o.windowReach(0)).isEqualTo(0.25);
        assertThat(o.windowReach(2)).isEqualTo(0.75);
        assertThat(o.windowReach(3)).isEqualTo(1.0);
        assertThat(o.windowReach(50)).isEqualTo(1.0);
        assertThat(o.withWindowsRamp(0).windowReach(0)).isEqualTo(1.0);
        assertThatThrownBy(() -> o.withWindowsRamp(-1)).hasMessageContaining(">= 0 epochs");
        assertThatThrownBy(() -> new dev.nristream.trainer.train.TrainOptions(dir, "_s", dir, o.model(), 5, 8, 1e-3,
                10, 0.5, null, 1, "", false, WindowSampling.PAPER, 3)).hasMessageContaining("needs live windows");
    }

    @Test
    void paperStartsAreTheSimulationStartAndValidationStartsNeverChange() {
        assertThat(WindowSampling.PAPER.starts(5, 100, 49, new Random(1))).containsOnly(0);
        assertThat(WindowSampling.LIVE.starts(5, 49, 49, new Random(1))).containsOnly(0);
        assertThat(WindowSampling.LIVE.validationStarts(50, 999, 49))
                .containsExactly(WindowSampling.LIVE.validationStarts(50, 999, 49));
        assertThat(WindowSampling.LIVE.starts(50, 999, 49, new Random(1)))
                .isNotEqualTo(WindowSampling.LIVE.starts(50, 999, 49, new Random(2)));
        assertThatThrownBy(() -> WindowSampling.LIVE.starts(1, 40, 49, new Random(1)))
                .hasMessageContaining("40 steps, fewer than the 49-step window");
    }

    @Test
    void gatherCutsEachSampleAtItsOwnStart() throws Exception {
        TestSupport.longSprings(dir, 3, 3, 2, 2, 5, 2_000); // 19 recorded states
        NriDataset d = NriDataset.load(dir, "train", "_springs3", null);
        assertThat(d.timesteps()).isEqualTo(19);
        int[] idx = {2, 0};
        int[] starts = {7, 3};
        float[] w = d.gather(idx, starts, 5);
        float[] f = d.features();
        int n = 3;
        for (int b = 0; b < 2; b++) {
            for (int a = 0; a < n; a++) {
                for (int t = 0; t < 5; t++) {
                    for (int c = 0; c < 4; c++) {
                        float got = w[((b * n + a) * 5 + t) * 4 + c];
                        float want = f[((idx[b] * n + a) * 19 + starts[b] + t) * 4 + c];
                        assertThat(got).isEqualTo(want);
                    }
                }
            }
        }
        assertThat(d.gather(idx, 7, 5)).isNotEqualTo(w); // sample 0 would start at 7, not 3
        assertThatThrownBy(() -> d.gather(idx, new int[] {0, 15}, 5)).hasMessageContaining("[15, 20)");
    }
}
