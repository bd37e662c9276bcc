package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./nri train} on a slice of the real motion-capture dataset (one training trial, one validation trial),
 * the way models/README.md trains mocap35 (31 joints, x y z vx vy vz, 50-step windows, MLP encoder and recurrent
 * decoder, "no edge" type), narrowed to a few fast steps: the loss must go down.
 */
class MocapTrainingTest {
    private static final Path DIR = Path.of(System.getProperty("nri.shared.data"), "cmu-mocap", "subject35");

    @TempDir
    static Path tmp;

    private static Path data;

    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void dataset() {
        data = tmp.resolve("mocap");
        CommandLine cli = Nri.commandLine();
        StringWriter e = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(e, true));
        assertThat(cli.execute("mocap", "dataset", "--data", DIR.toString(), "--out", data.toString(), "--train", "01",
                "--valid", "13", "--test", "28")).as(e.toString()).isZero();
    }

    private int run(String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static List<String> trainArgs(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--suffix", "_mocap35", "--out",
                out.toString(), "--atoms", "31", "--dims", "6", "--timesteps", "50", "--decoder", "recurrent",
                "--skip-first", "--encoder-hidden", "16", "--decoder-hidden", "16", "--batch-size", "8", "--lr", "2e-3",
                "--threads", "1", "--no-progress", "--seed", "3"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aFewStepsOnRealMocapLowerTheLoss() throws IOException {
        Path out = tmp.resolve("run");
        // Trial 01 gives 16 segments: two batches of 8 per epoch, 8 Adam steps in all.
        assertThat(run(trainArgs(out, "--epochs", "4").toArray(String[]::new))).as(err.toString()).isZero();
        List<JsonNode> epochs = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            epochs.add(json.readTree(line));
        }
        assertThat(epochs).hasSize(4);
        JsonNode first = epochs.get(0);
        JsonNode last = epochs.get(3);
        for (JsonNode e : epochs) {
            assertThat(e.get("train_loss").asDouble()).isFinite();
            assertThat(e.get("train_skipped_batches").asDouble()).isZero();
        }
        assertThat(last.get("train_nll").asDouble()).isLessThan(first.get("train_nll").asDouble());
        assertThat(last.get("val_nll").asDouble()).isLessThan(first.get("val_nll").asDouble());
        assertThat(last.get("val_mse").asDouble()).isLessThan(first.get("val_mse").asDouble());
        JsonNode runInfo = json.readTree(out.resolve("run.json").toFile());
        assertThat(runInfo.toString()).contains("\"atoms\":31").contains("\"dims\":6").contains("RECURRENT");
    }

    @Test
    void springsShapedFlagsOnMocapDataAreNamed() {
        List<String> a = trainArgs(tmp.resolve("bad"), "--epochs", "1");
        a.set(a.indexOf("--dims") + 1, "4");
        assertThat(run(a.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString()).contains("3D positions, 6 features [x, y, z, vx, vy, vz], but --dims is 4");
        err.getBuffer().setLength(0);
        a = trainArgs(tmp.resolve("bad2"), "--epochs", "1");
        a.set(a.indexOf("--atoms") + 1, "5");
        assertThat(run(a.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString()).contains("N=31 atoms").contains("--atoms 5");
    }
}
