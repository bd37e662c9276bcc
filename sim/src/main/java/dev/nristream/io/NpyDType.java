package dev.nristream.io;

import java.util.Arrays;

/** The element types {@link Npy} reads and writes: little-endian numbers, as numpy writes them on x86 and ARM. */
public enum NpyDType {
    FLOAT64("<f8", 8),
    FLOAT32("<f4", 4),
    INT64("<i8", 8),
    INT32("<i4", 4);

    private final String descr;
    private final int bytes;

    NpyDType(String descr, int bytes) {
        this.descr = descr;
        this.bytes = bytes;
    }

    /** The numpy type string of the header, e.g. {@code <f8}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /**
     * The type for a header's {@code descr}; {@code |} and {@code =} byte orders are accepted where numpy writes
     * them for one-byte or native types.
     *
     * @throws NpyFormatException naming the unsupported type
     */
    public static NpyDType fromDescr(String descr) {
        // Byte order ('<', '>', '=') is the header's business; the type is the rest.
        String normal = descr.startsWith("=") || descr.startsWith(">") ? "<" + descr.substring(1) : descr;
        for (NpyDType t : values()) {
            if (t.descr.equals(normal)) {
                return t;
            }
        }
        throw new NpyFormatException("unsupported dtype '" + descr + "' (supported: "
                + Arrays.stream(values()).map(NpyDType::descr).toList() + " in either byte order"
                + (descr.contains("U") || descr.contains("S") || descr.contains("O")
                        ? "; strings and Python objects cannot be read, save the numbers" : "") + ")");
    }
}
