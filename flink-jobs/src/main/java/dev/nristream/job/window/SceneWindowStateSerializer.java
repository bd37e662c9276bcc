package dev.nristream.job.window;

import dev.nristream.job.window.FrameSample;
import dev.nristream.job.window.SceneWindowState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of the per-scene window state, written for the checkpoint path: with checkpoints every 200 ms
 * the generic POJO serializer (a reflective call and a null flag per field, one call per double) made the async
 * snapshot thread the busiest thread of the job. This one writes agent ids once per scene (frames refer to them by
 * index) and coordinates as bulk byte blocks.
 *
 * <p>{@link #copy(SceneWindowState)} is shallow: held frames are never changed after
 * {@link dev.nristream.job.window.SceneWindower} inserted them (it replaces the frames array rather than editing it),
 * so the heap state backend's copy-on-write during a snapshot costs one small object, not a deep copy of the window.
 *
 * <p>Format (version 1): started, anchorMs, nextEndGrid, maxEvictedIndex, maxEventTimeMs, windows; the agent id
 * table; the frames, each frameIndex, eventTimeMs, dims, agent count, agent id indices, a velocities flag and the
 * positions (and velocities) as big-endian doubles.
 */
public final class SceneWindowStateSerializer extends TypeSerializerSingleton<SceneWindowState> {

    private static final long serialVersionUID = 1L;

    public static final SceneWindowStateSerializer INSTANCE = new SceneWindowStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SceneWindowState createInstance() {
        return new SceneWindowState();
    }

    @Override
    public SceneWindowState copy(SceneWindowState from) {
        SceneWindowState s = new SceneWindowState();
        s.started = from.started;
        s.anchorMs = from.anchorMs;
        s.nextEndGrid = from.nextEndGrid;
        s.frames = from.frames; // frames are immutable once held; see the class comment
        s.maxEvictedIndex = from.maxEvictedIndex;
        s.maxEventTimeMs = from.maxEventTimeMs;
        s.windows = from.windows;
        return s;
    }

    @Override
    public SceneWindowState copy(SceneWindowState from, SceneWindowState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SceneWindowState s, DataOutputView out) throws IOException {
        out.writeBoolean(s.started);
        out.writeLong(s.anchorMs);
        out.writeLong(s.nextEndGrid);
        out.writeLong(s.maxEvictedIndex);
        out.writeLong(s.maxEventTimeMs);
        out.writeLong(s.windows);

        Map<String, Integer> ids = new HashMap<>();
        List<String> table = new ArrayList<>();
        int values = 0;
        for (FrameSample f : s.frames) {
            for (String id : f.agentIds) {
                if (ids.putIfAbsent(id, table.size()) == null) {
                    table.add(id);
                }
            }
            values = Math.max(values, f.positions.length);
            if (f.velocities != null) {
                values = Math.max(values, f.velocities.length);
            }
        }
        out.writeInt(table.size());
        for (String id : table) {
            out.writeUTF(id);
        }
        ByteBuffer buf = ByteBuffer.allocate(values * Double.BYTES);
        out.writeInt(s.frames.length);
        for (FrameSample f : s.frames) {
            out.writeLong(f.frameIndex);
            out.writeLong(f.eventTimeMs);
            out.writeByte(f.dims);
            out.writeInt(f.agentIds.length);
            for (String id : f.agentIds) {
                out.writeInt(ids.get(id));
            }
            out.writeBoolean(f.velocities != null);
            writeDoubles(f.positions, buf, out);
            if (f.velocities != null) {
                writeDoubles(f.velocities, buf, out);
            }
        }
    }

    private static void writeDoubles(double[] a, ByteBuffer buf, DataOutputView out) throws IOException {
        buf.clear();
        buf.asDoubleBuffer().put(a);
        out.write(buf.array(), 0, a.length * Double.BYTES);
    }

    @Override
    public SceneWindowState deserialize(DataInputView in) throws IOException {
        SceneWindowState s = new SceneWindowState();
        s.started = in.readBoolean();
        s.anchorMs = in.readLong();
        s.nextEndGrid = in.readLong();
        s.maxEvictedIndex = in.readLong();
        s.maxEventTimeMs = in.readLong();
        s.windows = in.readLong();
        String[] table = new String[in.readInt()];
        for (int i = 0; i < table.length; i++) {
            table[i] = in.readUTF();
        }
        FrameSample[] frames = new FrameSample[in.readInt()];
        byte[] bytes = new byte[0];
        for (int k = 0; k < frames.length; k++) {
            FrameSample f = new FrameSample();
            f.frameIndex = in.readLong();
            f.eventTimeMs = in.readLong();
            f.dims = in.readByte();
            f.agentIds = new String[in.readInt()];
            for (int i = 0; i < f.agentIds.length; i++) {
                f.agentIds[i] = table[in.readInt()];
            }
            boolean hasVelocities = in.readBoolean();
            int n = f.agentIds.length * f.dims;
            if (bytes.length < n * Double.BYTES) {
                bytes = new byte[n * Double.BYTES];
            }
            f.positions = readDoubles(n, bytes, in);
            f.velocities = hasVelocities ? readDoubles(n, bytes, in) : null;
            frames[k] = f;
        }
        s.frames = frames;
        return s;
    }

    private static double[] readDoubles(int n, byte[] bytes, DataInputView in) throws IOException {
        in.readFully(bytes, 0, n * Double.BYTES);
        double[] a = new double[n];
        ByteBuffer.wrap(bytes, 0, n * Double.BYTES).asDoubleBuffer().get(a);
        return a;
    }

    @Override
    public SceneWindowState deserialize(SceneWindowState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SceneWindowState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; public with a no-arg constructor, as Flink requires. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SceneWindowState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
