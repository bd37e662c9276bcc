package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.graph;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.testing.PoisonPills;
import dev.nristream.testing.PoisonPills.Claim;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics under a graph feed at 2,500 records/s of which 10% are bad (issue 17, "bad input at volume", the
 * analytics' side): not Avro, an unknown schema id, a truncated record, array and string size bombs with the real
 * schema id, null values, and decodable graphs naming edge types they do not have. Ends with a count check: every
 * good graph of 100 scenes is counted once in its scene's edge statistics with exactly the edge types it carried,
 * every undecodable record is skipped and counted by kind, and the analytics stay RUNNING.
 *
 * <p>The graphs topic has one partition (as in every analytics test), so records are processed in the order sent:
 * a marker graph before the load and one after it delimit what this test counts, whatever earlier tests left on
 * the topic.
 */
@ExtendWith(RealServices.class)
class AnalyticsBadInputAtVolumeIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int RECORDS = 20_000;
    private static final int PER_SECOND = 2_500;
    private static final int SCENES = 100;
    private static final int UNKNOWN = 0x7fffff31;
    private static final List<String> AGENTS = List.of("a", "b", "c", "d", "e");
    private static final List<String> TYPES = List.of("no edge", "spring");
    private static final int EDGES = AGENTS.size() * (AGENTS.size() - 1);

    @TempDir
    Path stateDir;

    /** What was sent, to be counted against what the analytics report. */
    private static final class Sent {
        final Map<String, Integer> graphs = new HashMap<>();
        final Map<String, long[]> totals = new HashMap<>();
        final Map<String, Long> badByKind = new HashMap<>();
        int wrongTypeGraphs;
        long wrongTypeEdges;
    }

    @Test
    void tenPercentBadGraphRecordsAtVolumeAreSkippedAndCountedAndEveryGoodGraphCountsOnce() throws Exception {
        AnalyticsTopics.all().forEach(t -> RealServices.createTopics(1, t.name()));
        AnalyticsTopics.ensure(RealServices.bootstrapServers(), false, 1, Duration.ofSeconds(15));
        String run = "vol-" + UUID.randomUUID().toString().substring(0, 8);
        UndecodableLog log = UndecodableLog.shared();
        Serializer<InteractionGraph> serializer = RegistrySerdes.valueSerializer(Topics.GRAPHS,
                RealServices.registryConfig());
        int graphId = new SchemaRegistryClient(RealServices.registryConfig())
                .register(Topics.GRAPHS.name() + "-value", InteractionGraph.getClassSchema());
        try (AnalyticsService svc = AnalyticsService.builder()
                .setBootstrapServers(RealServices.bootstrapServers())
                .setRegistry(RealServices.registryConfig())
                .withApplicationId("analytics-volume-" + UUID.randomUUID())
                .withStateDir(stateDir)
                .withHttpHost("127.0.0.1")
                .withHttpPort(0)
                .withStreamsProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100)
                .start();
                KafkaProducer<String, byte[]> producer = rawProducer();
                KafkaConsumer<String, EdgeStats> stats = statsConsumer()) {
            svc.awaitRunning(WAIT);
            // Everything earlier tests left on the topic is behind the start marker once its statistics show.
            String startMarker = run + "-start";
            producer.send(new ProducerRecord<>(Topics.GRAPHS.name(), startMarker, serializer.serialize(
                    Topics.GRAPHS.name(), graph(startMarker, "m1", 1000, AGENTS, TYPES, pattern(0))))).get();
            readUntil(stats, Map.of(startMarker, 1), new HashMap<>());
            // Counted on the graphs topic only: the application also reads the other input topics from their start,
            // where earlier tests left poison pills of their own.
            Map<String, Long> before = log.totals(Topics.GRAPHS.name());

            long t0 = System.nanoTime();
            Sent sent = sendLoad(producer, serializer, graphId, run);
            long sentAt = System.nanoTime();

            String endMarker = run + "-end";
            producer.send(new ProducerRecord<>(Topics.GRAPHS.name(), endMarker, serializer.serialize(
                    Topics.GRAPHS.name(), graph(endMarker, "m1", 1000, AGENTS, TYPES, pattern(0))))).get();
            Map<String, Integer> expectedGraphs = new HashMap<>(sent.graphs);
            expectedGraphs.put(endMarker, 1);
            Map<String, EdgeStats> latest = new HashMap<>();
            readUntil(stats, expectedGraphs, latest);
            // A figure for docs/RELIABILITY.md, not a check: tests do not assert wall-clock times.
            System.out.printf("analytics at volume: %,d records (%d%% bad) sent in %.1f s; every scene's statistics "
                    + "complete %.1f s after the last send%n", RECORDS, 10, (sentAt - t0) / 1e9,
                    (System.nanoTime() - sentAt) / 1e9);

            // Every good graph counted once, with the edge types it carried.
            for (Map.Entry<String, Integer> e : sent.graphs.entrySet()) {
                EdgeStats s = latest.get(e.getKey());
                assertThat(s.getGraphs()).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(s.getTotals()).as(e.getKey())
                        .containsExactly(Arrays.stream(sent.totals.get(e.getKey())).boxed().toArray(Long[]::new));
            }
            // Graphs naming types they do not have: counted as graphs, only their edges of known types counted.
            EdgeStats wrong = latest.get(run + "-wrong-types");
            assertThat(wrong.getGraphs()).isEqualTo(sent.wrongTypeGraphs);
            assertThat(wrong.getTotals().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo((long) sent.wrongTypeGraphs * EDGES - sent.wrongTypeEdges);

            // Every undecodable record skipped and counted by kind; null values are not errors and not counted.
            Map<String, Long> after = log.totals(Topics.GRAPHS.name());
            Map<String, Long> skipped = new HashMap<>();
            after.forEach((k, v) -> {
                long d = v - before.getOrDefault(k, 0L);
                if (d != 0) {
                    skipped.put(k, d);
                }
            });
            Map<String, Long> expectedSkipped = new HashMap<>(sent.badByKind);
            long nulls = expectedSkipped.remove("NULL");
            assertThat(nulls).isPositive();
            assertThat(skipped).isEqualTo(expectedSkipped);
            assertThat(svc.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /** The types of a graph: "spring" on a shifting subset of edges, so every scene's totals are its own. */
    private static int[] pattern(int seed) {
        int[] t = new int[EDGES];
        for (int e = 0; e < EDGES; e++) {
            t[e] = (e + seed) % 3 == 0 ? 1 : 0;
        }
        return t;
    }

    private static Sent sendLoad(KafkaProducer<String, byte[]> producer, Serializer<InteractionGraph> serializer,
            int graphId, String run) throws Exception {
        Sent sent = new Sent();
        Random rnd = new Random(17);
        byte[] good = serializer.serialize(Topics.GRAPHS.name(), graph(run + "-template", "m1", 1000, AGENTS, TYPES,
                pattern(0)));
        int[] nextGraph = new int[SCENES];
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < RECORDS; i++) {
            // Paced at PER_SECOND: a live feed's rate, not a burst the broker buffers.
            long due = t0 + (long) i * 1_000_000_000L / PER_SECOND;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String topic = Topics.GRAPHS.name();
            if (i % 10 == 9) {
                int kind = (i / 10) % 7;
                byte[] value;
                String counted;
                switch (kind) {
                    case 0 -> { // not Avro: no magic byte
                        value = new byte[1 + rnd.nextInt(200)];
                        rnd.nextBytes(value);
                        value[0] = (byte) (1 + rnd.nextInt(120));
                        counted = "UNDECODABLE";
                    }
                    case 1 -> {
                        value = PoisonPills.unknownId(UNKNOWN);
                        counted = "UNKNOWN_SCHEMA_ID";
                    }
                    case 2 -> { // a good record cut short
                        value = Arrays.copyOf(good, 5 + rnd.nextInt(good.length / 2));
                        counted = "UNDECODABLE";
                    }
                    case 3 -> {
                        value = PoisonPills.bomb(InteractionGraph.getClassSchema(), graphId, Claim.ARRAY);
                        counted = "UNDECODABLE";
                    }
                    case 4 -> {
                        value = PoisonPills.bomb(InteractionGraph.getClassSchema(), graphId, Claim.STRING);
                        counted = "UNDECODABLE";
                    }
                    case 5 -> {
                        value = null;
                        counted = "NULL";
                    }
                    default -> { // decodable, but three edges name type 7 of a two-type model
                        int[] types = pattern(sent.wrongTypeGraphs);
                        types[0] = 7;
                        types[5] = 7;
                        types[11] = -1;
                        String scene = run + "-wrong-types";
                        value = serializer.serialize(topic, graph(scene, "m1", 1000 + 100L * sent.wrongTypeGraphs,
                                AGENTS, TYPES, types));
                        sent.wrongTypeGraphs++;
                        sent.wrongTypeEdges += 3;
                        counted = null;
                    }
                }
                if (counted != null) {
                    sent.badByKind.merge(counted, 1L, Long::sum);
                }
                acks.add(producer.send(new ProducerRecord<>(topic, "bad-" + i, value)));
                continue;
            }
            int s = i % SCENES;
            String scene = run + "-" + s;
            int k = nextGraph[s]++;
            int[] types = pattern(s + k);
            acks.add(producer.send(new ProducerRecord<>(topic, scene, serializer.serialize(topic,
                    graph(scene, "m1", 1000 + 100L * k, AGENTS, TYPES, types)))));
            sent.graphs.merge(scene, 1, Integer::sum);
            long[] totals = sent.totals.computeIfAbsent(scene, x -> new long[TYPES.size()]);
            for (int t : types) {
                totals[t]++;
            }
        }
        for (Future<RecordMetadata> f : acks) {
            f.get(); // every record of the count check reached the broker
        }
        return sent;
    }

    /** Reads edge statistics until each scene in {@code expected} shows its graph count; keeps the latest. */
    private static void readUntil(KafkaConsumer<String, EdgeStats> c, Map<String, Integer> expected,
            Map<String, EdgeStats> latest) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, EdgeStats> r : c.poll(Duration.ofMillis(200))) {
                if (r.value() != null) {
                    latest.put(r.key(), r.value());
                }
            }
            if (expected.entrySet().stream().allMatch(e -> latest.containsKey(e.getKey())
                    && latest.get(e.getKey()).getGraphs() >= e.getValue())) {
                return;
            }
        }
        long missing = expected.entrySet().stream().filter(e -> !latest.containsKey(e.getKey())
                || latest.get(e.getKey()).getGraphs() < e.getValue()).count();
        throw new AssertionError(missing + " of " + expected.size() + " scenes did not show all their graphs within "
                + WAIT);
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, EdgeStats> statsConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vol-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, EdgeStats> c = new KafkaConsumer<>(p, new StringDeserializer(),
                RegistrySerdes.valueDeserializer(Topics.EDGE_STATS, RealServices.registryConfig()));
        c.subscribe(List.of(Topics.EDGE_STATS.name()));
        return c;
    }
}
