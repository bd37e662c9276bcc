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

/**
 * {@code ./nri train} on a slice of the real basketball dataset the way models/README.md trains {@code nba} (11
 * agents, x y vx vy in feet, 25-step segments, CNN encoder, recurrent decoder), narrowed to a few fast steps; and a
 * resumed run keeping the epochs it was started with.
 */
class NbaTrainingTest {
    private static final Path DIR = Path.of(System.getProperty("nri.shared.data"), "nba-tracking");

    @TempDir
    static Path tmp;

    private static Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void dataset() {
        data = tmp.resolve("nba");
        DemoCommandTest.Run r = DemoCommandTest.run("nba", "dataset", "--data", DIR.toString(), "--out",
                data.toString(), "--train-percent", "10", "--valid-percent", "5", "--train-hop", "10");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private int run(List<String> args) {
        picocli.CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args.toArray(String[]::new));
    }

    private static List<String> trainArgs(Path run, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--suffix", "_nba", "--out",
                run.toString(), "--atoms", "11", "--dims", "4", "--timesteps", "25", "--encoder", "cnn", "--decoder",
                "recurrent", "--encoder-hidden", "16", "--decoder-hidden", "16", "--batch-size", "8", "--lr", "2e-3",
                "--threads", "1", "--no-progress", "--seed", "5"));
        a.addAll(List.of(more));
        return a;
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> epochs = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            epochs.add(json.readTree(line));
        }
        return epochs;
    }

    @Test
    void aFewStepsOnRealTrackingLowerTheLoss() throws IOException {
        Path run = tmp.resolve("run");
        assertThat(run(trainArgs(run, "--epochs", "4"))).as(err.toString()).isZero();
        List<JsonNode> epochs = metrics(run);
        assertThat(epochs).hasSize(4);
        for (JsonNode e : epochs) {
            assertThat(e.get("train_loss").asDouble()).isFinite();
        }
        assertThat(epochs.get(3).get("train_nll").asDouble()).isLessThan(epochs.get(0).get("train_nll").asDouble());
        assertThat(epochs.get(3).get("val_mse").asDouble()).isLessThan(epochs.get(0).get("val_mse").asDouble());
    }

    @Test
    void aResumedRunKeepsTheEpochsItWasStartedWith() throws IOException {
        Path run = tmp.resolve("resumed");
        assertThat(run(trainArgs(run, "--epochs", "2"))).as(err.toString()).isZero();
        // Without --epochs the resumed run must not take the command's default (500) as its new total.
        assertThat(run(List.of("train", "--out", run.toString(), "--resume", "--threads", "1", "--no-progress")))
                .as(err.toString()).isZero();
        assertThat(metrics(run)).hasSize(2);
        assertThat(new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("epochs").asInt()).isEqualTo(2);
        // --epochs given on resume still extends the run.
        assertThat(run(List.of("train", "--out", run.toString(), "--resume", "--epochs", "3", "--threads", "1",
                "--no-progress"))).as(err.toString()).isZero();
        assertThat(metrics(run)).hasSize(3);
    }
}
