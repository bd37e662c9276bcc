package dev.nristream.feed.mocap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.Agent;
import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.TestData;
import dev.nristream.io.Npy;
import dev.nristream.io.NpyArray;
import dev.nristream.model.DatasetLayout;
import dev.nristream.sim.Segments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset built from the real subject 35 trials, checked against facts found another way: frame counts read
 * from the AMC text, positions from the frame source's own subsampling, bone lengths from the ASF.
 */
class MocapDatasetTest {
    private static final int N = 31;

    @TempDir
    static Path out;

    private static Path data;
    private static AsfSkeleton skeleton;
    private static MocapDatasetSpec spec;
    private static MocapDataset.Summary summary;

    @BeforeAll
    static void build() throws IOException {
        data = TestData.cmuSubject35();
        skeleton = AsfSkeleton.parse(data.resolve("35.asf"));
        spec = MocapDatasetSpec.builder().setDataDir(data).setOutDir(out).build();
        summary = MocapDataset.write(spec);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(spec.fps()).isEqualTo(30);
        assertThat(spec.window()).isEqualTo(50);
        assertThat(spec.segment("train")).isEqualTo(60);
        assertThat(spec.segment("valid")).isEqualTo(60);
        assertThat(spec.segment("test")).isEqualTo(81);
        assertThat(spec.suffix()).isEqualTo("_mocap35");
        assertThat(spec.splits().get("train")).containsExactly("01", "02", "05", "07", "08", "09", "10", "11", "12");
        assertThat(spec.splits().get("valid")).containsExactly("13", "14", "15", "16");
        assertThat(spec.splits().get("test")).containsExactly("28", "29", "30", "31", "32", "33", "34");
    }

    @Test
    void shapesFollowTheParticleLayoutWithThreeDimensions() throws IOException {
        for (String split : List.of("train", "valid", "test")) {
            int t = split.equals("test") ? 81 : 60;
            int samples = summary.samples().get(split);
            assertThat(samples).as(split).isPositive();
            assertThat(Npy.read(DatasetLayout.file(out, DatasetLayout.LOC, split, "_mocap35")).shape())
                    .containsExactly(samples, t, 3, N);
            assertThat(Npy.read(DatasetLayout.file(out, DatasetLayout.VEL, split, "_mocap35")).shape())
                    .containsExactly(samples, t, 3, N);
            assertThat(Npy.read(DatasetLayout.file(out, DatasetLayout.EDGES, split, "_mocap35")).shape())
                    .containsExactly(samples, N, N);
        }
    }

    @Test
    void segmentCountsFollowFromTheFrameCountsInTheAmcText() throws IOException {
        for (String split : List.of("train", "valid", "test")) {
            int len = spec.segment(split);
            int hop = len - 50 + 1;
            int expected = 0;
            for (String trial : spec.splits().get(split)) {
                int frames = frameLines(data.resolve("35_" + trial + ".amc"));
                for (int phase = 0; phase < 4; phase++) {
                    int steps = (frames - phase + 3) / 4; // native frames phase, phase + 4, ...
                    if (steps >= len) {
                        int room = steps - len;
                        expected += room / hop + 1 + (room % hop == 0 ? 0 : 1);
                    }
                }
            }
            assertThat(summary.samples().get(split)).as(split).isEqualTo(expected);
        }
        // 35_30 is 253 frames: 63-64 steps at 30 Hz, too short for an 81-step test segment.
        MocapDataset.TrialSegments t30 = summary.trials().stream().filter(t -> t.trial().equals("30")).findFirst()
                .orElseThrow();
        assertThat(t30.nativeFrames()).isEqualTo(253);
        assertThat(t30.segments()).isZero();
        assertThat(t30.skippedPhases()).isEqualTo(4);
    }

