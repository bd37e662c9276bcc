package dev.nristream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.io.Npy;
import dev.nristream.model.DatasetLayout;
import dev.nristream.model.Normaliser;
import dev.nristream.trainer.TestSupport;
import dev.nristream.trainer.data.NriDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the simulator's walls are, read from a dataset's provenance, and which forecasts come near them, checked
 * against the raw positions of long springs scenes (whose particles reach the walls).
 */
class BoxWallsTest {
    @TempDir
    Path tmp;

    @Test
    void theHalfWidthComesFromTheProvenanceOrTheSimulatorsFixedBox() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("d"));
        Path f = d.resolve(DatasetLayout.provenanceFileName("_springs5"));
        Files.writeString(f, "{\"reproduce\": \"./nri simulate --system springs --atoms 5\", \"walls_half_width\": 3.5}");
        assertThat(BoxWalls.of(d, "_springs5")).hasValueSatisfying(w -> assertThat(w.halfWidth()).isEqualTo(3.5));
        // written before the key: ./nri simulate always used the simulator's box for particles
        Files.writeString(f, "{\"reproduce\": \"./nri simulate --system charged --atoms 5 --seed 1\"}");
        assertThat(BoxWalls.of(d, "_springs5")).hasValueSatisfying(w -> assertThat(w.halfWidth()).isEqualTo(5.0));
        Files.writeString(f, "{\"reproduce\": \"./nri simulate --system kuramoto --atoms 5\"}");
        assertThat(BoxWalls.of(d, "_springs5")).isEmpty();
        Files.writeString(f, "{\"reproduce\": \"./nri nba dataset --data x\"}");
        assertThat(BoxWalls.of(d, "_springs5")).isEmpty();
        assertThat(BoxWalls.of(d, "_other")).isEmpty();
        assertThatThrownBy(() -> new BoxWalls(0)).hasMessageContaining("positive");
    }

    @Test
    void aForecastIsNearAWallFromTheFirstStepAParticleIsWithinTheBand() throws Exception {
        int atoms = 3;
        int steps = 199; // 20,000 integration steps: long enough for the particles to reach the walls
        Path dir = TestSupport.longSprings(tmp.resolve("long"), atoms, 4, 4, 12, 5, 20_000);
        String sfx = TestSupport.suffix(atoms);
        NriDataset test = NriDataset.load(dir, "test", sfx, null);
        Normaliser norm = test.normalisation();
        assertThat(test.timesteps()).isEqualTo(steps);
        // raw positions [sims, T, 2, N] as the simulator wrote them
        float[] loc = Npy.read(dir.resolve("loc_test" + sfx + ".npy")).asFloats();
        BoxWalls walls = new BoxWalls(5.0);
        int[] idx = new int[test.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        int horizon = 20;
        int near = 0;
        int away = 0;
        for (int start = 0; start + horizon + 1 <= steps; start += 30) {
            int[] first = walls.firstNearWall(test.gather(idx, start, horizon + 1), idx.length, atoms, horizon + 1,
                    test);
            for (int s = 0; s < idx.length; s++) {
                int expected = horizon + 1;
                search:
                for (int t = 0; t <= horizon; t++) {
                    for (int c = 0; c < 2; c++) {
                        for (int a = 0; a < atoms; a++) {
                            float x = loc[((s * steps + start + t) * 2 + c) * atoms + a];
                            if (Math.abs(x) >= 4.5) {
                                expected = Math.max(t, 1);
                                break search;
                            }
                        }
                    }
                }
                assertThat(first[s]).as("sample %d, start %d", s, start).isEqualTo(expected);
                if (expected <= horizon) {
                    near++;
                } else {
                    away++;
                }
            }
        }
        assertThat(near).isPositive();
        assertThat(away).isPositive();
        assertThat(norm.locMax()).isGreaterThan(4.5f);
    }
}
