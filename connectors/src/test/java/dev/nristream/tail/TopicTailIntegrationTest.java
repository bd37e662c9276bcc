package dev.nristream.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.registry.AvroRegistrySerializer;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.testing.OutputSamples;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link TopicTail} against the real broker and registry, with records written by the project's serializer. */
@ExtendWith(RealServices.class)
class TopicTailIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> AGENTS = List.of("p0", "p1", "p2", "p3");
    private static final Duration IDLE = Duration.ofSeconds(10);

    @BeforeAll
    static void topics() {
        RealServices.createTopics(1, Topics.GRAPHS.name(), Topics.FORECASTS.name(), Topics.POSITIONS_DLQ.name());
    }

    @Test
    void graphsPrintAsJsonAndTableAndACorruptRecordSaysWhy() throws Exception {
        String scene = scene();
        InteractionGraph first = OutputSamples.graph(scene, 100, AGENTS, Map.of("p1->p0", 0.9f));
        InteractionGraph second = OutputSamples.graph(scene, 110, AGENTS,
                Map.of("p2->p3", 0.75f, "p0->p1", 0.95f, "p3->p0", 0.6f, "p1->p2", 0.55f));
        try (KafkaProducer<String, SpecificRecord> p = producer(null)) {
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), scene, first));
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), "another-" + scene,
                    OutputSamples.graph("another-" + scene, 100, AGENTS, Map.of())));
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), scene, second)).get();
        }
        sendRaw(Topics.GRAPHS.name(), scene, "not avro at all".getBytes(StandardCharsets.UTF_8));
        sendRaw(Topics.GRAPHS.name(), scene, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4});

        List<String> json = tail(Topics.GRAPHS.name(), scene, TailFormat.JSON, true, 4);
        assertThat(json).hasSize(4);
        JsonNode g0 = JSON.readTree(json.get(0));
        assertThat(g0.get("topic").asText()).isEqualTo(Topics.GRAPHS.name());
        assertThat(g0.get("key").asText()).isEqualTo(scene);
        JsonNode v0 = g0.get("value");
        assertThat(v0.get("scene_id").asText()).isEqualTo(scene);
        assertThat(v0.get("window_end_frame").asLong()).isEqualTo(first.getWindowEndFrame());
        assertThat(v0.get("window_end_ms").asLong()).isEqualTo(first.getWindowEndMs());
        assertThat(v0.get("edge_type_names").toString()).isEqualTo("[\"none\",\"spring\"]");
        assertThat(v0.get("edges")).hasSize(first.getEdges().size());
        JsonNode e0 = v0.get("edges").get(0);
        assertThat(e0.get("sender").asText()).isEqualTo(first.getEdges().get(0).getSender());
        assertThat(e0.get("receiver").asText()).isEqualTo(first.getEdges().get(0).getReceiver());
        assertThat((float) e0.get("probabilities").get(1).asDouble())
                .isEqualTo(first.getEdges().get(0).getProbabilities().get(1));
        assertThat(JSON.readTree(json.get(1)).get("value").get("window_end_frame").asLong()).isEqualTo(110);
        JsonNode bad = JSON.readTree(json.get(2));
        assertThat(bad.has("value")).isFalse();
        assertThat(bad.get("undecodable").asText()).contains("magic byte");
        assertThat(bad.get("value_bytes").asInt()).isEqualTo(15);
        assertThat(JSON.readTree(json.get(3)).get("undecodable").asText()).contains(Integer.toString(0x7f7f7f7f));

        List<String> table = tail(Topics.GRAPHS.name(), scene, TailFormat.TABLE, true, 4);
        assertThat(table.get(0)).contains(scene, "frames 52..100", "4 agents", "p1->p0 spring 0.90")
                .doesNotContain(", ");
        assertThat(table.get(1)).endsWith("p0->p1 spring 0.95, p2->p3 spring 0.75, p3->p0 spring 0.60");
        assertThat(table.get(2)).contains("UNDECODABLE", "'" + scene + "'", "15 bytes", "magic byte")
                .doesNotContain("\n").doesNotContain("Exception");
        assertThat(table.get(3)).contains("UNDECODABLE");
    }

    @Test
    void forecastsAndDeadLettersDecode() throws Exception {
        String scene = scene();
        TrajectoryForecast f = OutputSamples.forecast(scene, 148, AGENTS, 10);
        DeadLetter d = OutputSamples.deadLetter(scene, Topics.POSITIONS.name(), 17, "NON_FINITE_COORDINATE",
                "agent p3 has x = NaN in frame 12");
        try (KafkaProducer<String, SpecificRecord> p = producer(null)) {
            p.send(new ProducerRecord<>(Topics.FORECASTS.name(), scene, f));
            p.send(new ProducerRecord<>(Topics.POSITIONS_DLQ.name(), scene, d)).get();
        }
        String forecast = tail(Topics.FORECASTS.name(), scene, TailFormat.TABLE, true, 1).get(0);
        assertThat(forecast).contains(scene, "from frame 148", "10 steps of 100.0 ms", "4 agents",
                "p0 (10.000, -1.000)", "p2 (12.000, -3.000)", "...");
        JsonNode fj = JSON.readTree(tail(Topics.FORECASTS.name(), scene, TailFormat.JSON, true, 1).get(0))
                .get("value");
        assertThat(fj.get("agents").get(1).get("x").get(9).asDouble()).isEqualTo(f.getAgents().get(1).getX().get(9));
        assertThat(fj.get("agents").get(1).get("z").isNull()).isTrue();

        String dead = tail(Topics.POSITIONS_DLQ.name(), scene, TailFormat.TABLE, true, 1).get(0);
        assertThat(dead).contains("DEAD LETTER NON_FINITE_COORDINATE", "from tracking.positions 0@17",
                "key '" + scene + "'", "3 value bytes", "agent p3 has x = NaN in frame 12");
        JsonNode dj = JSON.readTree(tail(Topics.POSITIONS_DLQ.name(), scene, TailFormat.JSON, true, 1).get(0))
                .get("value");
        assertThat(dj.get("error_kind").asText()).isEqualTo("NON_FINITE_COORDINATE");
        assertThat(dj.get("reason").asText()).isEqualTo(d.getReason());
    }

    @Test
    void readsCommittedRecordsOnlyUnlessToldOtherwise() throws Exception {
        String scene = scene();
        try (KafkaProducer<String, SpecificRecord> p = producer("tail-test-" + scene)) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), scene, OutputSamples.graph(scene, 50, AGENTS, Map.of())));
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), scene, OutputSamples.graph(scene, 60, AGENTS, Map.of())));
            p.commitTransaction();
        }
        List<String> committed = tail(Topics.GRAPHS.name(), scene, TailFormat.TABLE, true, 0);
        assertThat(committed).hasSize(1);
        assertThat(committed.get(0)).contains("frames 12..60", "(no interactions)");

        List<String> all = tail(TopicTail.builder().setTopic(Topics.GRAPHS.name())
                .setBootstrapServers(RealServices.bootstrapServers()).setRegistry(RealServices.registryConfig())
                .withFromBeginning(true).withScene(scene).withFormat(TailFormat.TABLE)
                .withIdleTimeout(Duration.ofSeconds(3)).withReadCommitted(false).build());
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).contains("frames 2..50");
    }

    @Test
    void withoutFromBeginningShowsOnlyRecordsWrittenAfterItStarted() throws Exception {
        String scene = scene();
        try (KafkaProducer<String, SpecificRecord> p = producer(null)) {
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), scene, OutputSamples.graph(scene, 70, AGENTS, Map.of())))
                    .get();
            TopicTail tail = TopicTail.builder().setTopic(Topics.GRAPHS.name())
                    .setBootstrapServers(RealServices.bootstrapServers()).setRegistry(RealServices.registryConfig())
                    .withScene(scene).withMax(1).withFormat(TailFormat.TABLE).withIdleTimeout(Duration.ofSeconds(30))
                    .build();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch ready = new CountDownLatch(1);
            List<String> status = new ArrayList<>();
            CompletableFuture<TailSummary> run = CompletableFuture.supplyAsync(() -> tail.run(lines::add, s -> {
                status.add(s);
                ready.countDown();
            }, () -> false));
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            p.send(new ProducerRecord<>(Topics.GRAPHS.name(), scene, OutputSamples.graph(scene, 80, AGENTS, Map.of())))
                    .get();
            TailSummary s = run.get(60, TimeUnit.SECONDS);
            assertThat(s.printed()).isEqualTo(1);
            assertThat(lines).singleElement().asString().contains("frames 32..80");
            assertThat(status.get(0)).contains(Topics.GRAPHS.name(), "from the end", "read_committed", scene);
        }
    }

    @Test
    void unknownTopicsAndMissingSettingsAreNamed() {
        assertThatThrownBy(() -> TopicTail.builder().setTopic("nri.graph").setBootstrapServers("x:1")
                .setRegistry(RealServices.registryConfig()).build())
                .isInstanceOf(UnknownTopicException.class)
                .hasMessageContaining("'nri.graph'")
                .hasMessageContaining(Topics.GRAPHS.name())
                .hasMessageContaining(Topics.EDGE_STATS.name());
        assertThat(TopicCatalog.names()).contains(Topics.POSITIONS.name(), Topics.POSITIONS_DLQ.name(),
                Topics.GRAPHS.name(), Topics.FORECASTS.name(), Topics.FORECAST_ERRORS.name(), Topics.EDGE_STATS.name());
        assertThatThrownBy(() -> TopicTail.builder().setTopic(Topics.GRAPHS.name()).withMax(-1).build())
                .hasMessageContaining("bootstrap").hasMessageContaining("registry").hasMessageContaining("max");
    }

    private static String scene() {
        return "tail-" + UUID.randomUUID();
    }

    private static List<String> tail(String topic, String scene, TailFormat format, boolean fromBeginning, long max) {
        return tail(TopicTail.builder().setTopic(topic).setBootstrapServers(RealServices.bootstrapServers())
                .setRegistry(RealServices.registryConfig()).withFromBeginning(fromBeginning).withScene(scene)
                .withMax(max).withFormat(format).withIdleTimeout(max > 0 ? IDLE : Duration.ofSeconds(3)).build());
    }

    private static List<String> tail(TopicTail t) {
        List<String> lines = new ArrayList<>();
        t.run(lines::add, s -> { }, () -> false);
        return lines;
    }

    private static KafkaProducer<String, SpecificRecord> producer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(),
                new AvroRegistrySerializer<>(new SchemaRegistryClient(RealServices.registryConfig()), false));
    }

    private static void sendRaw(String topic, String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}
