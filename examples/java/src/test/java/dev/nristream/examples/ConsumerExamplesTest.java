package dev.nristream.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.registry.AvroRegistrySerializer;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.testing.OutputSamples;
import dev.nristream.testing.RealServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each example consumer runs against the real broker and registry while graphs are written the way the job
 * writes them (the project's serializer, Kafka transactions, scene ids as keys), including an aborted transaction
 * and a record that is not a graph. Each must print every committed graph, in order per scene, and nothing of
 * the aborted transaction.
 */
@ExtendWith(RealServices.class)
class ConsumerExamplesTest {

    private static final List<String> SCENES = List.of("scene-a", "scene-b", "scene-c");
    private static final List<String> AGENTS = List.of("p0", "p1", "p2", "p3");
    private static final int ROUNDS = 4;
    /** Frame of the graphs written in the aborted transaction: never to be printed. */
    private static final long ABORTED_FRAME = 999;
    private static final long TIMEOUT_S = 90;

    @Test
    void plainKafkaConsumerPrintsTheCommittedGraphsPerScene() throws Exception {
        String topic = topic();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExampleOptions o = options(topic);
        CompletableFuture<Long> run = CompletableFuture.supplyAsync(() -> ConsumeGraphs.run(o,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> false));
        Map<String, List<String>> expected = writeGraphs(topic);
        assertThat(run.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo(expectedCount());
        assertPrinted(out.toString(StandardCharsets.UTF_8), expected);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("skipping undecodable record", "magic byte");
    }

    @Test
    void kafkaStreamsPrintsTheCommittedGraphsPerScene() throws Exception {
        String topic = topic();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountDownLatch done = new CountDownLatch(1);
        try (KafkaStreams streams = StreamGraphs.start(options(topic), new PrintStream(out, true,
                StandardCharsets.UTF_8), done)) {
            Map<String, List<String>> expected = writeGraphs(topic);
            assertThat(done.await(TIMEOUT_S, TimeUnit.SECONDS)).as("all graphs printed; printed:%n%s",
                    out.toString(StandardCharsets.UTF_8)).isTrue();
            // Anything past the expected graphs (an aborted one read by mistake) would arrive with them.
            Thread.sleep(500);
            assertPrinted(out.toString(StandardCharsets.UTF_8), expected);
        }
    }

    @Test
    void pythonExampleDecodesTheWireFormatItself() throws Exception {
        String topic = topic();
        Path stdout = Files.createTempFile("consume-graphs", ".out");
        Path stderr = Files.createTempFile("consume-graphs", ".err");
        Process p = new ProcessBuilder(ExampleRuns.pythonCommand(ExampleRuns.flags(RealServices.bootstrapServers(),
                RealServices.registryUrl(), topic, "python-" + topic, expectedCount(), TIMEOUT_S)))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            Map<String, List<String>> expected = writeGraphs(topic);
            assertThat(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)).as("python example finished").isTrue();
            String err = Files.readString(stderr);
            assertThat(p.exitValue()).as("exit code; stderr:%n%s", err).isZero();
            assertPrinted(Files.readString(stdout), expected);
            assertThat(err).contains("skipping undecodable record", "magic byte");
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * Writes {@link #ROUNDS} transactions of one graph per scene (a different set of springs each round), an
     * aborted transaction after the first round and a corrupt record after the second; returns the lines each
     * example must print, per scene, in order.
     */
    private static Map<String, List<String>> writeGraphs(String topic) throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "examples-" + topic);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroRegistrySerializer<>(new SchemaRegistryClient(RealServices.registryConfig()), false))) {
            producer.initTransactions();
            for (int round = 0; round < ROUNDS; round++) {
                producer.beginTransaction();
                for (int s = 0; s < SCENES.size(); s++) {
                    String scene = SCENES.get(s);
                    long frame = 100 + 10L * round;
                    Map<String, Float> springs = springs(round, s);
                    producer.send(new ProducerRecord<>(topic, scene, OutputSamples.graph(scene, frame, AGENTS,
                            springs)));
                    expected.computeIfAbsent(scene, k -> new ArrayList<>()).add(line(scene, frame, springs));
                }
                producer.commitTransaction();
                if (round == 0) {
                    producer.beginTransaction();
                    for (String scene : SCENES) {
                        producer.send(new ProducerRecord<>(topic, scene, OutputSamples.graph(scene, ABORTED_FRAME,
                                AGENTS, Map.of("p0->p1", 0.99f))));
                    }
                    producer.flush();
                    producer.abortTransaction();
                }
                if (round == 1) {
                    writeCorrupt(topic, SCENES.get(0));
                }
                Thread.sleep(200); // the consumers are reading meanwhile
            }
        }
        return expected;
    }

    /**
     * Round r, scene s: springs whose order by strength differs between rounds, all probabilities distinct (ties
     * would make the order depend on the edge order); round 3 of scene c has none.
     */
    private static Map<String, Float> springs(int round, int scene) {
        if (round == 3 && scene == 2) {
            return Map.of();
        }
        Map<String, Float> m = new LinkedHashMap<>();
        m.put(AGENTS.get(round % 4) + "->" + AGENTS.get((round + 1) % 4), 0.97f - 0.1f * scene);
        m.putIfAbsent(AGENTS.get((round + 2) % 4) + "->" + AGENTS.get((round + 3) % 4), 0.62f + 0.02f * round);
        m.putIfAbsent(AGENTS.get((scene + 1) % 4) + "->" + AGENTS.get(scene % 4), 0.6f);
        m.putIfAbsent(AGENTS.get(3) + "->" + AGENTS.get(2), 0.55f);
        return m;
    }

    /** The documented line: the three strongest springs, strongest first, p with two decimals. */
    private static String line(String scene, long frame, Map<String, Float> springs) {
        List<Map.Entry<String, Float>> sorted = new ArrayList<>(springs.entrySet());
        sorted.sort(Map.Entry.<String, Float>comparingByValue().reversed());
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Float> e : sorted.subList(0, Math.min(3, sorted.size()))) {
            parts.add(String.format(Locale.ROOT, "%s spring %.2f", e.getKey(), e.getValue()));
        }
        return scene + " frame " + frame + ": " + (parts.isEmpty() ? "(no interactions)" : String.join(", ", parts));
    }

    private static void assertPrinted(String printed, Map<String, List<String>> expected) {
        List<String> lines = Arrays.stream(printed.split("\n")).filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("printed").noneMatch(l -> l.contains("frame " + ABORTED_FRAME));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> ofScene = lines.stream().filter(l -> l.startsWith(e.getKey() + " ")).toList();
            assertThat(ofScene).as("lines of %s", e.getKey()).containsExactlyElementsOf(e.getValue());
        }
        assertThat(lines).hasSize((int) expectedCount());
    }

    private static long expectedCount() {
        return (long) ROUNDS * SCENES.size();
    }

    private static void writeCorrupt(String topic, String key) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    private static ExampleOptions options(String topic) {
        return ExampleOptions.parse("java-" + topic, ExampleRuns.flags(RealServices.bootstrapServers(),
                RealServices.registryUrl(), topic, "java-" + topic, expectedCount(), TIMEOUT_S).toArray(String[]::new));
    }

    private static String topic() {
        String t = "examples.graphs-" + UUID.randomUUID();
        RealServices.createTopics(2, t);
        return t;
    }
}
