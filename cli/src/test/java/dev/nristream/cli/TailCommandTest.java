package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.topic.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TailCommandTest {

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
    void helpListsTheFlagsAndTheTopics() {
        Run r = run("tail", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("TOPIC", "--from-beginning", "--scene", "--max", "--timeout", "--format",
                "--bootstrap", "--registry", "--read-uncommitted", "read_committed", Topics.GRAPHS.name(),
                Topics.POSITIONS_DLQ.name(), Topics.EDGE_STATS.name(), "localhost:9092");
        assertThat(run("--help").out()).contains("tail");
    }

    @Test
    void anUnknownTopicExitsWithTwoAndListsTheKnownOnes() {
        Run r = run("tail", "nri.graph");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown topic 'nri.graph'", Topics.GRAPHS.name(), Topics.FORECASTS.name(),
                Topics.POSITIONS_DLQ.name()).doesNotContain("Exception");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void badFlagsExitWithTwoAndSayWhatIsWrong() {
        Run format = run("tail", Topics.GRAPHS.name(), "--format", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("'xml'", "json or table");

        Run max = run("tail", Topics.GRAPHS.name(), "--max", "-3");
        assertThat(max.exit()).isEqualTo(2);
        assertThat(max.err()).contains("--max");

        Run timeout = run("tail", Topics.GRAPHS.name(), "--timeout", "soon");
        assertThat(timeout.exit()).isEqualTo(2);
        assertThat(timeout.err()).contains("'soon' is not a duration");

        Run registry = run("tail", Topics.GRAPHS.name(), "--registry", "localhost:8081");
        assertThat(registry.exit()).isEqualTo(2);
        assertThat(registry.err()).contains("localhost:8081");
    }
}
