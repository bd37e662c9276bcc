package dev.nristream.testing;

import dev.nristream.registry.AvroRegistryDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic of the {@link RealServices} broker the way a consumer of the job's exactly-once output must: with
 * {@code isolation.level=read_committed}, so records of open or aborted transactions never show.
 *
 * <pre>{@code
 * List<ConsumerRecord<String, InteractionGraph>> graphs = CommittedRecords.read("nri.graphs", InteractionGraph.class);
 * }</pre>
 */
public final class CommittedRecords {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long to wait for transactions being committed as the read starts. A producer's commit returns once the
     * coordinator has logged it; the markers that make the records readable reach each partition a little later, so a
     * read right after a bounded job finished saw one partition's graphs and not the other's (CI, issue 7's accuracy
     * test). A transaction still open after this (a running or cancelled job's) is not waited for.
     */
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private CommittedRecords() {
    }

    /**
     * Every committed record of {@code topic}, partition by partition in offset order, from the beginning up to the
     * end offsets as of the call (the last stable offsets: an open transaction's records are not waited for).
     *
     * @throws IllegalStateException when the end is not reached within 30 s
     */
    public static <V extends SpecificRecord> List<ConsumerRecord<String, V>> read(String topic, Class<V> type) {
        return read(RealServices.bootstrapServers(), topic,
                new AvroRegistryDeserializer<>(type, RealServices.registryConfig()));
    }

    /** The same from another broker (a private one a test stops and restarts), values decoded by {@code values}. */
    public static <V> List<ConsumerRecord<String, V>> read(String bootstrap, String topic, Deserializer<V> values) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = settledEndOffsets(bootstrap, c, parts);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("did not reach the end of " + topic + " within " + TIMEOUT);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * The last stable offsets once they have caught up with the high watermarks (no transaction open or being
     * committed), or as they stand after {@link #SETTLE}.
     */
    private static Map<TopicPartition, Long> settledEndOffsets(String bootstrap, KafkaConsumer<String, ?> committed,
            List<TopicPartition> parts) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(parts);
                if (stable.equals(raw.endOffsets(parts)) || System.nanoTime() > deadline) {
                    return stable;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stable;
                }
            }
        }
    }
}
