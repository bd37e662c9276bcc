package dev.nristream.analytics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Store keys that sort a scene's entries by time: {@code [length of scene id][scene id][time][suffix]}, the time
 * big-endian with its sign bit flipped so that unsigned byte order (RocksDB's and {@link Bytes}'s) is numeric
 * order, negative times included. All keys of one scene share {@link #prefix}, so a prefix scan or a range
 * {@code [at(scene, from), at(scene, to)]} reads one scene's entries in time order.
 */
final class SceneKeys {

    private SceneKeys() {
    }

    /** The bytes every key of {@code scene} starts with. */
    static Bytes prefix(String scene) {
        byte[] id = scene.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(4 + id.length).putInt(id.length).put(id).array());
    }

    /** Key of {@code scene} at {@code timeMs} with no suffix. */
    static Bytes at(String scene, long timeMs) {
        return at(scene, timeMs, new byte[0]);
    }

    /** Key of {@code scene} at {@code timeMs} followed by {@code suffix} (to tell apart entries of one instant). */
    static Bytes at(String scene, long timeMs, byte[] suffix) {
        byte[] id = scene.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(4 + id.length + 8 + suffix.length)
                .putInt(id.length).put(id).putLong(timeMs ^ Long.MIN_VALUE).put(suffix).array());
    }

    /** A suffix made of longs and a string, for keys that need more than the time to be unique. */
    static byte[] suffix(String text, long... values) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 * values.length + t.length);
        for (long v : values) {
            b.putLong(v ^ Long.MIN_VALUE);
        }
        return b.put(t).array();
    }

    /** The time part of a key made by {@link #at}. */
    static long timeOf(Bytes key) {
        ByteBuffer b = ByteBuffer.wrap(key.get());
        int len = b.getInt();
        return b.getLong(4 + len) ^ Long.MIN_VALUE;
    }
}
