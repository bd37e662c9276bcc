package dev.nristream.registry;

import dev.nristream.topic.TopicSpec;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;

/**
 * Flink {@link DeserializationSchema} reading the Confluent wire format into a generated Avro class.
 * Serializable: the registry client is made in {@link #open} (or on first use) on the task manager. Throws
 * {@link WireFormatException} / {@link RegistryException} like {@link AvroRegistryDeserializer}; a job that
 * sends poison pills to a dead-letter topic reads raw bytes and calls an {@link AvroRegistryDeserializer} itself.
 *
 * <pre>{@code
 * KafkaSource.<PositionFrame>builder()
 *         .setTopics(Topics.POSITIONS.name())
 *         .setValueOnlyDeserializer(AvroRegistryDeserializationSchema.forValue(Topics.POSITIONS, registry))
 *         ...
 * }</pre>
 *
 * @param <T> the generated record class
 */
public class AvroRegistryDeserializationSchema<T extends SpecificRecord> implements DeserializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String topic;
    private final RegistryConfig config;
    private transient AvroRegistryDeserializer<T> deserializer;

    /**
     * @param topic used in error messages only; may be null
     */
    public AvroRegistryDeserializationSchema(Class<T> type, String topic, RegistryConfig config) {
        this.type = Objects.requireNonNull(type, "type");
        this.topic = topic;
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Value schema for a declared topic. */
    public static <V extends SpecificRecord> AvroRegistryDeserializationSchema<V> forValue(TopicSpec<?, V> topic,
            RegistryConfig config) {
        return new AvroRegistryDeserializationSchema<>(topic.valueType(), topic.name(), config);
    }

    @Override
    public void open(InitializationContext context) {
        delegate();
    }

    @Override
    public T deserialize(byte[] message) {
        return delegate().deserialize(topic, message);
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    /**
     * Flink's {@code AvroTypeInfo}, so records travel between operators with Flink's Avro serializer.
     *
     * @throws IllegalStateException when {@code org.apache.flink:flink-avro} is not on the classpath: without it
     *     Flink falls back to Kryo, which cannot copy Avro's arrays and fails at run time
     */
    @Override
    public TypeInformation<T> getProducedType() {
        TypeInformation<T> info;
        try {
            info = TypeInformation.of(type);
        } catch (RuntimeException e) {
            throw noFlinkAvro(e);
        }
        if (info instanceof GenericTypeInfo) {
            throw noFlinkAvro(null);
        }
        return info;
    }

    private IllegalStateException noFlinkAvro(Throwable cause) {
        return new IllegalStateException("Flink has no Avro type information for " + type.getName()
                + ": add org.apache.flink:flink-avro (same version as Flink) to the job's dependencies; "
                + "Kryo, the fallback, cannot copy Avro records", cause);
    }

    private AvroRegistryDeserializer<T> delegate() {
        if (deserializer == null) {
            deserializer = new AvroRegistryDeserializer<>(type, new SchemaRegistryClient(config), false);
        }
        return deserializer;
    }
}
