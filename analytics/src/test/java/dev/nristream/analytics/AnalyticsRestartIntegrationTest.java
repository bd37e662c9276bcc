package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.graph;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics stopped while the job keeps writing, then started again on another machine (an empty state
 * directory): its stores come back from their changelog topics, it reads on from its committed offsets, and every
 * graph is counted exactly once (exactly-once v2). How long it was down does not matter to Kafka Streams, only
 * that the records wait in the topic; the test stops it for a few seconds.
 */
@ExtendWith(RealServices.class)
class AnalyticsRestartIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> AB = List.of("a", "b");
    private static final List<String> TYPES = List.of("none", "spring");

    @TempDir
    Path firstMachine;
    @TempDir
    Path secondMachine;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRestartOnAnEmptyStateDirectoryRestoresTheStoresAndCountsEveryGraphOnce() throws Exception {
        AnalyticsTopics.all().forEach(t -> RealServices.createTopics(1, t.name()));
        String scene = "restart-" + UUID.randomUUID();
        String app = "analytics-restart-" + UUID.randomUUID();
        try (KafkaProducer<String, InteractionGraph> producer = producer()) {
            try (AnalyticsService svc = start(app, firstMachine)) {
                sendGraphs(producer, scene, 0, 10);
                assertThat(awaitGraphsCounted(svc.httpPort(), scene, 10)).isEqualTo(10);
            }
            // Down: the job goes on writing.
            sendGraphs(producer, scene, 10, 30);
            Thread.sleep(2_000);
            try (AnalyticsService svc = start(app, secondMachine)) {
                assertThat(awaitGraphsCounted(svc.httpPort(), scene, 30)).isEqualTo(30);
                sendGraphs(producer, scene, 30, 35);
                assertThat(awaitGraphsCounted(svc.httpPort(), scene, 35)).isEqualTo(35);
                JsonNode stats = get(svc.httpPort(), "/scenes/" + scene + "/edge-stats");
                // Two ordered pairs per graph, each counted once.
                assertThat(stats.get("totals").get(0).asLong() + stats.get("totals").get(1).asLong()).isEqualTo(70);
            }
        }
        // The committed edge statistics on the topic end at 35 graphs too (no double count after the restore).
        EdgeStats last = lastEdgeStats(scene);
        assertThat(last.getGraphs()).isEqualTo(35);
        assertThat(last.getTotals()).containsExactly(35L, 35L);
    }

    private static AnalyticsService start(String app, Path stateDir) throws InterruptedException {
        AnalyticsService svc = AnalyticsService.builder()
                .setBootstrapServers(RealServices.bootstrapServers())
                .setRegistry(RealServices.registryConfig())
                .withApplicationId(app)
                .withStateDir(stateDir)
                .withHttpHost("127.0.0.1")
                .withHttpPort(0)
                .withConfig(AnalyticsConfig.builder().withGrace(Duration.ZERO).build())
                .withStreamsProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100)
                .start();
        svc.awaitRunning(WAIT);
        return svc;
    }

    /** Graphs i in [from, to): window ends 100 ms apart, a -> b is a spring, b -> a is not. */
    private static void sendGraphs(KafkaProducer<String, InteractionGraph> p, String scene, int from, int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), scene, graph(scene, "m1", 10_000 + 100L * i, AB, TYPES,
                    0, 1)));
        }
        p.flush();
    }

    private int awaitGraphsCounted(int port, String scene, int expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            JsonNode stats = get(port, "/scenes/" + scene + "/edge-stats");
            seen = stats == null ? -1 : stats.get("graphs").asInt();
            if (seen >= expected) {
                Thread.sleep(1_000); // and nothing more arrives: a double count would show up here
                JsonNode again = get(port, "/scenes/" + scene + "/edge-stats");
                return again.get("graphs").asInt();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("edge statistics of " + scene + " counted " + seen + " graphs, expected "
                + expected + " within " + WAIT);
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = AnalyticsHttpServerTest.get(http, port, path);
        return r.statusCode() == 200 ? JsonSerde.MAPPER.readTree(r.body()) : null;
    }

    private static KafkaProducer<String, InteractionGraph> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(),
                RegistrySerdes.valueSerializer(Topics.GRAPHS, RealServices.registryConfig()));
    }

    private static EdgeStats lastEdgeStats(String scene) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        EdgeStats last = null;
        try (KafkaConsumer<String, EdgeStats> c = new KafkaConsumer<>(p, new StringDeserializer(),
                RegistrySerdes.valueDeserializer(Topics.EDGE_STATS, RealServices.registryConfig()))) {
            c.subscribe(List.of(Topics.EDGE_STATS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && quiet < 6) {
                var records = c.poll(Duration.ofMillis(500));
                quiet = records.isEmpty() && last != null ? quiet + 1 : 0;
                for (ConsumerRecord<String, EdgeStats> r : records) {
                    if (scene.equals(r.key())) {
                        last = r.value();
                    }
                }
            }
        }
        assertThat(last).as("edge statistics of " + scene + " on " + Topics.EDGE_STATS.name()).isNotNull();
        return last;
    }
}
