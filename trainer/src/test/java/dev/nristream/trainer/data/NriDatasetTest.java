package dev.nristream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.nristream.io.Npy;
import dev.nristream.io.NpyArray;
import dev.nristream.model.Normaliser;
import dev.nristream.trainer.TestSupport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NriDatasetTest {
    @TempDir
    Path dir;

    private void writeTiny(String split, int sims, int t, int n) throws Exception {
        writeTiny(split, sims, t, 2, n);
    }

    /** Values that encode their own index: sim * 1000 + step * 100 + coordinate * 10 + atom. */
    private void writeTiny(String split, int sims, int t, int dims, int n) throws Exception {
        double[] loc = new double[sims * t * dims * n];
        double[] vel = new double[loc.length];
        for (int s = 0; s < sims; s++) {
            for (int ti = 0; ti < t; ti++) {
                for (int c = 0; c < dims; c++) {
                    for (int i = 0; i < n; i++) {
                        int k = ((s * t + ti) * dims + c) * n + i;
                        loc[k] = s * 1000 + ti * 100 + c * 10 + i;
                        vel[k] = -(s * 1000 + ti * 100 + c * 10 + i) / 1000.0;
                    }
                }
            }
        }
        double[] edges = new double[sims * n * n];
        for (int s = 0; s < sims; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    edges[(s * n + i) * n + j] = i != j && (i + j + s) % 2 == 1 ? 1 : 0;
                }
            }
        }
        Npy.write(dir.resolve("loc_" + split + "_t.npy"), loc, sims, t, dims, n);
        Npy.write(dir.resolve("vel_" + split + "_t.npy"), vel, sims, t, dims, n);
        Npy.write(dir.resolve("edges_" + split + "_t.npy"), edges, sims, n, n);
    }

    @Test
    void transposesToAtomsTimeFeaturesAndNormalisesWithGlobalMinMax() throws Exception {
        writeTiny("train", 2, 3, 3);
        NriDataset d = NriDataset.load(dir, "train", "_t", null);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.atoms()).isEqualTo(3);
        assertThat(d.timesteps()).isEqualTo(3);
        Normaliser nz = d.normalisation();
        assertThat(nz.locMin()).isEqualTo(0);
        assertThat(nz.locMax()).isEqualTo(1212);
        assertThat(nz.velMin()).isEqualTo(-1.212);
        assertThat(nz.velMax()).isEqualTo(0);
        float[] f = d.features();
        // sim 1, atom 2, step 1: x = 1000 + 100 + 0 + 2, y = 1112, vx = -1.102, vy = -1.112
        int base = ((1 * 3 + 2) * 3 + 1) * 4;
        assertThat((double) f[base]).isCloseTo(nz.loc(1102), within(1e-6));
        assertThat((double) f[base + 1]).isCloseTo(nz.loc(1112), within(1e-6));
        assertThat((double) f[base + 2]).isCloseTo(nz.vel(-1.102), within(1e-6));
        assertThat((double) f[base + 3]).isCloseTo(nz.vel(-1.112), within(1e-6));
        assertThat(nz.loc(0)).isEqualTo(-1);
        assertThat(nz.loc(1212)).isEqualTo(1);
        // labels: off-diagonal entries row-major: (0,1) (0,2) (1,0) (1,2) (2,0) (2,1)
        int[] l = d.labels();
        assertThat(java.util.Arrays.copyOfRange(l, 0, 6)).containsExactly(1, 0, 1, 1, 0, 1);
        assertThat(java.util.Arrays.copyOfRange(l, 6, 12)).containsExactly(0, 1, 0, 0, 1, 0);
    }

    @Test
    void threeDimensionalDataBecomesXyzThenVelocitiesInTheContractsLayout() throws Exception {
        writeTiny("train", 2, 4, 3, 5);
        NriDataset d = NriDataset.load(dir, "train", "_t", null);
        assertThat(d.spatialDims()).isEqualTo(3);
        assertThat(d.dims()).isEqualTo(6);
        assertThat(d.featureLayout()).containsExactly("x", "y", "z", "vx", "vy", "vz");
        Normaliser nz = d.normalisation();
        assertThat(nz.locMax()).isEqualTo(1324);
        float[] f = d.features();
        // sim 1, atom 4, step 2: positions 1204, 1214, 1224; velocities their negatives / 1000
        int base = ((1 * 5 + 4) * 4 + 2) * 6;
        double[] want = {nz.loc(1204), nz.loc(1214), nz.loc(1224), nz.vel(-1.204), nz.vel(-1.214), nz.vel(-1.224)};
        for (int c = 0; c < 6; c++) {
            assertThat((double) f[base + c]).as("feature %d", c).isCloseTo(want[c], within(1e-6));
        }
        float[] w = d.gather(new int[] {1}, new int[] {1}, 2); // [1, N, 2, 6]
        assertThat(w).hasSize(5 * 2 * 6);
        assertThat((double) w[6 + 2]).isCloseTo(nz.loc(1220), within(1e-6)); // atom 0, step 2, z
        Npy.write(dir.resolve("loc_train_t.npy"), new double[2 * 4 * 4 * 5], 2, 4, 4, 5);
        assertThatThrownBy(() -> NriDataset.load(dir, "train", "_t", null))
                .hasMessageContaining("expected [sims, T, 2, N] (2D particles) or [sims, T, 3, N]");
    }

    @Test
    void gatherCopiesTimeWindows() throws Exception {
        writeTiny("train", 2, 3, 3);
        NriDataset d = NriDataset.load(dir, "train", "_t", null);
        float[] w = d.gather(new int[] {1}, 1, 2); // [1, N, 2, 4]
        assertThat(w).hasSize(3 * 2 * 4);
        assertThat((double) w[0]).isCloseTo(d.normalisation().loc(1100), within(1e-6));
        assertThat((double) w[4]).isCloseTo(d.normalisation().loc(1200), within(1e-6));
        assertThatThrownBy(() -> d.gather(new int[] {0}, 2, 2)).hasMessageContaining("outside the 3 steps");
    }

    @Test
    void missingFilesAndMismatchedShapesAreNamed() throws Exception {
        assertThatThrownBy(() -> NriDataset.load(dir, "train", "_t", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loc_train_t.npy");
        writeTiny("train", 2, 3, 3);
        Npy.write(dir.resolve("edges_train_t.npy"), new double[2 * 4 * 4], 2, 4, 4);
        assertThatThrownBy(() -> NriDataset.load(dir, "train", "_t", null))
                .hasMessageContaining("edges_train_t.npy has shape [2, 4, 4], expected [2, 3, 3]");
        Npy.write(dir.resolve("vel_train_t.npy"), new double[2 * 3 * 2 * 4], 2, 3, 2, 4);
        assertThatThrownBy(() -> NriDataset.load(dir, "train", "_t", null))
                .hasMessageContaining("vel_train_t.npy has shape [2, 3, 2, 4]");
    }

    @Test
    void djlsNpyDecoderReadsCommonsNpyFilesIdentically() throws Exception {
        TestSupport.springs(dir, 3, 4, 2, 2, 7);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            for (String f : new String[] {"loc_train_springs3.npy", "edges_valid_springs3.npy"}) {
                NpyArray ours = Npy.read(dir.resolve(f));
                NDArray djl;
                try (InputStream in = Files.newInputStream(dir.resolve(f))) {
                    djl = NDList.decode(m, in).singletonOrThrow();
                }
                assertThat(djl.getShape().getShape()).containsExactly(ours.shape());
                assertThat(djl.getDataType()).isEqualTo(DataType.FLOAT64);
                assertThat(djl.toDoubleArray()).containsExactly(ours.asDoubles());
            }
        }
    }

    @Test
    void hashCoversAllThreeFiles() throws Exception {
        writeTiny("train", 2, 3, 3);
        String h1 = NriDataset.hash(dir, "train", "_t");
        assertThat(h1).hasSize(64).isEqualTo(NriDataset.hash(dir, "train", "_t"));
        Npy.write(dir.resolve("edges_train_t.npy"), new double[2 * 3 * 3], 2, 3, 3);
        assertThat(NriDataset.hash(dir, "train", "_t")).isNotEqualTo(h1);
    }
}
