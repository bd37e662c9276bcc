package dev.nristream.analytics;

import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.TopicSpec;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Where the analytics topology gets the value serdes of the topics it reads and writes (and of its queryable
 * stores, which hold the same record types). Production uses the schema registry; topology unit tests pass an
 * in-JVM Avro serde so that the registry client is not what they exercise.
 */
public interface AnalyticsSerdes {

    /** Serde for the values of {@code topic}. */
    <V extends SpecificRecord> Serde<V> valueSerde(TopicSpec<String, V> topic);

    /** Serdes of the schema registry at {@code registry} (Confluent wire format). */
    static AnalyticsSerdes registry(RegistryConfig registry) {
        Objects.requireNonNull(registry, "registry");
        return new AnalyticsSerdes() {
            @Override
            public <V extends SpecificRecord> Serde<V> valueSerde(TopicSpec<String, V> topic) {
                return RegistrySerdes.serde(topic, registry);
            }
        };
    }
}
