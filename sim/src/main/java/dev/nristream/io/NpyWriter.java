package dev.nristream.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a .npy file element by element, so a large array never has to be in memory whole.
 *
 * <p>The data goes to {@code NAME.part} and is renamed to {@code NAME} only when {@link #close()} finds that exactly
 * the declared number of elements was written; otherwise the partial file is deleted and close throws. A crash
 * therefore never leaves a well-formed but truncated .npy behind.
 *
 * <pre>{@code
 * try (NpyWriter w = NpyWriter.open(path, NpyDType.FLOAT64, sims, steps, 2, atoms)) {
 *     for (...) w.writeDoubles(chunk, 0, chunk.length);
 * }
 * }</pre>
 */
public final class NpyWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path target;
    private final Path part;
    private final NpyHeader header;
    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final long expected;
    private long written;
    private boolean closed;

    private NpyWriter(Path target, NpyHeader header) throws IOException {
        this.target = target;
        this.part = target.resolveSibling(target.getFileName() + ".part");
        this.header = header;
        this.expected = header.elementCount();
        this.channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.wrap(header.encode());
        while (h.hasRemaining()) {
            channel.write(h);
        }
    }

    /** Opens a writer for an array of the given type and C-order shape. */
    public static NpyWriter open(Path path, NpyDType dtype, long... shape) throws IOException {
        return new NpyWriter(path, NpyHeader.of(dtype, shape));
    }

    /** The final path (the data is in {@code NAME.part} until {@link #close()}). */
    public Path path() {
        return target;
    }

    public NpyHeader header() {
        return header;
    }

    /** Elements written so far. */
    public long written() {
        return written;
    }

    /** Appends doubles; to a float32 file they are rounded to float. */
    public void writeDoubles(double[] a, int off, int len) throws IOException {
        checkRoom(len);
        switch (header.dtype()) {
            case FLOAT64 -> {
                int i = 0;
                while (i < len) {
                    int n = Math.min(len - i, room(8));
                    buf.asDoubleBuffer().put(a, off + i, n);
                    buf.position(buf.position() + n * 8);
                    i += n;
                }
            }
            case FLOAT32 -> {
                for (int i = 0; i < len; i++) {
                    room(4);
                    buf.putFloat((float) a[off + i]);
                }
            }
            default -> throw new IllegalStateException("cannot write doubles to a " + header.dtype() + " file");
        }
        written += len;
    }

    /** Appends floats (to a float32 or float64 file). */
    public void writeFloats(float[] a, int off, int len) throws IOException {
        checkRoom(len);
        switch (header.dtype()) {
            case FLOAT32 -> {
                int i = 0;
                while (i < len) {
                    int n = Math.min(len - i, room(4));
                    buf.asFloatBuffer().put(a, off + i, n);
                    buf.position(buf.position() + n * 4);
                    i += n;
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < len; i++) {
                    room(8);
                    buf.putDouble(a[off + i]);
                }
            }
            default -> throw new IllegalStateException("cannot write floats to a " + header.dtype() + " file");
        }
        written += len;
    }

    /** Appends integers, converted exactly to the file's type (any of the four). */
    public void writeLongs(long[] a, int off, int len) throws IOException {
        checkRoom(len);
        for (int i = 0; i < len; i++) {
            putIntegral(a[off + i]);
        }
        written += len;
    }

    /** Appends integers, converted exactly to the file's type (any of the four). */
    public void writeInts(int[] a, int off, int len) throws IOException {
        checkRoom(len);
        for (int i = 0; i < len; i++) {
            putIntegral(a[off + i]);
        }
        written += len;
    }

    private void putIntegral(long v) throws IOException {
        room(header.dtype().bytes());
        switch (header.dtype()) {
            case INT64 -> buf.putLong(v);
            case INT32 -> buf.putInt(Math.toIntExact(v));
            case FLOAT64 -> buf.putDouble(v);
            case FLOAT32 -> buf.putFloat(v);
        }
    }

    private void checkRoom(int len) {
        if (closed) {
            throw new IllegalStateException("writer for " + target + " is closed");
        }
        if (written + len > expected) {
            throw new IllegalStateException("writing " + len + " more elements to " + target + " would exceed its shape "
                    + header.shapeString() + " (" + written + " of " + expected + " written)");
        }
    }

    /** Makes sure at least one element of {@code bytes} fits; returns how many such elements fit. */
    private int room(int bytes) throws IOException {
        if (buf.remaining() < bytes) {
            flush();
        }
        return buf.remaining() / bytes;
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        buf.clear();
    }

    /**
     * Finishes the file.
     *
     * @throws IllegalStateException if fewer elements were written than the shape declares (the partial file is
     *     deleted)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            channel.close();
        }
        if (written != expected) {
            Files.deleteIfExists(part);
            throw new IllegalStateException("incomplete npy file " + target + ": wrote " + written + " of " + expected
                    + " elements of shape " + header.shapeString());
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
