package dev.nristream.tail;

import java.util.Locale;

/** How {@link TopicTail} prints records. */
public enum TailFormat {
    /** One JSON object per line: topic, partition, offset, timestamp, key and the value as plain JSON. */
    JSON,
    /** One compact line per record (a graph: its scene, window and strongest edges). */
    TABLE;

    /** Parses {@code json} or {@code table}, any case. */
    public static TailFormat parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + s + "': json or table");
        }
    }
}
