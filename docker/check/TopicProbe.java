import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What docker/compose-check.sh asserts on, read from the published broker as a downstream user reads it
 * ({@code read_committed}, every partition from the start to its last stable offset): graph and forecast counts,
 * graphs per (scene, window) key, which model scored which kind of scene, and dead letters by kind, apart for the scored feed's scenes (ids starting with
 * SCORED_PREFIX) and the others. Prints one line of JSON.
 *
 * <p>{@code java docker/check/TopicProbe.java BOOTSTRAP REGISTRY_URL SCORED_PREFIX} with the CLI's class path in
 * CLASSPATH.
 */
public final class TopicProbe {

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: TopicProbe BOOTSTRAP REGISTRY_URL SCORED_PREFIX");
            System.exit(2);
        }
        RegistryConfig registry = RegistryConfig.of(args[1]);
        Map<String, Integer> perWindow = new HashMap<>();
        TreeSet<String> graphScenes = new TreeSet<>();
        TreeSet<String> graphModels = new TreeSet<>(); // "<scene id up to its first '-'>:<model id>"
        Deserializer<InteractionGraph> graphs = RegistrySerdes.valueDeserializer(Topics.GRAPHS, registry);
        long graphCount = drain(args[0], Topics.GRAPHS.name(), bytes -> {
            InteractionGraph g = graphs.deserialize(Topics.GRAPHS.name(), bytes);
            graphScenes.add(g.getSceneId());
            String scene = g.getSceneId();
            graphModels.add((scene.contains("-") ? scene.substring(0, scene.indexOf('-')) : scene) + ":"
                    + g.getModelId());
            perWindow.merge(g.getSceneId() + "@" + g.getWindowStartFrame(), 1, Integer::sum);
        });
        long forecastCount = drain(args[0], Topics.FORECASTS.name(), bytes -> { });
        Map<String, Integer> scoredDeadLetters = new TreeMap<>();
        Map<String, Integer> otherDeadLetters = new TreeMap<>();
        Deserializer<DeadLetter> dlq = RegistrySerdes.valueDeserializer(Topics.POSITIONS_DLQ, registry);
        drain(args[0], Topics.POSITIONS_DLQ.name(), bytes -> {
            DeadLetter d = dlq.deserialize(Topics.POSITIONS_DLQ.name(), bytes);
            String scene = d.getKey() == null ? "" : StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString();
            (scene.startsWith(args[2]) ? scoredDeadLetters : otherDeadLetters).merge(d.getErrorKind(), 1, Integer::sum);
        });
        List<String> duplicates = new ArrayList<>();
        perWindow.forEach((k, n) -> {
            if (n > 1) {
                duplicates.add(k + "x" + n);
            }
        });
        System.out.printf("{\"graphs\":%d,\"graph_keys\":%d,\"duplicate_graph_keys\":%d,\"duplicate_examples\":\"%s\","
                        + "\"forecasts\":%d,\"graph_scenes\":\"%s\",\"graph_models\":\"%s\",\"scored_dead_letters\":{%s},"
                        + "\"other_dead_letters\":{%s}}%n",
                graphCount, perWindow.size(), duplicates.size(),
                String.join(" ", duplicates.subList(0, Math.min(5, duplicates.size()))), forecastCount,
                String.join(" ", graphScenes), String.join(" ", graphModels), json(scoredDeadLetters),
                json(otherDeadLetters));
    }

    private static String json(Map<String, Integer> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((k, n) -> out.append(out.length() == 0 ? "" : ",").append('"').append(k).append("\":").append(n));
        return out.toString();
    }

    /** Reads every committed record of the topic, returns how many there were. */
    private static long drain(String bootstrap, String topic, Consumer<byte[]> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("did not reach the end of " + topic + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofSeconds(1))) {
                    each.accept(r.value());
                    n++;
                }
            }
        }
        return n;
    }
}
