package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.embedded.TestTls;
import dev.nristream.embedded.EmbeddedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri demo --bootstrap ... --kafka-config FILE} against a broker that only takes SASL/PLAIN logins: the
 * feed, the job, the analytics and the demo's own monitor all log in with the file's credentials.
 */
class DemoSecuredClusterTest {

    @TempDir
    Path tmp;

    @Test
    void theDemoRunsOnASaslCluster() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().withSaslPlain("admin", "admin-pw",
                        Map.of("demo", "demo-s3cret")).withLogFile(tmp.resolve("kafka.log")).start();
                EmbeddedRegistry registry = EmbeddedRegistry.builder().withLogFile(tmp.resolve("registry.log"))
                        .start()) {
            Path config = Files.writeString(tmp.resolve("client.properties"), String.join("\n",
                    "security.protocol=SASL_PLAINTEXT",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"demo\" password=\"demo-s3cret\";", ""));
            Path summary = tmp.resolve("summary.json");
            DemoCommandTest.Run r = DemoCommandTest.run("demo", "--scenes", "2", "--duration", "20s",
                    "--model", DemoSmokeTest.model().toString(), "--bootstrap", kafka.bootstrapServers(),
                    "--registry", registry.url(), "--kafka-config", config.toString(),
                    "--summary", summary.toString(), "--log", tmp.resolve("demo.log").toString());
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Kafka at " + kafka.bootstrapServers() + " (external)")
                    .doesNotContain("demo-s3cret");
            JsonNode j = new ObjectMapper().readTree(summary.toFile());
            JsonNode records = j.get("records_per_topic");
            assertThat(records.get("tracking.positions").asLong()).isPositive();
            assertThat(records.get("nri.graphs").asLong()).isPositive();
            assertThat(records.get("nri.forecast-errors").asLong()).isPositive();
            assertThat(r.err()).doesNotContain("demo-s3cret");

            // Without the file the same cluster refuses the demo, clearly and before anything runs.
            DemoCommandTest.Run refused = DemoCommandTest.run("demo", "--model", DemoSmokeTest.model().toString(),
                    "--bootstrap", kafka.bootstrapServers(), "--registry", registry.url(),
                    "--log", tmp.resolve("demo2.log").toString());
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("Kafka at " + kafka.bootstrapServers()).doesNotContain("\tat ");
        }
    }

    @Test
    void theDemoRunsOverTlsWithScramLoginsAndAWrongPasswordIsRefusedClearly() throws Exception {
        TestTls tls = TestTls.generate(tmp.resolve("tls"));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().withSaslPlain("admin", "admin-pw", Map.of())
                        .withScramUsers(Map.of("demo", "scram-s3cret")).withTls(tls)
                        .withLogFile(tmp.resolve("kafka.log")).start();
                EmbeddedRegistry registry = EmbeddedRegistry.builder().withLogFile(tmp.resolve("registry.log"))
                        .start()) {
            // What a managed cluster hands its users: SASL_SSL, SCRAM-SHA-256, a truststore for its certificate.
            Path config = Files.writeString(tmp.resolve("client.properties"), String.join("\n",
                    "security.protocol=SASL_SSL",
                    "sasl.mechanism=SCRAM-SHA-256",
                    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"demo\" password=\"scram-s3cret\";",
                    "ssl.truststore.type=PKCS12",
                    "ssl.truststore.location=" + tls.truststore(),
                    "ssl.truststore.password=" + tls.password(), ""));
            Path summary = tmp.resolve("summary.json");
            DemoCommandTest.Run r = DemoCommandTest.run("demo", "--scenes", "2", "--duration", "20s",
                    "--model", DemoSmokeTest.model().toString(), "--bootstrap", kafka.bootstrapServers(),
                    "--registry", registry.url(), "--kafka-config", config.toString(),
                    "--summary", summary.toString(), "--log", tmp.resolve("demo.log").toString());
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            JsonNode records = new ObjectMapper().readTree(summary.toFile()).get("records_per_topic");
            assertThat(records.get("tracking.positions").asLong()).isPositive();
            assertThat(records.get("nri.graphs").asLong()).isPositive();
            assertThat(records.get("nri.forecast-errors").asLong()).isPositive();
            assertThat(r.out() + r.err()).doesNotContain("scram-s3cret").doesNotContain(tls.password());

            // A wrong SCRAM password: refused before anything runs, the reason named, no secret printed.
            Path wrong = Files.writeString(tmp.resolve("wrong.properties"),
                    Files.readString(config).replace("scram-s3cret", "not-the-pw"));
            DemoCommandTest.Run refused = DemoCommandTest.run("demo", "--model", DemoSmokeTest.model().toString(),
                    "--bootstrap", kafka.bootstrapServers(), "--registry", registry.url(), "--kafka-config",
                    wrong.toString(), "--log", tmp.resolve("demo2.log").toString());
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("Kafka at " + kafka.bootstrapServers())
                    .containsIgnoringCase("authentication failed").contains("refused the login")
                    .doesNotContain("not-the-pw")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void theDemoRunsWithClientCertificatesAndScramSha512AndACertificateLessClientIsRefusedClearly() throws Exception {
        TestTls tls = TestTls.generate(tmp.resolve("tls"));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().withSaslPlain("admin", "admin-pw", Map.of())
                        .withScramUsers(Map.of("demo", "scram512-s3cret")).withTls(tls)
                        .withRequiredClientCertificates().withLogFile(tmp.resolve("kafka.log")).start();
                EmbeddedRegistry registry = EmbeddedRegistry.builder().withLogFile(tmp.resolve("registry.log"))
                        .start()) {
            // Mutual TLS (the client's own certificate in a keystore) under SCRAM-SHA-512 logins.
            String trust = String.join("\n",
                    "security.protocol=SASL_SSL",
                    "sasl.mechanism=SCRAM-SHA-512",
                    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"demo\" password=\"scram512-s3cret\";",
                    "ssl.truststore.type=PKCS12",
                    "ssl.truststore.location=" + tls.truststore(),
                    "ssl.truststore.password=" + tls.password(), "");
            Path config = Files.writeString(tmp.resolve("client.properties"), trust + String.join("\n",
                    "ssl.keystore.type=PKCS12",
                    "ssl.keystore.location=" + tls.clientKeystore(),
                    "ssl.keystore.password=" + tls.password(),
                    "ssl.key.password=" + tls.password(), ""));
            Path summary = tmp.resolve("summary.json");
            DemoCommandTest.Run r = DemoCommandTest.run("demo", "--scenes", "2", "--duration", "20s",
                    "--model", DemoSmokeTest.model().toString(), "--bootstrap", kafka.bootstrapServers(),
                    "--registry", registry.url(), "--kafka-config", config.toString(),
                    "--summary", summary.toString(), "--log", tmp.resolve("demo.log").toString());
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            JsonNode records = new ObjectMapper().readTree(summary.toFile()).get("records_per_topic");
            assertThat(records.get("tracking.positions").asLong()).isPositive();
            assertThat(records.get("nri.graphs").asLong()).isPositive();
            assertThat(records.get("nri.forecast-errors").asLong()).isPositive();
            assertThat(r.out() + r.err()).doesNotContain("scram512-s3cret").doesNotContain(tls.password());

            // The same logins without a client certificate: the broker ends the TLS handshake; the demo says so and
            // points at the settings to check.
            Path noCert = Files.writeString(tmp.resolve("no-cert.properties"), trust);
            DemoCommandTest.Run refused = DemoCommandTest.run("demo", "--model", DemoSmokeTest.model().toString(),
                    "--bootstrap", kafka.bootstrapServers(), "--registry", registry.url(), "--kafka-config",
                    noCert.toString(), "--log", tmp.resolve("demo2.log").toString());
            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("Kafka at " + kafka.bootstrapServers())
                    .contains("refused the TLS connection").contains("bad_certificate")
                    .contains("ssl.keystore.* a client certificate").doesNotContain("scram512-s3cret")
                    .doesNotContain(tls.password()).doesNotContain("\tat ");
        }
    }

    @Test
    void aKafkaConfigNeedsAnExternalClusterAndAReadableFile() {
        DemoCommandTest.Run alone = DemoCommandTest.run("demo", "--kafka-config", tmp.resolve("c.properties")
                .toString());
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.err()).contains("--kafka-config is for an external, secured cluster");
        DemoCommandTest.Run missing = DemoCommandTest.run("demo", "--bootstrap", "127.0.0.1:1", "--registry",
                "http://127.0.0.1:1", "--kafka-config", tmp.resolve("c.properties").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("c.properties does not exist");
    }
}
