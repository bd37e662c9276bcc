package dev.nristream.job.source;

import dev.nristream.avro.ModelControl;
import dev.nristream.job.serving.ModelControlEvent;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.registry.WireFormatException;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads {@code ModelControl} records (registry wire format) into {@link ModelControlEvent}s; a record that does not
 * decode becomes an event carrying the reason, so it is dead-lettered rather than failing the job.
 */
public final class ModelControlDeserializer implements KafkaRecordDeserializationSchema<ModelControlEvent> {

    private static final long serialVersionUID = 1L;

    private final RegistryConfig registry;
    private transient AvroRegistryDeserializer<ModelControl> deserializer;

    public ModelControlDeserializer(RegistryConfig registry) {
        this.registry = registry;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<ModelControlEvent> out) throws IOException {
        ModelControlEvent e = new ModelControlEvent();
        e.topic = r.topic();
        e.partition = r.partition();
        e.offset = r.offset();
        e.key = r.key();
        if (deserializer == null) {
            deserializer = new AvroRegistryDeserializer<>(ModelControl.class, new SchemaRegistryClient(registry), false);
        }
        try {
            if (r.value() == null) {
                throw new WireFormatException("no value (tombstone)");
            }
            ModelControl c = deserializer.deserialize(r.topic(), r.value());
            e.modelDir = c.getModelDir();
            e.replaces = c.getReplaces();
            e.requestedBy = c.getRequestedBy();
            e.timeMs = c.getTimeMs();
        } catch (RegistryException ex) {
            if (ex.reason() != RegistryException.Reason.UNKNOWN_SCHEMA_ID) {
                throw new IOException("schema registry problem while reading " + e.at() + ": " + ex.getMessage(), ex);
            }
            e.error = "model control record at " + e.at() + ": " + ex.getMessage();
            e.value = r.value();
        } catch (SerializationException | IllegalArgumentException
                | IndexOutOfBoundsException ex) {
            e.error = "model control record at " + e.at() + " does not decode: " + ex.getMessage();
            e.value = r.value();
        }
        out.collect(e);
    }

    @Override
    public TypeInformation<ModelControlEvent> getProducedType() {
        return TypeInformation.of(ModelControlEvent.class);
    }
}
