package dev.nristream.replay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Producer settings for the feeds, typed and defaulted in one place. Feeds are throughput-bound streams of small
 * records whose order per scene matters: idempotent (no duplicates or reordering on retry, which needs acks=all),
 * batched with a short linger and compressed with lz4 (cheap on CPU, and coordinates compress well).
 *
 * <pre>{@code
 * Properties props = ProducerSettings.defaults("localhost:9092").withLingerMs(5).toProperties();
 * }</pre>
 *
 * @param bootstrapServers {@code host:port[,host:port]}
 * @param compression {@code compression.type}: lz4 (default), zstd, snappy, gzip or none
 * @param lingerMs {@code linger.ms}: how long a batch waits to fill (default {@value #DEFAULT_LINGER_MS})
 * @param batchSizeBytes {@code batch.size} per partition (default {@value #DEFAULT_BATCH_SIZE})
 * @param bufferMemoryBytes {@code buffer.memory} (default {@value #DEFAULT_BUFFER_MEMORY})
 * @param maxBlockMs {@code max.block.ms}: how long a send may wait for metadata or buffer space before the replay
 *     reports the broker unreachable (default {@value #DEFAULT_MAX_BLOCK_MS})
 * @param deliveryTimeoutMs {@code delivery.timeout.ms} (default {@value #DEFAULT_DELIVERY_TIMEOUT_MS})
 * @param clientId {@code client.id}
 * @param overrides any other producer property, applied last
 */
public record ProducerSettings(String bootstrapServers, String compression, int lingerMs, int batchSizeBytes,
        long bufferMemoryBytes, int maxBlockMs, int deliveryTimeoutMs, String clientId,
        Map<String, String> overrides) {

    public static final String DEFAULT_COMPRESSION = "lz4";
    public static final int DEFAULT_LINGER_MS = 20;
    public static final int DEFAULT_BATCH_SIZE = 256 * 1024;
    public static final long DEFAULT_BUFFER_MEMORY = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_BLOCK_MS = 15_000;
    public static final int DEFAULT_DELIVERY_TIMEOUT_MS = 60_000;
    public static final String DEFAULT_CLIENT_ID = "nri-replay";

    public ProducerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be blank");
        }
        if (!java.util.Set.of("none", "gzip", "snappy", "lz4", "zstd").contains(compression)) {
            throw new IllegalArgumentException("compression must be one of none, gzip, snappy, lz4, zstd; got "
                    + compression);
        }
        overrides = Map.copyOf(overrides);
    }

    /** The defaults for a broker. */
    public static ProducerSettings defaults(String bootstrapServers) {
        return new ProducerSettings(bootstrapServers, DEFAULT_COMPRESSION, DEFAULT_LINGER_MS, DEFAULT_BATCH_SIZE,
                DEFAULT_BUFFER_MEMORY, DEFAULT_MAX_BLOCK_MS, DEFAULT_DELIVERY_TIMEOUT_MS, DEFAULT_CLIENT_ID,
                Map.of());
    }

    public ProducerSettings withCompression(String c) {
        return new ProducerSettings(bootstrapServers, c, lingerMs, batchSizeBytes, bufferMemoryBytes, maxBlockMs,
                deliveryTimeoutMs, clientId, overrides);
    }

    public ProducerSettings withLingerMs(int ms) {
        return new ProducerSettings(bootstrapServers, compression, ms, batchSizeBytes, bufferMemoryBytes, maxBlockMs,
                deliveryTimeoutMs, clientId, overrides);
    }

    public ProducerSettings withMaxBlockMs(int ms) {
        return new ProducerSettings(bootstrapServers, compression, lingerMs, batchSizeBytes, bufferMemoryBytes, ms,
                deliveryTimeoutMs, clientId, overrides);
    }

    public ProducerSettings withOverride(String key, String value) {
        Map<String, String> o = new LinkedHashMap<>(overrides);
        o.put(key, value);
        return new ProducerSettings(bootstrapServers, compression, lingerMs, batchSizeBytes, bufferMemoryBytes,
                maxBlockMs, deliveryTimeoutMs, clientId, o);
    }

    /** The producer properties (without serializers). */
    public Properties toProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchSizeBytes));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(bufferMemoryBytes));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(maxBlockMs));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(deliveryTimeoutMs));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.min(30_000, deliveryTimeoutMs - lingerMs)));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.putAll(overrides);
        return p;
    }
}
