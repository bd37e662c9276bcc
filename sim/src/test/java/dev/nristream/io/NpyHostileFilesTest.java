package dev.nristream.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken .npy files give one {@link NpyFormatException} (an IllegalArgumentException: exit 2 in the CLI) naming
 * the file; big-endian and Fortran-order files, which numpy writes, are read.
 */
class NpyHostileFilesTest {

    @TempDir
    Path dir;

    /** A version 1.0 file with the given dict and data, padded as numpy pads. */
    static byte[] npy(String dict, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int len = dict.length() + 1;
        int pad = 64 - ((10 + len) % 64);
        String text = dict + " ".repeat(pad) + "\n";
        out.write(text.length() & 0xFF);
        out.write(text.length() >>> 8);
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(order);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    Path file(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void brokenFilesAreOneClearErrorNamingTheFile() throws Exception {
        byte[] six = doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6);
        String ok = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
        record Case(String name, byte[] bytes, String message) {
        }
        byte[] good = npy(ok, six);
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        Case[] cases = {
            new Case("magic.npy", badMagic, "not a .npy file"),
            new Case("empty.npy", new byte[0], "ends inside its npy header"),
            new Case("header-cut.npy", Arrays.copyOf(good, 40), "ends inside its npy header"),
            new Case("corrupt-header.npy", npy("{'descr': '<f8', 'shape': garbage}", six), "malformed npy header"),
            new Case("bad-shape.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }", six),
                    "malformed shape"),
            new Case("strings.npy", npy("{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }", new byte[40]),
                    "strings and Python objects cannot be read"),
            new Case("objects.npy", npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new byte[16]),
                    "unsupported dtype '|O'"),
            new Case("truncated.npy", Arrays.copyOf(good, good.length - 8), "is truncated"),
            new Case("huge-rows.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (20000000000, 3), }",
                    six), "needs 480000000128 bytes"),
            new Case("overflow.npy", npy("{'descr': '<f8', 'fortran_order': False, "
                    + "'shape': (9000000000000000000, 9000000000000000000), }", six), "too large to exist"),
            new Case("version.npy", npy(ok, six), "unsupported npy format version 9"),
        };
        cases[cases.length - 1].bytes()[6] = 9;
        for (Case c : cases) {
            Path p = file(c.name(), c.bytes());
            assertThatThrownBy(() -> Npy.read(p)).as(c.name())
                    .isInstanceOf(NpyFormatException.class)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(p.toString())
                    .hasMessageContaining(c.message());
        }
    }

    @Test
    void bigEndianAndFortranOrderFilesAreRead() throws Exception {
        double[] cOrder = {1, 2, 3, 4, 5, 6}; // [[1, 2, 3], [4, 5, 6]]
        Path be = file("be.npy", npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }",
                doubles(ByteOrder.BIG_ENDIAN, cOrder)));
        assertThat(Npy.read(be).asDoubles()).containsExactly(cOrder);

        // Fortran order stores columns first: 1, 4, 2, 5, 3, 6.
        Path f = file("f.npy", npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                doubles(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6)));
        assertThat(Npy.read(f).asDoubles()).containsExactly(cOrder);
        assertThat(Npy.read(f).shape()).containsExactly(2, 3);

        ByteBuffer ints = ByteBuffer.allocate(3 * 2 * 2 * 4).order(ByteOrder.BIG_ENDIAN);
        // shape (3, 2, 2) in Fortran order: element (i, j, k) at i + 3 * (j + 2 * k), value 100i + 10j + k.
        int[] fortran = new int[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    fortran[i + 3 * (j + 2 * k)] = 100 * i + 10 * j + k;
                }
            }
        }
        for (int v : fortran) {
            ints.putInt(v);
        }
        Path bf = file("bf.npy", npy("{'descr': '>i4', 'fortran_order': True, 'shape': (3, 2, 2), }",
                ints.array()));
        assertThat(Npy.read(bf).asDoubles()).containsExactly(0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211);
    }

    @Test
    void filesNumpyWritesInBigEndianAndFortranOrderAreRead() throws Exception {
        assumeTrue(Python.hasNumpy(), "python3 with numpy not installed");
        Path be = dir.resolve("np-be.npy");
        Path f = dir.resolve("np-f.npy");
        Python.Result r = Python.run("""
                import numpy as np, sys
                a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7
                np.save(sys.argv[1], a.astype('>f8'))
                np.save(sys.argv[2], np.asfortranarray(a.astype(np.float32)))
                """, be.toString(), f.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        double[] expected = new double[24];
        for (int i = 0; i < 24; i++) {
            expected[i] = i / 7.0;
        }
        assertThat(Npy.read(be).asDoubles()).containsExactly(expected);
        assertThat(Npy.read(f).shape()).containsExactly(2, 3, 4);
        double[] got = Npy.read(f).asDoubles();
        for (int i = 0; i < 24; i++) {
            assertThat(got[i]).isEqualTo((float) expected[i]);
        }
    }
}
