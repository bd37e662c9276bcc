package dev.nristream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.avro.PositionFrame;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaFrameSinkTest {

    private static final Serializer<PositionFrame> NO_OP = (topic, f) -> new byte[0];

    @Test
    void keysBySceneAndCountsDeliveries() {
        MockProducer<String, PositionFrame> mock = new MockProducer<>(true, null, new StringSerializer(), NO_OP);
        KafkaFrameSink sink = new KafkaFrameSink(mock, "t", "mock");
        sink.accept(ListSource.frame("scene-1", 0, 0, 25));
        sink.accept(ListSource.frame("scene-2", 0, 0, 25));
        sink.flush();
        assertThat(mock.history()).extracting(r -> r.key()).containsExactly("scene-1", "scene-2");
        assertThat(mock.history()).extracting(r -> r.topic()).containsOnly("t");
        assertThat(sink.delivered()).isEqualTo(2);
    }

    @Test
    void aFailedDeliveryStopsTheReplayWithTheCause() {
        MockProducer<String, PositionFrame> mock = new MockProducer<>(false, null, new StringSerializer(), NO_OP);
        KafkaFrameSink sink = new KafkaFrameSink(mock, "t", "topic t at nowhere:1");
        sink.accept(ListSource.frame("s", 0, 0, 25));
        mock.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));
        assertThat(sink.failed()).isEqualTo(1);
        assertThatThrownBy(sink::checkHealthy).isInstanceOf(SinkException.class)
                .hasMessageContaining("topic t at nowhere:1").hasMessageContaining("no broker");
    }
}
