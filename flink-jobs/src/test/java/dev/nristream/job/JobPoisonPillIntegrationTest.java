package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.job.testing.StreamTestKit.TestTopics;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.PoisonPills;
import dev.nristream.testing.PoisonPills.Claim;
import dev.nristream.testing.RealServices;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * Size bombs (an array claiming 2^31-9 items, a string claiming 2^31-9 bytes, both with the topic's real schema
 * id) and 200 records naming one unknown schema id, interleaved with two good scenes on one partition: the job
 * neither dies of an OutOfMemoryError nor stalls; every bad record is a dead letter with its kind and reason,
 * and the good scenes yield every graph.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobPoisonPillIntegrationTest {

    static final int UNKNOWN = 0x7fffff20;
    static final int UNKNOWN_RECORDS = 200;
    static byte[] arrayBomb;
    static byte[] stringBomb;
    static Map<String, List<DeadLetter>> byKind;
    static Map<String, List<InteractionGraph>> graphs;

    @BeforeAll
    static void runJob() throws Exception {
        TestTopics topics = TestTopics.create("poison", 1);
        List<PositionFrame> a = StreamTestKit.springsScene("good-a", 5, 70, 1);
        List<PositionFrame> b = StreamTestKit.springsScene("good-b", 5, 70, 2);
        try (KafkaProducer<String, PositionFrame> frames = StreamTestKit.frameProducer(topics.positions());
                KafkaProducer<byte[], byte[]> raw = StreamTestKit.rawProducer()) {
            for (int k = 0; k < 70; k++) {
                send(frames, topics, a.get(k));
                send(frames, topics, b.get(k));
                if (k == 0) {
                    int id = new SchemaRegistryClient(RealServices.registryConfig())
                            .idOf(topics.positions() + "-value", PositionFrame.getClassSchema());
                    arrayBomb = PoisonPills.bomb(PositionFrame.getClassSchema(), id, Claim.ARRAY);
                    stringBomb = PoisonPills.bomb(PositionFrame.getClassSchema(), id, Claim.STRING);
                }
                if (k == 10) {
                    raw.send(new ProducerRecord<>(topics.positions(), bytes("array-bomb"), arrayBomb)).get();
                }
                if (k == 12) {
                    raw.send(new ProducerRecord<>(topics.positions(), bytes("string-bomb"), stringBomb)).get();
                }
                if (k >= 20 && k < 20 + UNKNOWN_RECORDS / 10) {
                    for (int i = 0; i < 10; i++) {
                        raw.send(new ProducerRecord<>(topics.positions(), bytes("ghost"), PoisonPills.unknownId(UNKNOWN)));
                    }
                }
            }
            frames.flush();
            raw.flush();
        }
        JobConfig cfg = StreamTestKit.config(topics, StreamTestKit.goldenModel(), "poison")
                .set(JobConfig.STRIDE, 10).build();
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

    @Test
    void goodScenesKeepFlowing() {
        for (String s : List.of("good-a", "good-b")) {
            assertThat(graphs.get(s)).extracting(InteractionGraph::getWindowEndFrame)
                    .containsExactlyInAnyOrder(48L, 58L, 68L);
        }
        assertThat(graphs).containsOnlyKeys("good-a", "good-b");
    }

    @Test
    void sizeBombsAreDeadLetteredWithTheClaimInTheReason() {
        assertThat(byKind).containsOnlyKeys("UNDECODABLE", "UNKNOWN_SCHEMA");
        Map<String, DeadLetter> bombs = byKind.get("UNDECODABLE").stream().collect(Collectors.toMap(
                d -> StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString(), d -> d));
        assertThat(bombs).containsOnlyKeys("array-bomb", "string-bomb");
        assertThat(bombs.get("array-bomb").getReason())
                .contains("claims " + PoisonPills.HUGE + " array items").contains("byte(s) left");
        assertThat(bombs.get("array-bomb").getValue()).isEqualTo(ByteBuffer.wrap(arrayBomb));
        assertThat(bombs.get("string-bomb").getReason())
                .contains("claims a string of " + PoisonPills.HUGE + " bytes");
        assertThat(bombs.get("string-bomb").getValue()).isEqualTo(ByteBuffer.wrap(stringBomb));
    }

    @Test
    void everyUnknownIdRecordIsDeadLetteredOnce() {
        List<DeadLetter> ghosts = byKind.get("UNKNOWN_SCHEMA");
        assertThat(ghosts).hasSize(UNKNOWN_RECORDS);
        assertThat(ghosts).allSatisfy(d -> assertThat(d.getReason()).contains("Unknown schema id " + UNKNOWN));
        assertThat(ghosts.stream().map(DeadLetter::getSourceOffset).distinct()).hasSize(UNKNOWN_RECORDS);
    }
}
