package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.sim.SimulatedFeed;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri job --local} as a real child process, killed with SIGKILL after some graphs were committed and
 * started again on the same checkpoint directory: it resumes from the retained checkpoint (window buffers and source
 * offsets as checkpointed), so every window gets its graph once in read_committed output. A run that started
 * afresh from the committed offsets would lose the windows spanning the kill (their first frames were consumed
 * before it); one that re-read the topic would repeat graphs.
 */
@ExtendWith(RealServices.class)
class JobCrashResumeTest {

    private static final int SCENES = 3;
    private static final int FRAMES = 120;
    private static final int BEFORE_KILL = 70;
    private static final int STRIDE = 5;
    /** springs5's window: 49 frames, so the first graph ends at frame 48. */
    private static final int FIRST_END = 48;

    @TempDir
    Path tmp;

    @Test
    void sigkilledJobResumesFromItsRetainedCheckpointWithoutLossOrDuplicates() throws Exception {
        String prefix = "job-crash-" + UUID.randomUUID();
        String positions = prefix + ".positions";
        String graphs = prefix + ".graphs";
        RealServices.createTopics(2, positions, graphs, prefix + ".forecasts", prefix + ".dlq");
        List<String> args = List.of("job", "--local", "--model",
                DemoCommandTest.ROOT.resolve("models/springs5").toString(),
                "--bootstrap", RealServices.bootstrapServers(), "--registry", RealServices.registryUrl(),
                "-D", "topic.positions=" + positions, "-D", "topic.graphs=" + graphs,
                "-D", "topic.forecasts=" + prefix + ".forecasts", "-D", "topic.dlq=" + prefix + ".dlq",
                "-D", "group.id=" + prefix, "-D", "transactional-id-prefix=" + prefix,
                "-D", "checkpoint.dir=" + tmp.resolve("checkpoints").toUri(),
                "-D", "checkpoint.interval-ms=300", "-D", "stride=" + STRIDE, "-D", "device=cpu");
        List<PositionFrame> frames = frames();

        ChildNri first = ChildNri.start(tmp, "job1", "768m", args);
        try {
            send(positions, frames.subList(0, BEFORE_KILL * SCENES));
            awaitGraphs(graphs, SCENES * ends(BEFORE_KILL).size(), first);
        } finally {
            first.signal("KILL");
            first.awaitExit();
        }
        assertThat(first.stderr()).doesNotContain("resuming from retained checkpoint");

        ChildNri second = ChildNri.start(tmp, "job2", "768m", args);
        try {
            send(positions, frames.subList(BEFORE_KILL * SCENES, frames.size()));
            awaitGraphs(graphs, SCENES * ends(FRAMES).size(), second);
            assertThat(second.stderr()).contains("resuming from retained checkpoint");
        } finally {
            second.process().destroy();
            second.awaitExit();
        }

        Map<String, List<Long>> endsByScene = new TreeMap<>();
        for (InteractionGraph g : readCommitted(graphs,
                new AvroRegistryDeserializer<>(InteractionGraph.class, RealServices.registryConfig()))) {
            endsByScene.computeIfAbsent(g.getSceneId(), k -> new ArrayList<>()).add(g.getWindowEndFrame());
        }
        assertThat(endsByScene).hasSize(SCENES);
        for (List<Long> ends : endsByScene.values()) {
            assertThat(ends.stream().sorted().toList()).containsExactlyElementsOf(ends(FRAMES));
        }
    }

    private static List<PositionFrame> frames() {
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).build();
        List<PositionFrame> out = new ArrayList<>();
        try (SimulatedFeed feed = new SimulatedFeed(cfg, SCENES, 7, FRAMES, 1_700_000_000_000L)) {
            feed.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<Long> ends(int frames) {
        List<Long> ends = new ArrayList<>();
        for (long end = FIRST_END; end < frames; end += STRIDE) {
            ends.add(end);
        }
        return ends;
    }

    private static void send(String topic, List<PositionFrame> frames) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, PositionFrame> producer = new KafkaProducer<>(p, new StringSerializer(),
                RegistrySerdes.valueSerializer(new TopicSpec<>(topic, String.class, PositionFrame.class),
                        RealServices.registryConfig()))) {
            for (PositionFrame f : frames) {
                producer.send(new ProducerRecord<>(topic, f.getSceneId(), f));
            }
        }
    }

    private static void awaitGraphs(String topic, int count, ChildNri job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            assertThat(job.process().isAlive()).as("job ended: %s", job.stderr()).isTrue();
            seen = readCommitted(topic, (t, b) -> b).size();
            if (seen >= count) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("expected " + count + " committed graphs within 120 s, saw " + seen + "; "
                + job.stderr());
    }

    private static <V> List<V> readCommitted(String topic, Deserializer<V> values) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(values.deserialize(topic, r.value())));
            }
        }
        return out;
    }
}
