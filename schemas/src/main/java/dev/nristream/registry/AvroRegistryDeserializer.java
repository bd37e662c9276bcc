package dev.nristream.registry;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} for the Confluent wire format into generated Avro records. The writer schema is
 * fetched by the id in the record (and cached); the reader schema is the generated class's, so Avro schema
 * resolution bridges compatible versions. Thread-safe. {@code null} bytes give {@code null}.
 *
 * <p>Errors: {@link WireFormatException} for bytes that are not in the wire format or do not decode,
 * {@link RegistryException} when the registry is unreachable or does not know the id.
 *
 * <pre>{@code
 * Deserializer<PositionFrame> de = RegistrySerdes.valueDeserializer(Topics.POSITIONS, registryConfig);
 * // by class name: value.deserializer=dev.nristream.registry.AvroRegistryDeserializer,
 * //   schema.registry.url=..., specific.avro.value.type=dev.nristream.avro.PositionFrame (optional: without it
 * //   the class is the one generated for the writer schema's full name)
 * }</pre>
 *
 * @param <T> the generated record class
 */
public class AvroRegistryDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** Confluent's key naming the generated class for values. */
    public static final String VALUE_TYPE_KEY = "specific.avro.value.type";
    /** Confluent's key naming the generated class for keys. */
    public static final String KEY_TYPE_KEY = "specific.avro.key.type";

    private SchemaRegistryClient client;
    private Class<T> type;
    private boolean isKey;
    private final Map<Integer, Reader<T>> readers = new ConcurrentHashMap<>();

    /** A reader for one writer schema id, and whether its arrays can hold zero-width items. */
    private record Reader<T>(SpecificDatumReader<T> datum, boolean zeroWidthItems) {
    }

    /** For Kafka's by-class-name instantiation: settings come through {@link #configure}. */
    public AvroRegistryDeserializer() {
    }

    /** A value deserializer into {@code type}. */
    public AvroRegistryDeserializer(Class<T> type, RegistryConfig config) {
        this(type, new SchemaRegistryClient(config), false);
    }

    /**
     * @param type the generated class to decode into; {@code null} picks the class generated for each writer
     *     schema's full name
     */
    public AvroRegistryDeserializer(Class<T> type, SchemaRegistryClient client, boolean isKey) {
        this.type = type;
        this.client = client;
        this.isKey = isKey;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (client == null) {
            client = new SchemaRegistryClient(RegistryConfig.fromConfigs(configs));
        }
        Object named = configs.get(isKey ? KEY_TYPE_KEY : VALUE_TYPE_KEY);
        if (type == null && named != null) {
            String key = isKey ? KEY_TYPE_KEY : VALUE_TYPE_KEY;
            Class<?> c;
            if (named instanceof Class<?> cls) {
                c = cls;
            } else {
                try {
                    c = Class.forName(named.toString().trim(), true, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new ConfigException(key, named, "class not found");
                }
            }
            if (!SpecificRecord.class.isAssignableFrom(c)) {
                throw new ConfigException(key, named, "not a generated Avro SpecificRecord class");
            }
            type = (Class<T>) c;
        }
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroRegistryDeserializer is not configured: pass a RegistryConfig to "
                    + "the constructor or set '" + RegistryConfig.URL_KEY + "' in the client properties");
        }
        String where = (isKey ? "key" : "value") + (topic == null ? "" : " on topic " + topic);
        int id = WireFormat.schemaId(bytes, where);
        Reader<T> cached = readers.get(id);
        if (cached == null) {
            Schema writer = client.schemaById(id);
            cached = new Reader<>(newReader(writer, id), BoundedDecoder.hasZeroWidthArrayItems(writer));
            readers.putIfAbsent(id, cached);
        }
        SpecificDatumReader<T> reader = cached.datum();
        // Bounded: an untrusted record must not make the reader allocate more than its own bytes can fill.
        BoundedDecoder decoder = BoundedDecoder.over(bytes, WireFormat.HEADER_LENGTH,
                bytes.length - WireFormat.HEADER_LENGTH, cached.zeroWidthItems());
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException("Avro payload of the " + where + " (schema id " + id + ", "
                    + bytes.length + " bytes) does not decode as " + reader.getSchema().getFullName() + ": " + e,
                    e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new WireFormatException("The " + where + " has bytes left after its "
                        + reader.getSchema().getFullName() + " (schema id " + id + ", " + bytes.length
                        + " bytes): the payload was not written with that schema");
            }
        } catch (IOException e) {
            throw new WireFormatException("Cannot read the " + where + ": " + e, e);
        }
        return record;
    }

    private SpecificDatumReader<T> newReader(Schema writer, int id) {
        Class<T> target = type;
        SpecificData data = target != null ? SpecificData.getForClass(target) : SpecificData.get();
        Schema readerSchema;
        if (target != null) {
            readerSchema = data.getSchema(target);
        } else {
            Class<?> generated = data.getClass(writer);
            if (generated == null || !SpecificRecord.class.isAssignableFrom(generated)) {
                throw new WireFormatException("No generated class for " + writer.getFullName() + " (schema id "
                        + id + ") on the classpath; name the class with '" + (isKey ? KEY_TYPE_KEY : VALUE_TYPE_KEY)
                        + "' or pass it to the constructor");
            }
            readerSchema = data.getSchema(generated);
        }
        try {
            return new SpecificDatumReader<>(writer, readerSchema, data);
        } catch (AvroTypeException e) {
            throw new WireFormatException("Schema id " + id + " (" + writer.getFullName()
                    + ") cannot be read as " + readerSchema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    /** The client, to share its caches. */
    public SchemaRegistryClient client() {
        return client;
    }
}
