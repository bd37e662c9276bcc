package dev.nristream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.FakeRegistry.Answer;
import dev.nristream.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Poison pills that claim more than they hold: 46 bytes claiming 2^31-9 array items, or a 2^31-9 byte string,
 * are rejected before anything is allocated, and honest records still decode.
 */
class BoundedDecoderTest {

    /** Avro's own limit is Integer.MAX_VALUE - 8; claims just under it pass Avro's checks. */
    static final long HUGE = Integer.MAX_VALUE - 8L;

    /** A PositionFrame in the wire format (schema id 5) whose agents array claims {@code items} items. */
    static byte[] arrayBomb(long items) throws IOException {
        ByteArrayOutputStream out = header();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        framePrefix(e, "scene-bomb");
        e.writeLong(items); // agents block count
        e.flush();
        while (out.size() < 46) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** A PositionFrame in the wire format (schema id 5) whose scene id claims {@code length} bytes. */
    static byte[] stringBomb(long length) throws IOException {
        ByteArrayOutputStream out = header();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        e.writeLong(length);
        e.writeFixed("abcdefghijklmnopqrstuvwxyz".getBytes());
        e.flush();
        return out.toByteArray();
    }

    private static ByteArrayOutputStream header() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(new byte[] {0, 0, 0, 5});
        return out;
    }

    private static void framePrefix(BinaryEncoder e, String scene) throws IOException {
        e.writeString(scene);
        e.writeEnum(0);
        e.writeLong(1);
        e.writeLong(2);
        e.writeDouble(10.0);
        e.writeString("ft");
        e.writeString("corner");
        e.writeInt(2);
        e.writeIndex(0); // extent: null
    }

    private static FakeRegistry registry() throws IOException {
        return new FakeRegistry(seen -> seen.method().equals("POST")
                ? Answer.json(200, "{\"id\":5}")
                : Answer.json(200, SchemaRegistryClientTest.schemaAnswer(PositionFrame.getClassSchema())));
    }

    @Test
    void arrayClaimingTwoBillionItemsIsAPoisonPillNotAnOutOfMemoryError() throws Exception {
        byte[] bomb = arrayBomb(HUGE);
        assertThat(bomb).hasSize(46);
        try (FakeRegistry fake = registry()) {
            var de = RegistrySerdes.valueDeserializer(Topics.POSITIONS, RegistryConfig.of(fake.url()));
            assertThatThrownBy(() -> de.deserialize("tracking.positions", bomb))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageContaining("schema id 5")
                    .hasMessageContaining("claims " + HUGE + " array items")
                    .hasMessageContaining("2 byte(s) left");
            // A claim the record can hold reads on and fails only for want of the items' bytes.
            assertThatThrownBy(() -> de.deserialize("tracking.positions", arrayBomb(3)))
                    .isInstanceOf(WireFormatException.class).hasMessageNotContaining("claims");
            // Honest records still decode after the poison pills.
            PositionFrame frame = SchemaRegistryClientTest.frame();
            byte[] good = RegistrySerdes.valueSerializer(Topics.POSITIONS, RegistryConfig.of(fake.url()))
                    .serialize("t", frame);
            assertThat(de.deserialize("t", good)).isEqualTo(frame);
        }
    }

    @Test
    void stringClaimingTwoGigabytesIsRejectedBeforeAllocating() throws Exception {
        try (FakeRegistry fake = registry()) {
            var de = RegistrySerdes.valueDeserializer(Topics.POSITIONS, RegistryConfig.of(fake.url()));
            assertThatThrownBy(() -> de.deserialize("tracking.positions", stringBomb(HUGE)))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageContaining("claims a string of " + HUGE + " bytes but has only 26 byte(s) left");
            assertThatThrownBy(() -> de.deserialize("tracking.positions", stringBomb(-4)))
                    .isInstanceOf(WireFormatException.class).hasMessageContaining("negative length -4");
        }
    }

    @Test
    void mapsBytesAndZeroWidthItemsAreBoundedToo() throws Exception {
        Schema s = SchemaBuilder.record("R").namespace("t").fields()
                .name("m").type().map().values().intType().noDefault()
                .name("b").type().bytesType().noDefault()
                .name("nulls").type().array().items().nullType().noDefault()
                .endRecord();
        assertThat(BoundedDecoder.hasZeroWidthArrayItems(s)).isTrue();
        assertThat(BoundedDecoder.hasZeroWidthArrayItems(PositionFrame.getClassSchema())).isFalse();

        GenericRecord r = new GenericData.Record(s);
        r.put("m", Map.of("a", 1, "b", 2));
        r.put("b", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        r.put("nulls", java.util.Collections.nCopies(1000, null));
        byte[] ok = write(s, r);
        GenericRecord back = read(s, ok);
        assertThat(back.get("m").toString()).contains("a").contains("b");
        assertThat(((ByteBuffer) back.get("b")).remaining()).isEqualTo(3);
        assertThat((List<?>) back.get("nulls")).hasSize(1000);

        assertThatThrownBy(() -> read(s, raw(HUGE))).isInstanceOf(BoundedDecoder.RecordTooShortException.class)
                .hasMessageContaining("map entries");
        assertThatThrownBy(() -> read(s, raw(0, HUGE))).isInstanceOf(BoundedDecoder.RecordTooShortException.class)
                .hasMessageContaining("byte string of " + HUGE);
        assertThatThrownBy(() -> read(s, raw(0, 0, HUGE)))
                .isInstanceOf(BoundedDecoder.RecordTooShortException.class)
                .hasMessageContaining("claims " + HUGE + " array items");
    }

    private static byte[] raw(long... longs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        for (long l : longs) {
            e.writeLong(l);
        }
        e.flush();
        return out.toByteArray();
    }

    private static byte[] write(Schema s, GenericRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(s).write(r, e);
        e.flush();
        return out.toByteArray();
    }

    private static GenericRecord read(Schema s, byte[] b) throws IOException {
        return new GenericDatumReader<GenericRecord>(s).read(null, BoundedDecoder.over(b, 0, b.length, s));
    }
}
