package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./nri evaluate} on tiny training runs (3 springs, 20-step windows): a {@code --graph full} baseline gets MSE
 * by step and no edge accuracy, is refused {@code --dynamic} and export; a run with {@code --encoder-steps} is scored
 * on the encoder's window.
 */
class EvaluateCommandTest {
    @TempDir
    static Path tmp;

    private static Path data;
    private static Path full;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private static final String[] TINY = {"--atoms", "3", "--timesteps", "20", "--encoder-hidden", "16",
        "--decoder-hidden", "16", "--batch-size", "8", "--lr", "5e-3", "--threads", "1", "--no-progress"};

    @BeforeAll
    static void runs() {
        data = tmp.resolve("data");
        EvaluateCommandTest t = new EvaluateCommandTest();
        assertThat(t.run("simulate", "--atoms", "3", "--train", "24", "--valid", "8", "--test", "6", "--out",
                data.toString(), "--threads", "1", "--no-progress")).as(t.err.toString()).isZero();
        full = tmp.resolve("full");
        assertThat(t.run(concat(new String[] {"train", "--data", data.toString(), "--suffix", "_springs3", "--out",
                full.toString(), "--epochs", "3", "--graph", "full", "--skip-first"}, TINY)))
                .as(t.err.toString()).isZero();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aFullGraphRunLowersTheLossAndRecordsItsGraph() throws Exception {
        ObjectMapper json = new ObjectMapper();
        java.util.List<String> lines = Files.readAllLines(full.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(3);
        JsonNode first = json.readTree(lines.get(0));
        JsonNode last = json.readTree(lines.get(2));
        assertThat(last.get("train_nll").asDouble()).isLessThan(first.get("train_nll").asDouble());
        assertThat(last.has("val_acc")).isFalse();
        assertThat(json.readTree(full.resolve("run.json").toFile()).get("model").get("graph").asText())
                .isEqualTo("FULL");
        // Resumed with the run's own options: still the full graph.
        assertThat(run("train", "--out", full.toString(), "--resume", "--epochs", "4", "--threads", "1",
                "--no-progress")).as(err.toString()).isZero();
        assertThat(Files.readAllLines(full.resolve("metrics.jsonl"))).hasSize(4);
        assertThat(json.readTree(Files.readAllLines(full.resolve("metrics.jsonl")).get(3)).has("train_acc")).isFalse();
    }

    @Test
    void aFullGraphRunPrintsMseByStepAndNoAccuracy() throws Exception {
        assertThat(run("evaluate", "--model", full.toString(), "--data", data.toString(), "--threads", "1"))
                .as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("graph: full (the decoder on the fully connected graph, no encoder): edge accuracy "
                + "and calibration do not apply")
                .contains("step        mse   median_mse   static_mse  away_from_walls  near_wall")
                .doesNotContain("edge accuracy 0").doesNotContain("NaN");
        assertThat(text.lines().filter(l -> l.matches("\\s*\\d+  \\d\\.\\d{4}e[-+]\\d+   \\d\\.\\d{4}e[-+]\\d+"
                + "   \\d\\.\\d{4}e[-+]\\d+\\s+\\d\\.\\d{4}e[-+]\\d+\\s+\\d+\\.\\d%")).count()).isEqualTo(20);

        assertThat(run("evaluate", "--model", full.toString(), "--data", data.toString(), "--threads", "1", "--json"))
                .as(err.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.get("graph").asText()).isEqualTo("full");
        assertThat(j.has("edge_accuracy")).isFalse();
        assertThat(j.get("mse").size()).isEqualTo(20);
        assertThat(j.get("median_mse").size()).isEqualTo(20);
        for (int k = 0; k < 20; k++) {
            // Per-window errors are never negative, so at least half of them reach the median and the mean is at
            // least half of it: a median on another scale (per window instead of per value) would break this.
            assertThat(j.get("median_mse").get(k).asDouble()).isPositive()
                    .isLessThanOrEqualTo(2 * j.get("mse").get(k).asDouble());
        }
        // simulated springs: the forecast error also split by distance from the box's walls
        assertThat(j.get("walls_half_width").asDouble()).isEqualTo(5.0);
        assertThat(j.get("near_wall_fraction").size()).isEqualTo(20);
        for (int k = 0; k < 20; k++) {
            double near = j.get("near_wall_fraction").get(k).asDouble();
            assertThat(near).isBetween(0.0, 1.0);
            if (k > 0) {
                assertThat(near).isGreaterThanOrEqualTo(j.get("near_wall_fraction").get(k - 1).asDouble());
            }
            if (near == 0) {
                assertThat(j.get("mse_away_from_walls").get(k).asDouble()).isEqualTo(j.get("mse").get(k).asDouble(),
                        org.assertj.core.api.Assertions.within(1e-12));
            }
        }

        assertThat(run("evaluate", "--model", full.toString(), "--data", data.toString(), "--threads", "1",
                "--window-start", "0,10")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("graph: full").contains("start      mse_1     med_1")
                .doesNotContain("NaN")
                .contains("static_10    away_1  near_1    away_10  near_10");

        assertThat(run("evaluate", "--model", full.toString(), "--data", data.toString(), "--threads", "1",
                "--dynamic")).isEqualTo(2);
        assertThat(err.toString()).contains("no graph to re-encode");
    }

    @Test
    void aFullGraphRunBurnsInOnTheStepsAskedForAndOnlyAFullGraphRun() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(run("evaluate", "--model", full.toString(), "--data", data.toString(), "--threads", "1",
                "--horizon", "5", "--json")).as(err.toString()).isZero();
        JsonNode own = json.readTree(out.toString());
        assertThat(run("evaluate", "--model", full.toString(), "--data", data.toString(), "--threads", "1",
                "--horizon", "5", "--burn-in", "8", "--json")).as(err.toString()).isZero();
        JsonNode shorter = json.readTree(out.toString());
        assertThat(shorter.get("mse").size()).isEqualTo(5);
        // forecasting from step 8 instead of step 20 of each sample: other targets, other errors
        assertThat(shorter.get("mse").get(0).asDouble()).isPositive()
                .isNotEqualTo(own.get("mse").get(0).asDouble());
        assertThat(shorter.get("static_mse").get(0).asDouble())
                .isNotEqualTo(own.get("static_mse").get(0).asDouble());

        Path learned = tmp.resolve("learned-for-burn-in");
        assertThat(run(concat(new String[] {"train", "--data", data.toString(), "--suffix", "_springs3", "--out",
                learned.toString(), "--epochs", "1"}, TINY))).as(err.toString()).isZero();
        assertThat(run("evaluate", "--model", learned.toString(), "--data", data.toString(), "--threads", "1",
                "--burn-in", "8")).isEqualTo(2);
        assertThat(err.toString()).contains("applies to runs on a given graph (--graph full or true) only")
                .contains("the window its encoder sees (20 steps)");
    }

    @Test
    void aFullGraphRunIsNotExported() {
        Path model = tmp.resolve("full-model");
        assertThat(run("export", "--run", full.toString(), "--out", model.toString(), "--threads", "1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("was trained with --graph full").contains("not exported")
                .contains("./nri evaluate --model " + full);
        assertThat(model).doesNotExist();
    }

    @Test
    void aRunWithEncoderStepsIsScoredOnTheEncodersWindow() throws Exception {
        Path run = tmp.resolve("steps");
        assertThat(run(concat(new String[] {"train", "--data", data.toString(), "--suffix", "_springs3", "--out",
                run.toString(), "--epochs", "1", "--encoder-steps", "8"}, TINY))).as(err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(run.resolve("run.json").toFile()).get("model").get("encoder_steps")
                .asInt()).isEqualTo(8);
        assertThat(run("evaluate", "--model", run.toString(), "--data", data.toString(), "--threads", "1", "--json"))
                .as(err.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.has("edge_accuracy")).isTrue();
        assertThat(j.get("mse").size()).isEqualTo(20);
    }

    @Test
    void exportScoresAsManyStepsAsTheTestSamplesHoldOrThoseAskedFor() throws Exception {
        // 19-step test samples (--length-test 2000, one sample every 100 steps, the first dropped), a 12-step window:
        // the rollout's start at step 12 leaves 6 steps (as basketball's 25-step segments with a 17-step window leave
        // 7), not the 20 the export scores on simulations.
        Path run = tmp.resolve("steps12");
        assertThat(run(concat(new String[] {"train", "--data", data.toString(), "--suffix", "_springs3", "--out",
                run.toString(), "--epochs", "1", "--encoder-steps", "12"}, TINY))).as(err.toString()).isZero();
        Path shortTest = tmp.resolve("short-test");
        assertThat(run("simulate", "--atoms", "3", "--train", "4", "--valid", "4", "--test", "6", "--length-test",
                "2000", "--out", shortTest.toString(), "--threads", "1", "--no-progress")).as(err.toString()).isZero();
        Path model = tmp.resolve("steps12-model");
        assertThat(run("export", "--run", run.toString(), "--out", model.toString(), "--threads", "1",
                "--no-calibration", "--test-data", shortTest.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("mse@6").doesNotContain("mse@10").doesNotContain("mse@20");
        JsonNode ev = new ObjectMapper().readTree(model.resolve("evaluation.json").toFile());
        assertThat(ev.get("mse").size()).isEqualTo(6);
        assertThat(ev.get("protocol").asText()).contains("rolls out 6 steps from step 12");
        // model.json keeps the last step's score beside step 1: a short horizon still records a multi-step score
        JsonNode metrics = new ObjectMapper().readTree(model.resolve("model.json").toFile()).get("test_metrics");
        assertThat(metrics.has("mse_1")).isTrue();
        assertThat(metrics.get("mse_6").asDouble()).isEqualTo(ev.get("mse").get(5).asDouble());
        assertThat(metrics.has("mse_10")).isFalse();

        Path five = tmp.resolve("steps12-h5");
        assertThat(run("export", "--run", run.toString(), "--out", five.toString(), "--threads", "1",
                "--no-calibration", "--test-data", shortTest.toString(), "--horizon", "5")).as(err.toString())
                .isZero();
        assertThat(new ObjectMapper().readTree(five.resolve("evaluation.json").toFile()).get("mse").size())
                .isEqualTo(5);

        Path tooLong = tmp.resolve("steps12-h7");
        assertThat(run("export", "--run", run.toString(), "--out", tooLong.toString(), "--threads", "1",
                "--no-calibration", "--test-data", shortTest.toString(), "--horizon", "7")).isEqualTo(2);
        assertThat(err.toString()).contains("has 19 steps").contains("the longest horizon 6");
        assertThat(tooLong).doesNotExist();
    }
}
