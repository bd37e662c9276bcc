package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker stopped for {@value #OUTAGE_MS} ms and started again on the same log directories and port while an
 * idempotent feed sends and the job (exactly-once) runs: neither is restarted by hand. Afterwards the positions
 * topic holds every frame once (no loss, no duplicate from the producer's retries) and, read_committed, the graphs
 * topic one graph per window of every scene. A private broker: the shared one serves the other tests of this JVM.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class BrokerRestartIntegrationTest {

    static final int SCENES = 3;
    static final int FRAMES = 160;
    static final int STRIDE = 5;
    /** Frames of each scene sent before the broker stops; the rest are sent while it is down and after. */
    static final int BEFORE_STOP = 50;
    static final long STEP_MS = 60;
    /** The range is 10-30 s; the shortest keeps the test short, and the clients' timeouts are longer. */
    static final long OUTAGE_MS = 10_000;

    @Test
    void brokerRestartUnderLoadLosesAndDuplicatesNothing() throws Exception {
        brokerOutageUnderLoad("kafka-broker-restart.log", EmbeddedKafka::stop);
    }

    /**
     * The scenario with {@code takeAway} ending the broker (stop or kill) mid-stream; it is started again on the
     * same log directories after {@value #OUTAGE_MS} ms. Ends with the count check.
     */
    static void brokerOutageUnderLoad(String logName, java.util.function.Consumer<EmbeddedKafka> takeAway)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder()
                .withLogFile(Path.of("target", logName)).start()) {
            TestTopics topics = new TestTopics("restart.positions", "restart.graphs", "restart.forecasts",
                    "restart.positions.dlq");
            kafka.createTopics(2, topics.positions(), topics.graphs(), topics.forecasts(), topics.dlq());
            List<List<PositionFrame>> scenes = new ArrayList<>();
            for (int s = 0; s < SCENES; s++) {
                scenes.add(StreamTestKit.springsScene("restart-" + s, 5, FRAMES, 70 + s));
            }
            // The job's defaults for restarts (3 attempts, 1 s apart): the outage must not use them up.
            JobConfig cfg = StreamTestKit.config(topics, StreamTestKit.goldenModel(), "restart")
                    .set(JobConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                    .set(JobConfig.BOUNDED, false).set(JobConfig.STRIDE, STRIDE)
                    .set(JobConfig.CHECKPOINT_INTERVAL_MS, 500L)
                    // The default idleness (5 s), shorter than the outage: with Flink's own idleness both partitions
                    // were marked idle while the broker was away, and the one read first after the restart carried
                    // the watermark past the other's frames, dead-lettered as LATE (6 of 12 runs). OutageAwareIdleness
                    // keeps them active while the whole reader is quiet.
                    .build();
            JobClient job = NriStreamJob.fromConfig(cfg).executeAsync(FlinkMiniCluster.environment(2));
            AtomicLong acked = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicInteger step = new AtomicInteger();
            try (KafkaProducer<String, PositionFrame> producer = feedProducer(kafka, topics.positions())) {
                CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
                    for (int k = 0; k < FRAMES; k++) {
                        for (List<PositionFrame> scene : scenes) {
                            PositionFrame f = scene.get(k);
                            producer.send(new ProducerRecord<>(topics.positions(), f.getSceneId(), f), (m, e) -> {
                                if (e == null) {
                                    acked.incrementAndGet();
                                } else {
                                    failure.compareAndSet(null, e);
                                }
                            });
                        }
                        step.set(k + 1);
                        sleep(STEP_MS);
                    }
                });
                while (step.get() < BEFORE_STOP) {
                    Thread.sleep(20);
                }
                takeAway.accept(kafka);
                assertThat(kafka.isAlive()).isFalse();
                Thread.sleep(OUTAGE_MS);
                assertThat(step.get()).as("the feed went on while the broker was down").isGreaterThan(BEFORE_STOP);
                kafka.restart();
                feed.get(120, TimeUnit.SECONDS);
                producer.flush();
            }
            assertThat(failure.get()).as("feed delivery failure").isNull();
            assertThat(acked.get()).isEqualTo((long) SCENES * FRAMES);
            try {
                awaitGraphs(kafka, topics, SCENES * expectedEnds().size(), job);
            } finally {
                job.cancel().get();
            }

            List<PositionFrame> frames = JobExactlyOnceIntegrationTest.values(
                    StreamTestKit.readCommitted(kafka.bootstrapServers(), topics.positions(), PositionFrame.class));
            List<InteractionGraph> graphs = JobExactlyOnceIntegrationTest.values(
                    StreamTestKit.readCommitted(kafka.bootstrapServers(), topics.graphs(), InteractionGraph.class));
            assertThat(frames).hasSize(SCENES * FRAMES);
            for (int s = 0; s < SCENES; s++) {
                String scene = "restart-" + s;
                assertThat(frames.stream().filter(f -> f.getSceneId().equals(scene)).map(PositionFrame::getFrameIndex))
                        .as("frames of " + scene)
                        .containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
                assertThat(JobExactlyOnceIntegrationTest.ends(graphs, scene, InteractionGraph::getSceneId,
                        InteractionGraph::getWindowEndFrame)).as("graphs of " + scene)
                        .containsExactlyElementsOf(expectedEnds());
            }
            // Frames in = frames whose windows made graphs + dead letters: none here.
            assertThat(StreamTestKit.readCommitted(kafka.bootstrapServers(), topics.dlq(), DeadLetter.class))
                    .isEmpty();
        }
    }

    static List<Long> expectedEnds() {
        List<Long> ends = new ArrayList<>();
        for (long end = 48; end < FRAMES; end += STRIDE) {
            ends.add(end);
        }
        return ends;
    }

    /**
     * Idempotent, as the replay's producer: retries while the broker is down cannot duplicate or reorder. Its
     * timeouts outlast the outage. No metadata recovery: kafka-clients 4 re-bootstraps by default once every known
     * broker is unreachable, which drops the topic's partitions from the producer's metadata, and send() then blocks
     * until the broker is back (seen once in CI as "the feed went on while the broker was down" failing): the
     * scenario is a feed that keeps buffering through the outage.
     */
    static KafkaProducer<String, PositionFrame> feedProducer(EmbeddedKafka kafka, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        p.put("metadata.recovery.strategy", "none");
        return new KafkaProducer<>(p, new StringSerializer(), RegistrySerdes.valueSerializer(
                new TopicSpec<>(topic, String.class, PositionFrame.class), RealServices.registryConfig()));
    }

    static void awaitGraphs(EmbeddedKafka kafka, TestTopics topics, int count, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            assertThat(job.getJobStatus().get()).as("job status").isNotIn(JobStatus.FAILED, JobStatus.CANCELED);
            seen = StreamTestKit.readCommitted(kafka.bootstrapServers(), topics.graphs(), InteractionGraph.class)
                    .size();
            if (seen >= count) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("expected " + count + " committed graphs within 120 s, saw " + seen + "; "
                + endOffsets(kafka.bootstrapServers(), topics.graphs()) + "; "
                + endOffsets(kafka.bootstrapServers(), topics.positions()) + "; "
                + endOffsets(kafka.bootstrapServers(), topics.dlq()));
    }

    /**
     * The topic's end offsets as a read_committed reader sees them (the last stable offset, held back by an open
     * transaction) and as written: tells a job that stopped writing from output stuck behind a transaction.
     */
    static String endOffsets(String bootstrap, String topic) {
        StringBuilder out = new StringBuilder(topic);
        for (String isolation : List.of("read_committed", "read_uncommitted")) {
            Properties p = new Properties();
            p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(p,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                var parts = c.partitionsFor(topic).stream()
                        .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
                out.append(' ').append(isolation).append(' ').append(c.endOffsets(parts));
            } catch (RuntimeException e) {
                out.append(' ').append(isolation).append(" unreadable: ").append(e);
            }
        }
        return out.toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
