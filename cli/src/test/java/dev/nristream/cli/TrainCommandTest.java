package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The train command's argument checks (training itself is tested in the trainer module). */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void resumeTakesTheRunsOwnOptionsAndSaysWhichFlagsMayChange() {
        assertThat(run("train", "--out", tmp.toString(), "--resume", "--lr", "1e-3", "--hard")).isEqualTo(2);
        assertThat(err.toString()).contains("only --epochs, --threads, --no-progress, --lr-decay, --gamma and --lr-milestones may be "
                + "given, not [--lr, --hard]");
    }

    @Test
    void resumeWithoutARunSaysSo() {
        assertThat(run("train", "--out", tmp.toString(), "--resume", "--lr-decay", "50")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to resume in " + tmp + " (no run.json)");
    }

    @Test
    void aNewRunNeedsData() {
        assertThat(run("train", "--out", tmp.resolve("r").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--data is required");
    }

    @Test
    void theDecoderIsMlpOrRecurrent() {
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--decoder", "lstm"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--decoder must be mlp or recurrent, got 'lstm'");
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--encoder", "rnn"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--encoder must be mlp or cnn, got 'rnn'");
    }

    @Test
    void theGraphIsLearnedOrABaselineAndTheFullGraphSaysWhatItNeeds() {
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--graph", "empty"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--graph must be learned, full, true or supervised, got 'empty'");
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--graph", "full"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--graph full puts the one message-passing edge type on every pair: it "
                + "needs --skip-first --edge-types 2");
    }

    @Test
    void encoderStepsOutsideTheWindowAreNamed() {
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--timesteps", "25",
                "--encoder-steps", "30")).isEqualTo(2);
        assertThat(err.toString()).contains("--encoder-steps must be in [1, --timesteps 25], got 30");
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--timesteps", "25",
                "--encoder", "cnn", "--encoder-steps", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("the CNN encoder needs windows of at least 14 steps, got 10 "
                + "(--encoder-steps)");
        assertThat(run("train", "--help")).isZero();
    }

    @Test
    void wallsNeedASimulationInABoxAndInitFromNeedsARun() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("loc_train_springs5.npy"), "");
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--walls")).isEqualTo(2);
        assertThat(err.toString()).contains("--walls: " + tmp + " does not say it is a simulation in a box");
        assertThat(run("train", "--out", tmp.resolve("r").toString(), "--data", tmp.toString(), "--init-from",
                tmp.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--init-from " + tmp.resolve("nowhere") + ": no best.ckpt there");
        assertThat(run("train", "--out", tmp.toString(), "--resume", "--walls")).isEqualTo(2);
        assertThat(err.toString()).contains("not [--walls]");
    }
}
