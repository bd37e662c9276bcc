package dev.nristream.feed.nba;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.feed.TestData;
import dev.nristream.io.Npy;
import dev.nristream.model.DatasetLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The basketball dataset built from the real Cleveland tracking, checked against the CSV text read here on its own:
 * positions, velocities, the team structure, the cuts and the time split.
 */
class NbaDatasetTest {
    private static final int N = 11;
    private static final String SUFFIX = "_nba";

    @TempDir
    static Path out;

    private static List<String> csv;
    private static NbaDataset.Summary summary;

    @BeforeAll
    static void build() throws IOException {
        Path data = TestData.nba();
        csv = Files.readAllLines(data.resolve(ClevelandTracking.FRAMES_FILE));
        summary = NbaDataset.write(NbaDatasetSpec.builder().setDataDir(data).setOutDir(out).build());
    }

    /** Frame {@code f} of the CSV, agent {@code a} (10 = ball), axis 0/1, in feet. */
    private static double csvFeet(int f, int a, int axis) {
        String[] c = csv.get(1 + f).split(",");
        return Double.parseDouble(c[1 + 2 * a + axis]) * (axis == 0 ? 94.0 : 50.0);
    }

    private static double[] read(String kind, String split) throws IOException {
        return Npy.read(DatasetLayout.file(out, kind, split, SUFFIX)).asDoubles();
    }

