package dev.nristream.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a .npy file (format 1.0, 2.0 or 3.0; types of {@link NpyDType} in either byte order) in chunks,
 * converting to the primitive type asked for, so the trainer can stream a large training set. Elements come in C
 * order; a Fortran-order file is transposed in memory first (up to {@link #MAX_FORTRAN_BYTES}).
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
    /** Largest Fortran-order data transposed in memory. */
    public static final long MAX_FORTRAN_BYTES = 1L << 30;

    private final FileChannel channel;
    private ReadableByteChannel source;
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
            source = header.fortranOrder() ? Channels.newChannel(new ByteArrayInputStream(transposedToC())) : channel;
            buf.order(header.order());
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
        fillHeader(pre, 10);
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
            fillHeader(pre, 12);
            headerLen = pre.getInt(8);
            prefix = 12;
        } else {
            throw new NpyFormatException(path + ": unsupported npy format version " + major);
        }
        if (headerLen < 0 || headerLen > (1 << 24)) {
            throw new NpyFormatException(path + ": implausible npy header length " + headerLen);
        }
        ByteBuffer text = ByteBuffer.allocate(headerLen);
        fillHeader(text, headerLen);
        String dict = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        try {
            return NpyHeader.parse(dict, prefix + headerLen);
        } catch (NpyFormatException e) {
            throw new NpyFormatException(path + ": " + e.getMessage());
        }
    }

    private void fillHeader(ByteBuffer b, int upTo) throws IOException {
        b.limit(upTo);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new NpyFormatException(path + " ends inside its npy header (" + channel.size()
                        + " bytes): not a complete .npy file");
            }
        }
    }

    /** The whole data of a Fortran-order file, rearranged into C order. */
    private byte[] transposedToC() throws IOException {
        long total = header.dataBytes();
        if (total > MAX_FORTRAN_BYTES) {
            throw new NpyFormatException(path + " is a Fortran-order array of " + total + " bytes, more than the "
                    + MAX_FORTRAN_BYTES + " transposed in memory; save it in C order (np.ascontiguousarray)");
        }
        byte[] f = new byte[(int) total];
        ByteBuffer in = ByteBuffer.wrap(f);
        while (in.hasRemaining()) {
            if (channel.read(in) < 0) {
                throw new NpyFormatException(path + " ends early");
            }
        }
        long[] shape = header.shape();
        int b = header.dtype().bytes();
        long[] strideF = new long[shape.length];
        long s = 1;
        for (int k = 0; k < shape.length; k++) {
            strideF[k] = s;
            s *= shape[k];
        }
        byte[] c = new byte[(int) total];
        long[] idx = new long[shape.length];
        long count = header.elementCount();
        for (long e = 0; e < count; e++) {
            long fo = 0;
            for (int k = 0; k < shape.length; k++) {
                fo += idx[k] * strideF[k];
            }
            System.arraycopy(f, (int) (fo * b), c, (int) (e * b), b);
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return c;
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
                if (source.read(buf) < 0) {
                    throw new NpyFormatException(path + " ends early");
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
