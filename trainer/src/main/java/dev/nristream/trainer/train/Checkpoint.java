package dev.nristream.trainer.train;

import ai.djl.ndarray.NDArray;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: a JSON header (epoch, optimizer step count, best validation loss, anything the trainer
 * needs to continue) and named float32 tensors (parameters, batch-norm statistics, Adam moments).
 *
 * <p>Layout: magic {@code NRICKPT1}, int header length, UTF-8 JSON, int tensor count, then per tensor: UTF name,
 * int rank, long dims, little-endian float32 data. Written to a temporary file and moved into place, so a process
 * killed mid-write leaves the previous checkpoint intact.
 */
public record Checkpoint(String headerJson, Map<String, Tensor> tensors) {
    static final byte[] MAGIC = "NRICKPT1".getBytes(StandardCharsets.US_ASCII);

    /** One stored tensor. */
    public record Tensor(long[] shape, float[] data) {}

    /** Captures the current values of the given tensors. */
    public static Map<String, Tensor> snapshot(Map<String, NDArray> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, new Tensor(a.getShape().getShape(), a.toFloatArray())));
        return out;
    }

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.write(MAGIC);
            byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
            out.writeInt(h.length);
            out.write(h);
            out.writeInt(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] d = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(d);
                out.write(buf.array());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Checkpoint read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + " is not an nri-stream checkpoint");
            }
            byte[] h = new byte[in.readInt()];
            in.readFully(h);
            int count = in.readInt();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                long[] shape = new long[in.readInt()];
                long size = 1;
                for (int j = 0; j < shape.length; j++) {
                    shape[j] = in.readLong();
                    size *= shape[j];
                }
                byte[] raw = new byte[Math.toIntExact(size * 4)];
                in.readFully(raw);
                float[] d = new float[Math.toIntExact(size)];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(d);
                tensors.put(name, new Tensor(shape, d));
            }
            return new Checkpoint(new String(h, StandardCharsets.UTF_8), tensors);
        } catch (EOFException ex) {
            throw new IllegalArgumentException(file + " is truncated", ex);
        }
    }
}
