package dev.nristream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.FakeRegistry.Answer;
import dev.nristream.topic.Topics;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Wire-format handling; decoding through a canned registry (the real one is used in nri-common's tests). */
class AvroRegistryDeserializerTest {

    @Test
    void decodesAndRejectsDamagedPayloads() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(seen -> seen.method().equals("POST")
                ? Answer.json(200, "{\"id\":5}")
                : Answer.json(200, SchemaRegistryClientTest.schemaAnswer(PositionFrame.getClassSchema())))) {
            RegistryConfig cfg = RegistryConfig.of(fake.url());
            PositionFrame frame = SchemaRegistryClientTest.frame();
            byte[] bytes = RegistrySerdes.valueSerializer(Topics.POSITIONS, cfg).serialize("t", frame);
            var de = RegistrySerdes.valueDeserializer(Topics.POSITIONS, cfg);
            assertThat(de.deserialize("t", bytes)).isEqualTo(frame);
            assertThat(de.deserialize("t", null)).isNull();

            byte[] trailing = Arrays.copyOf(bytes, bytes.length + 2);
            assertThatThrownBy(() -> de.deserialize("t", trailing))
                    .isInstanceOf(WireFormatException.class).hasMessageContaining("bytes left");
            byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);
            assertThatThrownBy(() -> de.deserialize("t", truncated))
                    .isInstanceOf(WireFormatException.class).hasMessageContaining("schema id 5")
                    .hasMessageContaining("does not decode");
        }
    }

    @Test
    void notWireFormatSaysWhatWasFound() {
        var de = new AvroRegistryDeserializer<>(PositionFrame.class, RegistryConfig.of("http://127.0.0.1:1"));
        assertThatThrownBy(() -> de.deserialize("tracking.positions", new byte[] {7, 0, 0, 0, 1, 2}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("value on topic tracking.positions")
                .hasMessageContaining("0x07")
                .hasMessageContaining("07 00 00 00 01 02");
        assertThatThrownBy(() -> de.deserialize("tracking.positions", new byte[0]))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("0 byte(s)");
    }

    @Test
    void configuredByKafkaPropertiesOrComplainsClearly() {
        var byName = new AvroRegistryDeserializer<PositionFrame>();
        assertThatThrownBy(() -> byName.configure(Map.of(), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroRegistryDeserializer<PositionFrame>().configure(Map.of(
                "schema.registry.url", "http://r", "specific.avro.value.type", "java.lang.String"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SpecificRecord");
        assertThatThrownBy(() -> new AvroRegistrySerializer<PositionFrame>().serialize("t",
                SchemaRegistryClientTest.frame()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("schema.registry.url");
    }
}
