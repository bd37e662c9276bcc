package dev.nristream.tail;

import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one project topic through the schema registry and prints each record as a line: what {@code ./nri tail}
 * runs. Reads every partition without a consumer group (nothing is committed, nothing is rebalanced), with
 * {@code isolation.level=read_committed} unless told otherwise, so it shows what the job's exactly-once output
 * shows every other consumer. A value that does not decode is printed as one {@code UNDECODABLE} line with the
 * reason, never a stack trace.
 *
 * <pre>{@code
 * TopicTail tail = TopicTail.builder().setTopic("nri.graphs").setBootstrapServers("localhost:9092")
 *         .setRegistry(RegistryConfig.of("http://localhost:8081")).withFromBeginning(true).withMax(10).build();
 * TailSummary s = tail.run(System.out::println, System.err::println, () -> false);
 * }</pre>
 */
public final class TopicTail {

    /** How long to wait for the broker's metadata. */
    public static final Duration API_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);

    private final TopicSpec<?, ?> topic;
    private final String bootstrapServers;
    private final RegistryConfig registry;
    private final boolean fromBeginning;
    private final String scene;
    private final long max;
    private final Duration idleTimeout;
    private final boolean readCommitted;
    private final TailFormat format;
    private final ClientConfigFile clientConfig;

    private TopicTail(Builder b) {
        this.topic = b.topic;
        this.bootstrapServers = b.bootstrapServers;
        this.registry = b.registry;
        this.fromBeginning = b.fromBeginning;
        this.scene = b.scene;
        this.max = b.max;
        this.idleTimeout = b.idleTimeout;
        this.readCommitted = b.readCommitted;
        this.format = b.format;
        this.clientConfig = b.clientConfig;
    }

    public static Builder builder() {
        return new Builder();
    }

    public TopicSpec<?, ?> topic() {
        return topic;
    }

    /**
     * Prints records to {@code out} until {@code max} are printed, nothing matched for the idle timeout, or
     * {@code stop} says so. Once the partitions are assigned and positioned, one line goes to {@code status}
     * (records written after that line are shown, even without {@code --from-beginning}).
     *
     * @throws TailException when the broker does not answer, the topic does not exist or the registry is
     *     unreachable
     */
    public TailSummary run(Consumer<String> out, Consumer<String> status, BooleanSupplier stop) {
        Decoder decoder = new Decoder(topic, registry);
        long printed = 0;
        long undecodable = 0;
        long skipped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            int partitions = assign(consumer);
            status.accept("reading " + topic.name() + " (" + partitions + " partition(s)) on " + bootstrapServers
                    + (fromBeginning ? " from the beginning" : " from the end") + ", "
                    + (readCommitted ? "read_committed" : "read_uncommitted")
                    + (scene == null ? "" : ", scene " + scene));
            long lastPrinted = System.nanoTime();
            while (!stop.getAsBoolean() && (max <= 0 || printed < max)) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(POLL)) {
                    String key = rec.key() == null ? null : new String(rec.key(), StandardCharsets.UTF_8);
                    if (scene != null && !scene.equals(key)) {
                        skipped++;
                        continue;
                    }
                    TailRecord r = decoder.decode(rec, key);
                    out.accept(RecordLines.format(r, format));
                    printed++;
                    if (r.undecodable()) {
                        undecodable++;
                    }
                    lastPrinted = System.nanoTime();
                    if (max > 0 && printed >= max) {
                        break;
                    }
                }
                if (idleTimeout != null && System.nanoTime() - lastPrinted >= idleTimeout.toNanos()) {
                    break;
                }
            }
        } catch (TimeoutException e) {
            throw new TailException("Kafka at " + bootstrapServers + " did not answer within "
                    + API_TIMEOUT.toSeconds() + " s", e);
        } catch (KafkaException e) {
            throw new TailException("Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
        }
        return new TailSummary(printed, undecodable, skipped);
    }

    private int assign(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), API_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new TailException("topic " + topic.name() + " does not exist on " + bootstrapServers
                    + " (is the job or the demo running there?)", null);
        }
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo p : infos) {
            parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        consumer.assign(parts);
        if (fromBeginning) {
            consumer.seekToBeginning(parts);
        } else {
            consumer.seekToEnd(parts);
        }
        // Seeks are lazy: resolve them now so records written from here on are not skipped.
        for (TopicPartition tp : parts) {
            consumer.position(tp, API_TIMEOUT);
        }
        return parts.size();
    }

    Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "nri-tail");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        return clientConfig.applyTo(p);
    }

    /** Decodes values with the project's deserializer, turning per-record failures into a reason. */
    private static final class Decoder {
        private final String topicName;
        private final AvroRegistryDeserializer<SpecificRecord> deserializer;

        @SuppressWarnings("unchecked")
        Decoder(TopicSpec<?, ?> topic, RegistryConfig registry) {
            this.topicName = topic.name();
            this.deserializer = new AvroRegistryDeserializer<>((Class<SpecificRecord>) topic.valueType(),
                    new SchemaRegistryClient(registry), false);
        }

        TailRecord decode(ConsumerRecord<byte[], byte[]> rec, String key) {
            byte[] v = rec.value();
            int size = v == null ? -1 : v.length;
            try {
                SpecificRecord value = deserializer.deserialize(topicName, v);
                return new TailRecord(rec.topic(), rec.partition(), rec.offset(), rec.timestamp(), key, value, size,
                        null);
            } catch (RegistryException e) {
                if (e.reason() == RegistryException.Reason.UNREACHABLE
                        || e.reason() == RegistryException.Reason.UNAUTHORIZED
                        || e.reason() == RegistryException.Reason.INTERRUPTED) {
                    throw new TailException("schema registry: " + e.getMessage(), e);
                }
                return new TailRecord(rec.topic(), rec.partition(), rec.offset(), rec.timestamp(), key, null, size,
                        e.getMessage());
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                return new TailRecord(rec.topic(), rec.partition(), rec.offset(), rec.timestamp(), key, null, size,
                        why);
            }
        }
    }

    /** Required: {@code setTopic}, {@code setBootstrapServers}, {@code setRegistry}; the rest is optional. */
    public static final class Builder {
        private TopicSpec<?, ?> topic;
        private String topicName;
        private String bootstrapServers;
        private RegistryConfig registry;
        private boolean fromBeginning;
        private String scene;
        private long max;
        private Duration idleTimeout;
        private boolean readCommitted = true;
        private TailFormat format = TailFormat.JSON;
        private ClientConfigFile clientConfig = ClientConfigFile.none();

        private Builder() {
        }

        /** Security settings for a secured cluster ({@code --kafka-config}); default: none. */
        public Builder withClientConfig(ClientConfigFile config) {
            this.clientConfig = java.util.Objects.requireNonNull(config, "config");
            return this;
        }

        /** A topic declared in {@link dev.nristream.topic.Topics}, by name. */
        public Builder setTopic(String name) {
            this.topicName = name;
            return this;
        }

        public Builder setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder setRegistry(RegistryConfig registry) {
            this.registry = registry;
            return this;
        }

        /** Start at the oldest record kept rather than at the end (default: only new records). */
        public Builder withFromBeginning(boolean fromBeginning) {
            this.fromBeginning = fromBeginning;
            return this;
        }

        /** Only records whose key (the scene id) is {@code scene}; null for all. */
        public Builder withScene(String scene) {
            this.scene = scene;
            return this;
        }

        /** Stop after printing {@code max} records; 0 = no limit. */
        public Builder withMax(long max) {
            this.max = max;
            return this;
        }

        /** Stop when nothing was printed for this long; null = run until stopped. */
        public Builder withIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** {@code read_committed} (default) or {@code read_uncommitted}. */
        public Builder withReadCommitted(boolean readCommitted) {
            this.readCommitted = readCommitted;
            return this;
        }

        public Builder withFormat(TailFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * @throws UnknownTopicException when the topic is not a project topic
         * @throws IllegalArgumentException naming each missing or bad setting
         */
        public TopicTail build() {
            List<String> problems = new ArrayList<>();
            if (topicName == null || topicName.isBlank()) {
                problems.add("topic is required (setTopic)");
            }
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                problems.add("bootstrap servers are required (setBootstrapServers)");
            }
            if (registry == null) {
                problems.add("the registry is required (setRegistry)");
            }
            if (max < 0) {
                problems.add("max must be >= 0, got " + max);
            }
            if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
                problems.add("idle timeout must be > 0, got " + idleTimeout);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            topic = TopicCatalog.require(topicName);
            return new TopicTail(this);
        }
    }
}
