package dev.nristream.replay;

import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.TopicSpec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends frames to a topic, keyed by scene id so a scene's frames share a partition, serialised with the registry
 * serde (Confluent wire format). Sends are asynchronous; the first failed delivery is kept and surfaces from
 * {@link #checkHealthy()} as a {@link SinkException}.
 *
 * <pre>{@code
 * try (KafkaFrameSink sink = KafkaFrameSink.create(ProducerSettings.defaults("localhost:9092"),
 *         RegistryConfig.of("http://localhost:8081"), Topics.POSITIONS)) {
 *     sink.accept(frame);
 * }
 * }</pre>
 */
public final class KafkaFrameSink implements FrameSink {

    private final Producer<String, PositionFrame> producer;
    private final org.apache.kafka.common.serialization.Serializer<PositionFrame> values;
    private final String topic;
    private final String where;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Callback callback = (meta, e) -> {
        if (e == null) {
            delivered.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, e);
        }
    };

    /** Wraps a producer (tests pass a {@code MockProducer}). */
    public KafkaFrameSink(Producer<String, PositionFrame> producer, String topic, String where) {
        this(producer, null, topic, where);
    }

    private KafkaFrameSink(Producer<String, PositionFrame> producer,
            org.apache.kafka.common.serialization.Serializer<PositionFrame> values, String topic, String where) {
        this.producer = producer;
        this.values = values;
        this.topic = topic;
        this.where = where;
    }

    /** A producer with {@code settings} and the registry value serializer for {@code topic}. */
    public static KafkaFrameSink create(ProducerSettings settings, RegistryConfig registry,
            TopicSpec<String, PositionFrame> topic) {
        return create(settings, registry, topic, topic.name());
    }

    /** As {@link #create(ProducerSettings, RegistryConfig, TopicSpec)}, writing to another topic name. */
    public static KafkaFrameSink create(ProducerSettings settings, RegistryConfig registry,
            TopicSpec<String, PositionFrame> spec, String topicName) {
        var values = RegistrySerdes.valueSerializer(spec, registry);
        KafkaProducer<String, PositionFrame> p = new KafkaProducer<>(settings.toProperties(), new StringSerializer(),
                values);
        return new KafkaFrameSink(p, values, topicName, "topic " + topicName + " at " + settings.bootstrapServers()
                + " (registry " + registry.url() + ")");
    }

    /** Fetches the topic's metadata and registers (or looks up) the frame schema before the first send. */
    @Override
    public void prepare(PositionFrame first) {
        try {
            producer.partitionsFor(topic);
            if (values != null) {
                values.serialize(topic, first); // registers the schema; the bytes are not sent
            }
        } catch (KafkaException e) {
            String hint = e instanceof org.apache.kafka.common.errors.TimeoutException
                    ? " (is the broker up, and does the topic exist?)" : "";
            throw new SinkException("cannot send to " + where + ": " + e.getMessage() + hint, e);
        }
    }

    @Override
    public void accept(PositionFrame frame) {
        try {
            producer.send(new ProducerRecord<>(topic, frame.getSceneId(), frame), callback);
        } catch (KafkaException e) {
            // The registry serde fails here (unreachable registry, incompatible schema), before any I/O to Kafka.
            throw new SinkException("cannot send to " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkHealthy() {
        Exception e = firstFailure.get();
        if (e != null) {
            String hint = e instanceof org.apache.kafka.common.errors.TimeoutException
                    ? " (is the broker up, and does the topic exist?)" : "";
            throw new SinkException("delivery to " + where + " failed (" + failed.get() + " frames): "
                    + e.getMessage() + hint, e);
        }
    }

    @Override
    public void flush() {
        producer.flush();
        checkHealthy();
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    /** Frames whose delivery failed. */
    public long failed() {
        return failed.get();
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        // After a failed delivery the rest is lost anyway: do not wait for it.
        producer.close(firstFailure.get() == null ? Duration.ofSeconds(30) : Duration.ZERO);
    }
}
