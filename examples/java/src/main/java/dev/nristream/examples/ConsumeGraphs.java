package dev.nristream.examples;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of {@code nri.graphs} with a plain {@link KafkaConsumer} and the project's registry deserializer:
 * prints, per scene, the strongest edges of each new graph (see docs/CONSUMING.md for the contract).
 *
 * <pre>{@code
 * java -cp nri-examples.jar:... dev.nristream.examples.ConsumeGraphs --bootstrap localhost:9092 \
 *     --registry http://localhost:8081 [--kafka-config client.properties]
 * }</pre>
 */
public final class ConsumeGraphs {

    private ConsumeGraphs() {
    }

    public static void main(String[] args) {
        ExampleOptions.main("ConsumeGraphs", () -> run(ExampleOptions.parse("nri-graphs-example", args), System.out,
                System.err, () -> false));
    }

    /** Consumes until {@code maxGraphs}, the idle timeout or {@code stop}; returns the number of graphs printed. */
    static long run(ExampleOptions o, PrintStream out, PrintStream err, BooleanSupplier stop) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, o.group());
        // The job writes in Kafka transactions: read_committed hides records of open and aborted transactions.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        o.security().applyTo(p);
        long printed = 0;
        long lastGraph = System.nanoTime();
        try (KafkaConsumer<String, InteractionGraph> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                RegistrySerdes.valueDeserializer(Topics.GRAPHS, o.registryConfig()))) {
            consumer.subscribe(List.of(o.topic()));
            while (!stop.getAsBoolean() && (o.maxGraphs() <= 0 || printed < o.maxGraphs())) {
                ConsumerRecords<String, InteractionGraph> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (RecordDeserializationException e) {
                    if (e.getCause() instanceof RegistryException re
                            && re.reason() != RegistryException.Reason.UNKNOWN_SCHEMA_ID) {
                        throw re; // the registry refused or is away: not the record's fault, do not skip it
                    }
                    // A record that is not a graph: say so and step over it (a real consumer might dead-letter it).
                    err.println("skipping undecodable record " + e.topicPartition() + "@" + e.offset() + ": "
                            + e.getCause());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, InteractionGraph> r : records) {
                    if (o.maxGraphs() > 0 && printed >= o.maxGraphs()) {
                        break; // a poll returns a batch: the rest of it is past the limit
                    }
                    if (r.value() != null) {
                        out.println(GraphLine.of(r.value()));
                        printed++;
                        lastGraph = System.nanoTime();
                    }
                }
                if (o.idleTimeout() != null && System.nanoTime() - lastGraph > o.idleTimeout().toNanos()) {
                    break;
                }
            }
        }
        out.flush();
        return printed;
    }
}
