package dev.nristream.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a .npy file (format 1.0, 2.0 or 3.0; C order; types of {@link NpyDType}) in chunks, converting to the
 * primitive type asked for, so the trainer can stream a large training set.
 *
 * <pre>{@code
 * try (NpyReader r = NpyReader.open(path)) {
 *     double[] sim = new double[stepsTimesFeatures];
 *     while (r.remaining() > 0) r.readDoubles(sim, 0, sim.length);
 * }
 * }</pre>
 */
public final class NpyReader implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final NpyHeader header;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long read;

    private NpyReader(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            this.header = readHeader();
            long expectedSize = header.dataOffset() + header.dataBytes();
            if (channel.size() < expectedSize) {
                throw new NpyFormatException(path + " is truncated: shape " + header.shapeString() + " of "
                        + header.dtype().descr() + " needs " + expectedSize + " bytes, file has " + channel.size());
            }
            channel.position(header.dataOffset());
            buf.limit(0);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Opens a file and reads its header. */
    public static NpyReader open(Path path) throws IOException {
        return new NpyReader(path);
    }

    public NpyHeader header() {
        return header;
    }

    /** Elements not read yet. */
    public long remaining() {
        return header.elementCount() - read;
    }

    private NpyHeader readHeader() throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        fill(pre, 10);
        byte[] magic = new byte[6];
        pre.get(0, magic);
        if (!Arrays.equals(magic, NpyHeader.MAGIC)) {
            throw new NpyFormatException(path + " is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = pre.get(6) & 0xFF;
        int headerLen;
        int prefix;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            fill(pre, 12);
            headerLen = pre.getInt(8);
            prefix = 12;
        } else {
            throw new NpyFormatException(path + ": unsupported npy format version " + major);
        }
        if (headerLen < 0 || headerLen > (1 << 24)) {
            throw new NpyFormatException(path + ": implausible npy header length " + headerLen);
        }
        ByteBuffer text = ByteBuffer.allocate(headerLen);
        fill(text, headerLen);
        String dict = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        try {
            return NpyHeader.parse(dict, prefix + headerLen);
        } catch (NpyFormatException e) {
            throw new NpyFormatException(path + ": " + e.getMessage());
        }
    }

    private void fill(ByteBuffer b, int upTo) throws IOException {
        b.limit(upTo);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException(path + " ends inside its npy header");
            }
        }
    }

    private void need(int len, int bytes) throws IOException {
        if (len > remaining()) {
            throw new IllegalStateException("reading " + len + " elements from " + path + " but only " + remaining()
                    + " remain");
        }
    }

    /** Makes at least one element available in the buffer; returns how many whole elements are buffered. */
    private int available(int bytes) throws IOException {
        if (buf.remaining() < bytes) {
            buf.compact();
            while (buf.position() < bytes) {
                if (channel.read(buf) < 0) {
                    throw new EOFException(path + " ends early");
                }
            }
            buf.flip();
        }
        return buf.remaining() / bytes;
    }

    /** Reads {@code len} elements as doubles (any element type converts exactly, except int64 beyond 2^53). */
    public void readDoubles(double[] dst, int off, int len) throws IOException {
        need(len, header.dtype().bytes());
        int bytes = header.dtype().bytes();
        int i = 0;
        while (i < len) {
            int n = Math.min(len - i, available(bytes));
            switch (header.dtype()) {
                case FLOAT64 -> {
                    buf.asDoubleBuffer().get(dst, off + i, n);
                    buf.position(buf.position() + n * 8);
                }
                case FLOAT32 -> {
                    for (int k = 0; k < n; k++) {
                        dst[off + i + k] = buf.getFloat();
                    }
                }
                case INT64 -> {
                    for (int k = 0; k < n; k++) {
                        dst[off + i + k] = buf.getLong();
                    }
                }
                case INT32 -> {
                    for (int k = 0; k < n; k++) {
                        dst[off + i + k] = buf.getInt();
                    }
                }
            }
            i += n;
        }
        read += len;
    }

    /** Reads {@code len} elements as floats (float64 values are rounded). */
    public void readFloats(float[] dst, int off, int len) throws IOException {
        need(len, header.dtype().bytes());
        int bytes = header.dtype().bytes();
        int i = 0;
        while (i < len) {
            int n = Math.min(len - i, available(bytes));
            switch (header.dtype()) {
                case FLOAT32 -> {
                    buf.asFloatBuffer().get(dst, off + i, n);
                    buf.position(buf.position() + n * 4);
                }
                case FLOAT64 -> {
                    for (int k = 0; k < n; k++) {
                        dst[off + i + k] = (float) buf.getDouble();
                    }
                }
                case INT64 -> {
                    for (int k = 0; k < n; k++) {
                        dst[off + i + k] = buf.getLong();
                    }
                }
                case INT32 -> {
                    for (int k = 0; k < n; k++) {
                        dst[off + i + k] = buf.getInt();
                    }
                }
            }
            i += n;
        }
        read += len;
    }

    /**
     * Reads {@code len} elements as longs. Floating-point files are accepted when every value is a whole number
     * (the research code stores edge matrices as float64).
     *
     * @throws NpyFormatException on a fractional value
     */
    public void readLongs(long[] dst, int off, int len) throws IOException {
        need(len, header.dtype().bytes());
        int bytes = header.dtype().bytes();
        int i = 0;
        while (i < len) {
            int n = Math.min(len - i, available(bytes));
            for (int k = 0; k < n; k++) {
                dst[off + i + k] = switch (header.dtype()) {
                    case INT64 -> buf.getLong();
                    case INT32 -> buf.getInt();
                    case FLOAT64 -> whole(buf.getDouble());
                    case FLOAT32 -> whole(buf.getFloat());
                };
            }
            i += n;
        }
        read += len;
    }

    private long whole(double v) {
        long l = (long) v;
        if (l != v) {
            throw new NpyFormatException(path + " holds " + v + " where a whole number was expected");
        }
        return l;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
