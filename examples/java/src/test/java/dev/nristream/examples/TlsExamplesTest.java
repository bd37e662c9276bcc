package dev.nristream.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.examples.ExampleRuns.Run;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.embedded.TestTls;
import dev.nristream.testing.OutputSamples;
import dev.nristream.testing.RealServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example consumers on a cluster that wants TLS with client certificates (mutual TLS) and SCRAM-SHA-512 logins,
 * each given a Java-style {@code --kafka-config} file as {@code ./nri} takes: the Java one with PKCS12 stores, the
 * Python one with what librdkafka reads (a PEM truststore, and a PKCS12 or a PEM keystore), mapped by the example
 * itself. Without a client certificate each stops with exit code 2 and a line saying what failed.
 *
 * <p>The Python example logs in with PLAIN over TLS: librdkafka before 2.6.1 (Debian 12 has 2.0.2) cannot log in
 * with SCRAM to a Kafka 4 broker at all (confluentinc/librdkafka#4895); with such a librdkafka its SCRAM attempt must
 * end in exit 2 naming that cause, with a newer one it must read the graphs.
 */
@ExtendWith(RealServices.class)
class TlsExamplesTest {

    private static final String CAROL_PASSWORD = "carol-tls-pw";
    private static final String DAVE_PASSWORD = "dave-tls-pw";
    private static final String TOPIC = "tls.graphs";
    private static final List<String> AGENTS = List.of("p0", "p1", "p2");
    private static final int GRAPHS = 5;
    private static final long TIMEOUT_S = 60;

    @TempDir
    static Path tlsDir;
    private static TestTls tls;
    private static EmbeddedKafka kafka;
    private static List<String> expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        tls = TestTls.generate(tlsDir);
        kafka = EmbeddedKafka.builder().withSaslPlain("admin", "admin-pw", Map.of("dave", DAVE_PASSWORD))
                .withScramUsers(Map.of("carol", CAROL_PASSWORD)).withTls(tls).withRequiredClientCertificates()
                .withLogFile(Path.of("target", "kafka-broker-tls-examples.log")).start();
        kafka.createTopics(1, TOPIC);
        List<InteractionGraph> graphs = new ArrayList<>();
        for (int i = 0; i < GRAPHS; i++) {
            graphs.add(OutputSamples.graph("scene-t", 200 + i, AGENTS,
                    Map.of(AGENTS.get(i % 3) + "->" + AGENTS.get((i + 2) % 3), 0.8f)));
        }
        expected = ExampleRuns.commitGraphs(kafka, TOPIC, "tls-examples", graphs);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void javaExampleReadsWithPkcs12Stores() throws Exception {
        Path config = scram("ssl.truststore.type=PKCS12", "ssl.truststore.location=" + tls.truststore(),
                "ssl.truststore.password=" + tls.password(), "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + tls.clientKeystore(), "ssl.keystore.password=" + tls.password(),
                "ssl.key.password=" + tls.password());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long printed = ConsumeGraphs.run(ExampleOptions.parse("java-tls", flags(config, "java-tls")
                .toArray(String[]::new)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> false);
        assertThat(printed).isEqualTo(GRAPHS);
        assertThat(lines(out.toString(StandardCharsets.UTF_8))).containsExactlyElementsOf(expected);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain(CAROL_PASSWORD, tls.password());
    }

    @Test
    void pythonExampleReadsWithAPemTruststoreAndAPkcs12OrPemKeystore() throws Exception {
        Path pkcs12 = plain("ssl.truststore.type=PEM", "ssl.truststore.location=" + tls.brokerCertificatePem(),
                "ssl.keystore.type=PKCS12", "ssl.keystore.location=" + tls.clientKeystore(),
                "ssl.keystore.password=" + tls.password());
        Run a = python(pkcs12, "python-tls-p12");
        assertThat(a.exit()).as("stderr: %s", a.err()).isZero();
        assertThat(lines(a.out())).containsExactlyElementsOf(expected);
        assertThat(a.out() + a.err()).doesNotContain(DAVE_PASSWORD, tls.password());

        Path pem = plain("ssl.truststore.type=PEM", "ssl.truststore.location=" + tls.brokerCertificatePem(),
                "ssl.keystore.type=PEM", "ssl.keystore.location=" + tls.clientPem());
        Run b = python(pem, "python-tls-pem");
        assertThat(b.exit()).as("stderr: %s", b.err()).isZero();
        assertThat(lines(b.out())).containsExactlyElementsOf(expected);
    }

    @Test
    void pythonScramLoginReadsOrNamesTheLibrdkafkaBugThatStopsIt() throws Exception {
        Path config = scram("ssl.truststore.type=PEM", "ssl.truststore.location=" + tls.brokerCertificatePem(),
                "ssl.keystore.type=PKCS12", "ssl.keystore.location=" + tls.clientKeystore(),
                "ssl.keystore.password=" + tls.password());
        Run r = python(config, "python-tls-scram");
        if (librdkafkaAtLeast(2, 6, 1)) {
            assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
            assertThat(lines(r.out())).containsExactlyElementsOf(expected);
        } else {
            assertThat(r.exit()).as("stdout %s stderr %s", r.out(), r.err()).isEqualTo(2);
            assertThat(r.err()).contains("SCRAM-SHA-512").contains("confluentinc/librdkafka#4895")
                    .contains("2.6.1").doesNotContain(CAROL_PASSWORD);
            assertThat(r.out()).isBlank();
        }
    }

    @Test
    void withoutAClientCertificateEachExampleStopsClearly() throws Exception {
        Path javaNoCert = scram("ssl.truststore.type=PKCS12", "ssl.truststore.location=" + tls.truststore(),
                "ssl.truststore.password=" + tls.password());
        Run java = run(ExampleRuns.javaCommand(ConsumeGraphs.class, flags(javaNoCert, "java-no-cert")));
        assertThat(java.exit()).as("stdout %s stderr %s", java.out(), java.err()).isEqualTo(2);
        // TLS 1.3: the client learns of the refusal after its side of the handshake, as an alert.
        assertThat(java.err()).contains("ConsumeGraphs: ").contains("bad_certificate")
                .doesNotContain(CAROL_PASSWORD).doesNotContain("\tat ");
        assertThat(java.out()).isBlank();

        Path pythonNoCert = plain("ssl.truststore.type=PEM", "ssl.truststore.location=" + tls.brokerCertificatePem());
        Run python = python(pythonNoCert, "python-no-cert");
        assertThat(python.exit()).as("stdout %s stderr %s", python.out(), python.err()).isEqualTo(2);
        assertThat(python.err()).contains("consume_graphs: Kafka at ").containsIgnoringCase("SSL")
                .doesNotContain(DAVE_PASSWORD);
        assertThat(python.out()).isBlank();

        // A setting librdkafka refuses up front: one line naming the file, not a traceback.
        Path noPassword = plain("ssl.truststore.type=PEM", "ssl.truststore.location=" + tls.brokerCertificatePem(),
                "ssl.keystore.type=PKCS12", "ssl.keystore.location=" + tls.clientKeystore());
        Run refused = python(noPassword, "python-no-password");
        assertThat(refused.exit()).as("stderr %s", refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("cannot make a Kafka consumer (settings from " + noPassword)
                .contains("ssl.keystore.password").doesNotContain("Traceback");
    }

    /** Whether the Python example's librdkafka is at least the given version. */
    private static boolean librdkafkaAtLeast(int... want) throws Exception {
        Process p = new ProcessBuilder(ExampleRuns.pythonWithKafkaAndAvro(), "-c",
                "import confluent_kafka; print(confluent_kafka.libversion()[0])").redirectErrorStream(true).start();
        assertThat(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(text).as("librdkafka version").matches("\\d+\\.\\d+\\.\\d+.*");
        String[] parts = text.split("[^0-9]+");
        for (int i = 0; i < want.length; i++) {
            int have = Integer.parseInt(parts[i]);
            if (have != want[i]) {
                return have > want[i];
            }
        }
        return true;
    }

    private Run python(Path config, String group) throws Exception {
        return run(ExampleRuns.pythonCommand(flags(config, group)));
    }

    private Run run(List<String> command) throws Exception {
        return ExampleRuns.run(command, dir, TIMEOUT_S);
    }

    private List<String> flags(Path config, String group) {
        List<String> f = new ArrayList<>(ExampleRuns.flags(kafka.bootstrapServers(), RealServices.registryUrl(),
                TOPIC, group, GRAPHS, 15));
        f.addAll(List.of("--kafka-config", config.toString()));
        return f;
    }

    /** SASL_SSL with carol's SCRAM-SHA-512 login, plus the given TLS lines. */
    private Path scram(String... tlsLines) throws Exception {
        return file("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"carol\""
                + " password=\"" + CAROL_PASSWORD + "\";", tlsLines);
    }

    /** SASL_SSL with dave's PLAIN login, plus the given TLS lines. */
    private Path plain(String... tlsLines) throws Exception {
        return file("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"dave\""
                + " password=\"" + DAVE_PASSWORD + "\";", tlsLines);
    }

    private Path file(String mechanism, String jaas, String... tlsLines) throws Exception {
        List<String> lines = new ArrayList<>(List.of("security.protocol=SASL_SSL", "sasl.mechanism=" + mechanism,
                "sasl.jaas.config=" + jaas));
        lines.addAll(Arrays.asList(tlsLines));
        lines.add("");
        return Files.writeString(dir.resolve("client-" + UUID.randomUUID() + ".properties"), String.join("\n", lines));
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
