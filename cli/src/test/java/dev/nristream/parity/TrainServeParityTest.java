package dev.nristream.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.sim.DatasetGenerator;
import dev.nristream.sim.DatasetSpec;
import dev.nristream.sim.Scene;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.sim.Simulators;
import dev.nristream.io.Npy;
import dev.nristream.model.DatasetLayout;
import dev.nristream.model.FrameGrid;
import dev.nristream.model.ModelGridResampler;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowFeatures;
import dev.nristream.job.window.WindowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No train/serve skew: one simulated scene through the stream's path (frames -> {@link SceneWindower} ->
 * {@link FeatureBuilder}) and through the trainer's (the .npy dataset -> {@link NriDataset}, normalised with the
 * model's constants) gives the same encoder inputs, for windows at every scene age the stream produces, for a feed
 * at the model's rate and for a faster one that both paths resample to the model's grid.
 */
class TrainServeParityTest {
    private static final long SEED = 11;
    private static final int ATOMS = 5;
    private static final long T0_MS = 1_700_000_000_000L;
    /** Simulator steps between recorded states: 100 gives the 10 Hz of the paper's data, 40 a 25 Hz feed. */
    private static final int SAMPLE_FREQ_10HZ = 100;
    private static final int SAMPLE_FREQ_25HZ = 40;

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
        Scene scene = simulate(SAMPLE_FREQ_10HZ);
        long[] times = frameTimes(scene, spec.periodMs());

        List<WindowFeatures> windows = stream(spec, scene, times);
        assertThat(windows).hasSizeGreaterThan(10); // windows from frame 0 to the scene's last second
        assertThat(largestDifference(spec, windows, test)).as("largest difference between stream and trainer inputs")
                .isLessThanOrEqualTo(1e-6);
        assertThat(windows.get(windows.size() - 1).window().startFrame()).isGreaterThan(100);
    }

    /**
     * A 25 Hz feed into the 10 Hz model: the stream's windower resamples the frames as they arrive, the trainer's
     * dataset path resamples the whole recording ({@link ModelGridResampler}); both must give the same inputs.
     */
    @Test
    void aFeedFasterThanTheModelIsResampledTheSameWayInTrainingAndInTheStream() throws Exception {
        ModelSpec spec = shippedSprings();
        Scene fast = simulate(SAMPLE_FREQ_25HZ);
        double feedPeriodMs = 1000.0 / 25;
        long[] times = frameTimes(fast, feedPeriodMs);

        ModelGridResampler.Resampled grid = new ModelGridResampler(new FrameGrid(spec.periodMs()))
                .resample(times, fast.loc(), fast.vel());
        // Every other 10 Hz grid step (every 200 ms) falls on a 25 Hz frame (every 5th) and takes it as is; the
        // steps between lie between two frames and are interpolated.
        double[][][] feed = fast.loc();
        assertThat(grid.steps()).isEqualTo((feed.length - 1) * 2 / 5 + 1);
        for (int k = 0; k < grid.steps(); k += 2) {
            assertThat(grid.loc()[k][0][0]).as("grid step %d", k).isEqualTo(feed[k * 5 / 2][0][0]);
            assertThat(grid.loc()[k][1][ATOMS - 1]).as("grid step %d", k).isEqualTo(feed[k * 5 / 2][1][ATOMS - 1]);
        }
        assertThat(grid.loc()[1][0][0]).isEqualTo((feed[2][0][0] + feed[3][0][0]) / 2, within(1e-12));
        Path recorded = dir.resolve("recorded");
        writeDataset(recorded, grid, fast.edgesFlat());
        NriDataset trainer = NriDataset.load(recorded, "test", "_springs5", spec.normalisation());

        List<WindowFeatures> windows = stream(spec, fast, times);
        assertThat(windows).hasSizeGreaterThan(10);
        assertThat(largestDifference(spec, windows, trainer)).as("largest difference between stream and trainer "
                + "inputs at 25 Hz").isLessThanOrEqualTo(1e-6);
        // Window starts are grid steps of the model, here every 10th (1 s): some lie between feed frames.
        assertThat(windows.get(windows.size() - 1).window().startTimeMs() - times[0]).isGreaterThan(10_000);
    }

    private static Scene simulate(int sampleFreq) {
        return Simulators.forConfig(SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(ATOMS)
                .optLength(20_000).optSampleFreq(sampleFreq).build())
                .simulate(DatasetGenerator.runSeed(SEED, DatasetSpec.Split.TEST), 0);
    }

    private static long[] frameTimes(Scene scene, double periodMs) {
        long[] times = new long[scene.loc().length];
        for (int k = 0; k < times.length; k++) {
            times[k] = T0_MS + Math.round(k * periodMs);
        }
        return times;
    }

    /** The feed: one frame per recorded state at the given times, positions and velocities per agent. */
    private static List<WindowFeatures> stream(ModelSpec spec, Scene scene, long[] times) {
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
            SceneWindower.Result r = windower.add(state, FrameSample.of(k, times[k], 2, ids(), p, v));
            if (r.window() != null) {
                windows.add(features.build(r.window()));
            }
        }
        return windows;
    }

    private static double largestDifference(ModelSpec spec, List<WindowFeatures> windows, NriDataset trainer) {
        double worst = 0;
        long anchor = windows.get(0).window().startTimeMs();
        for (WindowFeatures w : windows) {
            assertThat(w.agentIds()).containsExactly(ids());
            // The window's first grid step, counted on the model's grid from the scene's first frame.
            int start = Math.toIntExact(Math.round((w.window().startTimeMs() - anchor) / spec.periodMs()));
            float[] expected = trainer.gather(new int[] {0}, new int[] {start}, spec.windowLength());
            float[] stream = w.features();
            assertThat(stream).hasSameSizeAs(expected);
            for (int i = 0; i < stream.length; i++) {
                worst = Math.max(worst, Math.abs(stream[i] - expected[i]));
            }
        }
        return worst;
    }

    private static String[] ids() {
        String[] ids = new String[ATOMS];
        for (int i = 0; i < ATOMS; i++) {
            ids[i] = "p" + i;
        }
        return ids;
    }

    /** One recorded scene as the trainer's test split, {@code [1, T, 2, N]}. */
    private static void writeDataset(Path out, ModelGridResampler.Resampled grid, int[] edges) throws Exception {
        Files.createDirectories(out);
        int steps = grid.steps();
        long[] shape = {1, steps, 2, ATOMS};
        Npy.write(DatasetLayout.file(out, DatasetLayout.LOC, "test", "_springs5"), flat(grid.loc()), shape);
        Npy.write(DatasetLayout.file(out, DatasetLayout.VEL, "test", "_springs5"), flat(grid.vel()), shape);
        Npy.write(DatasetLayout.file(out, DatasetLayout.EDGES, "test", "_springs5"), edges, 1, ATOMS, ATOMS);
    }

    private static double[] flat(double[][][] a) {
        return Arrays.stream(a).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream).toArray();
    }
}