    @Test
    void positionsAreTheFrameSourcesThirtyHertzFramesInMetres() throws IOException {
        // Sample 0 of train is trial 01 from its first frame; the frame source subsamples on its own (stride 4).
        double[] loc = Npy.read(DatasetLayout.file(out, DatasetLayout.LOC, "train", "_mocap35")).asDoubles();
        try (MocapFrameSource src = MocapFrameSource.open(skeleton, data.resolve("35_01.amc"),
                MocapOptions.defaults().withMetres(true).withFps(30), FeedProblems.silent())) {
            for (int step = 0; step < 60; step++) {
                PositionFrame f = src.next();
                assertThat(f.getFrameIndex()).isEqualTo(1 + 4L * step);
                for (int j = 0; j < N; j++) {
                    Agent a = f.getAgents().get(j);
                    assertThat(loc[(step * 3) * N + j]).isEqualTo(a.getX());
                    assertThat(loc[(step * 3 + 1) * N + j]).isEqualTo(a.getY());
                    assertThat(loc[(step * 3 + 2) * N + j]).isEqualTo(a.getZ());
                }
            }
        }
        // A standing person: the head is 1.4-1.9 m above the feet in every step of every split.
        for (String split : List.of("train", "valid", "test")) {
            NpyArray a = Npy.read(DatasetLayout.file(out, DatasetLayout.LOC, split, "_mocap35"));
            double[] l = a.asDoubles();
            int head = skeleton.jointNames().indexOf("head");
            int lfoot = skeleton.jointNames().indexOf("lfoot");
            int steps = (int) a.shape()[1];
            for (int s = 0; s < a.shape()[0]; s++) {
                for (int t = 0; t < steps; t++) {
                    int y = ((s * steps + t) * 3 + 1) * N;
                    assertThat(l[y + head] - l[y + lfoot]).isBetween(1.2, 1.9);
                }
            }
        }
    }

    @Test
    void boneLengthsAreTheSkeletonsInEveryStep() throws IOException {
        for (String split : List.of("train", "valid", "test")) {
            NpyArray a = Npy.read(DatasetLayout.file(out, DatasetLayout.LOC, split, "_mocap35"));
            double[] l = a.asDoubles();
            int steps = (int) a.shape()[1];
            List<String> names = skeleton.jointNames();
            for (SkeletonEdge e : skeleton.edges()) {
                int p = names.indexOf(e.parent());
                int c = names.indexOf(e.child());
                double bone = skeleton.bone(e.child()).length() * 0.0254 / 0.45;
                for (int s = 0; s < a.shape()[0]; s++) {
                    for (int t = 0; t < steps; t++) {
                        int base = (s * steps + t) * 3 * N;
                        double dx = l[base + p] - l[base + c];
                        double dy = l[base + N + p] - l[base + N + c];
                        double dz = l[base + 2 * N + p] - l[base + 2 * N + c];
                        assertThat(Math.sqrt(dx * dx + dy * dy + dz * dz)).as("%s %s sample %d step %d", split, e, s, t)
                                .isCloseTo(bone, within(1e-9));
                    }
                }
            }
        }
    }

    @Test
    void velocitiesAreCentralDifferencesOfThePositionsInMetresPerSecond() throws IOException {
        for (String split : List.of("train", "test")) {
            NpyArray la = Npy.read(DatasetLayout.file(out, DatasetLayout.LOC, split, "_mocap35"));
            double[] l = la.asDoubles();
            double[] v = Npy.read(DatasetLayout.file(out, DatasetLayout.VEL, split, "_mocap35")).asDoubles();
            int steps = (int) la.shape()[1];
            double maxSpeed = 0;
            for (int s = 0; s < la.shape()[0]; s++) {
                for (int t = 1; t < steps - 1; t++) {
                    for (int k = 0; k < 3 * N; k++) {
                        double expected = (l[(s * steps + t + 1) * 3 * N + k] - l[(s * steps + t - 1) * 3 * N + k])
                                * 30 / 2;
                        double got = v[(s * steps + t) * 3 * N + k];
                        assertThat(got).isCloseTo(expected, within(1e-9));
                        maxSpeed = Math.max(maxSpeed, Math.abs(got));
                    }
                }
            }
            // Walking: the root moves at ~1-1.5 m/s; no joint moves faster than a sprinter's hand.
            assertThat(maxSpeed).isBetween(1.0, 15.0);
        }
    }

