package dev.nristream.job.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.FrameEnvelope;
import dev.nristream.job.WindowTask;
import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.SceneWindowState;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SceneWindowFunctionTest {

    /** T = 5 frames at 10 Hz, dynamic atom count. */
    static final String MODEL = """
            {"model_id": "unit", "atoms": 3, "dynamic_atoms": true, "window_length": 5,
             "feature_layout": ["x", "y", "vx", "vy"], "spatial_dims": 2, "sampling_rate_hz": 10.0,
             "edge_types": 2, "edge_type_names": ["none", "spring"], "no_edge_type": 0,
             "normalisation": {"loc_min": -10.0, "loc_max": 10.0, "vel_min": -5.0, "vel_max": 5.0}}
            """;
    static final long IDLE_MS = 10_000;

    KeyedOneInputStreamOperatorTestHarness<String, FrameEnvelope, WindowTask> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new SceneWindowFunction(MODEL, 2, 0.25, 1_000, IDLE_MS, FailureInjector.NONE),
                e -> e.sceneId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    static FrameEnvelope frame(String scene, long index, String... ids) {
        double[] p = new double[ids.length * 2];
        for (int i = 0; i < ids.length; i++) {
            p[i * 2] = i + index * 0.01;
            p[i * 2 + 1] = -i;
        }
        return FrameEnvelope.ok(scene, FrameSample.of(index, 100 * index, 2, ids, p, null), "t", 0, index);
    }

    void send(FrameEnvelope e) throws Exception {
        h.processElement(e, e.frame.eventTimeMs);
    }

    @Test
    void stateIsAFlinkPojo() {
        assertThat(TypeInformation.of(SceneWindowState.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(FrameEnvelope.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(WindowTask.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void emitsAWindowEveryStrideFramesPerScene() throws Exception {
        for (long i = 0; i < 9; i++) {
            send(frame("a", i, "p0", "p1", "p2"));
            send(frame("b", i, "q0", "q1"));
        }
        List<WindowTask> out = h.extractOutputValues();
        assertThat(out.stream().filter(t -> t.sceneId.equals("a")).map(t -> t.endFrame).collect(Collectors.toList()))
                .containsExactly(4L, 6L, 8L);
        WindowTask b = out.stream().filter(t -> t.sceneId.equals("b")).findFirst().orElseThrow();
        assertThat(b.agentIds).containsExactly("q0", "q1");
        assertThat(b.features).hasSize(2 * 5 * 4);
        assertThat(b.startTimeMs).isEqualTo(0);
        assertThat(b.endTimeMs).isEqualTo(400);
    }

    @Test
    void duplicatesAndLateFramesAreDeadLettered() throws Exception {
        for (long i = 0; i < 5; i++) {
            send(frame("a", i, "p0", "p1"));
        }
        send(frame("a", 4, "p0", "p1"));
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processWatermark(5_000);
        send(frame("a", 30, "p0", "p1")); // event time 3000 ms: 2000 ms behind, tolerance 1000 ms
        List<DeadLetterEvent> dlq = h.getSideOutput(SceneWindowFunction.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue).collect(Collectors.toList());
        assertThat(dlq).extracting(d -> d.errorKind).containsExactly("DUPLICATE", "LATE");
        assertThat(dlq.get(0).reason).contains("scene a frame 4").contains("already held");
        assertThat(dlq.get(1).reason).contains("scene a frame 30").contains("2000 ms behind the watermark 5000");
    }

    @Test
    void threeDimensionalFramesOnATwoDimensionalModelAreDeadLettered() throws Exception {
        FrameEnvelope e = FrameEnvelope.ok("mocap", FrameSample.of(0, 0, 3, new String[] {"a", "b"},
                new double[] {0, 0, 0, 1, 1, 1}, null), "t", 0, 0);
        send(e);
        DeadLetterEvent d = h.getSideOutput(SceneWindowFunction.DEAD_LETTERS).poll().getValue();
        assertThat(d.errorKind).isEqualTo("MODEL_MISMATCH");
        assertThat(d.reason).contains("model unit expects 2D features").contains("scene mocap has 3D positions");
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void agentsThatLeaveOrJoinAreLeftOutUntilTheyFitTheWindow() throws Exception {
        for (long i = 0; i < 13; i++) {
            // p2 leaves after frame 5; p3 joins at frame 6
            String[] ids = i <= 5 ? new String[] {"p0", "p1", "p2"} : new String[] {"p0", "p1", "p3"};
            send(frame("a", i, ids));
        }
        List<WindowTask> out = h.extractOutputValues();
        assertThat(out).extracting(t -> t.endFrame).containsExactly(4L, 6L, 8L, 10L, 12L);
        assertThat(out.get(0).agentIds).containsExactly("p0", "p1", "p2");
        // window 2..6: p2 missing in the last frame only (interpolation is not extrapolation: held), p3 in 4 of 5
        assertThat(out.get(1).agentIds).containsExactly("p0", "p1", "p2");
        assertThat(out.get(2).agentIds).containsExactly("p0", "p1");
        assertThat(out.get(4).agentIds).containsExactly("p0", "p1", "p3");
        assertThat(out.get(2).excludedAgents).isEqualTo(2);
    }

    @Test
    void sceneStateAndTimerAreClearedAfterTheSceneGoesIdle() throws Exception {
        for (long i = 0; i < 7; i++) {
            send(frame("a", i, "p0", "p1"));
            send(frame("b", i, "p0", "p1"));
        }
        send(frame("b", 60, "p0", "p1")); // b goes on until 6 s
        assertThat(h.numKeyedStateEntries()).isEqualTo(4); // window state + timer state, two scenes
        assertThat(h.numEventTimeTimers()).isEqualTo(2);

        h.processWatermark(600 + IDLE_MS); // past a's idle deadline, not b's
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        assertThat(h.numEventTimeTimers()).isEqualTo(1); // b's timer moved to its latest frame

        h.processWatermark(6_000 + IDLE_MS);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        for (long i = 0; i < 4; i++) {
            send(frame("a", i, "p0", "p1"));
        }
        var snapshot = h.snapshot(1, 1);
        h.close();
        h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new SceneWindowFunction(MODEL, 2, 0.25, 1_000, IDLE_MS, FailureInjector.NONE)),
                e -> e.sceneId, Types.STRING);
        h.initializeState(snapshot);
        h.open();
        send(frame("a", 3, "p0", "p1")); // duplicate of a restored frame
        send(frame("a", 4, "p0", "p1"));
        assertThat(h.extractOutputValues()).extracting(t -> t.endFrame).containsExactly(4L);
        assertThat(h.extractOutputValues().get(0).startFrame).isEqualTo(0L);
    }

    /** A 3D model (T = 4 at 20 Hz, 2 atoms exactly) to serve beside {@link #MODEL}. */
    static final String MODEL_3D = """
            {"model_id": "unit-3d", "system": "mocap", "atoms": 2, "dynamic_atoms": false, "window_length": 4,
             "feature_layout": ["x", "y", "z"], "spatial_dims": 3, "sampling_rate_hz": 20.0,
             "edge_types": 2, "edge_type_names": ["none", "link"], "no_edge_type": 0,
             "normalisation": {"loc_min": -10.0, "loc_max": 10.0}}
            """;

    static dev.nristream.job.serving.ServedModel served(String json) {
        dev.nristream.model.ModelSpec spec = dev.nristream.model.ModelSpec.parse(json);
        return dev.nristream.job.serving.ServedModel.of(spec.modelId(), spec, "/models/" + spec.modelId());
    }

    static FrameEnvelope frame3d(String scene, long index, String... ids) {
        double[] p = new double[ids.length * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = i + index * 0.01;
        }
        FrameEnvelope e = FrameEnvelope.ok(scene, FrameSample.of(index, 50 * index, 3, ids, p, null), "MOCAP", null,
                "t", 0, index);
        return e;
    }

    @Test
    void twoModelsEachSceneWindowedByItsOwnModelAndItsModelStateCleared() throws Exception {
        h.close();
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new SceneWindowFunction(
                List.of(served(MODEL), served(MODEL_3D)), 1, 0.25, 1_000, IDLE_MS, FailureInjector.NONE),
                e -> e.sceneId, Types.STRING);
        assertThat(TypeInformation.of(dev.nristream.job.serving.ServedModel.class)).isInstanceOf(PojoTypeInfo.class);
        for (long i = 0; i < 6; i++) {
            send(frame("flat", i, "p0", "p1"));
            send(frame3d("walk", i, "j0", "j1"));
            send(frame3d("crowd", i, "j0", "j1", "j2"));
        }
        List<WindowTask> out = h.extractOutputValues();
        assertThat(out.stream().filter(t -> t.sceneId.equals("flat"))).extracting(t -> t.modelId + "@" + t.endFrame)
                .containsExactly("unit@4", "unit@5"); // T=5, stride 1
        assertThat(out.stream().filter(t -> t.sceneId.equals("walk"))).extracting(t -> t.modelId + "@" + t.endFrame)
                .containsExactly("unit-3d@3", "unit-3d@4", "unit-3d@5"); // T=4 at 20 Hz
        assertThat(out).allSatisfy(t -> assertThat(t.modelDir).isEqualTo("/models/" + t.modelId));
        List<DeadLetterEvent> dlq = h.getSideOutput(SceneWindowFunction.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(dlq).hasSize(6).allSatisfy(d -> assertThat(d.reason)
                .startsWith("no model for MOCAP mocap 3D 3 agents; loaded: unit (no system 2D 3 agents or any other "
                        + "count, T=5 at 10.0 Hz), unit-3d (mocap 3D 2 agents, T=4 at 20.0 Hz)"));
        // window state, timer and model per served scene; nothing for the scene no model fits
        assertThat(h.numKeyedStateEntries()).isEqualTo(6);
        h.processWatermark(1_000 + IDLE_MS);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
    /** A court-plane model (2D, T = 5 at 10 Hz) that serves 3D frames by their first two axes, as models/nba. */
    static final String MODEL_COURT = """
            {"model_id": "court", "system": "nba", "atoms": 3, "dynamic_atoms": true, "window_length": 5,
             "feature_layout": ["x", "y", "vx", "vy"], "spatial_dims": 2, "feed_dims": 3, "sampling_rate_hz": 10.0,
             "edge_types": 2, "edge_type_names": ["none", "link"], "no_edge_type": 0,
             "normalisation": {"loc_min": -10.0, "loc_max": 10.0, "vel_min": -5.0, "vel_max": 5.0}}
            """;

    /** A SportVU-like frame: players with no z (NaN), the ball last with its height. */
    static FrameEnvelope court(String scene, long index, int players) {
        String[] ids = new String[players + 1];
        double[] p = new double[ids.length * 3];
        for (int i = 0; i <= players; i++) {
            ids[i] = i == players ? "ball" : "p" + i;
            p[i * 3] = i + index * 0.01;
            p[i * 3 + 1] = -i;
            p[i * 3 + 2] = i == players ? 9.5 - index * 0.1 : Double.NaN;
        }
        return FrameEnvelope.ok(scene, FrameSample.of(index, 100 * index, 3, ids, p, null), "SPORTVU", null, "t", 0,
                index);
    }

    @Test
    void aCourtPlaneModelReadsTheFirstTwoAxesOfThreeDimensionalFramesAndAModelReadingZRefusesFramesWithoutIt()
            throws Exception {
        h.close();
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new SceneWindowFunction(
                List.of(served(MODEL_COURT), served(MODEL_3D)), 5, 0.25, 1_000, IDLE_MS, FailureInjector.NONE),
                e -> e.sceneId, Types.STRING);
        for (long i = 0; i < 5; i++) {
            send(court("game-p1", i, 2));
        }
        List<WindowTask> out = h.extractOutputValues();
        assertThat(out).singleElement().satisfies(t -> {
            assertThat(t.modelId).isEqualTo("court");
            assertThat(t.agentIds).containsExactly("p0", "p1", "ball");
            // [N, T, D] with D = 4 (x, y, vx, vy): the ball's height is not among the features, and nothing is NaN
            assertThat(t.features).hasSize(3 * 5 * 4);
            for (float v : t.features) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        });
        assertThat(h.getSideOutput(SceneWindowFunction.DEAD_LETTERS)).isNull();

        // the same frames from a mocap feed of 3 agents go to the 3D model... which needs every agent's z
        FrameSample f = court("x", 0, 1).frame;
        send(FrameEnvelope.ok("walk", f, "MOCAP", null, "t", 0, 0));
        DeadLetterEvent d = h.getSideOutput(SceneWindowFunction.DEAD_LETTERS).poll().getValue();
        assertThat(d.errorKind).isEqualTo("INVALID_FRAME");
        assertThat(d.reason).isEqualTo("scene walk frame 0: agent p0 has no z in a 3D frame, and model unit-3d reads z");
    }

    @Test
    void firstAxesKeepsPositionsAndVelocitiesOfTheKeptAxes() {
        FrameSample f = FrameSample.of(3, 300, 3, new String[] {"a", "b"}, new double[] {1, 2, 3, 4, 5, 6},
                new double[] {.1, .2, .3, .4, .5, .6});
        FrameSample g = f.firstAxes(2);
        assertThat(g.dims).isEqualTo(2);
        assertThat(g.positions).containsExactly(1, 2, 4, 5);
        assertThat(g.velocities).containsExactly(.1, .2, .4, .5);
        assertThat(g.frameIndex).isEqualTo(3);
        assertThat(f.firstAxes(3)).isSameAs(f);
        assertThat(f.firstWithoutZ()).isNull();
        assertThat(FrameSample.of(0, 0, 3, new String[] {"a"}, new double[] {1, 2, Double.NaN}, null).firstWithoutZ())
                .isEqualTo("a");
    }
}
