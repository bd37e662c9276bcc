package dev.nristream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Pins the producer defaults: changing one is a decision, not an accident. */
class ProducerSettingsTest {

    @Test
    void defaultsAreIdempotentBatchedAndCompressed() {
        Properties p = ProducerSettings.defaults("h:9092").toProperties();
        assertThat(p).containsEntry("bootstrap.servers", "h:9092")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("acks", "all")
                .containsEntry("max.in.flight.requests.per.connection", "5")
                .containsEntry("compression.type", "lz4")
                .containsEntry("linger.ms", "20")
                .containsEntry("batch.size", "262144")
                .containsEntry("buffer.memory", "67108864")
                .containsEntry("max.block.ms", "15000")
                .containsEntry("delivery.timeout.ms", "60000")
                .containsEntry("client.id", "nri-replay");
    }

    @Test
    void overridesApplyLastAndBadValuesAreNamed() {
        Properties p = ProducerSettings.defaults("h:1").withCompression("zstd").withLingerMs(5)
                .withOverride("acks", "1").toProperties();
        assertThat(p).containsEntry("compression.type", "zstd").containsEntry("linger.ms", "5")
                .containsEntry("acks", "1");
        assertThatThrownBy(() -> ProducerSettings.defaults("h:1").withCompression("brotli"))
                .hasMessageContaining("brotli");
        assertThatThrownBy(() -> ProducerSettings.defaults(" ")).hasMessageContaining("bootstrap");
    }
}
