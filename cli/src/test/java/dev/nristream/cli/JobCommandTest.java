package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.job.JobConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JobCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path tmp;

    private int run(String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void settingsListsEveryJobOption() {
        assertThat(run("job", "--settings")).isZero();
        for (String key : JobConfig.options().keySet()) {
            assertThat(out.toString()).contains("--" + key);
        }
    }

    @Test
    void badInputIsAUserErrorWithAClearMessage() {
        assertThat(run("job", "--model", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--local").contains("--jobmanager");

        assertThat(run("job", "--local")).isEqualTo(2);
        assertThat(err.toString()).contains("--model DIR is required");

        assertThat(run("job", "--local", "--model", tmp.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("model directory").contains("does not exist");

        assertThat(run("job", "--local", "--model", tmp.toString(), "-D", "strid=3")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown setting 'strid'");

        assertThat(run("job", "--local", "--model", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is missing model.json, encoder.onnx, decoder.onnx");
    }

    @Test
    void benchStreamRefusesAMissingModel() {
        assertThat(run("bench", "stream", "--model", tmp.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no model directory");
    }
}
