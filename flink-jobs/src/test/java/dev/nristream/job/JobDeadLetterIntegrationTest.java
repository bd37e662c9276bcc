package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison pills of every kind, interleaved with two good scenes on one partition: each bad record lands in the
 * dead-letter topic with its kind and reason (a re-sent frame too, as DUPLICATE), and the good scenes still yield
 * every graph.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobDeadLetterIntegrationTest {

    static final byte[] GARBAGE = "this is not avro".getBytes(StandardCharsets.UTF_8);
    static final byte[] UNKNOWN_ID = {0, 0x7f, (byte) 0xff, (byte) 0xff, 0x10, 2, 4, 6};
    static Map<String, List<DeadLetter>> byKind;
    static Map<String, List<InteractionGraph>> graphs;

    @BeforeAll
    static void runJob() throws Exception {
        TestTopics topics = TestTopics.create("dlq", 1);
        List<PositionFrame> a = StreamTestKit.springsScene("good-a", 5, 70, 1);
        List<PositionFrame> b = StreamTestKit.springsScene("good-b", 5, 70, 2);
        try (KafkaProducer<String, PositionFrame> frames = StreamTestKit.frameProducer(topics.positions());
                KafkaProducer<byte[], byte[]> raw = StreamTestKit.rawProducer()) {
            for (int k = 0; k < 70; k++) {
                send(frames, topics, a.get(k));
                send(frames, topics, b.get(k));
                switch (k) {
                    case 10 -> raw.send(new ProducerRecord<>(topics.positions(), bytes("junk"), GARBAGE)).get();
                    case 12 -> raw.send(new ProducerRecord<>(topics.positions(), bytes("ghost"), UNKNOWN_ID)).get();
                    case 14 -> send(frames, topics, withAgent(a.get(k), "nan-scene", Agent.newBuilder()
                            .setId("p9").setX(Double.NaN).setY(0).build()));
                    case 16 -> send(frames, topics, PositionFrame.newBuilder(a.get(k)).setSceneId("lonely")
                            .setAgents(a.get(k).getAgents().subList(0, 1)).build());
                    case 18 -> {
                        PositionFrame crowd = a.get(k);
                        for (int i = 0; i < 4; i++) {
                            crowd = withAgent(crowd, "crowd", Agent.newBuilder().setId("x" + i).setX(i).setY(i).build());
                        }
                        send(frames, topics, crowd); // 9 agents, max-agents 8
                    }
                    case 20 -> send(frames, topics, mocap(a.get(k)));
                    case 22 -> send(frames, topics, PositionFrame.newBuilder(a.get(k)).setSceneId("tomorrow")
                            .setEventTimeMs(System.currentTimeMillis() + 3_600_000L).build());
                    case 24 -> {
                        List<Agent> agents = new ArrayList<>(a.get(k).getAgents());
                        agents.set(2, Agent.newBuilder(agents.get(2)).setId("z".repeat(10_240)).build());
                        send(frames, topics, PositionFrame.newBuilder(a.get(k)).setSceneId("long-id")
                                .setAgents(agents).build());
                    }
                    case 26 -> {
                        send(frames, topics, PositionFrame.newBuilder(a.get(k)).setSceneId("rewind").build());
                        send(frames, topics, PositionFrame.newBuilder(a.get(k)).setSceneId("rewind")
                                .setFrameIndex(k + 1).setEventTimeMs(a.get(k).getEventTimeMs() - 300).build());
                    }
                    case 30 -> send(frames, topics, a.get(20)); // re-sent: DUPLICATE
                    case 60 -> send(frames, topics, PositionFrame.newBuilder(a.get(0)).setSceneId("straggler")
                            .setEventTimeMs(StreamTestKit.T0 - 10_000).build());
                    default -> { }
                }
            }
            frames.flush();
        }
        JobConfig cfg = StreamTestKit.config(topics, StreamTestKit.goldenModel(), "dlq")
                .set(JobConfig.STRIDE, 10).set(JobConfig.MAX_AGENTS, 8).build();
        NriStreamJob.fromConfig(cfg).execute(FlinkMiniCluster.environment(1));

        byKind = StreamTestKit.readCommitted(topics.dlq(), DeadLetter.class).stream().map(ConsumerRecord::value)
                .collect(Collectors.groupingBy(DeadLetter::getErrorKind));
        graphs = StreamTestKit.readCommitted(topics.graphs(), InteractionGraph.class).stream()
                .map(ConsumerRecord::value).collect(Collectors.groupingBy(InteractionGraph::getSceneId));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void send(KafkaProducer<String, PositionFrame> p, TestTopics t, PositionFrame f) throws Exception {
        p.send(new ProducerRecord<>(t.positions(), f.getSceneId(), f)).get();
    }

    static PositionFrame withAgent(PositionFrame f, String scene, Agent extra) {
        List<Agent> agents = new ArrayList<>(f.getAgents());
        agents.add(extra);
        return PositionFrame.newBuilder(f).setSceneId(scene).setAgents(agents).build();
    }

    static PositionFrame mocap(PositionFrame f) {
        List<Agent> joints = f.getAgents().stream().map(x -> Agent.newBuilder(x).setZ(1.0).build()).toList();
        return PositionFrame.newBuilder(f).setSceneId("mocap").setAgents(joints)
                .setCoordinates(CoordinateSystem.newBuilder().setUnit("asf").setOrigin("skeleton-root")
                        .setDimensions(3).build()).build();
    }

    static DeadLetter only(String kind) {
        assertThat(byKind).containsKey(kind);
        assertThat(byKind.get(kind)).hasSize(1);
        return byKind.get(kind).get(0);
    }

    @Test
    void goodScenesKeepFlowing() {
        for (String s : List.of("good-a", "good-b")) {
            assertThat(graphs.get(s)).extracting(InteractionGraph::getWindowEndFrame)
                    .containsExactlyInAnyOrder(48L, 58L, 68L);
        }
        assertThat(graphs).containsOnlyKeys("good-a", "good-b");
    }

    @Test
    void everyBadKindIsDeadLetteredOnceWithItsReason() {
        assertThat(byKind).containsOnlyKeys("UNDECODABLE", "UNKNOWN_SCHEMA", "NON_FINITE_COORDINATE",
                "TOO_FEW_AGENTS", "TOO_MANY_AGENTS", "MODEL_MISMATCH", "LATE", "FUTURE", "INVALID_FRAME",
                "TIME_BACKWARDS", "DUPLICATE");

        DeadLetter junk = only("UNDECODABLE");
        assertThat(junk.getValue()).isEqualTo(ByteBuffer.wrap(GARBAGE));
        assertThat(junk.getKey()).isEqualTo(ByteBuffer.wrap(bytes("junk")));
        assertThat(junk.getSourceTopic()).isEqualTo("dlq.positions");
        assertThat(junk.getSourceOffset()).isGreaterThan(0);
        assertThat(junk.getReason()).contains("dlq.positions/0@" + junk.getSourceOffset());

        DeadLetter ghost = only("UNKNOWN_SCHEMA");
        assertThat(ghost.getReason()).contains(String.valueOf(0x7fffff10));
        assertThat(ghost.getValue()).isEqualTo(ByteBuffer.wrap(UNKNOWN_ID));

        assertThat(only("NON_FINITE_COORDINATE").getReason()).contains("scene nan-scene frame 14: agent p9 has x = NaN");
        assertThat(only("TOO_FEW_AGENTS").getReason()).contains("scene lonely frame 16 has 1 agent");
        assertThat(only("TOO_MANY_AGENTS").getReason()).contains("scene crowd frame 18 has 9 agents")
                .contains("maximum of 8");
        assertThat(only("MODEL_MISMATCH").getReason()).contains("golden-random-springs expects 2D features")
                .contains("scene mocap has 3D positions");
        DeadLetter late = only("LATE");
        assertThat(late.getReason()).contains("scene straggler frame 0").contains("behind the watermark");
        assertThat(late.getKey()).isEqualTo(ByteBuffer.wrap(bytes("straggler")));

        DeadLetter future = only("FUTURE");
        assertThat(future.getReason()).contains("scene tomorrow frame 22").contains("ahead of the job's clock");
        assertThat(future.getValue()).as("the frame's bytes, to be sent again once its clock is fixed").isNotNull();
        assertThat(only("INVALID_FRAME").getReason()).contains("scene long-id frame 24")
                .contains("agent #2 has an id of 10240 characters");
        assertThat(only("TIME_BACKWARDS").getReason()).contains("scene rewind frame 27").contains("went backwards");
        assertThat(only("DUPLICATE").getReason()).contains("scene good-a frame 20").contains("already held");
    }
}
