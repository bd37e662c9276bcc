package dev.nristream.job.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.ResampledWindow;
import dev.nristream.job.window.SceneWindowState;
import dev.nristream.job.window.SceneWindower;
import dev.nristream.job.window.WindowSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SceneWindowStateSerializerTest {
    private final SceneWindowStateSerializer serializer = SceneWindowStateSerializer.INSTANCE;
    private final SceneWindower windower = new SceneWindower(new WindowSpec(10, 100, 3, 0.25, 2));

    /** Frames at 25 Hz; agent "c" leaves after frame 20, "d" joins at 10; every third frame has no velocities. */
    private static List<FrameSample> frames(int count) {
        Random r = new Random(5);
        List<FrameSample> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            List<String> ids = new ArrayList<>(List.of("a", "b"));
            if (k <= 20) {
                ids.add("c");
            }
            if (k >= 10) {
                ids.add("d");
            }
            double[] p = new double[ids.size() * 2];
            double[] v = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextGaussian() * 1e3;
                v[i] = i % 5 == 0 ? Double.NaN : r.nextGaussian();
            }
            out.add(FrameSample.of(k, 1_000_000L + 40L * k, 2, ids.toArray(new String[0]), p, k % 3 == 0 ? null : v));
        }
        return out;
    }

    private SceneWindowState roundTrip(SceneWindowState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(s, out);
        SceneWindowState back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        DataOutputSerializer again = new DataOutputSerializer(256);
        serializer.serialize(back, again);
        assertThat(again.getCopyOfBuffer()).as("re-serialised bytes").isEqualTo(out.getCopyOfBuffer());
        return back;
    }

    @Test
    void aRestoredStateHoldsTheSameFramesAndBookkeeping() throws IOException {
        SceneWindowState s = new SceneWindowState();
        for (FrameSample f : frames(40)) {
            windower.add(s, f);
        }
        SceneWindowState back = roundTrip(s);
        assertThat(back.started).isTrue();
        assertThat(back.anchorMs).isEqualTo(s.anchorMs);
        assertThat(back.nextEndGrid).isEqualTo(s.nextEndGrid);
        assertThat(back.maxEvictedIndex).isEqualTo(s.maxEvictedIndex);
        assertThat(back.maxEventTimeMs).isEqualTo(s.maxEventTimeMs);
        assertThat(back.windows).isEqualTo(s.windows).isPositive();
        assertThat(back.frames).hasSameSizeAs(s.frames);
        for (int i = 0; i < s.frames.length; i++) {
            FrameSample a = s.frames[i];
            FrameSample b = back.frames[i];
            assertThat(b.frameIndex).isEqualTo(a.frameIndex);
            assertThat(b.eventTimeMs).isEqualTo(a.eventTimeMs);
            assertThat(b.dims).isEqualTo(a.dims);
            assertThat(b.agentIds).containsExactly(a.agentIds);
            assertThat(b.positions).containsExactly(a.positions); // bit-exact, NaN included
            if (a.velocities == null) {
                assertThat(b.velocities).isNull();
            } else {
                assertThat(b.velocities).containsExactly(a.velocities);
            }
        }
    }

    @Test
    void aRestoredSceneProducesTheSameWindowsAsOneThatNeverStopped() throws IOException {
        List<FrameSample> all = frames(90);
        SceneWindowState live = new SceneWindowState();
        for (FrameSample f : all.subList(0, 45)) {
            windower.add(live, f);
        }
        SceneWindowState restored = roundTrip(live);
        int windows = 0;
        for (FrameSample f : all.subList(45, 90)) {
            ResampledWindow a = windower.add(live, f).window();
            ResampledWindow b = windower.add(restored, f).window();
            assertThat(b == null).isEqualTo(a == null);
            if (a != null) {
                windows++;
                assertThat(b.agentIds()).isEqualTo(a.agentIds());
                for (int i = 0; i < a.agentIds().size(); i++) {
                    assertThat(b.positions().get(i)).containsExactly(a.positions().get(i));
                    assertThat(b.velocities().get(i)).containsExactly(a.velocities().get(i));
                }
            }
        }
        assertThat(windows).isGreaterThan(3);
    }

    @Test
    void anEmptyStateRoundTrips() throws IOException {
        SceneWindowState back = roundTrip(new SceneWindowState());
        assertThat(back.started).isFalse();
        assertThat(back.frames).isEmpty();
        assertThat(back.maxEvictedIndex).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aCopyKeepsTheSnapshotsViewWhenTheSceneMovesOn() {
        SceneWindowState s = new SceneWindowState();
        List<FrameSample> all = frames(60);
        for (FrameSample f : all.subList(0, 30)) {
            windower.add(s, f);
        }
        SceneWindowState copy = serializer.copy(s);
        FrameSample[] held = s.frames.clone();
        long next = s.nextEndGrid;
        for (FrameSample f : all.subList(30, 60)) {
            windower.add(copy, f); // the copy is what the job mutates; the original stays in the snapshot
        }
        assertThat(s.frames).containsExactly(held);
        assertThat(s.nextEndGrid).isEqualTo(next);
        assertThat(copy.nextEndGrid).isGreaterThan(next);
    }

    @Test
    void itsSnapshotRestoresItAsIs() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<SceneWindowState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<SceneWindowState> c =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(c.isCompatibleAsIs()).isTrue();
        assertThat(read.restoreSerializer()).isSameAs(serializer);
    }
}
