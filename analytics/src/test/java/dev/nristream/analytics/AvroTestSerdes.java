package dev.nristream.analytics;

import dev.nristream.topic.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Plain Avro binary serdes (no registry) for topology unit tests: the registry client is not what they test. */
final class AvroTestSerdes implements AnalyticsSerdes {

    @Override
    public <V extends SpecificRecord> Serde<V> valueSerde(TopicSpec<String, V> topic) {
        return serde(topic.valueType());
    }

    static <V extends SpecificRecord> Serde<V> serde(Class<V> type) {
        SpecificDatumWriter<V> writer = new SpecificDatumWriter<>(type);
        SpecificDatumReader<V> reader = new SpecificDatumReader<>(type);
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
                writer.write(value, enc);
                enc.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException(e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        });
    }
}
