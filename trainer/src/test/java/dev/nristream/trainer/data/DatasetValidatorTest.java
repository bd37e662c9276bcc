package dev.nristream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.io.Npy;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged datasets fail at load, naming the file and the index, instead of quietly skewing results. */
class DatasetValidatorTest {

    static final int SIMS = 2;
    static final int T = 3;
    static final int N = 3;

    @TempDir
    Path dir;

    private void write(double[] loc, double[] vel, double[] edges) throws Exception {
        Npy.write(dir.resolve("loc_test.npy"), loc, SIMS, T, 2, N);
        Npy.write(dir.resolve("vel_test.npy"), vel, SIMS, T, 2, N);
        Npy.write(dir.resolve("edges_test.npy"), edges, SIMS, N, N);
    }

    private static double[] values() {
        double[] a = new double[SIMS * T * 2 * N];
        for (int k = 0; k < a.length; k++) {
            a[k] = k * 0.5;
        }
        return a;
    }

    /** Springs edges: 1 where i + j is odd, 0 elsewhere and on the diagonal. */
    private static double[] springs() {
        double[] e = new double[SIMS * N * N];
        for (int s = 0; s < SIMS; s++) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) {
                    e[(s * N + i) * N + j] = i != j && (i + j) % 2 == 1 ? 1 : 0;
                }
            }
        }
        return e;
    }

    @Test
    void validSpringsAndChargedLabelsLoad() throws Exception {
        write(values(), values(), springs());
        assertThat(NriDataset.load(dir, "test", "", null).labels()).contains(0, 1);
        double[] charged = springs();
        for (int k = 0; k < charged.length; k++) {
            charged[k] = charged[k] == 1 ? 1 : -1;
        }
        charged[0] = 1; // charged diagonal: q^2 = 1
        write(values(), values(), charged);
        assertThat(NriDataset.load(dir, "test", "", null).labels()).contains(0, 1);
    }

    @Test
    void nonFiniteValuesAreNamedWithTheirIndex() throws Exception {
        double[] loc = values();
        loc[((1 * T + 2) * 2 + 1) * N + 0] = Double.NaN; // sim 1, step 2, y, atom 0
        write(loc, values(), springs());
        assertThatThrownBy(() -> NriDataset.load(dir, "test", "", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("loc_test.npy").toString())
                .hasMessageContaining("NaN at [1, 2, 1, 0]");
        double[] vel = values();
        vel[4] = Double.POSITIVE_INFINITY;
        write(values(), vel, springs());
        assertThatThrownBy(() -> NriDataset.load(dir, "test", "", null))
                .hasMessageContaining(dir.resolve("vel_test.npy").toString())
                .hasMessageContaining("Infinity at [0, 0, 1, 1]");
    }

    @Test
    void edgeLabelsOtherThanTheSimulatorsValuesAreErrors() throws Exception {
        for (double bad : new double[] {2, 0.5, -2}) {
            double[] e = springs();
            e[(1 * N + 2) * N + 0] = bad; // sim 1, receiver 2, sender 0
            write(values(), values(), e);
            assertThatThrownBy(() -> NriDataset.load(dir, "test", "", null)).as("label " + bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(dir.resolve("edges_test.npy").toString())
                    .hasMessageContaining("edge label " + bad + " at [1, 2, 0]");
        }
        double[] mixed = springs();
        mixed[(0 * N + 1) * N + 2] = -1;
        write(values(), values(), mixed);
        assertThatThrownBy(() -> NriDataset.load(dir, "test", "", null))
                .hasMessageContaining("mixes springs labels").hasMessageContaining("-1 at [0, 1, 2]");
        // Diagonal values are not labels and are not checked.
        double[] diag = springs();
        Arrays.fill(diag, 0, 1, 7);
        write(values(), values(), diag);
        assertThat(NriDataset.load(dir, "test", "", null).size()).isEqualTo(SIMS);
    }
}
