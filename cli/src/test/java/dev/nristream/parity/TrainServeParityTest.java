package dev.nristream.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.sim.DatasetGenerator;
import dev.nristream.sim.DatasetSpec;
import dev.nristream.sim.Scene;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.sim.Simulators;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowFeatures;
import dev.nristream.job.window.WindowSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No train/serve skew: one simulated scene through the stream's path (frames -> {@link SceneWindower} ->
 * {@link FeatureBuilder}) and through the trainer's (the .npy dataset -> {@link NriDataset}, normalised with the
 * model's constants) gives the same encoder inputs, for windows at every scene age the stream produces.
 */
class TrainServeParityTest {
    private static final long SEED = 11;
    private static final int ATOMS = 5;

    @TempDir
    Path dir;

    static ModelSpec shippedSprings() {
        return ModelDirectory.open(Path.of(System.getProperty("nri.project.root", ".."), "models", "springs5")).spec();
    }

    @Test
    void streamWindowsEqualTheTrainersWindowsOfTheSameScene() throws Exception {
        ModelSpec spec = shippedSprings();
        int t = spec.windowLength();
        SimConfig sim = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(ATOMS).build();
        new DatasetGenerator().generate(DatasetSpec.builder().setConfig(sim).setOutDir(dir).optCounts(2, 2, 1)
                .optLength(20_000).optLengthTest(20_000).optSeed(SEED).optThreads(1).build(), x -> { });
        NriDataset test = NriDataset.load(dir, "test", "_springs5", spec.normalisation()); // 199 states, 10 Hz
        Scene scene = Simulators.forConfig(SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(ATOMS)
                .optLength(20_000).build())
                .simulate(DatasetGenerator.runSeed(SEED, DatasetSpec.Split.TEST), 0);

        // The feed: one frame per recorded state, 100 ms apart, positions and velocities per agent.
        double periodMs = 1000.0 / spec.samplingRateHz();
        String[] ids = new String[ATOMS];
        for (int i = 0; i < ATOMS; i++) {
            ids[i] = "p" + i;
        }
        SceneWindower windower = new SceneWindower(WindowSpec.forModel(spec, 10));
        FeatureBuilder features = new FeatureBuilder(spec, windower.spec());
        SceneWindowState state = new SceneWindowState();
        List<WindowFeatures> windows = new ArrayList<>();
        double[][][] loc = scene.loc();
        double[][][] vel = scene.vel();
        for (int k = 0; k < loc.length; k++) {
            double[] p = new double[ATOMS * 2];
            double[] v = new double[ATOMS * 2];
            for (int i = 0; i < ATOMS; i++) {
                for (int d = 0; d < 2; d++) {
                    p[i * 2 + d] = loc[k][d][i];
                    v[i * 2 + d] = vel[k][d][i];
                }
            }
            SceneWindower.Result r = windower.add(state, FrameSample.of(k, 1_700_000_000_000L
                    + Math.round(k * periodMs), 2, ids, p, v));
            if (r.window() != null) {
                windows.add(features.build(r.window()));
            }
        }
        assertThat(windows).hasSizeGreaterThan(10); // windows from frame 0 to the scene's last second

        double worst = 0;
        for (WindowFeatures w : windows) {
            assertThat(w.agentIds()).containsExactly(ids);
            int start = Math.toIntExact(w.window().startFrame());
            float[] trainer = test.gather(new int[] {0}, new int[] {start}, t);
            float[] stream = w.features();
            assertThat(stream).hasSameSizeAs(trainer);
            for (int i = 0; i < stream.length; i++) {
                worst = Math.max(worst, Math.abs(stream[i] - trainer[i]));
            }
        }
        assertThat(worst).as("largest difference between stream and trainer inputs").isLessThanOrEqualTo(1e-6);
        assertThat(windows.get(windows.size() - 1).window().startFrame()).isGreaterThan(100);
    }
}
