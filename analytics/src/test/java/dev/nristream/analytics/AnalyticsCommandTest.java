package dev.nristream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The analytics as a service of their own: the same flags and errors as {@code ./nri analytics}. */
class AnalyticsCommandTest {

    private static String[] run(String... args) {
        CommandLine cli = AnalyticsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    @Test
    void standAloneHelpListsTheFlags() {
        String[] r = run("--help");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("--bootstrap", "--registry", "--port", "--create-topics");
    }

    @Test
    void standAloneBadInputIsOneLineAndExitCodeTwo() {
        String[] r = run("--partitions", "0");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).isEqualTo("nri analytics: --partitions must be at least 1, got 0");
    }
}
