package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.PositionFrame;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.replay.ReplayState;
import dev.nristream.replay.TransactionalFrameSink;
import dev.nristream.testing.RealServices;
import java.io.IOException;
import java.nio.file.Files;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri replay ... --state FILE} as real child processes against the real broker and registry: stopped with
 * SIGINT, resumed, killed with SIGKILL in the middle of a transaction, resumed to the end. The topic, read with
 * read_committed, must hold every frame of every scene exactly once, in order, with the event times of one
 * uninterrupted replay.
 */
@ExtendWith(RealServices.class)
class ReplayResumeTest {

    private static final int SCENES = 3;
    private static final int FRAMES_PER_SCENE = 400;
    private static final int TOTAL = SCENES * FRAMES_PER_SCENE;

    @TempDir
    Path tmp;

    @Test
    void sigintAndSigkillThenResumeLoseNoFrameAndSendNoneTwice() throws Exception {
        String topic = "replay-resume-" + UUID.randomUUID();
        RealServices.createTopics(2, topic);
        Path state = tmp.resolve("sim.replay");
        List<String> args = List.of("replay", "sim", "--scenes", Integer.toString(SCENES), "--frames",
                Integer.toString(FRAMES_PER_SCENE), "--speed", "10", "--topic", topic,
                "--bootstrap", RealServices.bootstrapServers(), "--registry", RealServices.registryUrl(),
                "--state", state.toString());

        // Run 1: Ctrl-C part way. The replay commits what it sent and records that position.
        ChildNri first = ChildNri.start(tmp, "first", args);
        awaitPosition(state, 150, first);
        first.signal("INT");
        first.awaitExit();
        assertThat(first.stderr()).contains("stopped");
        long afterSigint = ReplayState.read(state).position();
        assertThat(afterSigint).isBetween(150L, TOTAL - 1L);
        assertThat(committedPosition(state)).isEqualTo(afterSigint);

        // A new replay refuses the state file of an unfinished one.
        DemoCommandTest.Run again = DemoCommandTest.run(args.toArray(String[]::new));
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("exists: pass --resume");

        // Run 2: resumed, then SIGKILL: no shutdown hook, an open transaction, nothing flushed.
        List<String> resume = new ArrayList<>(args);
        resume.add("--resume");
        ChildNri second = ChildNri.start(tmp, "second", resume);
        awaitPosition(state, afterSigint + 150, second);
        second.signal("KILL");
        second.awaitExit();
        assertThat(second.stderr()).contains("resuming after " + afterSigint + " frames");
        long seenBeforeKill = ReplayState.read(state).position();

        // Run 3: resumed to the end.
        ChildNri third = ChildNri.start(tmp, "third", resume);
        assertThat(third.awaitExit()).as(third.stderr()).isZero();
        long resumedAt = Long.parseLong(third.stderr().replaceAll("(?s).*resuming after (\\d+) frames.*", "$1"));
        // Kafka's position is the one committed with the frames: at least what the killed run had written down.
        assertThat(resumedAt).isGreaterThanOrEqualTo(seenBeforeKill).isLessThan(TOTAL);
        assertThat(ReplayState.read(state).position()).isEqualTo(TOTAL);

        List<PositionFrame> frames = readCommitted(topic);
        assertThat(frames).hasSize(TOTAL);
        Map<String, List<PositionFrame>> byScene = new TreeMap<>();
        for (PositionFrame f : frames) {
            byScene.computeIfAbsent(f.getSceneId(), k -> new ArrayList<>()).add(f);
        }
        assertThat(byScene).hasSize(SCENES);
        for (List<PositionFrame> scene : byScene.values()) {
            assertThat(scene).extracting(PositionFrame::getFrameIndex)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, FRAMES_PER_SCENE).boxed().toList());
            long t0 = scene.get(0).getEventTimeMs();
            for (PositionFrame f : scene) {
                // One time origin over the three runs: 10 Hz from the first run's start.
                assertThat(f.getEventTimeMs() - t0).isEqualTo(100L * f.getFrameIndex());
            }
        }
    }

    @Test
    void resumeNeedsAStateFileOfTheSameFeed() throws Exception {
        Path state = tmp.resolve("other.replay");
        ReplayState.start("tracking.positions", "sim --atoms=7", 0).write(state);
        DemoCommandTest.Run r = DemoCommandTest.run("replay", "sim", "--frames", "1", "--state", state.toString(), "--resume");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is a replay of [sim --atoms=7]");
        r = DemoCommandTest.run("replay", "sim", "--frames", "1", "--resume");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--resume needs --state FILE");
        Files.writeString(state, "{\"topic\": 3}");
        r = DemoCommandTest.run("replay", "sim", "--frames", "1", "--state", state.toString(), "--resume");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(state + " is not a replay state file");
    }

    private static long committedPosition(Path state) throws IOException {
        String group = TransactionalFrameSink.groupId(ReplayState.read(state).replayId());
        try (var admin = RealServices.kafka().admin()) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30,
                    TimeUnit.SECONDS);
            return offsets.values().iterator().next().offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitPosition(Path state, long atLeast, ChildNri child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(state) || ReplayState.read(state).position() < atLeast) {
            assertThat(child.process().isAlive()).as("replay ended before position %d: %s", atLeast, child.stderr())
                    .isTrue();
            assertThat(System.nanoTime()).as("position %d not reached: %s", atLeast, child.stderr())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<PositionFrame> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<PositionFrame> out = new ArrayList<>();
        try (KafkaConsumer<String, PositionFrame> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new AvroRegistryDeserializer<>(PositionFrame.class, RealServices.registryConfig()))) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("end of %s not reached", topic).isLessThan(deadline);
                for (ConsumerRecord<String, PositionFrame> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
