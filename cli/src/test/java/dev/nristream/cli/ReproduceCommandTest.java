package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri reproduce} on a tiny budget: a table-1 row simulates, trains and evaluates; the table-2 row of the
 * same budget reuses the finished run; Corr. (path) needs no training; each row lands in the results file with its
 * number, budget and commands, and the numbers are the ones the commands themselves print.
 */
class ReproduceCommandTest {

    @TempDir
    Path tmp;

    private final CapturedNri cli = new CapturedNri();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void rowsOfBothTablesAreReproducedAndAppendedWithTheirBudget() throws Exception {
        Path results = tmp.resolve("results.jsonl");
        String[] budget = {"--system", "springs", "--atoms", "3", "--train", "24", "--valid", "8", "--test", "6",
            "--epochs", "2", "--threads", "1", "--work", tmp.resolve("work").toString(), "--results",
            results.toString()};
        assertThat(run(concat(new String[] {"reproduce", "--table", "1"}, budget))).as(cli.err()).isZero();
        assertThat(cli.out()).contains("reproduce: ./nri simulate --system springs --atoms 3 --train 24")
                .contains("reproduce: ./nri train --data ").contains("--windows paper --epochs 2")
                .contains("reproduce: ./nri evaluate --model ").contains("table 1, springs 3, nri: edge accuracy ")
                .contains("2 of the paper's 500 epochs on 24 simulations");

        assertThat(run(concat(new String[] {"reproduce", "--table", "2"}, budget))).as(cli.err()).isZero();
        assertThat(cli.out()).contains("exists, reused").contains("finished its 2 epochs, reused")
                .doesNotContain("./nri train ").contains("MSE@1 ").contains("MSE@20 ");

        assertThat(run(concat(new String[] {"reproduce", "--table", "1", "--method", "corr"}, budget)))
                .as(cli.err()).isZero();
        // The baselines train their own runs on the same data.
        assertThat(run(concat(new String[] {"reproduce", "--table", "1", "--method", "supervised"}, budget)))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("exists, reused").contains("--graph supervised")
                .contains("table 1, springs 3, supervised: edge accuracy ");
        assertThat(run(concat(new String[] {"reproduce", "--table", "2", "--method", "true-graph"}, budget)))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("--graph true").contains("MSE@1 ");

        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(5);
        JsonNode supervised = json.readTree(lines.get(3));
        JsonNode trueGraph = json.readTree(lines.get(4));
        assertThat(supervised.get("method").asText()).isEqualTo("supervised");
        assertThat(trueGraph.get("method").asText()).isEqualTo("true-graph");
        assertThat(supervised.get("run").asText()).contains("-supervised-2");
        assertThat(trueGraph.get("run").asText()).contains("-true-graph-2");
        assertThat(trueGraph.get("mse_1").asDouble()).isPositive();
        assertThat(run("evaluate", "--model", supervised.get("run").asText(), "--data",
                supervised.get("data").asText(), "--suffix", "_springs3", "--threads", "1", "--json"))
                .as(cli.err()).isZero();
        assertThat(json.readTree(cli.out()).get("edge_accuracy").asDouble())
                .isEqualTo(supervised.get("edge_accuracy").asDouble());
        JsonNode t1 = json.readTree(lines.get(0));
        JsonNode t2 = json.readTree(lines.get(1));
        JsonNode corr = json.readTree(lines.get(2));
        assertThat(t1.get("edge_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(t1.get("budget").get("epochs").asInt()).isEqualTo(2);
        assertThat(t1.get("budget").get("training_hours").asDouble()).isPositive();
        assertThat(t1.get("commands")).hasSize(3);
        assertThat(t2.get("run").asText()).isEqualTo(t1.get("run").asText());
        assertThat(t2.get("commands")).hasSize(1); // evaluate only
        assertThat(t2.get("mse_1").asDouble()).isPositive().isLessThan(t2.get("mse_20").asDouble());
        assertThat(corr.get("budget").get("training").asText()).isEqualTo("none");
        assertThat(corr.get("edge_accuracy").asDouble()).isBetween(0.0, 1.0);

        // the row's numbers are the evaluation's own
        String run = t1.get("run").asText();
        assertThat(run("evaluate", "--model", run, "--data", t1.get("data").asText(), "--suffix", "_springs3",
                "--threads", "1", "--horizon", "20", "--json")).as(cli.err()).isZero();
        JsonNode ev = json.readTree(cli.out());
        assertThat(t1.get("edge_accuracy").asDouble()).isEqualTo(ev.get("edge_accuracy").asDouble());
        assertThat(t2.get("mse_10").asDouble()).isEqualTo(ev.get("mse").get(9).asDouble());
        assertThat(t2.get("static_mse_20").asDouble()).isEqualTo(ev.get("static_mse").get(19).asDouble())
                .isPositive();
    }

    @Test
    void aKuramotoRowTrainsTheCnnEncoderWithTheNoEdgeTypeOnTheOscillatorsFeatures() throws Exception {
        Path results = tmp.resolve("results.jsonl");
        assertThat(run("reproduce", "--table", "1", "--system", "kuramoto", "--atoms", "3", "--train", "16",
                "--valid", "8", "--test", "8", "--epochs", "1", "--threads", "1", "--work",
                tmp.resolve("work").toString(), "--results", results.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("reproduce: ./nri simulate --system kuramoto").contains("--encoder cnn")
                .contains("--skip-first").contains("table 1, kuramoto 3, nri: edge accuracy ");
        JsonNode row = new ObjectMapper().readTree(Files.readAllLines(results).get(0));
        assertThat(row.get("edge_accuracy").asDouble()).isBetween(0.0, 1.0);
        // the run learned from the oscillators' four features, each scaled by its own range
        JsonNode runInfo = new ObjectMapper().readTree(Path.of(row.get("run").asText()).resolve("run.json").toFile());
        assertThat(runInfo.findValue("feature_min")).hasSize(4);
        assertThat(run("export", "--run", row.get("run").asText(), "--out", tmp.resolve("m").toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("oscillator features").contains("./nri evaluate --model");
    }

    @Test
    void unsupportedRowsAreRefusedWithTheReason() {
        assertThat(run("reproduce", "--table", "1", "--system", "pendulum")).isEqualTo(2);
        assertThat(cli.err()).contains("--system must be springs, charged or kuramoto");
        assertThat(run("reproduce", "--table", "2", "--system", "springs", "--method", "corr")).isEqualTo(2);
        assertThat(cli.err()).contains("table 1 only");
        assertThat(run("reproduce", "--table", "2", "--system", "springs", "--method", "supervised")).isEqualTo(2);
        assertThat(cli.err()).contains("table 1 only");
        assertThat(run("reproduce", "--table", "1", "--system", "springs", "--method", "true-graph")).isEqualTo(2);
        assertThat(cli.err()).contains("table 2 only");
        assertThat(run("reproduce", "--table", "1", "--system", "springs", "--method", "lstm")).isEqualTo(2);
        assertThat(cli.err()).contains("--method must be nri, supervised, true-graph, full-graph or corr");
        assertThat(run("reproduce", "--table", "3", "--system", "springs")).isEqualTo(2);
        assertThat(cli.err()).contains("--table must be 1 or 2");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
