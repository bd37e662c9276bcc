package dev.nristream.examples;

import dev.nristream.avro.InteractionGraph;
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
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
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

    public static void main(String[] args) {
        ExampleOptions.main("StreamGraphs", () -> {
            ExampleOptions o = ExampleOptions.parse("nri-graphs-streams-example", args);
            CountDownLatch done = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            // A refused login (or any fatal error) ends the app with its message instead of a silent stop.
            try (KafkaStreams streams = start(o, System.out, done, e -> {
                failure.compareAndSet(null, e);
                done.countDown();
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            })) {
                Runtime.getRuntime().addShutdownHook(new Thread(done::countDown));
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure.get() != null) {
                throw failure.get() instanceof org.apache.kafka.common.KafkaException k ? k
                        : new org.apache.kafka.common.KafkaException(failure.get());
            }
        });
    }

    /**
     * Starts the topology; {@code done} counts down after {@code maxGraphs} graphs (never when 0). The caller
     * closes the returned {@link KafkaStreams}.
     */
    static KafkaStreams start(ExampleOptions o, PrintStream out, CountDownLatch done) {
        return start(o, out, done, null);
    }

    /** The same with a handler for errors that end a stream thread (null: Kafka Streams' default). */
    static KafkaStreams start(ExampleOptions o, PrintStream out, CountDownLatch done,
            StreamsUncaughtExceptionHandler onError) {
        AtomicLong printed = new AtomicLong();
        StreamsBuilder b = new StreamsBuilder();
        b.stream(o.topic(), Consumed.with(Serdes.String(),
                        RegistrySerdes.serde(Topics.GRAPHS, o.registryConfig())))
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
        o.security().applyTo(p); // every client of the app: consumer, producer, admin
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
        if (onError != null) {
            streams.setUncaughtExceptionHandler(onError);
        }
        streams.start();
        return streams;
    }
}
