package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.testing.PoisonPills;
import dev.nristream.testing.PoisonPills.Claim;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Size bombs (2^31-9 array items, a 2^31-9 byte string, with the topics' real schema ids) and 200 records with
 * one unknown schema id on the analytics' input topics: each is skipped and counted by kind, the analytics stay
 * RUNNING (no OutOfMemoryError, no PENDING_ERROR) and the graph sent after them is still counted.
 */
@ExtendWith(RealServices.class)
class AnalyticsPoisonPillIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int UNKNOWN = 0x7fffff30;

    @TempDir
    Path stateDir;

    @Test
    void bombsAndUnknownIdsAreSkippedAndCountedAndGoodGraphsStillCount() throws Exception {
        AnalyticsTopics.all().forEach(t -> RealServices.createTopics(1, t.name()));
        AnalyticsTopics.ensure(RealServices.bootstrapServers(), false, 1, Duration.ofSeconds(15));
        String before = "pp-before-" + UUID.randomUUID();
        String after = "pp-after-" + UUID.randomUUID();
        List<String> ab = List.of("a", "b");
        UndecodableLog log = UndecodableLog.shared();
        Map<String, Long> start = log.totals();
        try (AnalyticsService svc = AnalyticsService.builder()
                .setBootstrapServers(RealServices.bootstrapServers())
                .setRegistry(RealServices.registryConfig())
                .withApplicationId("analytics-poison-" + UUID.randomUUID())
                .withStateDir(stateDir)
                .withHttpHost("127.0.0.1")
                .withHttpPort(0)
                .withStreamsProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100)
                .start();
                KafkaProducer<String, byte[]> producer = rawProducer()) {
            svc.awaitRunning(WAIT);
            send(producer, Topics.GRAPHS.name(), before, RegistrySerdes.valueSerializer(Topics.GRAPHS,
                    RealServices.registryConfig()).serialize(Topics.GRAPHS.name(),
                    graph(before, "m1", 1000, ab, List.of("no edge", "spring"), 1, 0)));
            SchemaRegistryClient client = new SchemaRegistryClient(RealServices.registryConfig());
            int graphId = client.register(Topics.GRAPHS.name() + "-value", InteractionGraph.getClassSchema());
            int frameId = client.register(Topics.POSITIONS.name() + "-value", PositionFrame.getClassSchema());
            for (Claim claim : Claim.values()) {
                send(producer, Topics.GRAPHS.name(), "bomb", PoisonPills.bomb(InteractionGraph.getClassSchema(),
                        graphId, claim));
                send(producer, Topics.POSITIONS.name(), "bomb", PoisonPills.bomb(PositionFrame.getClassSchema(),
                        frameId, claim));
            }
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(Topics.GRAPHS.name(), "ghost", PoisonPills.unknownId(UNKNOWN)));
            }
            send(producer, Topics.GRAPHS.name(), after, RegistrySerdes.valueSerializer(Topics.GRAPHS,
                    RealServices.registryConfig()).serialize(Topics.GRAPHS.name(),
                    graph(after, "m1", 2000, ab, List.of("no edge", "spring"), 0, 1)));

            // The graph after the bad ones on the same partition is counted: nothing stalled or died.
            assertThat(edgeStats(after).getTotals()).containsExactly(1L, 1L);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (delta(log.totals(), start, "UNDECODABLE") < 4 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // At least the four bombs: the counter is shared by every analytics instance in this JVM.
            assertThat(delta(log.totals(), start, "UNDECODABLE")).isGreaterThanOrEqualTo(4);
            assertThat(delta(log.totals(), start, "UNKNOWN_SCHEMA_ID")).isEqualTo(200);
            assertThat(svc.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static long delta(Map<String, Long> now, Map<String, Long> start, String kind) {
        return now.getOrDefault(kind, 0L) - start.getOrDefault(kind, 0L);
    }

    private static void send(KafkaProducer<String, byte[]> p, String topic, String key, byte[] value)
            throws Exception {
        p.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static EdgeStats edgeStats(String scene) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "pp-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, EdgeStats> c = new KafkaConsumer<>(p, new StringDeserializer(),
                RegistrySerdes.valueDeserializer(Topics.EDGE_STATS, RealServices.registryConfig()))) {
            c.subscribe(List.of(Topics.EDGE_STATS.name()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, EdgeStats> r : c.poll(Duration.ofMillis(500))) {
                    if (scene.equals(r.key())) {
                        return r.value();
                    }
                }
            }
            throw new AssertionError("no edge stats for scene " + scene + " within " + WAIT);
        }
    }
}
