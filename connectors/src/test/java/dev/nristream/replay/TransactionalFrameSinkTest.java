package dev.nristream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.PositionFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol of a resumable replay, on a MockProducer; the real broker is in cli's ReplayResumeTest. */
class TransactionalFrameSinkTest {

    private static final Serializer<PositionFrame> NO_VALUE = (topic, f) -> new byte[0];

    @TempDir
    Path tmp;

    private final AtomicLong now = new AtomicLong();
    private final List<Long> commits = new ArrayList<>();

    private TransactionalFrameSink sink(MockProducer<String, PositionFrame> producer) {
        producer.initTransactions();
        return new TransactionalFrameSink(producer, "t", "r1", new Properties(), Duration.ofMillis(200),
                commits::add, now::get, "topic t");
    }

    @Test
    void eachCommitCarriesThePositionOfItsLastFrameAsTheGroupOffset() {
        MockProducer<String, PositionFrame> producer = new MockProducer<>(true, null, new StringSerializer(),
                NO_VALUE);
        TransactionalFrameSink sink = sink(producer);
        for (long i = 1; i <= 5; i++) {
            sink.accept(ListSource.frame("a", i, i * 40, 25));
            sink.position(i);
            now.addAndGet(Duration.ofMillis(90).toNanos());
        }
        sink.flush();
        // Frames 90 ms apart, a 200 ms interval: a commit after frame 4 (270 ms in), then the flush's after 5.
        assertThat(commits).containsExactly(4L, 5L);
        assertThat(producer.history()).hasSize(5);
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.consumerGroupOffsetsHistory()).containsExactly(
                Map.of("nri-replay-r1", Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(4))),
                Map.of("nri-replay-r1", Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(5))));
        assertThat(sink.delivered()).isEqualTo(5);
        assertThat(sink.lastCommitted()).isEqualTo(5);
    }

    @Test
    void aFailedCommitAbortsAndKeepsTheLastCommittedPosition() {
        MockProducer<String, PositionFrame> producer = new MockProducer<>(true, null, new StringSerializer(),
                NO_VALUE);
        TransactionalFrameSink sink = sink(producer);
        sink.accept(ListSource.frame("a", 1, 40, 25));
        sink.position(1);
        sink.flush();
        sink.accept(ListSource.frame("a", 2, 80, 25));
        sink.position(2);
        producer.commitTransactionException = new KafkaException("broker gone");
        assertThatThrownBy(sink::flush).isInstanceOf(SinkException.class)
                .hasMessageContaining("broker gone").hasMessageContaining("last commit, 1, is kept");
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(commits).containsExactly(1L);
        assertThat(sink.delivered()).isEqualTo(1);
    }

    @Test
    void aFencedReplaySaysAnotherOneTookOver() {
        MockProducer<String, PositionFrame> producer = new MockProducer<>(true, null, new StringSerializer(),
                NO_VALUE);
        TransactionalFrameSink sink = sink(producer);
        sink.accept(ListSource.frame("a", 1, 40, 25));
        sink.position(1);
        producer.commitTransactionException = new ProducerFencedException("epoch");
        assertThatThrownBy(sink::flush).isInstanceOf(SinkException.class).hasMessageContaining("took over");
    }

    @Test
    void stateFilesAreReplacedWholeAndBadOnesNamed() throws Exception {
        Path file = tmp.resolve("r.replay");
        ReplayState s = ReplayState.start("t", "sim --scenes=2", 1_000);
        s.write(file);
        s.at(42).write(file);
        assertThat(ReplayState.read(file)).isEqualTo(s.at(42));
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).containsExactly("r.replay");
        Files.writeString(file, "{\"replay_id\": \"x\", \"topic\": \"t\"}");
        assertThatThrownBy(() -> ReplayState.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + " is not a replay state file").hasMessageContaining("feed");
    }
}