    @Test
    void splitsShareNoTrial() throws IOException {
        // Which trial a segment came from, found by its first root position among each trial's native frames.
        Map<String, String> trialOf = new HashMap<>();
        try (Stream<Path> files = Files.list(data)) {
            for (Path amc : files.filter(p -> p.toString().endsWith(".amc")).toList()) {
                try (MocapFrameSource src = MocapFrameSource.open(skeleton, amc,
                        MocapOptions.defaults().withMetres(true), FeedProblems.silent())) {
                    src.forEachRemaining(f -> trialOf.put(key(f.getAgents().get(0)), MocapFrameSource.trialName(amc)));
                }
            }
        }
        Map<String, Set<String>> trials = new HashMap<>();
        for (String split : List.of("train", "valid", "test")) {
            NpyArray a = Npy.read(DatasetLayout.file(out, DatasetLayout.LOC, split, "_mocap35"));
            double[] l = a.asDoubles();
            int steps = (int) a.shape()[1];
            Set<String> found = new HashSet<>();
            for (int s = 0; s < a.shape()[0]; s++) {
                int base = s * steps * 3 * N;
                String trial = trialOf.get(key(l[base], l[base + N], l[base + 2 * N]));
                assertThat(trial).as("%s sample %d starts at a native frame", split, s).isNotNull();
                found.add(trial.substring(3));
            }
            trials.put(split, found);
        }
        assertThat(trials.get("train")).containsExactlyInAnyOrderElementsOf(spec.splits().get("train"));
        assertThat(trials.get("valid")).containsExactlyInAnyOrderElementsOf(spec.splits().get("valid"));
        List<String> testTrials = new ArrayList<>(spec.splits().get("test"));
        testTrials.remove("30"); // too short for a test segment
        assertThat(trials.get("test")).containsExactlyInAnyOrderElementsOf(testTrials);
    }

    @Test
    void edgesAreTheSymmetricSkeletonInEverySample() throws IOException {
        double[] e = Npy.read(DatasetLayout.file(out, DatasetLayout.EDGES, "valid", "_mocap35")).asDoubles();
        List<String> names = skeleton.jointNames();
        Set<String> expected = new HashSet<>();
        for (SkeletonEdge edge : skeleton.edges()) {
            expected.add(names.indexOf(edge.parent()) + "-" + names.indexOf(edge.child()));
            expected.add(names.indexOf(edge.child()) + "-" + names.indexOf(edge.parent()));
        }
        assertThat(expected).hasSize(60);
        for (int s = 0; s < summary.samples().get("valid"); s++) {
            Set<String> ones = new HashSet<>();
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    double v = e[(s * N + i) * N + j];
                    assertThat(v).isIn(0.0, 1.0);
                    if (v == 1) {
                        ones.add(i + "-" + j);
                    }
                }
            }
            assertThat(ones).isEqualTo(expected);
        }
    }

    @Test
    void aMissingTrialIsNamedAndNothingIsWritten(@TempDir Path empty) {
        MocapDatasetSpec bad = MocapDatasetSpec.builder().setDataDir(data).setOutDir(empty.resolve("ds"))
                .optTrials("01,03", "13", "28").build();
        assertThatThrownBy(() -> MocapDataset.write(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trial 03").hasMessageContaining("35_03.amc");
        assertThat(empty.resolve("ds")).doesNotExist();
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        MocapDatasetSpec.Builder b = MocapDatasetSpec.builder().setDataDir(data).setOutDir(out);
        assertThatThrownBy(() -> b.optFps(7).build()).hasMessageContaining("fps").hasMessageContaining("7");
        assertThatThrownBy(() -> MocapDatasetSpec.builder().setDataDir(data).setOutDir(out).optSegment(40).build())
                .hasMessageContaining("segments (40");
        assertThatThrownBy(() -> MocapDatasetSpec.builder().setDataDir(data).setOutDir(out)
                .optTrials("01-12", "12-16", "28").build()).hasMessageContaining("trial 12 is listed twice");
        assertThatThrownBy(() -> MocapDatasetSpec.builder().setDataDir(data).setOutDir(out)
                .optTrials("01,x", "13", "28").build()).hasMessageContaining("bad trial 'x'");
        assertThatThrownBy(() -> MocapDatasetSpec.builder().setDataDir(out.resolve("nope")).setOutDir(out).build())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> MocapDatasetSpec.builder().setOutDir(out).build())
                .hasMessageContaining("data directory is not set");
    }

    @Test
    void segmentStartsTileTheSeriesAndEndAtItsLastStep() {
        assertThat(Segments.starts(100, 60, 11)).containsExactly(0, 11, 22, 33, 40);
        assertThat(Segments.starts(82, 60, 11)).containsExactly(0, 11, 22);
        assertThat(Segments.starts(59, 60, 11)).isEmpty();
        assertThat(Segments.starts(60, 60, 11)).containsExactly(0);
    }

    private static String key(Agent root) {
        return key(root.getX(), root.getY(), root.getZ());
    }

    private static String key(double x, double y, double z) {
        return Math.round(x * 1e6) + "," + Math.round(y * 1e6) + "," + Math.round(z * 1e6);
    }

    private static int frameLines(Path amc) throws IOException {
        int n = 0;
        for (String line : Files.readAllLines(amc, StandardCharsets.ISO_8859_1)) {
            if (line.strip().matches("\\d+")) {
                n++;
            }
        }
        return n;
    }
}
