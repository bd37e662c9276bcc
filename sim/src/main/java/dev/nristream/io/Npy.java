package dev.nristream.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes numpy's .npy format, the layout of the NRI research datasets ({@code loc_train_springs5.npy}
 * and friends), so data moves between this project and numpy/PyTorch code unchanged.
 *
 * <pre>{@code
 * Npy.write(path, data, sims, steps, 2, atoms);      // float64, C order
 * NpyArray a = Npy.read(path);                        // a.shape(), a.asDoubles()
 * try (NpyWriter w = Npy.writer(path, NpyDType.FLOAT64, shape)) { ... }   // streaming
 * }</pre>
 *
 * <p>Written files are byte for byte what numpy 2.x's {@code np.save} writes for the same array.
 */
public final class Npy {
    /** Arrays read whole must fit a Java array. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Npy() {
    }

    /** A streaming writer; see {@link NpyWriter}. */
    public static NpyWriter writer(Path path, NpyDType dtype, long... shape) throws IOException {
        return NpyWriter.open(path, dtype, shape);
    }

    /** A streaming reader; see {@link NpyReader}. */
    public static NpyReader reader(Path path) throws IOException {
        return NpyReader.open(path);
    }

    /** Reads only the header. */
    public static NpyHeader readHeader(Path path) throws IOException {
        try (NpyReader r = NpyReader.open(path)) {
            return r.header();
        }
    }

    /** Writes a float64 array of the given shape. */
    public static void write(Path path, double[] data, long... shape) throws IOException {
        try (NpyWriter w = NpyWriter.open(path, NpyDType.FLOAT64, checked(data.length, shape))) {
            w.writeDoubles(data, 0, data.length);
        }
    }

    /** Writes a float32 array of the given shape. */
    public static void write(Path path, float[] data, long... shape) throws IOException {
        try (NpyWriter w = NpyWriter.open(path, NpyDType.FLOAT32, checked(data.length, shape))) {
            w.writeFloats(data, 0, data.length);
        }
    }

    /** Writes an int64 array of the given shape. */
    public static void write(Path path, long[] data, long... shape) throws IOException {
        try (NpyWriter w = NpyWriter.open(path, NpyDType.INT64, checked(data.length, shape))) {
            w.writeLongs(data, 0, data.length);
        }
    }

    /** Writes an int32 array of the given shape. */
    public static void write(Path path, int[] data, long... shape) throws IOException {
        try (NpyWriter w = NpyWriter.open(path, NpyDType.INT32, checked(data.length, shape))) {
            w.writeInts(data, 0, data.length);
        }
    }

    /** Reads a whole array in the file's own element type. */
    public static NpyArray read(Path path) throws IOException {
        try (NpyReader r = NpyReader.open(path)) {
            NpyHeader h = r.header();
            long count = h.elementCount();
            if (count > MAX_ELEMENTS) {
                throw new NpyFormatException(path + " has " + count + " elements, too many to read whole; use Npy.reader");
            }
            int n = (int) count;
            Object data = switch (h.dtype()) {
                case FLOAT64 -> {
                    double[] d = new double[n];
                    r.readDoubles(d, 0, n);
                    yield d;
                }
                case FLOAT32 -> {
                    float[] f = new float[n];
                    r.readFloats(f, 0, n);
                    yield f;
                }
                case INT64 -> {
                    long[] l = new long[n];
                    r.readLongs(l, 0, n);
                    yield l;
                }
                case INT32 -> {
                    long[] l = new long[n];
                    r.readLongs(l, 0, n);
                    int[] k = new int[n];
                    for (int i = 0; i < n; i++) {
                        k[i] = (int) l[i];
                    }
                    yield k;
                }
            };
            return new NpyArray(h, data);
        }
    }

    private static long[] checked(int length, long[] shape) {
        long count = NpyHeader.of(NpyDType.FLOAT64, shape).elementCount();
        if (count != length) {
            throw new IllegalArgumentException("shape " + NpyHeader.of(NpyDType.FLOAT64, shape).shapeString() + " holds "
                    + count + " elements but the array has " + length);
        }
        return shape;
    }
}
