package dev.nristream.io;

import java.util.Arrays;

/**
 * A whole .npy array in memory: its header and the elements in the file's own type (one of {@code double[]},
 * {@code float[]}, {@code long[]}, {@code int[]}), C order.
 */
public record NpyArray(NpyHeader header, Object data) {

    public NpyDType dtype() {
        return header.dtype();
    }

    public long[] shape() {
        return header.shape();
    }

    /** The elements as doubles: the array itself for float64, a converted copy otherwise. */
    public double[] asDoubles() {
        if (data instanceof double[] d) {
            return d;
        }
        int n = length();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = element(i);
        }
        return out;
    }

    /** The elements as floats: the array itself for float32, a converted copy otherwise. */
    public float[] asFloats() {
        if (data instanceof float[] f) {
            return f;
        }
        double[] d = asDoubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    /** The elements as longs; floating-point values must be whole numbers. */
    public long[] asLongs() {
        if (data instanceof long[] l) {
            return l;
        }
        if (data instanceof int[] k) {
            return Arrays.stream(k).asLongStream().toArray();
        }
        double[] d = asDoubles();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (long) d[i];
            if (out[i] != d[i]) {
                throw new NpyFormatException("element " + i + " is " + d[i] + ", not a whole number");
            }
        }
        return out;
    }

    private double element(int i) {
        if (data instanceof float[] f) {
            return f[i];
        }
        if (data instanceof long[] l) {
            return l[i];
        }
        return ((int[]) data)[i];
    }

    private int length() {
        if (data instanceof double[] d) {
            return d.length;
        }
        if (data instanceof float[] f) {
            return f.length;
        }
        if (data instanceof long[] l) {
            return l.length;
        }
        if (data instanceof int[] k) {
            return k.length;
        }
        throw new IllegalStateException("unexpected data " + data.getClass());
    }
}
