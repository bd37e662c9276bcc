package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.ModelControl;
import dev.nristream.testing.CommittedRecords;
import dev.nristream.testing.RealServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code ./nri swap-model} writes the ModelControl record the job's hot swap reads, on the real broker and registry. */
@ExtendWith(RealServices.class)
class SwapModelCommandTest {

    static int run(StringWriter err, String... args) {
        CommandLine cli = Nri.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesOneModelControlRecordKeyedByTheModelItReplaces() {
        String topic = "swapcli.model-control";
        RealServices.createTopics(1, topic);
        StringWriter err = new StringWriter();
        int exit = run(err, "swap-model", "--model", "/models/springs5-v2", "--replaces", "springs5-20261128",
                "--topic", topic, "--requested-by", "ci", "--bootstrap", RealServices.bootstrapServers(),
                "--registry", RealServices.registryUrl());
        assertThat(exit).as(err.toString()).isZero();
        List<ConsumerRecord<String, ModelControl>> records = CommittedRecords.read(topic, ModelControl.class);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("springs5-20261128");
        ModelControl c = records.get(0).value();
        assertThat(c.getModelDir()).isEqualTo("/models/springs5-v2");
        assertThat(c.getReplaces()).isEqualTo("springs5-20261128");
        assertThat(c.getRequestedBy()).isEqualTo("ci");
        assertThat(c.getTimeMs()).isPositive();
    }

    @Test
    void helpNamesTheFlagsAndTheJobSetting() {
        StringWriter out = new StringWriter();
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("swap-model", "--help")).isZero();
        assertThat(out.toString()).contains("--model", "--replaces", "--topic", "model.control-topic",
                "MODEL_REFUSED");
    }
}
