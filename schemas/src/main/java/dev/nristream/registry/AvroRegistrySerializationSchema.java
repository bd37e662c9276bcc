package dev.nristream.registry;

import dev.nristream.topic.TopicSpec;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Flink {@link SerializationSchema} writing the Confluent wire format, registering the schema under
 * {@code <topic>-value}. Serializable: the registry client is made in {@link #open} (or on first use) on the
 * task manager.
 *
 * <pre>{@code
 * KafkaRecordSerializationSchema.builder()
 *         .setTopic(Topics.GRAPHS.name())
 *         .setValueSerializationSchema(AvroRegistrySerializationSchema.forValue(Topics.GRAPHS, registry))
 *         .build();
 * }</pre>
 *
 * @param <T> the generated record class
 */
public class AvroRegistrySerializationSchema<T extends SpecificRecord> implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final boolean isKey;
    private final RegistryConfig config;
    private transient AvroRegistrySerializer<T> serializer;

    /**
     * @param topic the topic the records go to: it names the subject ({@code <topic>-value} or {@code -key})
     */
    public AvroRegistrySerializationSchema(String topic, boolean isKey, RegistryConfig config) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.isKey = isKey;
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Value schema for a declared topic. */
    public static <V extends SpecificRecord> AvroRegistrySerializationSchema<V> forValue(TopicSpec<?, V> topic,
            RegistryConfig config) {
        return new AvroRegistrySerializationSchema<>(topic.name(), false, config);
    }

    @Override
    public void open(InitializationContext context) {
        delegate();
    }

    @Override
    public byte[] serialize(T element) {
        return delegate().serialize(topic, element);
    }

    private AvroRegistrySerializer<T> delegate() {
        if (serializer == null) {
            serializer = new AvroRegistrySerializer<>(new SchemaRegistryClient(config), isKey);
        }
        return serializer;
    }
}
