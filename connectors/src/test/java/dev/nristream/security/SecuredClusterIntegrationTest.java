package dev.nristream.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.PositionFrame;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.replay.KafkaFrameSink;
import dev.nristream.replay.ProducerSettings;
import dev.nristream.tail.TailFormat;
import dev.nristream.tail.TopicTail;
import dev.nristream.testing.AuthenticatingRegistryFront;
import dev.nristream.testing.RealServices;
import dev.nristream.testing.SampleRecords;
import dev.nristream.topic.TopicAdmin;
import dev.nristream.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients on a secured cluster, configured by one {@code --kafka-config} file: a real broker that only takes
 * SASL/PLAIN logins, and the real registry behind an HTTP front that demands basic auth or a bearer token (how a
 * registry is usually secured: a gateway or OAuth in front of it). The right credentials write and read frames
 * through the registry; wrong ones fail quickly, with an error that names what was refused and never a secret.
 */
@ExtendWith(RealServices.class)
class SecuredClusterIntegrationTest {

    private static final String ALICE_PASSWORD = "alice-s3cret-pw";
    private static final String BOB_PASSWORD = "bob-s3cret-pw";
    private static final String TOKEN = "tok-" + UUID.randomUUID();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static EmbeddedKafka kafka;
    private static AuthenticatingRegistryFront registryFront;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.builder().withSaslPlain("admin", "admin-pw", Map.of("alice", ALICE_PASSWORD))
                .withLogFile(Path.of("target", "kafka-broker-sasl.log")).start();
        registryFront = AuthenticatingRegistryFront.start(RealServices.registryUrl(), "bob", BOB_PASSWORD, TOKEN);
    }

    @AfterAll
    static void stop() {
        if (registryFront != null) {
            registryFront.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void framesGoThroughTheSecuredBrokerAndRegistryWithTheRightCredentials() throws Exception {
        ClientConfigFile security = ClientConfigFile.load(file("alice", ALICE_PASSWORD,
                "basic.auth.user.info=bob:" + BOB_PASSWORD));
        assertThat(security.toString()).doesNotContain(ALICE_PASSWORD).doesNotContain(BOB_PASSWORD)
                .contains("security.protocol=SASL_PLAINTEXT").contains("sasl.jaas.config=[hidden]");
        String topic = Topics.POSITIONS.name(); // this broker is the test's own
        assertThat(TopicAdmin.createMissing(admin(security), List.of(topic), 1, TIMEOUT)).containsExactly(topic);

        String scene = "secured-scene";
        ProducerSettings settings = ProducerSettings.defaults(kafka.bootstrapServers());
        for (var e : security.kafkaProperties().entrySet()) {
            settings = settings.withOverride(e.getKey(), e.getValue());
        }
        try (KafkaFrameSink sink = KafkaFrameSink.create(settings, security.registry(front()), Topics.POSITIONS,
                topic)) {
            for (int i = 0; i < 20; i++) {
                PositionFrame f = SampleRecords.positionFrame(scene, i, 3);
                sink.accept(f);
            }
            sink.flush();
            assertThat(sink.delivered()).isEqualTo(20);
        }

        List<String> lines = new ArrayList<>();
        TopicTail.builder().setTopic(Topics.POSITIONS.name()).setBootstrapServers(kafka.bootstrapServers())
                .setRegistry(security.registry(front())).withClientConfig(security).withFromBeginning(true)
                .withMax(20).withIdleTimeout(TIMEOUT).withFormat(TailFormat.JSON).build()
                .run(lines::add, s -> { }, () -> false);
        assertThat(lines).hasSize(20);
        assertThat(lines.get(19)).contains("\"frame_index\":19").contains(scene);

        // The same through a bearer token.
        ClientConfigFile bearer = ClientConfigFile.load(file("alice", ALICE_PASSWORD, "bearer.auth.token=" + TOKEN));
        assertThat(bearer.toString()).doesNotContain(TOKEN);
        assertThat(new SchemaRegistryClient(bearer.registry(front())).latestId(Topics.POSITIONS.valueSubject()))
                .isPositive();
    }

    @Test
    void aWrongBrokerPasswordFailsFastAndSaysSoWithoutPrintingIt() throws Exception {
        ClientConfigFile wrong = ClientConfigFile.load(file("alice", "not-the-password", ""));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> TopicAdmin.createMissing(admin(wrong), List.of("never-" + UUID.randomUUID()), 1,
                TIMEOUT))
                .hasStackTraceContaining("Authentication failed")
                .satisfies(e -> assertThat(stackOf(e)).doesNotContain("not-the-password"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT);

        // No credentials at all against the SASL listener: also refused, not a hang.
        assertThatThrownBy(() -> TopicAdmin.createMissing(TopicAdmin.admin(kafka.bootstrapServers(),
                Duration.ofSeconds(5)), List.of("never-" + UUID.randomUUID()), 1, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongRegistryCredentialsAreRefusedClearly() throws Exception {
        ClientConfigFile badBasic = ClientConfigFile.load(file("alice", ALICE_PASSWORD,
                "basic.auth.user.info=bob:wrong-registry-pw"));
        assertThatThrownBy(() -> new SchemaRegistryClient(badBasic.registry(front())).latestId(Topics.POSITIONS.valueSubject()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("credentials for user 'bob' were refused")
                .satisfies(e -> assertThat(stackOf(e)).doesNotContain("wrong-registry-pw"));
        ClientConfigFile badToken = ClientConfigFile.load(file("alice", ALICE_PASSWORD,
                "bearer.auth.token=stale-token-value"));
        assertThatThrownBy(() -> new SchemaRegistryClient(badToken.registry(front())).latestId(Topics.POSITIONS.valueSubject()))
                .hasMessageContaining("the bearer token was refused")
                .satisfies(e -> assertThat(stackOf(e)).doesNotContain("stale-token-value"));
        assertThatThrownBy(() -> new SchemaRegistryClient(ClientConfigFile.none().registry(front())).latestId(Topics.POSITIONS.valueSubject()))
                .hasMessageContaining("no credentials were sent");
    }

    @Test
    void brokenConfigFilesAreOneClearError() throws Exception {
        Path protocol = Files.writeString(dir.resolve("p.properties"), "security.protocol=SASL_PLAIN\n");
        assertThatThrownBy(() -> ClientConfigFile.load(protocol)).hasMessageContaining(protocol.toString())
                .hasMessageContaining("security.protocol is 'SASL_PLAIN'");
        Path noJaas = Files.writeString(dir.resolve("j.properties"), "security.protocol=SASL_SSL\n");
        assertThatThrownBy(() -> ClientConfigFile.load(noJaas)).hasMessageContaining("sasl.jaas.config is not set");
        Path store = Files.writeString(dir.resolve("s.properties"), "security.protocol=SSL\n"
                + "ssl.truststore.location=/nonexistent/truststore.jks\nssl.truststore.password=changeit\n");
        assertThatThrownBy(() -> ClientConfigFile.load(store)).hasMessageContaining("/nonexistent/truststore.jks")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("changeit"));
        Path both = Files.writeString(dir.resolve("b.properties"), "basic.auth.user.info=a:b\nbearer.auth.token=t\n");
        assertThatThrownBy(() -> ClientConfigFile.load(both)).hasMessageContaining("are both set");
        assertThatThrownBy(() -> ClientConfigFile.load(dir.resolve("missing.properties")))
                .hasMessageContaining("missing.properties does not exist");
    }

    private Path file(String user, String password, String registryLine) throws Exception {
        Path f = dir.resolve("client-" + UUID.randomUUID() + ".properties");
        Files.writeString(f, String.join("\n",
                "# as for any Kafka client",
                "bootstrap.servers=ignored:9092",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                registryLine, ""));
        return f;
    }

    private static org.apache.kafka.clients.admin.Admin admin(ClientConfigFile security) {
        return TopicAdmin.admin(kafka.bootstrapServers(), TIMEOUT, security);
    }

    private static String front() {
        return registryFront.url();
    }

    private static String stackOf(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
