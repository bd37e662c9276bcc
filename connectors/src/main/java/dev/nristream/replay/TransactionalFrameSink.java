package dev.nristream.replay;

import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.TopicSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A resumable {@link FrameSink}: frames go out in Kafka transactions, and every commit carries the replay's
 * position (frames of the feed handled so far) as the committed offset of a consumer group of its own, in the same
 * transaction. So the position Kafka keeps is exactly what {@code read_committed} readers can see: a replay killed
 * at any instant (SIGKILL included) resumes from {@link #committedPosition()} with no frame lost and none twice.
 * A position kept only in a local file could not promise that: a frame the broker acknowledged just before the
 * kill would be sent again.
 *
 * <p>A transaction is committed at most every {@code commitInterval} (and at {@link #flush()}), so
 * {@code read_committed} readers see frames up to that much later than an idempotent, non-transactional replay
 * would deliver them. The transactional id is {@code nri-replay-<replay id>}: a second replay with the same id
 * fences the first, and opening the sink aborts (or completes) whatever transaction a killed run left open.
 *
 * <pre>{@code
 * try (TransactionalFrameSink sink = TransactionalFrameSink.open(settings, registry, Topics.POSITIONS,
 *         "tracking.positions", replayId, Duration.ofMillis(200), position -> state.save(position))) {
 *     Replay.builder().setSource(feed).setSink(sink).withStartPosition(sink.committedPosition()).build().run();
 * }
 * }</pre>
 */
public final class TransactionalFrameSink implements FrameSink {

    /** How often a position is committed unless told otherwise. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(200);

    private final Producer<String, PositionFrame> producer;
    private final String topic;
    private final String where;
    private final String group;
    private final Properties adminProps;
    private final TopicPartition positionKey;
    private final long commitIntervalNanos;
    private final LongConsumer onCommit;
    private final LongSupplier nanoClock;
    private boolean inTransaction;
    private long sentInTransaction;
    private long position = -1;
    private long committed = -1;
    private long delivered;
    private long lastCommitNanos;

    TransactionalFrameSink(Producer<String, PositionFrame> producer, String topic, String replayId,
            Properties adminProps, Duration commitInterval, LongConsumer onCommit, LongSupplier nanoClock,
            String where) {
        this.producer = producer;
        this.topic = topic;
        this.group = groupId(replayId);
        this.adminProps = adminProps;
        this.positionKey = new TopicPartition(topic, 0);
        this.commitIntervalNanos = commitInterval.toNanos();
        this.onCommit = Objects.requireNonNull(onCommit, "onCommit");
        this.nanoClock = nanoClock;
        this.where = where;
        this.lastCommitNanos = nanoClock.getAsLong();
    }

    /**
     * Opens the producer and finishes whatever a killed run with the same {@code replayId} left open, so that
     * {@link #committedPosition()} is final.
     *
     * @param onCommit told each committed position (after the commit returned), e.g. to write a state file
     * @throws SinkException when the broker does not answer
     */
    public static TransactionalFrameSink open(ProducerSettings settings, RegistryConfig registry,
            TopicSpec<String, PositionFrame> spec, String topicName, String replayId, Duration commitInterval,
            LongConsumer onCommit) {
        Properties p = settings.toProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId(replayId));
        String where = "topic " + topicName + " at " + settings.bootstrapServers() + " (registry " + registry.url()
                + ", transactional id " + groupId(replayId) + ")";
        KafkaProducer<String, PositionFrame> producer = new KafkaProducer<>(p, new StringSerializer(),
                RegistrySerdes.valueSerializer(spec, registry));
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new SinkException("cannot start transactions on " + where + ": " + e.getMessage()
                    + " (is the broker up?)", e);
        }
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return new TransactionalFrameSink(producer, topicName, replayId, admin, commitInterval, onCommit,
                System::nanoTime, where);
    }

    /** The consumer group (and transactional id) that holds a replay's position. */
    public static String groupId(String replayId) {
        return "nri-replay-" + replayId;
    }

    /**
     * The position of the last committed transaction of this replay id: 0 when none was committed. Only final
     * after {@link #open}, which resolves a transaction a killed run left open.
     */
    public long committedPosition() {
        ListConsumerGroupOffsetsOptions stable = new ListConsumerGroupOffsetsOptions().requireStable(true);
        try (Admin admin = Admin.create(adminProps)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group, stable)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(positionKey);
            return o == null ? 0 : o.offset();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SinkException("cannot read the position of replay group " + group + " from " + where + ": "
                    + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while reading the replay position from " + where, e);
        }
    }

    @Override
    public void accept(PositionFrame frame) {
        try {
            if (!inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
            }
            producer.send(new ProducerRecord<>(topic, frame.getSceneId(), frame));
            sentInTransaction++;
        } catch (KafkaException e) {
            throw failure("cannot send to " + where, e);
        }
    }

    @Override
    public void position(long framesHandled) {
        position = framesHandled;
        if (nanoClock.getAsLong() - lastCommitNanos >= commitIntervalNanos) {
            commit();
        }
    }

    /** Commits the open transaction with the last position; the frames before it are then visible. */
    @Override
    public void flush() {
        commit();
    }

    private void commit() {
        lastCommitNanos = nanoClock.getAsLong();
        if (!inTransaction) {
            return;
        }
        try {
            producer.sendOffsetsToTransaction(Map.of(positionKey, new OffsetAndMetadata(position)),
                    new ConsumerGroupMetadata(group));
            producer.commitTransaction();
        } catch (KafkaException e) {
            throw failure("cannot commit frames up to position " + position + " to " + where, e);
        }
        inTransaction = false;
        delivered += sentInTransaction;
        sentInTransaction = 0;
        committed = position;
        onCommit.accept(committed);
    }

    private SinkException failure(String what, KafkaException e) {
        if (e instanceof ProducerFencedException) {
            return new SinkException(what + ": another replay with the same state took over (fenced)", e);
        }
        if (inTransaction) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // The next run's initTransactions aborts it instead.
            }
            inTransaction = false;
            sentInTransaction = 0;
        }
        return new SinkException(what + ": " + e.getMessage() + " (the position of the last commit, "
                + Math.max(committed, 0) + ", is kept: resume from there)", e);
    }

    /** Frames in committed transactions. */
    @Override
    public long delivered() {
        return delivered;
    }

    /** The last position committed by this sink; -1 before the first commit. */
    public long lastCommitted() {
        return committed;
    }

    @Override
    public String describe() {
        return where;
    }

    /** Closes the producer; an uncommitted transaction is left for the next run with this id to abort. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(inTransaction ? 0 : 30));
    }
}
