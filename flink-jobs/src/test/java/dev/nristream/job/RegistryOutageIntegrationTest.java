package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.Agent;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.embedded.EmbeddedRegistry;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.AvroRegistrySerializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.OutputSamples;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry stopped mid-stream: the feed's serializer and the job's deserializer and serializers go on from
 * their caches (known schema ids need no request), so every window of the frames sent during the outage gets its
 * graph before the registry is back. A schema the clients have not seen fails clearly ({@code UNREACHABLE}, the
 * URL named; never a dead letter) and succeeds when retried after the restart, with the ids of before (a private
 * registry with a file store: the default in-memory one would come back empty). The job's first dead letter comes
 * during the outage and is written at once: the job resolved the dead-letter schema id when it started. Nothing
 * lost, nothing twice.
 *
 * <p>The outage lasts only as long as the stream needs to show all of that (a few seconds, not 30): the clients
 * cache known ids without expiry and send no request for them, so a longer outage exercises nothing more; a
 * refused connection fails at once, so no client timeout is involved either.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class RegistryOutageIntegrationTest {

    static final int SCENES = 3;
    static final int FRAMES = 120;
    static final int BEFORE_STOP = 70;
    static final int STRIDE = 5;

    @TempDir
    Path tmp;

    @Test
    void knownSchemasWorkFromCachesAndANewOneFailsClearlyUntilTheRegistryIsBack() throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().withDataDirectory(tmp.resolve("registry"))
                .withLogFile(Path.of("target", "apicurio-registry-outage.log")).start()) {
            RegistryConfig cfg = RegistryConfig.of(registry.url());
            String prefix = "outage-" + UUID.randomUUID();
            TestTopics topics = TestTopics.create(prefix, 2);
            List<List<PositionFrame>> scenes = new ArrayList<>();
            for (int s = 0; s < SCENES; s++) {
                scenes.add(StreamTestKit.springsScene(prefix + "-" + s, 5, FRAMES, 90 + s));
            }
            JobConfig jobCfg = StreamTestKit.config(topics, StreamTestKit.goldenModel(), prefix)
                    .set(JobConfig.REGISTRY_URL, registry.url())
                    .set(JobConfig.BOUNDED, false).set(JobConfig.STRIDE, STRIDE)
                    .set(JobConfig.CHECKPOINT_INTERVAL_MS, 300L)
                    .build();
            AvroRegistrySerializer<PositionFrame> feedSerializer = RegistrySerdes.valueSerializer(
                    new TopicSpec<>(topics.positions(), String.class, PositionFrame.class), cfg);
            AvroRegistrySerializer<DeadLetter> newSchema = RegistrySerdes.valueSerializer(
                    new TopicSpec<>(prefix + ".never-seen", String.class, DeadLetter.class), cfg);
            JobClient job = NriStreamJob.fromConfig(jobCfg).executeAsync(FlinkMiniCluster.environment(2));
            int frameId;
            try (KafkaProducer<String, PositionFrame> feed = feedProducer(feedSerializer)) {
                // Phase 1, registry up: the feed registers PositionFrame, the job InteractionGraph and forecasts.
                send(feed, topics.positions(), scenes, 0, BEFORE_STOP);
                awaitGraphs(topics, SCENES * ends(BEFORE_STOP).size(), job);
                frameId = feedSerializer.client().idOf(topics.positions() + "-value",
                        PositionFrame.getClassSchema());

                registry.stop();
                long requestsBefore = feedSerializer.client().requestCount();
                // Phase 2, registry down: the stream goes on from the caches.
                send(feed, topics.positions(), scenes, BEFORE_STOP, FRAMES);
                assertThat(feedSerializer.client().requestCount()).as("registry requests for known ids")
                        .isEqualTo(requestsBefore);
                awaitGraphs(topics, SCENES * ends(FRAMES).size(), job);
                // The job's first dead letter, while the registry is still down.
                feed.send(new ProducerRecord<>(topics.positions(), prefix + "-nan", withNaN(
                        scenes.get(0).get(FRAMES - 1), prefix + "-nan"))).get();
                awaitCommitted(topics.dlq(), 1, job);
                assertThat(registry.isAlive()).isFalse();

                // A schema nobody has seen, and a reader with an empty cache: clear failures, worth a retry.
                DeadLetter letter = OutputSamples.deadLetter("s", topics.positions(), 1, "UNDECODABLE", "test");
                assertThatThrownBy(() -> newSchema.serialize(prefix + ".never-seen", letter))
                        .isInstanceOfSatisfying(RegistryException.class,
                                e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.UNREACHABLE))
                        .hasMessageContaining(registry.baseUrl());
                byte[] someFrame = feedSerializer.serialize(topics.positions(), scenes.get(0).get(0));
                AvroRegistryDeserializer<PositionFrame> coldReader = new AvroRegistryDeserializer<>(
                        PositionFrame.class, cfg);
                assertThatThrownBy(() -> coldReader.deserialize(topics.positions(), someFrame))
                        .isInstanceOfSatisfying(RegistryException.class,
                                e -> assertThat(e.reason()).isEqualTo(RegistryException.Reason.UNREACHABLE));

                registry.restart();
                // Retried once it is back: the same serializer and reader now succeed; the store kept its ids.
                assertThat(newSchema.serialize(prefix + ".never-seen", letter)).isNotEmpty();
                assertThat(coldReader.deserialize(topics.positions(), someFrame)).isEqualTo(scenes.get(0).get(0));
                assertThat(new SchemaRegistryClient(cfg).idOf(topics.positions() + "-value",
                        PositionFrame.getClassSchema())).isEqualTo(frameId);
            } finally {
                job.cancel().get();
            }

            List<PositionFrame> frames = JobExactlyOnceIntegrationTest.values(StreamTestKit.readCommitted(
                    RealServices.bootstrapServers(), topics.positions(),
                    new AvroRegistryDeserializer<>(PositionFrame.class, cfg)));
            List<InteractionGraph> graphs = JobExactlyOnceIntegrationTest.values(StreamTestKit.readCommitted(
                    RealServices.bootstrapServers(), topics.graphs(),
                    new AvroRegistryDeserializer<>(InteractionGraph.class, cfg)));
            assertThat(frames).as("frames, the NaN one included").hasSize(SCENES * FRAMES + 1);
            for (List<PositionFrame> scene : scenes) {
                String id = scene.get(0).getSceneId();
                assertThat(frames.stream().filter(f -> f.getSceneId().equals(id)).map(PositionFrame::getFrameIndex))
                        .as("frames of " + id).containsExactlyElementsOf(LongStream.range(0, FRAMES).boxed().toList());
                assertThat(JobExactlyOnceIntegrationTest.ends(graphs, id, InteractionGraph::getSceneId,
                        InteractionGraph::getWindowEndFrame)).as("graphs of " + id)
                        .containsExactlyElementsOf(ends(FRAMES));
            }
            List<DeadLetter> letters = JobExactlyOnceIntegrationTest.values(StreamTestKit.readCommitted(
                    RealServices.bootstrapServers(), topics.dlq(), new AvroRegistryDeserializer<>(DeadLetter.class, cfg)));
            assertThat(letters).as("dead letters").singleElement().satisfies(d -> {
                assertThat(d.getErrorKind()).hasToString("NON_FINITE_COORDINATE");
                assertThat(d.getReason()).contains(prefix + "-nan");
            });
        }
    }

    static List<Long> ends(int frames) {
        List<Long> ends = new ArrayList<>();
        for (long end = 48; end < frames; end += STRIDE) {
            ends.add(end);
        }
        return ends;
    }

    static KafkaProducer<String, PositionFrame> feedProducer(AvroRegistrySerializer<PositionFrame> values) {
        java.util.Properties p = new java.util.Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), values);
    }

    static void send(KafkaProducer<String, PositionFrame> feed, String topic, List<List<PositionFrame>> scenes,
            int from, int to) {
        for (PositionFrame f : JobExactlyOnceIntegrationTest.frames(scenes, from, to)) {
            feed.send(new ProducerRecord<>(topic, f.getSceneId(), f));
        }
        feed.flush();
    }

    static PositionFrame withNaN(PositionFrame frame, String sceneId) {
        List<Agent> agents = new ArrayList<>(frame.getAgents());
        agents.set(0, Agent.newBuilder(agents.get(0)).setX(Double.NaN).build());
        return PositionFrame.newBuilder(frame).setSceneId(sceneId).setAgents(agents).build();
    }

    static void awaitGraphs(TestTopics topics, int count, JobClient job) throws Exception {
        awaitCommitted(topics.graphs(), count, job);
    }

    /** Counts committed records as raw bytes: reading them needs no registry, which may be down. */
    static void awaitCommitted(String topic, int count, JobClient job) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            assertThat(job.getJobStatus().get()).as("job status")
                    .isNotIn(org.apache.flink.api.common.JobStatus.FAILED,
                            org.apache.flink.api.common.JobStatus.CANCELED);
            seen = StreamTestKit.readCommitted(RealServices.bootstrapServers(), topic,
                    new ByteArrayDeserializer()).size();
            if (seen >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("expected " + count + " committed records on " + topic + " within 90 s, saw " + seen);
    }
}
