package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicAdmin;
import dev.nristream.topic.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a broker that only takes SASL/PLAIN logins, configured by {@code kafka.config} (what {@code ./nri job
 * --kafka-config FILE} sets): its source reads the frames and its transactional sink writes the graphs.
 */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class JobSecuredClusterIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void theJobReadsAndWritesThroughASaslListener() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder()
                .withSaslPlain("admin", "admin-pw", Map.of("nri-job", "job-pw"))
                .withLogFile(Path.of("target", "kafka-broker-sasl-job.log")).start()) {
            Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                    "security.protocol=SASL_PLAINTEXT",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"nri-job\" password=\"job-pw\";", ""));
            ClientConfigFile security = ClientConfigFile.load(file);
            StreamTestKit.TestTopics t = new StreamTestKit.TestTopics("sasl.positions", "sasl.graphs",
                    "sasl.forecasts", "sasl.positions.dlq");
            TopicAdmin.createMissing(TopicAdmin.admin(kafka.bootstrapServers(), Duration.ofSeconds(20), security),
                    List.of(t.positions(), t.graphs(), t.forecasts(), t.dlq()), 1, Duration.ofSeconds(20));

            List<PositionFrame> frames = StreamTestKit.springsScene("sasl-scene", 5, 80, 3);
            Properties p = security.applyTo(new Properties());
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<String, PositionFrame> producer = new KafkaProducer<>(p, new StringSerializer(),
                    RegistrySerdes.valueSerializer(new TopicSpec<>(t.positions(), String.class, PositionFrame.class),
                            RealServices.registryConfig()))) {
                List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
                for (PositionFrame f : frames) {
                    acks.add(producer.send(new ProducerRecord<>(t.positions(), f.getSceneId(), f)));
                }
                for (java.util.concurrent.Future<?> a : acks) {
                    a.get(); // every frame acknowledged through the SASL listener
                }
            }

            JobConfig cfg = StreamTestKit.config(t, StreamTestKit.goldenModel(), "sasl-job")
                    .set(JobConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                    .set(JobConfig.KAFKA_CONFIG, file.toString())
                    .set(JobConfig.STRIDE, 10).build();
            NriStreamJob.fromConfig(cfg).execute(FlinkMiniCluster.environment(1));

            List<Long> ends = new ArrayList<>();
            Properties c = security.applyTo(new Properties());
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, InteractionGraph> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new AvroRegistryDeserializer<>(InteractionGraph.class, RealServices.registryConfig()))) {
                TopicPartition tp = new TopicPartition(t.graphs(), 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                // Polled until the four windows show rather than up to the end offset as of now: the commit markers
                // that make the job's last transaction readable land a little after the job has finished.
                long deadline = System.currentTimeMillis() + 30_000;
                while (ends.size() < 4 && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> ends.add(r.value().getWindowEndFrame()));
                }
                // and a last look for anything beyond them (a duplicate would show here)
                consumer.poll(Duration.ofMillis(500)).forEach(r -> ends.add(r.value().getWindowEndFrame()));
            }
            assertThat(ends).containsExactly(48L, 58L, 68L, 78L);
        }
    }
}
