package dev.nristream.registry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Kafka Streams {@link org.apache.kafka.common.serialization.Serde} pairing {@link AvroRegistrySerializer} and
 * {@link AvroRegistryDeserializer} over one shared {@link SchemaRegistryClient} (one cache). Usually made with
 * {@link RegistrySerdes#serde}.
 *
 * @param <T> the generated record class
 */
public class AvroRegistrySerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    /** For {@code default.value.serde} by class name: settings come through {@link #configure}. */
    public AvroRegistrySerde() {
        super(new AvroRegistrySerializer<>(), new AvroRegistryDeserializer<>());
    }

    public AvroRegistrySerde(Class<T> type, RegistryConfig config, boolean isKey) {
        this(type, new SchemaRegistryClient(config), isKey);
    }

    private AvroRegistrySerde(Class<T> type, SchemaRegistryClient client, boolean isKey) {
        super(new AvroRegistrySerializer<>(client, isKey), new AvroRegistryDeserializer<>(type, client, isKey));
    }
}
