package dev.nristream.analytics;

import static dev.nristream.analytics.Samples.forecast;
import static dev.nristream.analytics.Samples.frame;
import static dev.nristream.analytics.Samples.graph;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.ForecastError;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicSpec;
import dev.nristream.topic.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The analytics on the real broker and registry, exactly-once, with the HTTP endpoints. */
@ExtendWith(RealServices.class)
class AnalyticsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void scoresForecastsCountsEdgesAndServesThemOverHttp() throws Exception {
        AnalyticsTopics.all().forEach(t -> RealServices.createTopics(1, t.name()));
        AnalyticsTopics.ensure(RealServices.bootstrapServers(), false, 1, Duration.ofSeconds(15));
        String scene = "it-" + UUID.randomUUID();
        List<String> ab = List.of("a", "b");
        try (AnalyticsService svc = AnalyticsService.builder()
                .setBootstrapServers(RealServices.bootstrapServers())
                .setRegistry(RealServices.registryConfig())
                .withApplicationId("analytics-it-" + UUID.randomUUID())
                .withStateDir(stateDir)
                .withHttpHost("127.0.0.1")
                .withHttpPort(0)
                .withConfig(AnalyticsConfig.builder().withGrace(Duration.ZERO).build())
                .withStreamsProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100)
                .start()) {
            svc.awaitRunning(WAIT);
            int port = svc.httpPort();
            assertThat(AnalyticsHttpServerTest.get(http, port, "/health").statusCode()).isEqualTo(200);

            try (KafkaProducer<String, byte[]> producer = rawProducer()) {
                send(producer, Topics.FORECASTS, scene, forecast(scene, "m1", 1000, 100.0, ab,
                        new double[] {1, 0}, new double[] {0, 0}));
                send(producer, Topics.POSITIONS, scene, frame(scene, 1000, 10, ab, 0, 0, 0, 0));
                send(producer, Topics.POSITIONS, scene, frame(scene, 1100, 11, ab, 4, 4, 0, 2));
                send(producer, Topics.POSITIONS, scene, frame(scene, 1200, 12, ab, 0, 0, 0, 0));
                send(producer, Topics.GRAPHS, scene, graph(scene, "m1", 1200, ab, List.of("no edge", "spring"),
                        1, 0));
                producer.flush();
            }

            ForecastError err = first(Topics.FORECAST_ERRORS, scene);
            assertThat(err.getStep()).isEqualTo(1);
            assertThat(err.getActualTimeMs()).isEqualTo(1100);
            assertThat(err.getMeanError()).isEqualTo(3.5); // (5 + 2) / 2
            EdgeStats stats = first(Topics.EDGE_STATS, scene);
            assertThat(stats.getTotals()).containsExactly(1L, 1L);

            JsonNode scenes = pollJson(port, "/scenes");
            assertThat(scenes.get("scenes")).extracting(JsonNode::asText).contains(scene);
            assertThat(pollJson(port, "/scenes/" + scene + "/graph").get("window_end_ms").asLong()).isEqualTo(1200);
            assertThat(pollJson(port, "/scenes/" + scene + "/edge-stats").get("graphs").asInt()).isEqualTo(1);
            JsonNode fe = pollJson(port, "/scenes/" + scene + "/forecast-error");
            assertThat(fe.get("mean_error_by_step").get(0).asDouble()).isEqualTo(3.5);
        }
    }

    /** Serializes with the topic's registry serializer, so each topic's subject gets its schema. */
    private static <V extends SpecificRecord> void send(KafkaProducer<String, byte[]> producer,
            TopicSpec<String, V> topic, String key, V value) throws Exception {
        byte[] bytes = RegistrySerdes.valueSerializer(topic, RealServices.registryConfig()).serialize(topic.name(),
                value);
        producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get();
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** The first record of {@code scene} on {@code topic}, read committed. */
    private static <V extends SpecificRecord> V first(TopicSpec<String, V> topic, String scene) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(p, new StringDeserializer(),
                RegistrySerdes.valueDeserializer(topic, RealServices.registryConfig()))) {
            c.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(500))) {
                    if (scene.equals(r.key())) {
                        return r.value();
                    }
                    seen.add(r.key());
                }
            }
            throw new AssertionError("no record of scene " + scene + " on " + topic.name() + " within " + WAIT
                    + "; saw keys " + seen);
        }
    }

    private JsonNode pollJson(int port, String path) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> r;
        do {
            r = AnalyticsHttpServerTest.get(http, port, path.replace(" ", "%20"));
            if (r.statusCode() == 200) {
                return JsonSerde.MAPPER.readTree(r.body());
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("GET " + path + " answered " + r.statusCode() + " " + r.body());
    }
}
