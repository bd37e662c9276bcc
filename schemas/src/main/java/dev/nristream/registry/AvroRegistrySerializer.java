package dev.nristream.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serializer} for generated Avro records in the Confluent wire format. The schema is registered
 * under {@code <topic>-value} (or {@code <topic>-key} for keys), Confluent's TopicNameStrategy, on first use
 * and cached. Thread-safe. A {@code null} record serialises to {@code null} (a tombstone).
 *
 * <pre>{@code
 * Serializer<PositionFrame> ser = RegistrySerdes.valueSerializer(Topics.POSITIONS, registryConfig);
 * // or by class name with props: value.serializer=dev.nristream.registry.AvroRegistrySerializer,
 * //                              schema.registry.url=http://127.0.0.1:8081
 * }</pre>
 *
 * @param <T> the generated record class
 */
public class AvroRegistrySerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient client;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For Kafka's by-class-name instantiation: the registry settings come through {@link #configure}. */
    public AvroRegistrySerializer() {
    }

    /** A value serializer; {@link #configure} then only changes whether it is for keys. */
    public AvroRegistrySerializer(RegistryConfig config) {
        this(new SchemaRegistryClient(config), false);
    }

    public AvroRegistrySerializer(SchemaRegistryClient client, boolean isKey) {
        this.client = client;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (client == null) {
            client = new SchemaRegistryClient(RegistryConfig.fromConfigs(configs));
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroRegistrySerializer is not configured: pass a RegistryConfig to "
                    + "the constructor or set '" + RegistryConfig.URL_KEY + "' in the client properties");
        }
        Schema schema = data.getSchema();
        String subject = topic + (isKey ? "-key" : "-value");
        int id = client.config().autoRegister() ? client.register(subject, schema) : client.idOf(subject, schema);
        DatumWriter<Object> writer = writers.computeIfAbsent(schema,
                s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass())));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_LENGTH);
            WireFormat.writeHeader(header, id);
            out.write(header.array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            // Avro reports a null in a non-null field as an NPE: say which record failed.
            throw new SerializationException("Cannot serialise " + schema.getFullName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    /** The client, to share its caches. */
    public SchemaRegistryClient client() {
        return client;
    }
}
