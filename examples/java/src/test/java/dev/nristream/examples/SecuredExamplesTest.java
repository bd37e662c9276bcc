package dev.nristream.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.examples.ExampleRuns.Run;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.testing.AuthenticatingRegistryFront;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example consumers on a secured cluster, each given the same {@code --kafka-config} file as {@code ./nri}: a
 * broker that only takes SASL/PLAIN logins and the registry behind a front that demands basic auth or a bearer
 * token. With the right file each prints every committed graph (the Python one maps the Java-style SASL settings
 * to librdkafka's and sends the registry credentials); with a wrong password each stops with exit code 2 and a
 * line saying what was refused, never printing a secret.
 */
@ExtendWith(RealServices.class)
class SecuredExamplesTest {

    private static final String ALICE_PASSWORD = "alice-examples-pw";
    private static final String BOB_PASSWORD = "bob-examples-pw";
    private static final String TOKEN = "tok-" + UUID.randomUUID();
    private static final String TOPIC = "secured.graphs";
    private static final List<String> AGENTS = List.of("p0", "p1", "p2");
    private static final int GRAPHS = 6;
    private static final long TIMEOUT_S = 60;

    private static EmbeddedKafka kafka;
    private static AuthenticatingRegistryFront front;
    private static List<String> expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.builder().withSaslPlain("admin", "admin-pw", Map.of("alice", ALICE_PASSWORD))
                .withLogFile(Path.of("target", "kafka-broker-sasl-examples.log")).start();
        front = AuthenticatingRegistryFront.start(RealServices.registryUrl(), "bob", BOB_PASSWORD, TOKEN);
        kafka.createTopics(1, TOPIC);
        List<InteractionGraph> graphs = new ArrayList<>();
        for (int i = 0; i < GRAPHS; i++) {
            graphs.add(OutputSamples.graph("scene-s", 100 + i, AGENTS,
                    Map.of(AGENTS.get(i % 3) + "->" + AGENTS.get((i + 1) % 3), 0.9f)));
        }
        expected = ExampleRuns.commitGraphs(kafka, TOPIC, "secured-examples", graphs);
    }

    @AfterAll
    static void stop() {
        if (front != null) {
            front.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void javaExamplesReadTheSecuredClusterWithOneFile() throws Exception {
        Path basic = file(ALICE_PASSWORD, "basic.auth.user.info=bob:" + BOB_PASSWORD);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long printed = ConsumeGraphs.run(options(basic, "java-basic"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> false);
        assertThat(printed).isEqualTo(GRAPHS);
        assertThat(lines(out)).containsExactlyElementsOf(expected);

        ByteArrayOutputStream bearerOut = new ByteArrayOutputStream();
        ConsumeGraphs.run(options(file(ALICE_PASSWORD, "bearer.auth.token=" + TOKEN), "java-bearer"),
                new PrintStream(bearerOut, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                        StandardCharsets.UTF_8), () -> false);
        assertThat(lines(bearerOut)).containsExactlyElementsOf(expected);

        ByteArrayOutputStream streamsOut = new ByteArrayOutputStream();
        CountDownLatch done = new CountDownLatch(1);
        try (KafkaStreams streams = StreamGraphs.start(options(basic, "streams-basic"), new PrintStream(streamsOut,
                true, StandardCharsets.UTF_8), done)) {
            assertThat(done.await(TIMEOUT_S, TimeUnit.SECONDS)).as("streams printed %s", streamsOut).isTrue();
        }
        assertThat(lines(streamsOut)).containsExactlyElementsOf(expected);
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain(ALICE_PASSWORD, BOB_PASSWORD, TOKEN);
    }

    @Test
    void pythonExampleMapsTheJavaStyleFileToLibrdkafka() throws Exception {
        Run ok = python(file(ALICE_PASSWORD, "basic.auth.user.info=bob:" + BOB_PASSWORD), "python-basic");
        assertThat(ok.exit()).as("stderr: %s", ok.err()).isZero();
        assertThat(lines(ok.out())).containsExactlyElementsOf(expected);
        assertThat(ok.out() + ok.err()).doesNotContain(ALICE_PASSWORD, BOB_PASSWORD);

        Run bearer = python(file(ALICE_PASSWORD, "bearer.auth.token=" + TOKEN), "python-bearer");
        assertThat(bearer.exit()).as("stderr: %s", bearer.err()).isZero();
        assertThat(lines(bearer.out())).containsExactlyElementsOf(expected);
    }

    @Test
    void wrongCredentialsStopEachExampleClearlyWithoutPrintingThem() throws Exception {
        Path wrongBroker = file("not-alices-pw", "basic.auth.user.info=bob:" + BOB_PASSWORD);
        Path wrongRegistry = file(ALICE_PASSWORD, "basic.auth.user.info=bob:not-bobs-pw");

        Run java = run(ExampleRuns.javaCommand(ConsumeGraphs.class, flags(wrongBroker, "java-wrong")));
        assertThat(java.exit()).as("stdout %s stderr %s", java.out(), java.err()).isEqualTo(2);
        assertThat(java.err()).contains("ConsumeGraphs: ").contains("Authentication failed")
                .doesNotContain("not-alices-pw").doesNotContain("\tat ");
        Run javaRegistry = run(ExampleRuns.javaCommand(ConsumeGraphs.class, flags(wrongRegistry, "java-wrong-reg")));
        assertThat(javaRegistry.exit()).as("stderr %s", javaRegistry.err()).isEqualTo(2);
        assertThat(javaRegistry.err()).contains("HTTP 401").doesNotContain("not-bobs-pw");
        assertThat(javaRegistry.out()).isBlank();

        Run python = python(wrongBroker, "python-wrong");
        assertThat(python.exit()).as("stderr %s", python.err()).isEqualTo(2);
        assertThat(python.err()).contains("Authentication failed").doesNotContain("not-alices-pw");
        Run pythonRegistry = python(wrongRegistry, "python-wrong-reg");
        assertThat(pythonRegistry.exit()).as("stderr %s", pythonRegistry.err()).isEqualTo(2);
        assertThat(pythonRegistry.err()).contains("HTTP 401").contains("refused").doesNotContain("not-bobs-pw");
        assertThat(pythonRegistry.out()).isBlank();
    }

    private Run python(Path config, String group) throws Exception {
        return run(ExampleRuns.pythonCommand(flags(config, group)));
    }

    private Run run(List<String> command) throws Exception {
        return ExampleRuns.run(command, dir, TIMEOUT_S);
    }

    private List<String> flags(Path config, String group) {
        List<String> f = new ArrayList<>(ExampleRuns.flags(kafka.bootstrapServers(), front.url(), TOPIC, group,
                GRAPHS, 15));
        f.addAll(List.of("--kafka-config", config.toString()));
        return f;
    }

    private ExampleOptions options(Path config, String group) {
        return ExampleOptions.parse(group, flags(config, group).toArray(String[]::new));
    }

    private Path file(String alicePassword, String registryLine) throws Exception {
        return Files.writeString(dir.resolve("client-" + UUID.randomUUID() + ".properties"), String.join("\n",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\""
                        + " password=\"" + alicePassword + "\";",
                registryLine, ""));
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        return lines(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
