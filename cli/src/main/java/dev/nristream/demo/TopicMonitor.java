package dev.nristream.demo;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.ForecastError;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every demo topic ({@code tracking.positions}, the job's outputs, the analytics' outputs, the dead letters)
 * with {@code read_committed}, as a downstream consumer would, and feeds {@link LiveStats}. Partitions are
 * assigned, not subscribed: no consumer group, nothing committed.
 *
 * <pre>{@code
 * try (TopicMonitor m = TopicMonitor.start(bootstrap, registry, stats, false)) {
 *     ... stats.snapshot(now) ...
 * }
 * }</pre>
 */
public final class TopicMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicMonitor.class);

    /** Topics read, in the order the summary lists them. */
    public static final List<String> TOPICS = List.of(Topics.POSITIONS.name(), Topics.GRAPHS.name(),
            Topics.FORECASTS.name(), Topics.FORECAST_ERRORS.name(), Topics.EDGE_STATS.name(),
            Topics.POSITIONS_DLQ.name());

    private final KafkaConsumer<String, byte[]> consumer;
    private final LiveStats stats;
    private final LongSupplier clock;
    private final Deserializer<PositionFrame> frames;
    private final Deserializer<InteractionGraph> graphs;
    private final Deserializer<TrajectoryForecast> forecasts;
    private final Deserializer<ForecastError> errors;
    private final Deserializer<EdgeStats> edgeStats;
    private final Deserializer<DeadLetter> deadLetters;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile Throwable failure;

    private TopicMonitor(KafkaConsumer<String, byte[]> consumer, RegistryConfig registry, LiveStats stats,
            LongSupplier clock) {
        this.consumer = consumer;
        this.stats = stats;
        this.clock = clock;
        this.frames = RegistrySerdes.valueDeserializer(Topics.POSITIONS, registry);
        this.graphs = RegistrySerdes.valueDeserializer(Topics.GRAPHS, registry);
        this.forecasts = RegistrySerdes.valueDeserializer(Topics.FORECASTS, registry);
        this.errors = RegistrySerdes.valueDeserializer(Topics.FORECAST_ERRORS, registry);
        this.edgeStats = RegistrySerdes.valueDeserializer(Topics.EDGE_STATS, registry);
        this.deadLetters = RegistrySerdes.valueDeserializer(Topics.POSITIONS_DLQ, registry);
        this.thread = new Thread(this::loop, "nri-demo-monitor");
        this.thread.setDaemon(true);
    }

    /**
     * Assigns every partition of {@link #TOPICS} (which must exist) and starts reading.
     *
     * @param fromEnd start at the current end of each partition (an external cluster with history) instead of its
     *     beginning (a fresh embedded broker)
     */
    public static TopicMonitor start(String bootstrap, RegistryConfig registry, LiveStats stats, boolean fromEnd,
            ClientConfigFile security) {
        Properties p = security.applyTo(new Properties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "nri-demo-monitor");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : TOPICS) {
                List<PartitionInfo> infos = c.partitionsFor(t, Duration.ofSeconds(30));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + t + " does not exist on " + bootstrap);
                }
                infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            }
            c.assign(parts);
            if (fromEnd) {
                c.seekToEnd(parts);
            } else {
                c.seekToBeginning(parts);
            }
            // Resolve the positions now, so records sent after start() returns are all seen.
            parts.forEach(tp -> c.position(tp, Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            c.close(Duration.ZERO);
            throw e;
        }
        TopicMonitor m = new TopicMonitor(c, registry, stats, System::currentTimeMillis);
        m.thread.start();
        return m;
    }

    private void loop() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    dispatch(r);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (!closing) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("demo monitor stopped reading the topics", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        String t = r.topic();
        if (r.value() == null) {
            stats.onUndecodable(t);
            return;
        }
        try {
            if (t.equals(Topics.POSITIONS.name())) {
                stats.onFrame(frames.deserialize(t, r.value()), r.timestamp());
            } else if (t.equals(Topics.GRAPHS.name())) {
                stats.onGraph(graphs.deserialize(t, r.value()), clock.getAsLong());
            } else if (t.equals(Topics.FORECASTS.name())) {
                stats.onForecast(forecasts.deserialize(t, r.value()));
            } else if (t.equals(Topics.FORECAST_ERRORS.name())) {
                stats.onForecastError(errors.deserialize(t, r.value()));
            } else if (t.equals(Topics.EDGE_STATS.name())) {
                stats.onEdgeStats(edgeStats.deserialize(t, r.value()));
            } else if (t.equals(Topics.POSITIONS_DLQ.name())) {
                stats.onDeadLetter(deadLetters.deserialize(t, r.value()));
            }
        } catch (RuntimeException e) {
            // A poison pill on a demo topic is shown as a count, not a reason to stop watching.
            LOG.debug("undecodable record on {} at offset {}: {}", t, r.offset(), e.toString());
            stats.onUndecodable(t);
        }
    }

    /** Why reading stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /** Stops reading and closes the consumer. Idempotent. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
