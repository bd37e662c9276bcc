package dev.nristream.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.testing.RealServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Topic creation on a real KRaft broker: a created topic takes writes at once. */
@ExtendWith(RealServices.class)
class TopicAdminTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int PARTITIONS = 6;
    static final int RECORDS = 3_000;

    @Test
    void aTopicJustCreatedTakesABurstFromAProducerWithFiveRequestsInFlight() throws Exception {
        String topic = "topic-admin.burst";
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "256");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = TopicAdmin.admin(RealServices.bootstrapServers(), TIMEOUT);
                KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                        new StringSerializer())) {
            assertThat(TopicAdmin.createMissing(admin, List.of(topic), PARTITIONS, TIMEOUT)).containsExactly(topic);
            List<Future<?>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, "record-" + i)));
            }
            for (Future<?> a : acks) {
                a.get(); // a request refused while the broker opened its partition would fail here
            }
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                    .collect(Collectors.toMap(i -> new TopicPartition(topic, i), i -> OffsetSpec.latest()));
            long total = admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(r -> r.offset()).sum();
            assertThat(total).isEqualTo(RECORDS);
        }
    }

    @Test
    void waitingForATopicThatDoesNotExistNamesIt() {
        try (Admin admin = TopicAdmin.admin(RealServices.bootstrapServers(), Duration.ofSeconds(3))) {
            assertThatThrownBy(() -> TopicAdmin.awaitWritable(admin, List.of("topic-admin.never-created"),
                    Duration.ofSeconds(3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("topic-admin.never-created");
        }
    }
}
