package dev.nristream.job.source;

import dev.nristream.avro.PositionFrame;
import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.FrameEnvelope;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.registry.WireFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads {@code tracking.positions} records with the registry deserializer into {@link FrameEnvelope}s, an
 * Either-like wrapper: bytes that do not decode, unknown schema ids and frames that fail {@link FrameValidator}
 * become envelopes carrying the reason and the raw bytes, so no record can fail the job. A frame from the future
 * (event time more than {@code futureToleranceMs} ahead of both this task's clock and the newest frame it has
 * accepted) is one too: let through, it would move the watermark ahead and every good frame after it would be LATE. An unreachable registry
 * is not the record's fault: it fails the task, which restarts from the last checkpoint without losing the record.
 *
 * <pre>{@code
 * KafkaSource.<FrameEnvelope>builder()
 *         .setDeserializer(new FrameDeserializer(registryConfig, 64))
 *         ...
 * }</pre>
 */
public final class FrameDeserializer implements KafkaRecordDeserializationSchema<FrameEnvelope> {

    private static final long serialVersionUID = 1L;

    private final RegistryConfig registry;
    private final FrameValidator validator;
    private final long futureToleranceMs;
    private transient AvroRegistryDeserializer<PositionFrame> deserializer;
    /** Newest event time accepted by this task: a replay faster than real time runs ahead of the clock by steps. */
    private transient long newestAcceptedMs;
    private transient java.util.function.LongSupplier clock;

    /** Without a check for frames from the future. */
    public FrameDeserializer(RegistryConfig registry, int maxAgents) {
        this(registry, maxAgents, 0);
    }

    /** @param futureToleranceMs see {@code JobConfig.FUTURE_TOLERANCE_MS}; 0 = no check */
    public FrameDeserializer(RegistryConfig registry, int maxAgents, long futureToleranceMs) {
        this.registry = registry;
        this.validator = new FrameValidator(maxAgents);
        this.futureToleranceMs = futureToleranceMs;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        deserializer();
    }

    private AvroRegistryDeserializer<PositionFrame> deserializer() {
        if (deserializer == null) {
            deserializer = new AvroRegistryDeserializer<>(PositionFrame.class, new SchemaRegistryClient(registry), false);
        }
        return deserializer;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<FrameEnvelope> out) throws IOException {
        out.collect(decode(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
    }

    /** Decodes and checks one record. */
    public FrameEnvelope decode(String topic, int partition, long offset, byte[] key, byte[] value)
            throws IOException {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        String at = topic + "/" + partition + "@" + offset;
        if (value == null) {
            return FrameEnvelope.bad(DeadLetterKind.UNDECODABLE, "record at " + at + " has no value (tombstone)",
                    keyText, key, null, topic, partition, offset);
        }
        PositionFrame frame;
        try {
            frame = deserializer().deserialize(topic, value);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.UNKNOWN_SCHEMA_ID) {
                return FrameEnvelope.bad(DeadLetterKind.UNKNOWN_SCHEMA, "record at " + at + ": " + e.getMessage(),
                        keyText, key, value, topic, partition, offset);
            }
            throw new IOException("schema registry problem while reading " + at + ": " + e.getMessage(), e);
        } catch (WireFormatException e) {
            return FrameEnvelope.bad(DeadLetterKind.UNDECODABLE, "record at " + at + ": " + e.getMessage(), keyText,
                    key, value, topic, partition, offset);
        } catch (SerializationException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return FrameEnvelope.bad(DeadLetterKind.UNDECODABLE, "record at " + at + " does not decode: " + e,
                    keyText, key, value, topic, partition, offset);
        }
        FrameValidator.Verdict v = validator.check(frame);
        if (!v.ok()) {
            return FrameEnvelope.bad(v.kind(), v.reason(), frame.getSceneId(), key, value, topic, partition, offset);
        }
        String future = fromTheFuture(frame.getSceneId(), frame.getFrameIndex(), frame.getEventTimeMs());
        if (future != null) {
            return FrameEnvelope.bad(DeadLetterKind.FUTURE, future, frame.getSceneId(), key, value, topic, partition,
                    offset);
        }
        return FrameEnvelope.ok(frame.getSceneId(), v.sample(), frame.getSourceKind().name(),
                frame.getSystem(), topic, partition, offset);
    }

    /**
     * Null when a valid frame's event time is acceptable (and then it counts as read), else why it is from the
     * future: more than the tolerance ahead of both the clock and the newest accepted frame. A feed that runs
     * ahead of the clock step by step (a replay at --speed max) moves the reference along with it.
     */
    String fromTheFuture(String scene, long frameIndex, long t) {
        if (futureToleranceMs > 0) {
            long now = clockMs();
            long reference = Math.max(now, newestAcceptedMs);
            if (t > reference + futureToleranceMs) {
                return "scene " + scene + " frame " + frameIndex + " has event time " + t + ", " + (t - now)
                        + " ms ahead of the job's clock " + now + (newestAcceptedMs > now ? " and "
                        + (t - newestAcceptedMs) + " ms ahead of the newest frame read" : "")
                        + " (future.tolerance-ms " + futureToleranceMs + ")";
            }
        }
        newestAcceptedMs = Math.max(newestAcceptedMs, t);
        return null;
    }

    private long clockMs() {
        return clock == null ? System.currentTimeMillis() : clock.getAsLong();
    }

    /** Tests: the clock the future check compares with (default: wall-clock time). */
    FrameDeserializer withClock(java.util.function.LongSupplier testClock) {
        this.clock = testClock;
        return this;
    }

    @Override
    public TypeInformation<FrameEnvelope> getProducedType() {
        return TypeInformation.of(FrameEnvelope.class);
    }
}
