package dev.nristream.topic;

import java.util.Objects;

/**
 * A Kafka topic with the types of its key and value: the one place a topic's name and contract are declared.
 *
 * <pre>{@code
 * producer.send(new ProducerRecord<>(Topics.POSITIONS.name(), frame.getSceneId(), frame));
 * }</pre>
 *
 * @param name topic name, dot-separated
 * @param keyType class of the record key (the scene id, a {@link String}, on every topic of this project)
 * @param valueType class of the record value (a generated Avro class)
 * @param <K> key type
 * @param <V> value type
 */
public record TopicSpec<K, V>(String name, Class<K> keyType, Class<V> valueType) {

    /** Suffix of every dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
    }

    /** Registry subject of the value schema, Confluent's TopicNameStrategy: {@code <topic>-value}. */
    public String valueSubject() {
        return name + "-value";
    }

    /** Registry subject of the key schema: {@code <topic>-key}. */
    public String keySubject() {
        return name + "-key";
    }

    /** Name of this topic's dead-letter topic, {@code <topic>.dlq}. */
    public String dlqName() {
        return name + DLQ_SUFFIX;
    }
}
