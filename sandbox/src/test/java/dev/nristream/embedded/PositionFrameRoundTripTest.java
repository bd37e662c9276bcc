package dev.nristream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.AvroRegistrySerde;
import dev.nristream.registry.AvroRegistrySerializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.registry.WireFormatException;
import dev.nristream.testing.RealServices;
import dev.nristream.testing.SampleRecords;
import dev.nristream.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The acceptance test: PositionFrames through the registry serde into the real broker and back, with
 * the schema registered in the real Apicurio Registry.
 */
@ExtendWith(RealServices.class)
class PositionFrameRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void framesRoundTripThroughBrokerAndRegistryInWireFormat() throws Exception {
        String topic = Topics.POSITIONS.name();
        RealServices.createTopics(2, topic);
        String scene = "round-trip-" + UUID.randomUUID();
        List<PositionFrame> sent = LongStream.range(0, 6)
                .mapToObj(i -> SampleRecords.positionFrame(scene, i, 3 + (int) i % 3))
                .collect(Collectors.toList());

        try (KafkaProducer<String, PositionFrame> producer = new KafkaProducer<>(producerProps(),
                new StringSerializer(), RegistrySerdes.valueSerializer(Topics.POSITIONS, RealServices.registryConfig()))) {
            for (PositionFrame f : sent) {
                producer.send(new ProducerRecord<>(topic, f.getSceneId(), f)).get();
            }
        }

        int registryId = latestId(Topics.POSITIONS.valueSubject());
        List<ConsumerRecord<String, byte[]>> raw = consume(topic, scene, sent.size(), new ByteArrayDeserializer(),
                Map.of());
        Deserializer<PositionFrame> deserializer =
                RegistrySerdes.valueDeserializer(Topics.POSITIONS, RealServices.registryConfig());
        List<PositionFrame> received = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : raw) {
            byte[] bytes = r.value();
            assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("schema id in the record").isEqualTo(registryId);
            received.add(deserializer.deserialize(topic, bytes));
        }
        assertThat(received).containsExactlyElementsOf(sent);

        // The same through a consumer that builds the deserializer itself from Confluent-style properties.
        Map<String, Object> byName = new HashMap<>(RealServices.registryConfig().toConfigs());
        byName.put(AvroRegistryDeserializer.VALUE_TYPE_KEY, PositionFrame.class.getName());
        List<ConsumerRecord<String, PositionFrame>> typed = consume(topic, scene, sent.size(), null, byName);
        assertThat(typed).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
    }

    @Test
    void kafkaStreamsSerdeRoundTripsWhetherBuiltOrConfiguredByName() {
        String topic = "test.serde-" + UUID.randomUUID();
        PositionFrame frame = SampleRecords.positionFrame("serde", 3, 4);
        try (AvroRegistrySerde<PositionFrame> built = RegistrySerdes.serde(Topics.POSITIONS,
                RealServices.registryConfig()); AvroRegistrySerde<PositionFrame> byName = new AvroRegistrySerde<>()) {
            Map<String, Object> props = new HashMap<>(RealServices.registryConfig().toConfigs());
            props.put(AvroRegistryDeserializer.VALUE_TYPE_KEY, PositionFrame.class);
            byName.configure(props, false);
            byte[] bytes = built.serializer().serialize(topic, frame);
            assertThat(byName.deserializer().deserialize(topic, bytes)).isEqualTo(frame);
            assertThat(byName.serializer().serialize(topic, frame)).isEqualTo(bytes);
        }
    }

    @Test
    void recordWithUnknownSchemaIdFailsNamingTheIdAndRegistry() throws Exception {
        String topic = "test.unknown-id-" + UUID.randomUUID();
        RealServices.createTopics(1, topic);
        PositionFrame frame = SampleRecords.positionFrame("unknown-id", 1, 3);
        byte[] good = new AvroRegistrySerializer<PositionFrame>(RealServices.registryConfig()).serialize(topic, frame);
        int unknownId = 987_654_321;
        byte[] bad = Arrays.copyOf(good, good.length);
        ByteBuffer.wrap(bad, 1, 4).putInt(unknownId);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "unknown-id", bad)).get();
        }

        Map<String, Object> props = new HashMap<>(RealServices.registryConfig().toConfigs());
        props.put(AvroRegistryDeserializer.VALUE_TYPE_KEY, PositionFrame.class.getName());
        assertThatThrownBy(() -> consume(topic, null, 1, null, props))
                .isInstanceOf(RecordDeserializationException.class)
                .cause()
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("Unknown schema id " + unknownId)
                .hasMessageContaining(RealServices.registryUrl())
                .satisfies(e -> assertThat(((RegistryException) e).reason())
                        .isEqualTo(RegistryException.Reason.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void bytesNotInWireFormatFailSayingWhatWasFound() {
        Deserializer<PositionFrame> deserializer =
                RegistrySerdes.valueDeserializer(Topics.POSITIONS, RealServices.registryConfig());
        byte[] json = "{\"scene_id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> deserializer.deserialize("tracking.positions", json))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("0x7b")
                .hasMessageContaining("looks like JSON")
                .hasMessageContaining("length " + json.length);
        assertThatThrownBy(() -> deserializer.deserialize("tracking.positions", new byte[] {0, 0, 1}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("3 byte(s)");
    }

    @Test
    void unreachableRegistryIsNamed() {
        String url = "http://127.0.0.1:" + EmbeddedKafka.freePort() + "/apis/ccompat/v7";
        AvroRegistrySerializer<PositionFrame> ser = new AvroRegistrySerializer<>(RegistryConfig.builder()
                .setUrl(url).withConnectTimeout(Duration.ofSeconds(2)).build());
        assertThatThrownBy(() -> ser.serialize("t", SampleRecords.positionFrame("s", 0, 2)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("unreachable");
    }

    private static int latestId(String subject) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(RealServices.registryUrl() + "/subjects/" + subject + "/versions/latest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("registry answer: %s", r.body()).isEqualTo(200);
        JsonNode n = JSON.readTree(r.body());
        return n.get("id").intValue();
    }

    private static Map<String, Object> producerProps() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    /**
     * Reads {@code count} records of {@code scene} (all records when null) from the start of {@code topic}.
     * With a null deserializer the value deserializer is {@link AvroRegistryDeserializer} by class name.
     */
    @SuppressWarnings("unchecked")
    private static <V> List<ConsumerRecord<String, V>> consume(String topic, String scene, int count,
            Deserializer<V> valueDeserializer, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(extra);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        if (valueDeserializer == null) {
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroRegistryDeserializer.class.getName());
        }
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<String, V> consumer = valueDeserializer == null ? new KafkaConsumer<>(p)
                : new KafkaConsumer<>(p, new StringDeserializer(), valueDeserializer)) {
            // Assigned, not subscribed: no consumer-group round trips, so the test stays quick.
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (out.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    if (scene == null || scene.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
        }
        assertThat(out).as("records read from %s", topic).hasSize(count);
        // One scene's frames share a partition, so offsets give the send order.
        out.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return out;
    }
}
