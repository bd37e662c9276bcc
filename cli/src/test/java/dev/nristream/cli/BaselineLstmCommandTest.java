package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.sim.DatasetGenerator;
import dev.nristream.sim.DatasetSpec;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./nri baseline lstm}: a tiny run trained, resumed and evaluated through the command line; bad input. */
class BaselineLstmCommandTest {
    @TempDir
    static Path tmp;
    static Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void dataset() throws Exception {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(3).build();
        data = tmp.resolve("data");
        new DatasetGenerator().generate(DatasetSpec.builder().setConfig(cfg).setOutDir(data).optCounts(20, 6, 4)
                .optSeed(9).optThreads(1).build(), x -> { });
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String[] train(Path runDir, String... more) {
        return trainOn(runDir, "3", "4", "_springs3", more);
    }

    private String[] trainOn(Path runDir, String atoms, String dims, String suffix, String... more) {
        String[] base = {"baseline", "lstm", "--data", data.toString(), "--suffix", suffix, "--out",
            runDir.toString(), "--atoms", atoms, "--dims", dims, "--timesteps", "12", "--hidden", "8", "--layers", "1",
            "--batch-size", "8", "--lr", "5e-3", "--threads", "1", "--no-progress"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void helpNamesTheFlagsAndTheirDefaults() {
        assertThat(run("baseline", "--help")).isZero();
        assertThat(out.toString()).contains("lstm");
        assertThat(run("baseline", "lstm", "--help")).isZero();
        assertThat(out.toString()).contains("--hidden", "(default: 256)", "--layers", "(default: 2)",
                "--prediction-steps", "(default: 10)", "--burn-in", "--resume", "--evaluate", "--horizon", "--json",
                "--threads", "--no-progress");
    }

    @Test
    void trainsResumesAndEvaluatesLikeNriEvaluate() throws Exception {
        Path runDir = tmp.resolve("run");
        assertThat(run(train(runDir, "--epochs", "1"))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("trained 1 epochs");
        assertThat(runDir.resolve("run.json")).exists();
        assertThat(runDir.resolve("last.ckpt")).exists();
        assertThat(Files.readAllLines(runDir.resolve("metrics.jsonl"))).hasSize(1);
        assertThat(Files.readString(runDir.resolve("run.json"))).contains("\"kind\" : \"lstm-baseline\"",
                "./nri baseline lstm --data");

        assertThat(run("baseline", "lstm", "--out", runDir.toString(), "--resume", "--epochs", "2", "--threads", "1",
                "--no-progress")).as(err.toString()).isZero();
        assertThat(Files.readAllLines(runDir.resolve("metrics.jsonl"))).hasSize(2);

        assertThat(run("baseline", "lstm", "--evaluate", "--out", runDir.toString(), "--json", "--threads", "1"))
                .as(err.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.path("model").asText()).isEqualTo("lstm");
        assertThat(j.path("split").asText()).isEqualTo("test_springs3");
        assertThat(j.path("samples").asInt()).isEqualTo(4);
        assertThat(j.path("window_start").asInt()).isZero();
        assertThat(j.path("burn_in_frames").asInt()).isEqualTo(12);
        assertThat(j.path("mse")).hasSize(20);
        assertThat(j.path("static_mse")).hasSize(20);
        for (JsonNode v : j.path("mse")) {
            assertThat(v.asDouble()).isFinite().isPositive();
        }

        assertThat(run("baseline", "lstm", "--evaluate", "--out", runDir.toString(), "--horizon", "5",
                "--window-start", "0,2", "--checkpoint", "last")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("last.ckpt, epoch 2", "window starts at step 2", "burn-in on 12 true frames",
                "step        mse   static_mse");
        assertThat(out.toString().lines().filter(l -> l.matches("\\s+5  \\S+\\s+\\S+"))).hasSize(2);
    }

    @Test
    void badInputIsNamed() {
        Path runDir = tmp.resolve("bad");
        assertThat(run("baseline", "lstm", "--out", runDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--data is required");

        assertThat(run(trainOn(runDir, "5", "4", "_springs3"))).isEqualTo(2);
        assertThat(err.toString()).contains("has N=3 atoms, but --atoms is 5");
        assertThat(run(trainOn(runDir, "3", "6", "_springs3"))).isEqualTo(2);
        assertThat(err.toString()).contains("2D positions, 4 features", "but --dims is 6");

        assertThat(run(trainOn(runDir, "3", "4", "_charged3"))).isEqualTo(2);
        assertThat(err.toString()).contains("dataset file missing", "loc_train_charged3.npy");

        assertThat(run(train(runDir, "--burn-in", "4", "--prediction-steps", "3"))).isEqualTo(2);
        assertThat(err.toString()).contains("--burn-in 4 and --prediction-steps 3 disagree");

        assertThat(run(train(runDir, "--horizon", "5"))).isEqualTo(2);
        assertThat(err.toString()).contains("[--horizon] apply to --evaluate only");

        assertThat(run("baseline", "lstm", "--evaluate", "--out", runDir.toString(), "--epochs", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("[--epochs] apply to training only");

        assertThat(run("baseline", "lstm", "--evaluate", "--out", tmp.resolve("none").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no run directory");

        assertThat(run("baseline", "lstm", "--out", runDir.toString(), "--resume", "--lr", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("only --epochs, --threads and --no-progress may be given, not [--lr]");
        assertThat(run("baseline", "lstm", "--out", runDir.toString(), "--resume")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to resume in " + runDir + " (no run.json)");
    }
}
