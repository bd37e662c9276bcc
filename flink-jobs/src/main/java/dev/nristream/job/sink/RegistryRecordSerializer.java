package dev.nristream.job.sink;

import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.WindowResult;
import dev.nristream.model.ModelSpec;
import dev.nristream.registry.AvroRegistrySerializationSchema;
import dev.nristream.registry.RegistryConfig;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes job outputs to one topic in the registry wire format, keyed by scene id (graphs, forecasts) or the
 * source record's key (dead letters), with the producer's wall-clock timestamp. The Avro record is built here, at the sink, so Avro objects never travel
 * between operators.
 *
 * <pre>{@code
 * KafkaSink.<WindowResult>builder().setRecordSerializer(RegistryRecordSerializer.graphs(topic, registry, modelJson))
 * }</pre>
 *
 * @param <T> the job-side type
 */
public final class RegistryRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    static {
        // Task managers load this class (deserializing the sink) before the sink creates its producers.
        KafkaClientsCompat.install();
    }

    /** What to write: the Avro record and the key. */
    private enum Kind { GRAPH, FORECAST, DEAD_LETTER }

    private final String topic;
    private final Kind kind;
    private final String modelJson;
    private final AvroRegistrySerializationSchema<SpecificRecord> values;
    private transient Function<T, SpecificRecord> toAvro;

    private RegistryRecordSerializer(String topic, Kind kind, String modelJson, RegistryConfig registry) {
        this.topic = topic;
        this.kind = kind;
        this.modelJson = modelJson;
        this.values = new AvroRegistrySerializationSchema<>(topic, false, registry);
    }

    /** InteractionGraphs to {@code topic}. */
    public static RegistryRecordSerializer<WindowResult> graphs(String topic, RegistryConfig registry, String modelJson) {
        return new RegistryRecordSerializer<>(topic, Kind.GRAPH, modelJson, registry);
    }

    /** TrajectoryForecasts to {@code topic}. */
    public static RegistryRecordSerializer<WindowResult> forecasts(String topic, RegistryConfig registry,
            String modelJson) {
        return new RegistryRecordSerializer<>(topic, Kind.FORECAST, modelJson, registry);
    }

    /** DeadLetters to {@code topic}. */
    public static RegistryRecordSerializer<DeadLetterEvent> deadLetters(String topic, RegistryConfig registry) {
        return new RegistryRecordSerializer<>(topic, Kind.DEAD_LETTER, null, registry);
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        values.open(context);
        converter();
    }

    @SuppressWarnings("unchecked")
    private Function<T, SpecificRecord> converter() {
        if (toAvro == null) {
            switch (kind) {
                case GRAPH -> {
                    AvroOutputs o = new AvroOutputs(ModelSpec.parse(modelJson));
                    toAvro = t -> o.graph((WindowResult) t);
                }
                case FORECAST -> {
                    AvroOutputs o = new AvroOutputs(ModelSpec.parse(modelJson));
                    toAvro = t -> o.forecast((WindowResult) t);
                }
                default -> toAvro = t -> AvroOutputs.deadLetter((DeadLetterEvent) t);
            }
        }
        return toAvro;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        byte[] key;
        if (element instanceof WindowResult r) {
            key = r.sceneId.getBytes(StandardCharsets.UTF_8);
        } else {
            key = ((DeadLetterEvent) element).key;
        }
        byte[] value = values.serialize(converter().apply(element));
        // The record timestamp is left to the producer (wall clock): event times live in the record body, and a
        // broker refuses timestamps too far in the future (log.message.timestamp.after.max.ms), which replayed or
        // simulated feeds may carry.
        return new ProducerRecord<>(topic, null, null, key, value);
    }
}
