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

    /** Kuramoto-style feat_ [sims, N, T, D]: value = sim * 1000 + atom * 100 + step * 10 + feature, scaled. */
    private double[] writeFeatures(String split, int sims, int n, int t, int d) throws Exception {
        double[] feat = new double[sims * n * t * d];
        for (int k = 0; k < feat.length; k++) {
            int c = k % d;
            int ti = (k / d) % t;
            int i = (k / (d * t)) % n;
            int s = k / (d * t * n);
            feat[k] = (s * 1000 + i * 100 + ti * 10 + c) * (c + 1.0); // every feature its own range
        }
        double[] edges = new double[sims * n * n];
        for (int s = 0; s < sims; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    edges[(s * n + i) * n + j] = i != j && (2 * i + j + s) % 3 == 0 ? 1 : 0; // directed
                }
            }
        }
        Npy.write(dir.resolve("feat_" + split + "_k.npy"), feat, sims, n, t, d);
        Npy.write(dir.resolve("edges_" + split + "_k.npy"), java.util.Arrays.stream(edges)
                .mapToLong(v -> (long) v).toArray(), sims, n, n);
        return feat;
    }

    @Test
    void kuramotoFeaturesAreScaledPerFeatureAndKeepTheirDirectedLabels() throws Exception {
        int sims = 3;
        int n = 4;
        int t = 5;
        int d = 4;
        double[] raw = writeFeatures("train", sims, n, t, d);
        writeFeatures("valid", 1, n, t, d);
        assertThat(NriDataset.isFeatureDataset(dir, "train", "_k")).isTrue();
        NriDataset train = NriDataset.load(dir, "train", "_k", null);
        assertThat(train.featureLayout()).containsExactly("dphi_dt", "sin_phi", "phi", "omega");
        assertThat(train.dims()).isEqualTo(4);
        assertThat(train.hasPositions()).isFalse();
        assertThat(train.timesteps()).isEqualTo(t);
        Normaliser norm = train.normalisation();
        assertThat(norm.isPerFeature()).isTrue();
        assertThat(norm.featureCount()).isEqualTo(d);
        float[] f = train.features();
        for (int c = 0; c < d; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int k = c; k < f.length; k += d) {
                lo = Math.min(lo, f[k]);
                hi = Math.max(hi, f[k]);
            }
            assertThat(lo).as("feature %d min", c).isCloseTo(-1, within(1e-6));
            assertThat(hi).as("feature %d max", c).isCloseTo(1, within(1e-6));
        }
        // same [sims, N, T, D] order, each feature by its own range: sim 2, atom 3, step 4, feature 2
        int k = ((2 * n + 3) * t + 4) * d + 2;
        double min2 = 2 * 3.0;                                    // sim 0, atom 0, step 0, feature 2, times 3
        double max2 = (2 * 1000 + 3 * 100 + 4 * 10 + 2) * 3.0;
        assertThat(f[k]).isCloseTo((float) (2 * (raw[k] - min2) / (max2 - min2) - 1), within(1e-6f));
        assertThat(f[k]).isCloseTo(1f, within(1e-6f));
        // label of edge (receiver i, sender j) is K_ij of the file
        int[] labels = train.labels();
        dev.nristream.model.EdgeOrder.forEach(n, (e, i, j) -> assertThat(labels[2 * n * (n - 1) + e])
                .as("edge %d (%d <- %d)", e, i, j).isEqualTo((2 * i + j + 2) % 3 == 0 ? 1 : 0));

        NriDataset valid = NriDataset.load(dir, "valid", "_k", norm);
        assertThat(valid.normalisation()).isEqualTo(norm);
        assertThat(valid.features()[0]).isEqualTo(train.features()[0]); // sim 0 of both: same values, same scale

        Normaliser particles = new Normaliser(0, 1, 0, 1);
        assertThatThrownBy(() -> NriDataset.load(dir, "valid", "_k", particles))
                .hasMessageContaining("position and velocity ranges");
        String h = NriDataset.hash(dir, "train", "_k");
        writeFeatures("train", 2, n, t, d);
        assertThat(NriDataset.hash(dir, "train", "_k")).isNotEqualTo(h);
    }

    @Test
    void aPerFeatureNormalisationSurvivesJson() throws Exception {
        Normaliser n = Normaliser.perFeature(new double[] {-2, 0, 1}, new double[] {2, 0.5, 10});
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String text = json.writeValueAsString(n);
        assertThat(text).contains("\"feature_min\":[-2.0,0.0,1.0]").doesNotContain("loc_min");
        Normaliser back = json.readValue(text, Normaliser.class);
        assertThat(back).isEqualTo(n);
        assertThat(back.feature(2, 10)).isEqualTo(1.0);
        assertThat(back.unFeature(1, back.feature(1, 0.3))).isCloseTo(0.3, within(1e-12));
        assertThatThrownBy(() -> Normaliser.perFeature(new double[] {0, 1}, new double[] {1, 1}))
                .hasMessageContaining("feature 1");
        assertThatThrownBy(() -> new Normaliser(0, 1, 0, 1).feature(0, 0.5))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDamagedKuramotoFileIsNamed() throws Exception {
        writeFeatures("train", 2, 3, 4, 4);
        double[] bad = new double[2 * 3 * 4 * 4];
        bad[((1 * 3 + 2) * 4 + 3) * 4 + 1] = Double.NaN;
        Npy.write(dir.resolve("feat_train_k.npy"), bad, 2, 3, 4, 4);
        assertThatThrownBy(() -> NriDataset.load(dir, "train", "_k", null))
                .hasMessageContaining("feat_train_k.npy").hasMessageContaining("simulation 1, oscillator 2, step 3, "
                        + "feature 1");
        writeFeatures("train", 2, 3, 4, 4);
        Npy.write(dir.resolve("edges_train_k.npy"), new long[] {0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0}, 2, 3, 3);
        assertThatThrownBy(() -> NriDataset.load(dir, "train", "_k", null))
                .hasMessageContaining("edges_train_k.npy").hasMessageContaining("must be 0 or 1");
    }
}
