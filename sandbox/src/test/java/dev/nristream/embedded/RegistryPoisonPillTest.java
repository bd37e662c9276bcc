package dev.nristream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.registry.WireFormatException;
import dev.nristream.testing.PoisonPills;
import dev.nristream.testing.PoisonPills.Claim;
import dev.nristream.testing.RealServices;
import dev.nristream.testing.SampleRecords;
import dev.nristream.registry.AvroRegistrySerializer;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile records against the real registry: size bombs with a registered schema id are rejected before they
 * allocate, and a burst of records with one unknown id costs one registry lookup, not one per record.
 */
@ExtendWith(RealServices.class)
class RegistryPoisonPillTest {

    static final int UNKNOWN = 0x7fffff10;

    @Test
    void sizeBombsWithARealSchemaIdAreWireFormatErrors() {
        RegistryConfig cfg = RealServices.registryConfig();
        SchemaRegistryClient client = new SchemaRegistryClient(cfg);
        for (Class<? extends SpecificRecord> type : java.util.List.of(PositionFrame.class, InteractionGraph.class)) {
            check(type, client);
        }
    }

    private static <T extends SpecificRecord> void check(Class<T> type, SchemaRegistryClient client) {
        org.apache.avro.Schema schema = org.apache.avro.specific.SpecificData.get().getSchema(type);
        int id = client.register("poison-" + type.getSimpleName() + "-value", schema);
        var de = new AvroRegistryDeserializer<>(type, client, false);
        for (Claim claim : Claim.values()) {
            byte[] bomb = PoisonPills.bomb(schema, id, claim);
            assertThat(bomb).hasSize(PoisonPills.SIZE);
            assertThatThrownBy(() -> de.deserialize("poison", bomb))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageContaining("schema id " + id)
                    .hasMessageContaining("claims")
                    .hasMessageContaining(String.valueOf(PoisonPills.HUGE));
        }
    }

    @Test
    void goodRecordsStillDecodeAfterTheBombs() {
        SchemaRegistryClient client = new SchemaRegistryClient(RealServices.registryConfig());
        var ser = new AvroRegistrySerializer<PositionFrame>(client, false);
        var de = new AvroRegistryDeserializer<>(PositionFrame.class, client, false);
        PositionFrame frame = SampleRecords.positionFrame("s", 1, 4);
        byte[] good = ser.serialize("poison-good", frame);
        int id = java.nio.ByteBuffer.wrap(good, 1, 4).getInt();
        assertThatThrownBy(() -> de.deserialize("poison-good",
                PoisonPills.bomb(PositionFrame.getClassSchema(), id, Claim.ARRAY)))
                .isInstanceOf(WireFormatException.class);
        assertThat(de.deserialize("poison-good", good)).isEqualTo(frame);
    }

    @Test
    void twoHundredRecordsWithOneUnknownIdCostOneLookup() {
        SchemaRegistryClient client = new SchemaRegistryClient(RealServices.registryConfig());
        var de = new AvroRegistryDeserializer<>(PositionFrame.class, client, false);
        long before = client.requestCount();
        for (int i = 0; i < 200; i++) {
            assertThatThrownBy(() -> de.deserialize("t", PoisonPills.unknownId(UNKNOWN)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Unknown schema id " + UNKNOWN)
                    .satisfies(e -> assertThat(((RegistryException) e).reason())
                            .isEqualTo(RegistryException.Reason.UNKNOWN_SCHEMA_ID));
        }
        assertThat(client.requestCount() - before).isEqualTo(1);
        // Another unknown id is its own lookup.
        assertThatThrownBy(() -> de.deserialize("t", PoisonPills.unknownId(UNKNOWN + 1)))
                .isInstanceOf(RegistryException.class);
        assertThat(client.requestCount() - before).isEqualTo(2);
    }

    @Test
    void unknownIdsAreLookedUpAgainOnceTheirTimeIsUp() throws Exception {
        RegistryConfig shortLived = RegistryConfig.builder().setUrl(RealServices.registryUrl())
                .withUnknownIdCache(Duration.ofMillis(50)).build();
        SchemaRegistryClient client = new SchemaRegistryClient(shortLived);
        assertThatThrownBy(() -> client.schemaById(UNKNOWN)).isInstanceOf(RegistryException.class);
        Thread.sleep(120);
        assertThatThrownBy(() -> client.schemaById(UNKNOWN)).isInstanceOf(RegistryException.class);
        assertThat(client.requestCount()).isEqualTo(2);

        SchemaRegistryClient uncached = new SchemaRegistryClient(RegistryConfig.builder()
                .setUrl(RealServices.registryUrl()).withUnknownIdCache(Duration.ZERO).build());
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> uncached.schemaById(UNKNOWN)).isInstanceOf(RegistryException.class);
        }
        assertThat(uncached.requestCount()).isEqualTo(5);
    }
}
