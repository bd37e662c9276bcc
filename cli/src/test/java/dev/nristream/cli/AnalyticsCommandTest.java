package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.analytics.AnalyticsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AnalyticsCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Nri.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheEndpointsAndFlags() {
        Run r = run("analytics", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--bootstrap", "--registry", "--port", "/scenes/{id}/forecast-error",
                "--grace", "--edge-window", "/scenes/{id}/live", "web view");
        // Loopback unless told otherwise.
        assertThat(r.out()).contains("--host").containsPattern("default:\\s+127\\.0\\.0\\.1");
    }

    @Test
    void badInputExitsWithTwoAndSaysWhatIsWrong() {
        Run url = run("analytics", "--registry", "localhost:8081");
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err()).contains("localhost:8081").contains("http");

        Run duration = run("analytics", "--grace", "soon");
        assertThat(duration.exit()).isEqualTo(2);
        assertThat(duration.err()).contains("'soon' is not a duration");

        Run partitions = run("analytics", "--partitions", "0");
        assertThat(partitions.exit()).isEqualTo(2);
        assertThat(partitions.err()).contains("--partitions");

        Run retention = run("analytics", "--grace", "2m", "--frame-retention", "1m");
        assertThat(retention.exit()).isEqualTo(2);
        assertThat(retention.err()).contains("frameRetention");
    }

    @Test
    void durationsReadUnitsAndIso() {
        AnalyticsCommand.DurationConverter c = new AnalyticsCommand.DurationConverter();
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("PT0.25S")).isEqualTo(Duration.ofMillis(250));
    }
}