    @Test
    void shapesAreSegmentsOfTwentyFiveStepsOfElevenAgentsInTwoDimensions() throws IOException {
        for (String split : NbaDataset.SPLITS) {
            int n = summary.samples().get(split);
            assertThat(n).as(split).isPositive();
            assertThat(Npy.read(DatasetLayout.file(out, DatasetLayout.LOC, split, SUFFIX)).shape())
                    .containsExactly(n, 25, 2, N);
            assertThat(Npy.read(DatasetLayout.file(out, DatasetLayout.EDGES, split, SUFFIX)).shape())
                    .containsExactly(n, N, N);
        }
        assertThat(summary.agents()).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9",
                "ball");
    }

    @Test
    void firstTrainingSegmentIsTheFirstTwentyFiveFramesInFeet() throws IOException {
        // Play 0 is frames [0, 75) in the plays file and holds no jump, so segment 0 is frames 0..24.
        double[] loc = read(DatasetLayout.LOC, "train");
        for (int t = 0; t < 25; t++) {
            for (int axis = 0; axis < 2; axis++) {
                for (int a = 0; a < N; a++) {
                    assertThat(loc[(t * 2 + axis) * N + a]).as("t %d axis %d agent %d", t, axis, a)
                            .isCloseTo(csvFeet(t, a, axis), within(1e-9));
                }
            }
        }
        // The second starts two frames later (training hop 2).
        assertThat(loc[25 * 2 * N]).isCloseTo(csvFeet(2, 0, 0), within(1e-9));
    }

    @Test
    void velocitiesAreCentralDifferencesInFeetPerSecond() throws IOException {
        double[] loc = read(DatasetLayout.LOC, "train");
        double[] vel = read(DatasetLayout.VEL, "train");
        // Interior steps of segment 0 from the CSV; step 0 is the play's first frame: a one-sided difference.
        for (int t = 1; t < 24; t++) {
            for (int a = 0; a < N; a++) {
                double expected = (csvFeet(t + 1, a, 0) - csvFeet(t - 1, a, 0)) / 0.4;
                assertThat(vel[(t * 2) * N + a]).isCloseTo(expected, within(1e-9));
            }
        }
        assertThat(vel[0]).isCloseTo((csvFeet(1, 0, 0) - csvFeet(0, 0, 0)) / 0.2, within(1e-9));
        // Players stay on (or just off) the court and move at human speeds.
        int samples = summary.samples().get("train");
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < 25; t++) {
                for (int a = 0; a < 10; a++) {
                    int i = ((s * 25 + t) * 2) * N + a;
                    assertThat(loc[i]).isBetween(-10.0, 104.0);
                    assertThat(loc[i + N]).isBetween(-10.0, 60.0);
                    assertThat(Math.hypot(vel[i], vel[i + N])).as("speed ft/s").isLessThan(50.0);
                }
            }
        }
    }

    @Test
    void noSegmentHoldsAJumpOfMoreThanTenFeetBetweenFrames() throws IOException {
        for (String split : NbaDataset.SPLITS) {
            double[] loc = read(DatasetLayout.LOC, split);
            int samples = summary.samples().get(split);
            for (int s = 0; s < samples; s++) {
                for (int t = 1; t < 25; t++) {
                    for (int a = 0; a < 10; a++) {
                        int now = ((s * 25 + t) * 2) * N + a;
                        int before = ((s * 25 + t - 1) * 2) * N + a;
                        double step = Math.hypot(loc[now] - loc[before], loc[now + N] - loc[before + N]);
                        assertThat(step).as("%s segment %d step %d player %d", split, s, t, a).isLessThanOrEqualTo(10.0);
                    }
                }
            }
        }
        // The raw data do hold such jumps inside plays: the cuts are real.
        assertThat(summary.splits().stream().mapToInt(NbaDataset.SplitReport::cuts).sum()).isPositive();
    }

    @Test
    void splitsAreConsecutiveRunsOfPlaysInTimeOrder() {
        List<NbaDataset.SplitReport> r = summary.splits();
        assertThat(r).extracting(NbaDataset.SplitReport::split).containsExactly("train", "valid", "test");
        assertThat(r.get(0).firstPlay()).isZero();
        assertThat(r.get(1).firstPlay()).isEqualTo(r.get(0).lastPlay() + 1);
        assertThat(r.get(2).firstPlay()).isEqualTo(r.get(1).lastPlay() + 1);
        assertThat(r.get(2).lastPlay()).isEqualTo(241);
        assertThat(r.stream().mapToInt(NbaDataset.SplitReport::plays).sum()).isEqualTo(242);
        assertThat(r.get(0).plays()).isEqualTo(169); // 70% of 242
        // Validation and test segments do not overlap: at most one per 25 frames used.
        for (int i = 1; i < 3; i++) {
            assertThat(r.get(i).segments()).isLessThanOrEqualTo(r.get(i).framesUsed() / 25 + r.get(i).sequences());
        }
    }

    @Test
    void edgesLinkPlayersOfOneTeamAndNeverTheBall() throws IOException {
        double[] e = read(DatasetLayout.EDGES, "test");
        int ones = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double v = e[i * N + j];
                assertThat(v).isEqualTo(e[j * N + i]);
                boolean sameTeam = i != j && i < 10 && j < 10 && (i < 5) == (j < 5);
                assertThat(v).as("%d-%d", i, j).isEqualTo(sameTeam ? 1.0 : 0.0);
                ones += (int) v;
            }
        }
        assertThat(ones).isEqualTo(40);
    }

    @Test
    void withoutTheBallTenAgents() throws IOException {
        Path dir = out.resolve("noball");
        NbaDataset.Summary s = NbaDataset.write(NbaDatasetSpec.builder().setDataDir(TestData.nba()).setOutDir(dir)
                .optBall(false).build());
        assertThat(s.agents()).hasSize(10).doesNotContain("ball");
        assertThat(Npy.read(DatasetLayout.file(dir, DatasetLayout.LOC, "test", SUFFIX)).shape())
                .containsExactly(s.samples().get("test"), 25, 2, 10);
        assertThat(s.samples()).isEqualTo(summary.samples());
    }

    @Test
    void aMalformedValueIsNamedWithFileLineAndColumn() throws IOException {
        Path dir = out.resolve("bad");
        Files.createDirectories(dir);
        List<String> lines = new java.util.ArrayList<>(csv.subList(0, 200));
        lines.set(57, lines.get(57).replaceFirst(",[^,]*,", ",abc,")); // frame 56's p0_x
        Files.write(dir.resolve(ClevelandTracking.FRAMES_FILE), lines);
        Files.write(dir.resolve(ClevelandTracking.PLAYS_FILE), List.of("play,start_frame,stop_frame", "0,0,100",
                "1,100,199"));
        assertThatThrownBy(() -> NbaDataset.write(NbaDatasetSpec.builder().setDataDir(dir).setOutDir(dir.resolve("o"))
                .build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ClevelandTracking.FRAMES_FILE + ":58").hasMessageContaining("p0_x")
                .hasMessageContaining("'abc'");

        lines.set(57, csv.get(57));
        Files.write(dir.resolve(ClevelandTracking.FRAMES_FILE), lines);
        Files.write(dir.resolve(ClevelandTracking.PLAYS_FILE), List.of("play,start_frame,stop_frame", "0,0,100",
                "1,90,199"));
        assertThatThrownBy(() -> NbaDataset.write(NbaDatasetSpec.builder().setDataDir(dir).setOutDir(dir.resolve("o"))
                .build())).hasMessageContaining(ClevelandTracking.PLAYS_FILE + ":3").hasMessageContaining("overlaps");

        assertThatThrownBy(() -> NbaDataset.write(NbaDatasetSpec.builder().setDataDir(out.resolve("none"))
                .setOutDir(dir.resolve("o")).build())).hasMessageContaining("no such file")
                .hasMessageContaining(ClevelandTracking.FRAMES_FILE);
    }
}
