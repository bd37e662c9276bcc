package dev.nristream.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Hostile records in the registry wire format for poison-pill tests: a valid prefix of a record of any schema
 * followed by a length that claims far more than the record holds. {@code bomb(schema, id, Claim.ARRAY)} is the
 * 46-byte record whose first array claims 2^31-9 items (just under Avro's own limit) that took the job and the
 * analytics down with an OutOfMemoryError before lengths were bounded.
 */
public final class PoisonPills {

    /** Integer.MAX_VALUE - 8: Avro's own bound, which these claims stay just under. */
    public static final long HUGE = Integer.MAX_VALUE - 8L;
    /** Size of every bomb: small, like the record found in the wild. */
    public static final int SIZE = 46;

    /** What the bomb's length claims. */
    public enum Claim {
        /** The first array in the schema claims {@link #HUGE} items. */
        ARRAY,
        /** The first string in the schema claims {@link #HUGE} bytes. */
        STRING
    }

    private PoisonPills() {
    }

    /**
     * A {@link #SIZE}-byte record (magic 0, {@code schemaId}, Avro body) of {@code schema}: minimal values up to
     * the first field of the claimed kind, then the huge claim, then zero padding.
     */
    public static byte[] bomb(Schema schema, int schemaId, Claim claim) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            if (!write(schema, e, claim)) {
                throw new IllegalArgumentException(schema.getFullName() + " has no " + claim + " to claim");
            }
            e.flush();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        while (out.size() < SIZE) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** A record in the wire format naming {@code schemaId}, with a short body. */
    public static byte[] unknownId(int schemaId) {
        return new byte[] {0, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8),
            (byte) schemaId, 2, 4, 6};
    }

    /** Writes minimal values; returns true once the claim is written (and nothing after it). */
    private static boolean write(Schema s, BinaryEncoder e, Claim claim) throws IOException {
        switch (s.getType()) {
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    if (write(f.schema(), e, claim)) {
                        return true;
                    }
                }
            }
            case ARRAY -> {
                if (claim == Claim.ARRAY) {
                    e.writeLong(HUGE);
                    return true;
                }
                e.writeLong(0);
            }
            case STRING -> {
                if (claim == Claim.STRING) {
                    e.writeLong(HUGE);
                    return true;
                }
                e.writeLong(0);
            }
            case UNION -> {
                int nul = -1;
                for (int i = 0; i < s.getTypes().size(); i++) {
                    if (s.getTypes().get(i).getType() == Schema.Type.NULL) {
                        nul = i;
                    }
                }
                e.writeIndex(nul >= 0 ? nul : 0);
                return nul < 0 && write(s.getTypes().get(0), e, claim);
            }
            case FLOAT -> e.writeFloat(0f);
            case DOUBLE -> e.writeDouble(0.0);
            case FIXED -> e.writeFixed(new byte[s.getFixedSize()]);
            case NULL -> { }
            case BOOLEAN -> e.writeBoolean(false);
            default -> e.writeLong(0); // int, long, enum, bytes (length 0), map (0 entries)
        }
        return false;
    }
}
