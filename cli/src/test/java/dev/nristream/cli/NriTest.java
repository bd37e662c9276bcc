package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NriTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsEverySubcommand() {
        assertThat(run("--help")).isZero();
        CommandLine cli = Nri.commandLine();
        assertThat(cli.getSubcommands()).isNotEmpty();
        for (String name : cli.getSubcommands().keySet()) {
            assertThat(out.toString()).as("--help lists " + name).contains(name);
        }
    }

    @Test
    void everySubcommandHasHelp() {
        for (var entry : Nri.commandLine().getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;
            }
            out.getBuffer().setLength(0);
            assertThat(run(entry.getKey(), "--help")).as(entry.getKey() + " --help").isZero();
            assertThat(out.toString()).as(entry.getKey() + " --help").contains("Usage:");
        }
    }

    @Test
    void everyBenchmarkIsUnderBench() {
        assertThat(run("bench", "--help")).isZero();
        assertThat(out.toString()).contains("replay", "stream", "train-step", "encoder", "faults");
        for (String b : new String[] {"replay", "stream", "train-step", "encoder", "faults"}) {
            out.getBuffer().setLength(0);
            assertThat(run("bench", b, "--help")).as("bench " + b + " --help").isZero();
            assertThat(out.toString()).contains("Usage: nri bench " + b);
        }
    }

    @Test
    void benchFaultsRefusesBadSettingsBeforeStartingAnything() {
        assertThat(run("bench", "faults", "--bad-percent", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("the bad fraction must be in (0, 1)");
        assertThat(run("bench", "faults", "--phases", "clean,chaos")).isEqualTo(2);
        assertThat(err.toString()).contains("phases are clean, bad and broker");
        assertThat(run("bench", "faults", "--job", "future.tolerance-ms=-1")).isEqualTo(2);
        assertThat(err.toString()).contains("future.tolerance-ms must be >= 0");
        assertThat(out.toString()).doesNotContain("SGEMM");
    }

    @Test
    void unknownFlagIsAUserErrorNamingTheFlag() {
        assertThat(run("--no-such-flag")).isEqualTo(2);
        assertThat(err.toString()).contains("--no-such-flag");
    }
}
