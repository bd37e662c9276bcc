package dev.nristream.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks against real numpy where python3 with numpy is installed (skipped elsewhere). */
class NumpyInteropTest {
    @TempDir
    Path tmp;

    @Test
    void numpyWritesTheSameBytesAndReadsOurs() throws IOException {
        Python.requireNumpy();
        double[] d = new double[2 * 3 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.5 - 3;
        }
        Npy.write(tmp.resolve("ours_f8.npy"), d, 2, 3, 4);
        Npy.write(tmp.resolve("ours_i8.npy"), new long[] {-1, 0, 1, 2}, 4);
        Npy.write(tmp.resolve("ours_f4.npy"), new float[] {0.25f, -1f}, 1, 2);
        Python.Result r = Python.run("""
                import numpy as np, sys
                d = sys.argv[1]
                np.save(d + '/np_f8.npy', np.arange(24, dtype='<f8').reshape(2, 3, 4) * 0.5 - 3)
                np.save(d + '/np_i8.npy', np.array([-1, 0, 1, 2], dtype='<i8'))
                np.save(d + '/np_f4.npy', np.array([[0.25, -1]], dtype='<f4'))
                a = np.load(d + '/ours_f8.npy')
                print(a.dtype, a.shape, float(a.sum()), float(a[1, 2, 3]))
                """, tmp.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output().strip()).isEqualTo("float64 (2, 3, 4) 66.0 8.5");
        for (String t : new String[] {"f8", "i8", "f4"}) {
            assertThat(Files.readAllBytes(tmp.resolve("ours_" + t + ".npy")))
                    .as(t).isEqualTo(Files.readAllBytes(tmp.resolve("np_" + t + ".npy")));
        }
        assertThat(Npy.read(tmp.resolve("np_f8.npy")).asDoubles()).isEqualTo(d);
    }
}
