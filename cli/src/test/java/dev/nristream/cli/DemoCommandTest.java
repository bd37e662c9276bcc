package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo's flags and the problems it reports before starting anything (no services needed). */
class DemoCommandTest {

    static final Path ROOT = Path.of(System.getProperty("nri.project.root", ".."));
    static final Path GOLDEN = ROOT.resolve("flink-jobs/src/test/resources/golden-model");
    static final Path MOCAP = Path.of(System.getProperty("nri.shared.data", "../../shared/data"), "cmu-mocap",
            "subject35");

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cli = Nri.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheScenariosAndFlags() {
        Run r = run("demo", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--scenario", "--scenes", "--model", "--data", "--duration", "--summary",
                "--bootstrap", "--registry", "--job", "--plain", "permutation-invariant", "sportvu [GAME.json]",
                "the real Cleveland");
    }

    @Test
    void badFlagsExitWithTwo() {
        Run scenario = run("demo", "--scenario", "football");
        assertThat(scenario.exit()).isEqualTo(2);
        assertThat(scenario.err()).contains("unknown scenario 'football'").doesNotContain("at dev.");

        Run scenes = run("demo", "--scenes", "0");
        assertThat(scenes.exit()).isEqualTo(2);
        assertThat(scenes.err()).contains("--scenes must be at least 1");

        Run duration = run("demo", "--duration", "soon");
        assertThat(duration.exit()).isEqualTo(2);
        assertThat(duration.err()).contains("'soon' is not a duration");

        Run job = run("demo", "--job", "topic.graphs=x", "--model", GOLDEN.toString());
        assertThat(job.exit()).isEqualTo(2);
        assertThat(job.err()).contains("--job topic.graphs");

        Run unknown = run("demo", "--job", "strid=5", "--model", GOLDEN.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown setting 'strid'");

        Run value = run("demo", "--job", "stride=often", "--model", GOLDEN.toString());
        assertThat(value.exit()).isEqualTo(2);
        assertThat(value.err()).contains("stride='often'");
        assertThat(value.out()).doesNotContain("Kafka");
    }

    @Test
    void aMissingModelIsNamedAndNothingStarts() {
        Path missing = tmp.resolve("no-such-model");
        Run r = run("demo", "--model", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("model directory " + missing + " does not exist").doesNotContain("Exception");
        assertThat(r.out()).doesNotContain("Kafka");
    }

    @Test
    void aModelDirectoryWithoutItsFilesIsNamed() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Run r = run("demo", "--model", tmp.resolve("empty").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is missing model.json");
    }

    @Test
    void mocapWithTheTwoDimensionalSpringsModelIsRefusedNamingBothLayouts() {
        assertThat(MOCAP).as("CMU subject 35 (the shared data folder)").isDirectory();
        Run r = run("demo", "--scenario", "mocap", "--data", MOCAP.toString(), "--model", GOLDEN.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .contains("expects 2D features [x, y, vx, vy]")
                .contains("CMU motion capture subject35 (3D joints")
                .contains("has 3D positions")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("Kafka");
    }

    @Test
    void mocapWithoutData() {
        Run r = run("demo", "--scenario", "mocap", "--data", tmp.resolve("nothing").toString(), "--model",
                GOLDEN.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("motion-capture data not found").contains("nothing");
    }

    @Test
    void externalServicesThatDoNotAnswerAreNamed() throws Exception {
        // Port 1 on loopback: nothing listens, so the broker check fails after its timeout.
        Run r = run("demo", "--model", GOLDEN.toString(), "--bootstrap", "127.0.0.1:1", "--registry",
                "http://127.0.0.1:1/apis/ccompat/v7", "--log", tmp.resolve("demo.log").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Kafka at 127.0.0.1:1 does not answer").contains("--bootstrap")
                .doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("Flink job");
    }

    @Test
    void sportvuFileMustExist() {
        Run r = run("demo", "--scenario", "sportvu", tmp.resolve("game.json").toString(), "--model",
                GOLDEN.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no such file").contains("game.json");
    }
}
