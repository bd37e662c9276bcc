package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.source.FrameValidator;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.job.window.FeatureBuilder;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowFeatures;
import dev.nristream.job.window.WindowSpec;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A recurrent-decoder model served by the job: each forecast is the decoder burnt in on the window's last
 * {@code decoder_burn_in} frames and rolled forward ({@link NriOnnxModel#rolloutWindow}), recomputed here from the
 * frames sent, and not the rollout from the window's last frame alone (a burn-in of one frame), which is what the
 * job served before it handed the decoder the whole window.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobRecurrentModelIntegrationTest {

    static final int STRIDE = 10;
    static final int HORIZON = 10;
    static final List<String> SCENES = List.of("walk-a", "walk-b");
    static ModelDirectory dir;
    static List<PositionFrame> frames = new ArrayList<>();
    static Map<String, Map<Long, TrajectoryForecast>> forecasts;
    /** The same frames through the job with {@code rollout.graph = DYNAMIC}. */
    static Map<String, Map<Long, TrajectoryForecast>> dynamicForecasts;

    static Path recurrentModel() {
        try {
            return Path.of(JobRecurrentModelIntegrationTest.class.getResource("/golden-model-3d-rnn/model.json")
                    .toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void runJob() throws Exception {
        dir = ModelDirectory.open(recurrentModel());
        TestTopics topics = TestTopics.create("recurrent", 2);
        frames.addAll(JobMultiModelIntegrationTest.named(
                JobMultiModelIntegrationTest.mocapScene(SCENES.get(0), 4, 60, 0.3), "mocap"));
        frames.addAll(JobMultiModelIntegrationTest.named(
                JobMultiModelIntegrationTest.mocapScene(SCENES.get(1), 4, 60, 1.1), "mocap"));
        frames.sort((x, y) -> Long.compare(x.getEventTimeMs(), y.getEventTimeMs()));
        StreamTestKit.sendChecked(topics.positions(), frames);

        // Both scenes' windows end on the same frames, so batches hold windows of both (one frame count per batch).
        JobConfig cfg = StreamTestKit.config(topics, recurrentModel(), "recurrent")
                .set(JobConfig.STRIDE, STRIDE).set(JobConfig.HORIZON, HORIZON).set(JobConfig.BATCH_MAX_SIZE, 4)
                .build();
        NriStreamJob.fromConfig(cfg).execute(FlinkMiniCluster.environment(2));

        forecasts = StreamTestKit.readCommitted(topics.forecasts(), TrajectoryForecast.class).stream()
                .map(ConsumerRecord::value).collect(Collectors.groupingBy(TrajectoryForecast::getSceneId,
                        Collectors.toMap(TrajectoryForecast::getOriginFrame, f -> f)));

        TestTopics dyn = TestTopics.create("recurrent-dynamic", 2);
        StreamTestKit.sendChecked(dyn.positions(), frames);
        NriStreamJob.fromConfig(StreamTestKit.config(dyn, recurrentModel(), "recurrent-dynamic")
                .set(JobConfig.STRIDE, STRIDE).set(JobConfig.HORIZON, HORIZON).set(JobConfig.BATCH_MAX_SIZE, 4)
                .set(JobConfig.ROLLOUT_GRAPH, JobConfig.RolloutGraph.DYNAMIC).build())
                .execute(FlinkMiniCluster.environment(2));
        dynamicForecasts = StreamTestKit.readCommitted(dyn.forecasts(), TrajectoryForecast.class).stream()
                .map(ConsumerRecord::value).collect(Collectors.groupingBy(TrajectoryForecast::getSceneId,
                        Collectors.toMap(TrajectoryForecast::getOriginFrame, f -> f)));
    }

    @Test
    void withTheDynamicGraphTheForecastIsTheReEncodedRolloutFromStepTwoOn() throws Exception {
        ModelSpec spec = dir.spec();
        assertThat(dynamicForecasts).containsOnlyKeys(SCENES);
        FeatureBuilder fb = new FeatureBuilder(spec, WindowSpec.forModel(spec, STRIDE));
        int t = spec.windowLength();
        int checked = 0;
        double laterSteps = 0;
        try (NriOnnxModel model = NriOnnxModel.open(dir,
                NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))) {
            for (Window w : windows(spec, fb)) {
                String scene = w.scene();
                long end = w.endFrame();
                WindowFeatures wf = w.features();
                int n = wf.nodes();
                float[] edges = NriOnnxModel.hardEdges(model.encode(wf.features(), 1, n), spec.edgeTypes());
                double[][][] expected = fb.forecastPositions(
                        model.rolloutWindowDynamic(wf.features(), t, edges, 1, n, HORIZON, true), 0, HORIZON, n);
                TrajectoryForecast dynamic = dynamicForecasts.get(scene).get(end);
                TrajectoryForecast fixed = forecasts.get(scene).get(end);
                assertThat(dynamic).as("%s window ending at frame %d", scene, end).isNotNull();
                for (int a = 0; a < n; a++) {
                    AgentForecast af = dynamic.getAgents().get(a);
                    AgentForecast sf = fixed.getAgents().get(a);
                    for (int h = 0; h < HORIZON; h++) {
                        double[] got = {af.getX().get(h), af.getY().get(h), af.getZ().get(h)};
                        double[] st = {sf.getX().get(h), sf.getY().get(h), sf.getZ().get(h)};
                        for (int k = 0; k < 3; k++) {
                            assertThat(got[k]).as("%s frame %d agent %d step %d dim %d", scene,
                                    end, a, h, k).isCloseTo(expected[a][h][k], within(1e-4));
                            if (h == 0) { // step 1: the window's graph either way
                                assertThat(got[k]).isCloseTo(st[k], within(1e-4));
                            } else {
                                laterSteps = Math.max(laterSteps, Math.abs(got[k] - st[k]));
                            }
                        }
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(10);
        // the re-evaluated graphs differ from the window's somewhere, and so do the forecasts after step 1
        assertThat(laterSteps).isGreaterThan(1e-3);
    }

    /** A window of the test's scenes, recomputed as the job cuts it: its scene, last frame and features. */
    record Window(String scene, long endFrame, WindowFeatures features) {
    }

    /** Every window of the test's scenes, cut as the job cuts them (stride {@link #STRIDE}). */
    static List<Window> windows(ModelSpec spec, FeatureBuilder fb) {
        WindowSpec ws = WindowSpec.forModel(spec, STRIDE);
        FrameValidator validator = new FrameValidator(64);
        List<Window> out = new ArrayList<>();
        for (String scene : SCENES) {
            SceneWindower windower = new SceneWindower(ws);
            SceneWindowState state = new SceneWindowState();
            for (PositionFrame f : frames) {
                if (f.getSceneId().equals(scene)) {
                    SceneWindower.Result r = windower.add(state, validator.check(f).sample());
                    if (r.window() != null) {
                        out.add(new Window(scene, r.window().endFrame(), fb.build(r.window())));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theModelIsARecurrentOneThatBurnsInOnPartOfTheWindow() {
        ModelSpec spec = dir.spec();
        assertThat(spec.recurrentDecoder()).isTrue();
        assertThat(spec.decoderFrames()).isEqualTo(10).isLessThan(spec.windowLength());
    }

    @Test
    void forecastsAreTheWindowsBurnInRolloutNotTheLastFramesAlone() throws Exception {
        ModelSpec spec = dir.spec();
        assertThat(forecasts).containsOnlyKeys(SCENES);
        FeatureBuilder fb = new FeatureBuilder(spec, WindowSpec.forModel(spec, STRIDE));
        int t = spec.windowLength();
        int d = spec.features();
        int checked = 0;
        try (NriOnnxModel model = NriOnnxModel.open(dir,
                NriOnnxModel.Options.defaults().withDevice(NriOnnxModel.Device.CPU))) {
            for (Window w : windows(spec, fb)) {
                String scene = w.scene();
                long end = w.endFrame();
                WindowFeatures wf = w.features();
                int n = wf.nodes();
                float[] edges = NriOnnxModel.hardEdges(model.encode(wf.features(), 1, n), spec.edgeTypes());
                double[][][] burntIn = fb.forecastPositions(
                        model.rolloutWindow(wf.features(), t, edges, 1, n, HORIZON), 0, HORIZON, n);
                float[] lastFrame = new float[n * d];
                for (int a = 0; a < n; a++) {
                    System.arraycopy(wf.features(), (a * t + t - 1) * d, lastFrame, a * d, d);
                }
                double[][][] oneFrame = fb.forecastPositions(
                        model.rollout(lastFrame, edges, 1, n, HORIZON), 0, HORIZON, n);

                TrajectoryForecast fc = forecasts.get(scene).get(end);
                assertThat(fc).as("%s window ending at frame %d", scene, end).isNotNull();
                assertThat(fc.getModelId()).isEqualTo(spec.modelId());
                assertThat(fc.getHorizon()).isEqualTo(HORIZON);
                double fromOneFrame = 0;
                for (int a = 0; a < n; a++) {
                    AgentForecast af = fc.getAgents().get(a);
                    assertThat(af.getAgentId()).isEqualTo(wf.agentIds().get(a));
                    for (int h = 0; h < HORIZON; h++) {
                        double[] got = {af.getX().get(h), af.getY().get(h), af.getZ().get(h)};
                        for (int k = 0; k < 3; k++) {
                            assertThat(got[k]).as("%s frame %d agent %d step %d dim %d", scene,
                                    end, a, h, k).isCloseTo(burntIn[a][h][k], within(1e-4));
                            fromOneFrame = Math.max(fromOneFrame, Math.abs(got[k] - oneFrame[a][h][k]));
                        }
                    }
                }
                assertThat(fromOneFrame).as("%s frame %d: largest distance from the one-frame rollout", scene,
                        end).isGreaterThan(1e-2);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(10); // windows ending at frames 19, 29, 39, 49, 59 of each scene
    }
}
