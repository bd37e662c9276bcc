package dev.nristream.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    @Test
    void headerIsByteForByteWhatNumpyWrites() {
        // np.save of a (2, 3) float64 array, numpy 2.x: a 118-byte dict padded so the data starts at byte 128.
        byte[] h = NpyHeader.of(NpyDType.FLOAT64, 2, 3).encode();
        assertThat(h).hasSize(128);
        assertThat(Arrays.copyOfRange(h, 0, 10))
                .containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0);
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        String text = new String(h, 10, 118, StandardCharsets.US_ASCII);
        assertThat(text).isEqualTo(dict + " ".repeat(117 - dict.length()) + "\n");

        assertThat(new String(NpyHeader.of(NpyDType.INT64, 3).encode(), StandardCharsets.US_ASCII))
                .contains("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }");
        assertThat(new String(NpyHeader.of(NpyDType.FLOAT32).encode(), StandardCharsets.US_ASCII))
                .contains("{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
    }

    @Test
    void dataAlwaysStartsAtAMultipleOf64() {
        long[][] shapes = {{}, {0}, {1}, {7, 3}, {10000, 49, 2, 5}, {50000, 99, 2, 10}, {123456789012L, 1, 1, 1, 1, 1},
            {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
        for (NpyDType t : NpyDType.values()) {
            for (long[] shape : shapes) {
                NpyHeader h = NpyHeader.of(t, shape);
                byte[] bytes = h.encode();
                assertThat(bytes.length % 64).as(h.toString()).isZero();
                assertThat(h.dataOffset()).isEqualTo(bytes.length);
                assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
                int declared = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
                assertThat(declared + 10).isEqualTo(bytes.length);
            }
        }
    }

    @Test
    void everyTypeRoundTrips() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        double[] d = r.doubles(60).toArray();
        d[3] = Double.NaN;
        d[4] = Double.NEGATIVE_INFINITY;
        Npy.write(tmp.resolve("d.npy"), d, 3, 4, 5);
        NpyArray a = Npy.read(tmp.resolve("d.npy"));
        assertThat(a.dtype()).isEqualTo(NpyDType.FLOAT64);
        assertThat(a.shape()).containsExactly(3, 4, 5);
        assertThat(a.asDoubles()).isEqualTo(d);

        float[] f = {1.5f, -2.25f, Float.MAX_VALUE, Float.MIN_VALUE};
        Npy.write(tmp.resolve("f.npy"), f, 2, 2);
        assertThat(Npy.read(tmp.resolve("f.npy")).asFloats()).isEqualTo(f);

        long[] l = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 42};
        Npy.write(tmp.resolve("l.npy"), l, 6);
        NpyArray la = Npy.read(tmp.resolve("l.npy"));
        assertThat(la.dtype()).isEqualTo(NpyDType.INT64);
        assertThat(la.asLongs()).isEqualTo(l);

        int[] k = {Integer.MIN_VALUE, 0, Integer.MAX_VALUE};
        Npy.write(tmp.resolve("k.npy"), k, 3);
        assertThat((int[]) Npy.read(tmp.resolve("k.npy")).data()).isEqualTo(k);

        Npy.write(tmp.resolve("empty.npy"), new double[0], 0, 5);
        assertThat(Npy.read(tmp.resolve("empty.npy")).shape()).containsExactly(0, 5);
        Npy.write(tmp.resolve("scalar.npy"), new double[] {2.5});
        assertThat(Npy.read(tmp.resolve("scalar.npy")).asDoubles()).containsExactly(2.5);
    }

    @Test
    void fileIsHeaderThenLittleEndianData() throws IOException {
        Npy.write(tmp.resolve("x.npy"), new double[] {1.0, -2.0}, 2);
        byte[] all = Files.readAllBytes(tmp.resolve("x.npy"));
        assertThat(all).hasSize(128 + 16);
        ByteBuffer b = ByteBuffer.wrap(all, 128, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getDouble()).isEqualTo(1.0);
        assertThat(b.getDouble()).isEqualTo(-2.0);
    }

    @Test
    void streamingWriteEqualsOneShotWrite() throws IOException {
        double[] d = new SplittableRandom(2).doubles(300_001).toArray();
        Npy.write(tmp.resolve("whole.npy"), d, d.length);
        try (NpyWriter w = Npy.writer(tmp.resolve("parts.npy"), NpyDType.FLOAT64, d.length)) {
            int off = 0;
            int step = 1;
            while (off < d.length) {
                int n = Math.min(step, d.length - off);
                w.writeDoubles(d, off, n);
                off += n;
                step = step * 3 + 1;
            }
        }
        assertThat(Files.readAllBytes(tmp.resolve("parts.npy"))).isEqualTo(Files.readAllBytes(tmp.resolve("whole.npy")));

        try (NpyReader r = Npy.reader(tmp.resolve("parts.npy"))) {
            double[] back = new double[d.length];
            r.readDoubles(back, 0, 5);
            r.readDoubles(back, 5, 200_000);
            r.readDoubles(back, 200_005, d.length - 200_005);
            assertThat(r.remaining()).isZero();
            assertThat(back).isEqualTo(d);
        }
    }

    @Test
    void anIncompleteWriteLeavesNoFile() throws IOException {
        Path p = tmp.resolve("short.npy");
        NpyWriter w = Npy.writer(p, NpyDType.FLOAT64, 2, 3);
        w.writeDoubles(new double[5], 0, 5);
        assertThatThrownBy(w::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrote 5 of 6 elements");
        assertThat(p).doesNotExist();
        assertThat(tmp.resolve("short.npy.part")).doesNotExist();

        try (NpyWriter over = Npy.writer(tmp.resolve("over.npy"), NpyDType.INT64, 2)) {
            over.writeLongs(new long[2], 0, 2);
            assertThatThrownBy(() -> over.writeLongs(new long[1], 0, 1)).hasMessageContaining("exceed its shape (2,)");
        }
        assertThatThrownBy(() -> Npy.write(tmp.resolve("bad.npy"), new double[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 6 elements but the array has 5");
    }

    @Test
    void edgesStoredAsFloatReadAsLongs() throws IOException {
        Npy.write(tmp.resolve("e.npy"), new double[] {0, 1, -1, 1}, 2, 2);
        assertThat(Npy.read(tmp.resolve("e.npy")).asLongs()).containsExactly(0, 1, -1, 1);
        Npy.write(tmp.resolve("frac.npy"), new double[] {0.5}, 1);
        assertThatThrownBy(() -> Npy.read(tmp.resolve("frac.npy")).asLongs())
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("not a whole number");
    }

    @Test
    void readsFormatVersion2() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        int len = 64 - 12;
        String padded = dict + " ".repeat(len + 64 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + padded.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 2).put((byte) 0).putInt(padded.length());
        b.put(padded.getBytes(StandardCharsets.US_ASCII)).putFloat(3f).putFloat(-4f);
        Files.write(tmp.resolve("v2.npy"), b.array());
        NpyArray a = Npy.read(tmp.resolve("v2.npy"));
        assertThat(a.header().dataOffset()).isEqualTo(12 + padded.length());
        assertThat(a.asFloats()).containsExactly(3f, -4f);
    }

    @Test
    void unreadableFilesAreExplained() throws IOException {
        Path notNpy = Files.writeString(tmp.resolve("x.npy"), "hello, this is not numpy");
        assertThatThrownBy(() -> Npy.read(notNpy)).isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("not a .npy file");

        // Fortran order and big-endian files are valid .npy and read (NpyHostileFilesTest).
        Path fortran = writeRaw("fortran.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }", 8);
        assertThat(Npy.read(fortran).asDoubles()).hasSize(1);

        Path complex = writeRaw("c.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", 16);
        assertThatThrownBy(() -> Npy.read(complex)).hasMessageContaining("unsupported dtype '<c16'");

        Path bigEndian = writeRaw("be.npy", "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", 8);
        assertThat(Npy.read(bigEndian).asDoubles()).hasSize(1);

        Path truncated = writeRaw("t.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", 8);
        assertThatThrownBy(() -> Npy.read(truncated)).hasMessageContaining("is truncated");
    }

    private Path writeRaw(String name, String dict, int dataBytes) throws IOException {
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + text.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return Files.write(tmp.resolve(name), b.array());
    }
}
