package dev.nristream.examples;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;

/**
 * A Kafka Streams consumer of {@code nri.graphs} with the project's registry serde: prints, per scene, the
 * strongest edges of each new graph.
 *
 * <pre>{@code
 * java -cp nri-examples.jar:... dev.nristream.examples.StreamGraphs --bootstrap localhost:9092 \
 *     --registry http://localhost:8081
 * }</pre>
 */
public final class StreamGraphs {

    private StreamGraphs() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExampleOptions o = ExampleOptions.parse("nri-graphs-streams-example", args);
        CountDownLatch done = new CountDownLatch(1);
        try (KafkaStreams streams = start(o, System.out, done)) {
            Runtime.getRuntime().addShutdownHook(new Thread(done::countDown));
            done.await();
        }
    }

    /**
     * Starts the topology; {@code done} counts down after {@code maxGraphs} graphs (never when 0). The caller
     * closes the returned {@link KafkaStreams}.
     */
    static KafkaStreams start(ExampleOptions o, PrintStream out, CountDownLatch done) {
        AtomicLong printed = new AtomicLong();
        StreamsBuilder b = new StreamsBuilder();
        b.stream(o.topic(), Consumed.with(Serdes.String(),
                        RegistrySerdes.serde(Topics.GRAPHS, RegistryConfig.of(o.registry()))))
                .filter((scene, graph) -> graph != null)
                .foreach((scene, graph) -> {
                    // Records keep coming until the caller closes the app: none is printed past the limit.
                    if (o.maxGraphs() > 0 && printed.get() >= o.maxGraphs()) {
                        return;
                    }
                    out.println(GraphLine.of(graph));
                    if (printed.incrementAndGet() == o.maxGraphs()) {
                        done.countDown();
                    }
                });
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, o.group());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        // at_least_once (the default) leaves the consumer at read_uncommitted: ask for committed records only.
        // exactly_once_v2 would imply read_committed, but also transactions this read-only app does not need.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A record that is not a graph is logged and skipped instead of stopping the application.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        try {
            p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("nri-graphs-streams").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaStreams streams = new KafkaStreams(b.build(), p);
        streams.start();
        return streams;
    }
}
