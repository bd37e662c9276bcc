package dev.nristream.bench;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a benchmark run's graphs and forecasts with read_committed. Counts those whose window ended inside the
 * measured span (their latency = receive time minus the window's last event time, and the job's own lag), and
 * keeps every graph it saw ({@link Graph}) for count checks and latency over time.
 */
final class BenchCollector implements Runnable {

    /** One graph as received. */
    record Graph(String scene, long windowEndMs, long receivedMs) {
        long latencyMs() {
            return receivedMs - windowEndMs;
        }
    }

    final AtomicLong graphs = new AtomicLong();
    final AtomicLong forecasts = new AtomicLong();
    private long strideSum;
    private long strideCount;
    volatile long strideMax;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroRegistryDeserializer<InteractionGraph> graphDe;
    private final AvroRegistryDeserializer<TrajectoryForecast> forecastDe;
    private final String graphTopic;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Double> latency = new ArrayList<>();
    private final List<Double> jobLag = new ArrayList<>();
    private final List<Graph> all = new ArrayList<>();
    private volatile long from = Long.MAX_VALUE;
    private volatile long to = Long.MIN_VALUE;

    BenchCollector(String bootstrap, RegistryConfig registry, String graphTopic, String forecastTopic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        graphDe = new AvroRegistryDeserializer<>(InteractionGraph.class, registry);
        forecastDe = new AvroRegistryDeserializer<>(TrajectoryForecast.class, registry);
        this.graphTopic = graphTopic;
        List<TopicPartition> parts = List.of(new TopicPartition(graphTopic, 0), new TopicPartition(forecastTopic, 0));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Starts it on a daemon thread. */
    Thread start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Windows ending in [fromMs, toMs) are measured. */
    void window(long fromMs, long toMs) {
        from = fromMs;
        to = toMs;
    }

    void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        try (consumer) {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    if (r.topic().equals(graphTopic)) {
                        InteractionGraph g = graphDe.deserialize(r.topic(), r.value());
                        long end = g.getWindowEndMs();
                        synchronized (this) {
                            all.add(new Graph(g.getSceneId(), end, now));
                            if (end >= from && end < to) {
                                graphs.incrementAndGet();
                                latency.add((double) (now - end));
                                jobLag.add((double) (g.getProcessingTimeMs() - end));
                                if (g.getStrideMs() != null) {
                                    strideSum += g.getStrideMs();
                                    strideCount++;
                                    strideMax = Math.max(strideMax, g.getStrideMs());
                                }
                            }
                        }
                    } else {
                        TrajectoryForecast f = forecastDe.deserialize(r.topic(), r.value());
                        long end = f.getOriginTimeMs();
                        if (end >= from && end < to) {
                            forecasts.incrementAndGet();
                        }
                    }
                }
            }
        }
    }

    synchronized double[] latencies() {
        return sorted(latency);
    }

    /** Mean {@code stride_ms} of the measured graphs (load shedding lengthens it), NaN when none carried it. */
    synchronized double strideMean() {
        return strideCount == 0 ? Double.NaN : (double) strideSum / strideCount;
    }

    synchronized double[] jobLags() {
        return sorted(jobLag);
    }

    /** Every graph received so far, in arrival order. */
    synchronized List<Graph> graphsSeen() {
        return new ArrayList<>(all);
    }

    static double[] sorted(List<Double> l) {
        double[] a = l.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
