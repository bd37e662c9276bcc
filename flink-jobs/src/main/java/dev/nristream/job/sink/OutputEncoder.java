package dev.nristream.job.sink;

import dev.nristream.job.DeadLetterEvent;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.WindowResult;
import dev.nristream.model.ModelSpec;
import dev.nristream.registry.AvroRegistrySerializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes the job's outputs in the registry wire format, keyed by scene id: each {@link WindowResult} becomes an
 * {@code InteractionGraph} and a {@code TrajectoryForecast} record, each {@link DeadLetterEvent} a
 * {@code DeadLetter} (keyed by the source record's key). Avro objects never travel between operators.
 *
 * <p>The schema ids of every record kind this encoder writes are resolved when the task opens, not on the first
 * record: the first dead letter of a job often comes long after start-up, and if the registry is down by then a
 * lazily resolved id would fail the task (and restart it from its checkpoint, again and again for as long as the
 * outage lasts) although the schema never changed.
 *
 * @param <T> {@link WindowResult} or {@link DeadLetterEvent}
 */
public final class OutputEncoder<T> extends RichFlatMapFunction<T, OutputRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OutputEncoder.class);

    private final RegistryConfig registry;
    private final String modelJson;
    private final String graphsTopic;
    private final String forecastsTopic;
    private final String deadLetterTopic;
    private transient AvroRegistrySerializer<SpecificRecord> serializer;
    private transient AvroOutputs avro;

    private OutputEncoder(RegistryConfig registry, String modelJson, String graphsTopic, String forecastsTopic,
            String deadLetterTopic) {
        this.registry = registry;
        this.modelJson = modelJson;
        this.graphsTopic = graphsTopic;
        this.forecastsTopic = forecastsTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    /** Graphs to {@code graphsTopic}, forecasts to {@code forecastsTopic}. */
    public static OutputEncoder<WindowResult> results(RegistryConfig registry, String modelJson, String graphsTopic,
            String forecastsTopic) {
        return new OutputEncoder<>(registry, modelJson, graphsTopic, forecastsTopic, null);
    }

    /** Dead letters to {@code topic}. */
    public static OutputEncoder<DeadLetterEvent> deadLetters(RegistryConfig registry, String topic) {
        return new OutputEncoder<>(registry, null, null, null, topic);
    }

    @Override
    public void open(OpenContext openContext) {
        serializer = new AvroRegistrySerializer<>(new SchemaRegistryClient(registry), false);
        if (modelJson != null) {
            avro = new AvroOutputs(ModelSpec.parse(modelJson));
        }
        resolveSchemaIds();
    }

    /** Subject of each record kind this encoder writes, mapped to its schema. */
    Map<String, Schema> schemasWritten() {
        Map<String, Schema> subjects = new LinkedHashMap<>();
        if (deadLetterTopic != null) {
            subjects.put(deadLetterTopic, DeadLetter.getClassSchema());
        } else {
            subjects.put(graphsTopic, InteractionGraph.getClassSchema());
            subjects.put(forecastsTopic, TrajectoryForecast.getClassSchema());
        }
        return subjects;
    }

    /**
     * Fills the serializer's id cache (it shares the client). An unreachable registry here is not fatal: the ids
     * are then resolved on first use, as before, and a task that never writes that kind never needs them.
     */
    private void resolveSchemaIds() {
        SchemaRegistryClient client = serializer.client();
        for (Map.Entry<String, Schema> e : schemasWritten().entrySet()) {
            String subject = e.getKey() + "-value";
            try {
                if (registry.autoRegister()) {
                    client.register(subject, e.getValue());
                } else {
                    client.idOf(subject, e.getValue());
                }
            } catch (RegistryException ex) {
                LOG.warn("Could not resolve the schema id of {} when the task started ({}); it is resolved when the"
                        + " first record is written", subject, ex.getMessage());
            }
        }
    }

    @Override
    public void flatMap(T element, Collector<OutputRecord> out) {
        if (element instanceof WindowResult r) {
            byte[] key = r.sceneId.getBytes(StandardCharsets.UTF_8);
            out.collect(new OutputRecord(graphsTopic, key, serializer.serialize(graphsTopic, avro.graph(r))));
            var forecast = avro.forecast(r);
            if (forecast != null) {
                out.collect(new OutputRecord(forecastsTopic, key, serializer.serialize(forecastsTopic, forecast)));
            }
        } else {
            DeadLetterEvent d = (DeadLetterEvent) element;
            out.collect(new OutputRecord(deadLetterTopic, d.key,
                    serializer.serialize(deadLetterTopic, AvroOutputs.deadLetter(d))));
        }
    }
}
