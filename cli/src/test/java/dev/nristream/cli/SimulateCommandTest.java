package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nristream.io.Npy;
import dev.nristream.io.NpyDType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void writesASmallDatasetAndSummarisesIt() throws IOException {
        Path dir = tmp.resolve("s3");
        int code = run("simulate", "--system", "charged", "--atoms", "3", "--train", "4", "--valid", "2", "--test", "1",
                "--length", "300", "--length-test", "500", "--out", dir.toString(), "--threads", "2", "--no-progress");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Npy.readHeader(dir.resolve("loc_train_charged3.npy")).shape()).containsExactly(4, 2, 2, 3);
        assertThat(Npy.readHeader(dir.resolve("vel_test_charged3.npy")).shape()).containsExactly(1, 4, 2, 3);
        assertThat(Npy.readHeader(dir.resolve("edges_valid_charged3.npy")).dtype()).isEqualTo(NpyDType.FLOAT64);
        assertThat(out.toString())
                .contains("loc_train_charged3.npy", "<f8 (4, 2, 2, 3)")
                .containsPattern("simulate: wrote 9 files \\(.* MB\\) for 7 charged simulations to .* in .* s");
    }

    @Test
    void kuramotoOnTheUnitCircleIsWrittenAsPositionsAndVelocities() throws IOException {
        Path dir = tmp.resolve("k3");
        int code = run("simulate", "--system", "kuramoto", "--kuramoto-form", "circle", "--atoms", "3", "--train", "2",
                "--valid", "1", "--test", "1", "--length", "1000", "--length-test", "1000", "--out", dir.toString(),
                "--no-progress");
        assertThat(code).as(err.toString()).isZero();
        // 1000 / 100 - 1 = 9 states of [2][3], no research feat_ files and no train_small split
        assertThat(Npy.readHeader(dir.resolve("loc_train_kuramoto3circle.npy")).shape()).containsExactly(2, 9, 2, 3);
        assertThat(Npy.readHeader(dir.resolve("vel_test_kuramoto3circle.npy")).shape()).containsExactly(1, 9, 2, 3);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(f -> f.startsWith("feat_") || f.contains("small"));
        }
        double[] loc = Npy.read(dir.resolve("loc_train_kuramoto3circle.npy")).asDoubles();
        for (int k = 0; k < 3; k++) { // scene 0, state 0, oscillator k: on the unit circle
            assertThat(Math.hypot(loc[k], loc[3 + k])).isCloseTo(1.0, within(1e-12));
        }
        JsonNode p = new ObjectMapper().readTree(dir.resolve("dataset_kuramoto3circle.json").toFile());
        assertThat(p.get("system").asText()).isEqualTo("kuramoto");
        assertThat(p.get("reproduce").asText()).contains("--kuramoto-form circle", "--suffix _kuramoto3circle");
        assertThat(p.has("box_half_width")).isFalse();

        assertThat(run("simulate", "--system", "springs", "--kuramoto-form", "circle", "--out", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--kuramoto-form circle is for --system kuramoto, not springs");
        assertThat(run("simulate", "--system", "kuramoto", "--kuramoto-form", "disc", "--out", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("'features' (the research files) or 'circle'", "got 'disc'");
    }

    @Test
    void theProvenanceFileRemakesTheSameBytes() throws IOException {
        Path first = tmp.resolve("first");
        assertThat(run("simulate", "--atoms", "3", "--train", "3", "--valid", "1", "--test", "1", "--length", "300",
                "--length-test", "500", "--seed", "7", "--out", first.toString(), "--no-progress")).isZero();
        JsonNode p = new ObjectMapper().readTree(first.resolve("dataset_springs3.json").toFile());
        String reproduce = p.get("reproduce").asText();
        assertThat(reproduce).startsWith("./nri simulate --system springs --atoms 3 --train 3 --valid 1 --test 1")
                .contains("--seed 7", "--suffix _springs3").doesNotContain("--out");
        assertThat(p.get("command").asText()).contains("--out " + first);

        Path again = tmp.resolve("again");
        List<String> args = new ArrayList<>(List.of(reproduce.substring("./nri ".length()).split(" ")));
        args.addAll(List.of("--out", again.toString(), "--no-progress", "--threads", "1"));
        assertThat(run(args.toArray(new String[0]))).isZero();
        for (String f : List.of("loc_train_springs3.npy", "vel_valid_springs3.npy", "edges_test_springs3.npy")) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(first.resolve(f)));
        }
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhatIsWrong() throws IOException {
        String d = tmp.resolve("x").toString();
        assertThat(run("simulate", "--atoms", "1", "--out", d)).isEqualTo(2);
        assertThat(err.toString()).contains("--atoms must be at least 2, got 1");

        assertThat(run("simulate", "--length", "100", "--sample-freq", "100", "--out", d)).isEqualTo(2);
        assertThat(err.toString()).contains("must be greater than --sample-freq (100)");

        assertThat(run("simulate", "--system", "gravity", "--out", d)).isEqualTo(2);
        assertThat(err.toString()).contains("unknown system 'gravity' (expected one of springs, charged, kuramoto)");

        assertThat(run("simulate", "--length", "5050", "--out", d)).isEqualTo(2);
        assertThat(err.toString()).contains("length (5050) must be a multiple of the sample frequency (100)");

        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(run("simulate", "--train", "1", "--valid", "0", "--test", "0", "--length", "200",
                "--out", file.resolve("sub").toString(), "--no-progress")).isEqualTo(2);
        assertThat(err.toString()).contains("cannot create output directory " + file.resolve("sub"));

        assertThat(run("simulate", "--edges-dtype", "int8", "--out", d)).isEqualTo(2);
        assertThat(err.toString()).contains("--edges-dtype must be float64 or int64, got 'int8'");

        assertThat(run("simulate", "--atoms", "five")).isEqualTo(2);
        assertThat(err.toString()).contains("--atoms");
    }
}
