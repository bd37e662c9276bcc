package dev.nristream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as a child process: a start that fails says why (with the broker's own log), a running broker is a
 * separate JVM that {@link EmbeddedKafka#close()} ends and cleans up after. The happy path with clients is covered
 * by every test that uses {@code RealServices}.
 */
class EmbeddedKafkaTest {

    @TempDir
    Path tmp;

    @Test
    void brokerThatExitsAtStartShowsTheEndOfItsLog() {
        Path log = tmp.resolve("broker.log");
        assertThatThrownBy(() -> EmbeddedKafka.builder().withLogFile(log)
                .withConfig("process.roles", "bogus").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka broker exited with code")
                .hasMessageContaining(log.toString())
                // Kafka's own complaint, from the tail of its log.
                .hasMessageContaining("bogus");
        assertThat(log).content().contains("==== nri-stream: starting Kafka broker");
    }

    @Test
    void brokerNotReadyInTimeIsStoppedAndNamesTheSetting() {
        Path log = tmp.resolve("slow.log");
        assertThatThrownBy(() -> EmbeddedKafka.builder().withLogFile(log).withStartTimeout(Duration.ofMillis(1))
                .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not get ready within 0 s")
                .hasMessageContaining(EmbeddedKafka.START_TIMEOUT_PROPERTY)
                .hasMessageContaining(log.toString());
    }

    @Test
    void runsInItsOwnJvmAndCloseEndsItAndDeletesItsData() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.builder().withLogFile(tmp.resolve("kafka.log")).start();
        ProcessHandle broker;
        Path dataDir;
        int port;
        try {
            broker = brokerProcess(kafka).orElseThrow();
            assertThat(broker.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(broker.info().arguments().map(List::of).orElse(List.of())).contains("kafka.Kafka");
            dataDir = Path.of(serverProperties(broker).getProperty("log.dirs"));
            assertThat(dataDir.resolve("meta.properties")).exists();
            kafka.createTopics(2, "embedded.kafka.test");
            assertThat(kafka.topicNames()).contains("embedded.kafka.test");
            port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().indexOf(':') + 1));
        } finally {
            kafka.close();
        }
        assertThat(broker.isAlive()).isFalse();
        assertThat(kafka.isAlive()).isFalse();
        assertThat(dataDir.getParent()).doesNotExist();
        assertThat(accepts(port)).isFalse();
        assertThat(tmp.resolve("kafka.log")).content().contains("Kafka Server started");
        kafka.close(); // idempotent
    }

    private static Optional<ProcessHandle> brokerProcess(EmbeddedKafka kafka) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("kafka.Kafka")).orElse(false))
                .filter(p -> {
                    try {
                        return serverProperties(p).getProperty("listeners").contains(kafka.bootstrapServers());
                    } catch (IOException e) {
                        return false;
                    }
                })
                .findFirst();
    }

    private static Properties serverProperties(ProcessHandle p) throws IOException {
        List<String> args = List.of(p.info().arguments().orElseThrow());
        Properties props = new Properties();
        try (var in = Files.newInputStream(Path.of(args.get(args.size() - 1)))) {
            props.load(in);
        }
        return props;
    }

    private static boolean accepts(int port) throws InterruptedException {
        // The port closes with the process; give the kernel a moment.
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (IOException refused) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return true;
    }
}
