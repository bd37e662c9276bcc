package dev.nristream.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder for one untrusted record held in memory: before anything is allocated for a string, a
 * byte string or a block of array or map items, the length the record claims is checked against the bytes
 * the record has left. Avro's own {@link BinaryDecoder} only checks against {@code Integer.MAX_VALUE - 8}, so a
 * 46-byte record claiming 2^31-9 array items makes the reader allocate a 16 GB array (OutOfMemoryError), and one
 * claiming a 2 GB string stalls the JVM while the buffer is zeroed. Every item and every map entry takes at
 * least one byte, so a claim beyond the remaining bytes cannot be honest; it fails with {@link
 * RecordTooShortException}, a poison pill, before allocating.
 *
 * <p>Items that encode in zero bytes (a {@code null}, an empty record) cannot be bounded by length; for writer
 * schemas with such arrays each block is capped at {@link #ZERO_WIDTH_BLOCK_CAP} items instead.
 *
 * <pre>{@code
 * Decoder in = BoundedDecoder.over(bytes, 5, bytes.length - 5, writerSchema);
 * T record = reader.read(null, in);
 * }</pre>
 */
public final class BoundedDecoder extends Decoder {

    /** Most items one array block may claim when the writer schema has zero-width array items. */
    public static final int ZERO_WIDTH_BLOCK_CAP = 1 << 16;

    /** A length or item count claimed by the record that its remaining bytes cannot hold. */
    public static final class RecordTooShortException extends AvroRuntimeException {
        private static final long serialVersionUID = 1L;

        RecordTooShortException(String message) {
            super(message);
        }
    }

    private final BinaryDecoder in;
    private final long zeroWidthCap;

    private BoundedDecoder(BinaryDecoder in, boolean zeroWidthItems) {
        this.in = in;
        this.zeroWidthCap = zeroWidthItems ? ZERO_WIDTH_BLOCK_CAP : 0;
    }

    /** A decoder over {@code length} bytes of {@code bytes} from {@code offset}, written with {@code writer}. */
    public static BoundedDecoder over(byte[] bytes, int offset, int length, Schema writer) {
        return over(bytes, offset, length, hasZeroWidthArrayItems(writer));
    }

    /**
     * As {@link #over(byte[], int, int, Schema)} with {@link #hasZeroWidthArrayItems(Schema)} of the writer
     * schema computed once by the caller.
     */
    public static BoundedDecoder over(byte[] bytes, int offset, int length, boolean zeroWidthItems) {
        return new BoundedDecoder(DecoderFactory.get().binaryDecoder(bytes, offset, length, null), zeroWidthItems);
    }

    /** Whether some array in {@code writer} has items that can encode in zero bytes ({@code null}, empty record). */
    public static boolean hasZeroWidthArrayItems(Schema writer) {
        return hasZeroWidthArrayItems(writer, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** Whether every byte has been read. */
    public boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private long remaining() throws IOException {
        return in.inputStream().available();
    }

    private int length(String what) throws IOException {
        long n = in.readLong();
        if (n < 0) {
            throw new RecordTooShortException("malformed record: a " + what + " of negative length " + n);
        }
        long left = remaining();
        if (n > left) {
            throw new RecordTooShortException("the record claims a " + what + " of " + n + " bytes but has only "
                    + left + " byte(s) left");
        }
        return (int) n;
    }

    private long items(long n, String what, boolean zeroWidthAllowed) throws IOException {
        long left = remaining();
        long bound = zeroWidthAllowed ? Math.max(left, zeroWidthCap) : left;
        if (n > bound) {
            throw new RecordTooShortException("the record claims " + n + " " + what + " but has only " + left
                    + " byte(s) left, less than one byte each");
        }
        return n;
    }

    @Override
    public String readString() throws IOException {
        int n = length("string");
        byte[] b = new byte[n];
        in.readFixed(b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int n = length("string");
        Utf8 u = old != null ? old : new Utf8();
        u.setByteLength(n);
        in.readFixed(u.getBytes(), 0, n);
        return u;
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int n = length("byte string");
        ByteBuffer b;
        if (old != null && n <= old.capacity()) {
            b = old;
            b.clear();
        } else {
            b = ByteBuffer.allocate(n);
        }
        in.readFixed(b.array(), b.arrayOffset(), n);
        b.limit(n);
        return b;
    }

    @Override
    public long readArrayStart() throws IOException {
        return items(in.readArrayStart(), "array items", true);
    }

    @Override
    public long arrayNext() throws IOException {
        return items(in.arrayNext(), "more array items", true);
    }

    @Override
    public long readMapStart() throws IOException {
        return items(in.readMapStart(), "map entries", false);
    }

    @Override
    public long mapNext() throws IOException {
        return items(in.mapNext(), "more map entries", false);
    }

    // Skipping allocates nothing: plain delegation.

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    private static boolean hasZeroWidthArrayItems(Schema s, Set<Schema> seen) {
        if (!seen.add(s)) {
            return false;
        }
        return switch (s.getType()) {
            case ARRAY -> minBytes(s.getElementType(), Collections.newSetFromMap(new IdentityHashMap<>())) == 0
                    || hasZeroWidthArrayItems(s.getElementType(), seen);
            case MAP -> hasZeroWidthArrayItems(s.getValueType(), seen);
            case UNION -> s.getTypes().stream().anyMatch(t -> hasZeroWidthArrayItems(t, seen));
            case RECORD -> s.getFields().stream().anyMatch(f -> hasZeroWidthArrayItems(f.schema(), seen));
            default -> false;
        };
    }

    private static long minBytes(Schema s, Set<Schema> seen) {
        return switch (s.getType()) {
            case NULL -> 0;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> s.getFixedSize();
            case RECORD -> {
                if (!seen.add(s)) {
                    yield 1; // a record that nests itself needs a union to stop, and a union index is a byte
                }
                long sum = 0;
                for (Schema.Field f : s.getFields()) {
                    sum += minBytes(f.schema(), seen);
                }
                seen.remove(s);
                yield sum;
            }
            default -> 1;
        };
    }
}
