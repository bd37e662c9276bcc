package dev.nristream.registry;

import dev.nristream.topic.TopicSpec;
import org.apache.avro.specific.SpecificRecord;

/**
 * Factories for the value (de)serializers of a topic declared in {@link dev.nristream.topic.Topics}.
 *
 * <pre>{@code
 * RegistryConfig registry = RegistryConfig.of("http://127.0.0.1:8081");
 * KafkaProducer<String, PositionFrame> producer = new KafkaProducer<>(props, new StringSerializer(),
 *         RegistrySerdes.valueSerializer(Topics.POSITIONS, registry));
 * builder.stream(Topics.POSITIONS.name(),
 *         Consumed.with(Serdes.String(), RegistrySerdes.serde(Topics.POSITIONS, registry)));
 * }</pre>
 *
 * Flink's schemas: {@link AvroRegistrySerializationSchema#forValue} and
 * {@link AvroRegistryDeserializationSchema#forValue}.
 */
public final class RegistrySerdes {

    private RegistrySerdes() {
    }

    /** Serializer registering values under {@code <topic>-value}. */
    public static <V extends SpecificRecord> AvroRegistrySerializer<V> valueSerializer(TopicSpec<?, V> topic,
            RegistryConfig config) {
        return new AvroRegistrySerializer<>(new SchemaRegistryClient(config), false);
    }

    /** Deserializer into the topic's value class. */
    public static <V extends SpecificRecord> AvroRegistryDeserializer<V> valueDeserializer(TopicSpec<?, V> topic,
            RegistryConfig config) {
        return new AvroRegistryDeserializer<>(topic.valueType(), new SchemaRegistryClient(config), false);
    }

    /** Kafka Streams serde for the topic's values, serializer and deserializer sharing one registry cache. */
    public static <V extends SpecificRecord> AvroRegistrySerde<V> serde(TopicSpec<?, V> topic,
            RegistryConfig config) {
        return new AvroRegistrySerde<>(topic.valueType(), config, false);
    }
}
