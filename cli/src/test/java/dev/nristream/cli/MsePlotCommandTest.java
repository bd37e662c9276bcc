package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri plot mse} on JSON files shaped like {@code ./nri evaluate --json [--dynamic]} and
 * {@code ./nri baseline lstm --evaluate --json}, with known arrays: the table's columns and values, the PNG, and the
 * errors that name the file and the keys it has.
 */
class MsePlotCommandTest {
    @TempDir
    Path tmp;

    private final CapturedNri cli = new CapturedNri();

    private int run(String... args) {
        return cli.run(args);
    }

    /** {@code start * 2^k} for k = 0 .. steps - 1. */
    private static String doubling(double start, int steps) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < steps; k++) {
            sb.append(k == 0 ? "" : ", ").append(start * Math.pow(2, k));
        }
        return sb.append(']').toString();
    }

    private Path evaluation(String name, int steps) throws Exception {
        Path f = tmp.resolve(name);
        // type_assignment is a list of numbers too, but not an MSE: it must not count as one.
        Files.writeString(f, "{\"split\": \"test_springs5\", \"samples\": 20, \"window_start\": 0, "
                + "\"edge_accuracy\": 0.99, \"type_assignment\": [0, 1], \"mse\": " + doubling(1e-6, steps)
                + ", \"static_mse\": " + doubling(1e-4, steps) + ", \"dynamic_mse\": " + doubling(2e-6, steps) + "}");
        return f;
    }

    @Test
    void drawsTheCurvesAndPrintsTheTableAtTheReportedSteps() throws Exception {
        Path nri = evaluation("nri.json", 30);
        Path lstm = tmp.resolve("lstm.json");
        Files.writeString(lstm, "{\"model\": \"lstm\", \"samples\": 20, \"mse\": " + doubling(3e-6, 20) + "}");
        Path png = tmp.resolve("figs/mse.png");
        int rc = run("plot", "mse", "--out", png.toString(), "--title", "springs",
                "NRI (static)=" + nri + ":mse", "NRI (dynamic)=" + nri + ":dynamic_mse", "LSTM=" + lstm,
                "no motion=" + nri + ":static_mse");
        assertThat(rc).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("""
                | model | step 1 | step 5 | step 10 | step 15 | step 20 | step 25 | step 30 |
                |---|---:|---:|---:|---:|---:|---:|---:|
                | NRI (static) | 1.00e-06 | 1.60e-05 | 5.12e-04 | 1.64e-02 | 5.24e-01 | 1.68e+01 | 5.37e+02 |
                | NRI (dynamic) | 2.00e-06 | 3.20e-05 | 1.02e-03 | 3.28e-02 | 1.05e+00 | 3.36e+01 | 1.07e+03 |
                | LSTM | 3.00e-06 | 4.80e-05 | 1.54e-03 | 4.92e-02 | 1.57e+00 | - | - |
                | no motion | 1.00e-04 | 1.60e-03 | 5.12e-02 | 1.64e+00 | 5.24e+01 | 1.68e+03 | 5.37e+04 |
                """);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isPositive();
        assertThat(img.getHeight()).isPositive();
    }

    @Test
    void aLastStepOffTheListGetsItsOwnColumn() throws Exception {
        Path lstm = tmp.resolve("lstm.json");
        Files.writeString(lstm, "{\"mse\": " + doubling(1e-3, 12) + "}");
        assertThat(run("plot", "mse", "--out", tmp.resolve("m.png").toString(), "LSTM=" + lstm))
                .as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("| model | step 1 | step 5 | step 10 | step 12 |\n")
                .contains("| LSTM | 1.00e-03 | 1.60e-02 | 5.12e-01 | 2.05e+00 |");
    }

    @Test
    void anUnknownKeyListsTheFilesKeys() throws Exception {
        Path nri = evaluation("nri.json", 5);
        assertThat(run("plot", "mse", "--out", tmp.resolve("m.png").toString(), "NRI=" + nri + ":msee"))
                .isEqualTo(UserErrorHandler.USER_ERROR_EXIT);
        assertThat(cli.err()).contains(nri + " has no per-step MSE array 'msee'; it has [mse, static_mse, "
                + "dynamic_mse]");
        assertThat(tmp.resolve("m.png")).doesNotExist();
    }

    @Test
    void aFileWithSeveralArraysNeedsAKey() throws Exception {
        Path nri = evaluation("nri.json", 5);
        assertThat(run("plot", "mse", "--out", tmp.resolve("m.png").toString(), "NRI=" + nri))
                .isEqualTo(UserErrorHandler.USER_ERROR_EXIT);
        assertThat(cli.err()).contains(nri + " has 3 per-step MSE arrays [mse, static_mse, dynamic_mse]; "
                + "pick one with " + nri + ":KEY");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = tmp.resolve("nope.json");
        assertThat(run("plot", "mse", "--out", tmp.resolve("m.png").toString(), "NRI=" + missing + ":mse"))
                .isEqualTo(UserErrorHandler.USER_ERROR_EXIT);
        assertThat(cli.err()).contains("no such file: " + missing);
    }

    @Test
    void aCurveWithoutALabelIsRefused() throws Exception {
        Path nri = evaluation("nri.json", 5);
        assertThat(run("plot", "mse", "--out", tmp.resolve("m.png").toString(), nri + ":mse"))
                .isEqualTo(UserErrorHandler.USER_ERROR_EXIT);
        assertThat(cli.err()).contains("is not LABEL=FILE.json[:key]");
    }
}
