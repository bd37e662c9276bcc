package dev.nristream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.io.Npy;
import dev.nristream.io.NpyArray;
import dev.nristream.io.NpyDType;
import dev.nristream.sim.DatasetSpec.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetGeneratorTest {
    @TempDir
    Path tmp;

    private static DatasetSpec.Builder spec(SimSystem system, int atoms, Path out) {
        return DatasetSpec.builder()
                .setConfig(SimConfig.builder().setSystem(system).setAtoms(atoms).build())
                .setOutDir(out)
                .optCounts(37, 5, 3)
                .optLength(300)
                .optLengthTest(500)
                .optSeed(7);
    }

    @Test
    void writesTheResearchLayoutForParticles() throws IOException {
        AtomicLong progress = new AtomicLong();
        DatasetSummary summary = new DatasetGenerator().generate(spec(SimSystem.SPRINGS, 5, tmp).optThreads(2).build(),
                progress::addAndGet);
        assertThat(progress.get()).isEqualTo(45);
        assertThat(summary.simulations()).isEqualTo(45);
        assertThat(summary.files()).extracting(f -> f.path().getFileName().toString()).containsExactly(
                "loc_train_springs5.npy", "vel_train_springs5.npy", "edges_train_springs5.npy",
                "loc_valid_springs5.npy", "vel_valid_springs5.npy", "edges_valid_springs5.npy",
                "loc_test_springs5.npy", "vel_test_springs5.npy", "edges_test_springs5.npy");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }

        NpyArray loc = Npy.read(tmp.resolve("loc_test_springs5.npy"));
        NpyArray vel = Npy.read(tmp.resolve("vel_test_springs5.npy"));
        NpyArray edges = Npy.read(tmp.resolve("edges_test_springs5.npy"));
        assertThat(loc.dtype()).isEqualTo(NpyDType.FLOAT64);
        assertThat(loc.shape()).containsExactly(3, 4, 2, 5);
        assertThat(edges.dtype()).isEqualTo(NpyDType.FLOAT64);
        assertThat(edges.shape()).containsExactly(3, 5, 5);
        assertThat(Npy.readHeader(tmp.resolve("loc_train_springs5.npy")).shape()).containsExactly(37, 2, 2, 5);

        // Scene i of a split is simulate(runSeed(seed, split), i).
        SimConfig testCfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).optLength(500).build();
        Scene s2 = Simulators.forConfig(testCfg).simulate(DatasetGenerator.runSeed(7, Split.TEST), 2);
        double[] l = loc.asDoubles();
        double[] v = vel.asDoubles();
        long[] e = edges.asLongs();
        int per = 4 * 2 * 5;
        for (int k = 0; k < per; k++) {
            assertThat(l[2 * per + k]).isEqualTo(s2.locFlat()[k]);
            assertThat(v[2 * per + k]).isEqualTo(s2.velFlat()[k]);
        }
        for (int k = 0; k < 25; k++) {
            assertThat(e[2 * 25 + k]).isEqualTo(s2.edgesFlat()[k]);
        }
    }

    @Test
    void outputIsIdenticalForAnyThreadCount() throws IOException {
        for (SimSystem system : SimSystem.values()) {
            Path one = tmp.resolve(system.id() + "-1");
            Path three = tmp.resolve(system.id() + "-3");
            new DatasetGenerator().generate(spec(system, 3, one).optThreads(1).build(), n -> { });
            new DatasetGenerator().generate(spec(system, 3, three).optThreads(3).build(), n -> { });
            try (Stream<Path> files = Files.list(one)) {
                for (Path f : files.toList()) {
                    assertThat(Files.readAllBytes(three.resolve(f.getFileName())))
                            .as(f.getFileName().toString())
                            .isEqualTo(Files.readAllBytes(f));
                }
            }
        }
    }

    @Test
    void kuramotoWritesFeaturesCutFromTestLengthRuns() throws IOException {
        DatasetSpec s = spec(SimSystem.KURAMOTO, 3, tmp).optThreads(2).build();
        DatasetSummary summary = new DatasetGenerator().generate(s, n -> { });
        assertThat(summary.files()).extracting(f -> f.path().getFileName().toString()).containsExactly(
                "feat_train_kuramoto3.npy", "edges_train_kuramoto3.npy",
                "feat_valid_kuramoto3.npy", "edges_valid_kuramoto3.npy",
                "feat_test_kuramoto3.npy", "edges_test_kuramoto3.npy",
                "feat_train_small_kuramoto3.npy", "edges_train_small_kuramoto3.npy");
        NpyArray feat = Npy.read(tmp.resolve("feat_train_kuramoto3.npy"));
        assertThat(feat.dtype()).isEqualTo(NpyDType.FLOAT32);
        assertThat(feat.shape()).containsExactly(37, 3, 2, 4);
        NpyArray edges = Npy.read(tmp.resolve("edges_train_kuramoto3.npy"));
        assertThat(edges.dtype()).isEqualTo(NpyDType.INT64);
        assertThat(edges.shape()).containsExactly(37, 3, 3);
        assertThat(Npy.readHeader(tmp.resolve("feat_test_kuramoto3.npy")).shape()).containsExactly(3, 3, 4, 4);
        assertThat(Npy.readHeader(tmp.resolve("feat_train_small_kuramoto3.npy")).shape()).containsExactly(37, 3, 2, 4);

        // Train scene 5 is the test-length run, normalised over its whole window, cut to 2 steps.
        SimConfig full = s.config(Split.TEST);
        Scene scene = Simulators.forConfig(full).simulate(DatasetGenerator.runSeed(7, Split.TRAIN), 5);
        double[][][] f = scene.features();
        float[] data = feat.asFloats();
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 2; t++) {
                for (int d = 0; d < 4; d++) {
                    assertThat(data[((5 * 3 + i) * 2 + t) * 4 + d]).isEqualTo((float) f[i][t][d]);
                }
            }
        }
        assertThat(Files.readAllBytes(tmp.resolve("feat_train_small_kuramoto3.npy")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("feat_train_kuramoto3.npy")));
    }

    @Test
    void symmetricKuramotoGetsTheUndirSuffix() {
        SimConfig c = SimConfig.builder().setSystem(SimSystem.KURAMOTO).setAtoms(5).optSymmetric(true).build();
        assertThat(DatasetSpec.defaultSuffix(c)).isEqualTo("_kuramoto5undir");
        assertThat(DatasetSpec.defaultSuffix(SimConfig.builder().setSystem(SimSystem.CHARGED).setAtoms(10).build()))
                .isEqualTo("_charged10");
    }

    @Test
    void edgesCanBeWrittenAsInt64() throws IOException {
        new DatasetGenerator().generate(spec(SimSystem.CHARGED, 4, tmp).optEdgeDtype(NpyDType.INT64).build(), n -> { });
        NpyArray edges = Npy.read(tmp.resolve("edges_valid_charged4.npy"));
        assertThat(edges.dtype()).isEqualTo(NpyDType.INT64);
        for (long v : edges.asLongs()) {
            assertThat(v).isIn(-1L, 1L);
        }
    }

    @Test
    void badSpecsAreNamed() throws IOException {
        assertThatThrownBy(() -> spec(SimSystem.SPRINGS, 5, tmp).optCounts(-1, 0, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counts must be >= 0");
        assertThatThrownBy(() -> spec(SimSystem.SPRINGS, 5, tmp).optThreads(0).build())
                .hasMessageContaining("threads must be at least 1");
        assertThatThrownBy(() -> spec(SimSystem.SPRINGS, 5, tmp).optLengthTest(550).build())
                .hasMessageContaining("length (550) must be a multiple of the sample frequency (100)");
        assertThatThrownBy(() -> spec(SimSystem.SPRINGS, 5, tmp).optLength(100).build())
                .hasMessageContaining("must be greater than the sample frequency");
        assertThatThrownBy(() -> DatasetSpec.builder().setOutDir(tmp).build())
                .hasMessageContaining("simulation config is not set");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        DatasetSpec blocked = spec(SimSystem.SPRINGS, 5, file.resolve("sub")).build();
        assertThatThrownBy(() -> new DatasetGenerator().generate(blocked, n -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot create output directory " + file.resolve("sub"));
    }
}
