package dev.nristream.registry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Confluent wire format: one magic byte {@code 0}, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the record.
 */
public final class WireFormat {

    /** The only magic byte defined. */
    public static final byte MAGIC_BYTE = 0;
    /** Bytes before the Avro payload. */
    public static final int HEADER_LENGTH = 5;

    private static final int SHOWN_BYTES = 16;

    private WireFormat() {
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code out}. */
    public static void writeHeader(ByteBuffer out, int schemaId) {
        out.put(MAGIC_BYTE).putInt(schemaId);
    }

    /**
     * Checks the header and returns the schema id.
     *
     * @param where what the bytes are, for the message (e.g. "value on topic tracking.positions")
     * @throws WireFormatException when the bytes are too short or carry another magic byte
     */
    public static int schemaId(byte[] bytes, String where) {
        if (bytes.length < HEADER_LENGTH) {
            throw new WireFormatException("Not in the schema-registry wire format: " + where + " has "
                    + bytes.length + " byte(s), at least " + HEADER_LENGTH
                    + " expected (magic byte 0 + 4-byte schema id); bytes: " + describe(bytes));
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new WireFormatException("Not in the schema-registry wire format: " + where
                    + " starts with byte " + String.format("0x%02x", bytes[0] & 0xff) + hint(bytes)
                    + " instead of magic byte 0x00; length " + bytes.length + ", first bytes: " + describe(bytes));
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** Hex of the first bytes, for error messages. */
    public static String describe(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(bytes.length, SHOWN_BYTES);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        if (bytes.length > n) {
            sb.append(" ...");
        }
        return n == 0 ? "(none)" : sb.toString();
    }

    private static String hint(byte[] bytes) {
        char c = (char) (bytes[0] & 0xff);
        if (c == '{' || c == '[') {
            String head = new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.UTF_8);
            return " ('" + c + "', looks like JSON: " + head.replaceAll("\\s+", " ") + ")";
        }
        if (c >= 0x20 && c < 0x7f) {
            return " ('" + c + "', looks like text)";
        }
        return "";
    }
}
