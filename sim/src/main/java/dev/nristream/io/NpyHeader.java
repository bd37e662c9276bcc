package dev.nristream.io;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a .npy file: element type, byte order, shape, C or Fortran order and where the data starts.
 * Files are written little-endian in C order; big-endian and Fortran-order files (numpy writes them for
 * {@code astype('>f8')} and transposed arrays) are read.
 *
 * <p>{@link #encode()} writes the header byte for byte as numpy 2.x's {@code np.save} does: format version 1.0,
 * the keys sorted, spare spaces after the dict so the first axis can grow in place, padding so that the data starts
 * at a multiple of 64 bytes, and a final newline.
 */
public record NpyHeader(NpyDType dtype, long[] shape, int dataOffset, ByteOrder order, boolean fortranOrder) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    static final int ALIGN = 64;
    /** numpy leaves room for the first axis to grow to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A little-endian, C-order header: what {@link NpyWriter} writes. */
    public NpyHeader(NpyDType dtype, long[] shape, int dataOffset) {
        this(dtype, shape, dataOffset, ByteOrder.LITTLE_ENDIAN, false);
    }

    public NpyHeader {
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
    }

    /** A header for writing; the data offset follows from the encoding. */
    public static NpyHeader of(NpyDType dtype, long... shape) {
        NpyHeader provisional = new NpyHeader(dtype, shape, 0);
        return new NpyHeader(dtype, shape, provisional.encode().length);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (the product of the shape; 1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Size of the data in bytes. */
    public long dataBytes() {
        return Math.multiplyExact(elementCount(), dtype.bytes());
    }

    /** The shape as numpy prints it: {@code (2, 3)}, {@code (3,)}, {@code ()}. */
    public String shapeString() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** The full header bytes: magic, version 1.0, length, dict, padding, newline. */
    public byte[] encode() {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(dtype.descr())
                .append("', 'fortran_order': False, 'shape': ").append(shapeString()).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        int prefix = MAGIC.length + 2 + 2;
        int hlen = dict.length() + 1;
        int pad = ALIGN - ((prefix + hlen) % ALIGN);
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        if (text.length > 0xFFFF) {
            throw new IllegalArgumentException("npy header too long for format 1.0: " + text.length + " bytes");
        }
        byte[] out = new byte[prefix + text.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (text.length & 0xFF);
        out[9] = (byte) (text.length >>> 8);
        System.arraycopy(text, 0, out, prefix, text.length);
        return out;
    }

    /**
     * Parses the dict text of a header (version 1.x, 2.x or 3.x).
     *
     * @param dict the header text after the length field
     * @param dataOffset where the data starts in the file
     */
    static NpyHeader parse(String dict, int dataOffset) {
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new NpyFormatException("malformed npy header: " + dict.strip());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                try {
                    dims.add(Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
                } catch (NumberFormatException e) {
                    throw new NpyFormatException("malformed shape in npy header: " + s.group());
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        for (long dim : shape) {
            if (dim < 0) {
                throw new NpyFormatException("negative dimension in npy header: " + s.group());
            }
        }
        String descr = d.group(1);
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        NpyHeader h = new NpyHeader(NpyDType.fromDescr(descr), shape, dataOffset, order, f.group(1).equals("True"));
        try {
            h.dataBytes();
        } catch (ArithmeticException e) {
            throw new NpyFormatException("shape " + h.shapeString() + " in the npy header is too large to exist");
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.dtype == dtype && Arrays.equals(h.shape, shape)
                && h.dataOffset == dataOffset && h.order.equals(order) && h.fortranOrder == fortranOrder;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + dataOffset)
                + (fortranOrder ? 1 : 0) + order.hashCode();
    }

    @Override
    public String toString() {
        return dtype.descr() + " " + shapeString();
    }
}
