package dev.nristream.bench;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.registry.AvroRegistrySerializer;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.sim.LiveScene;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.sim.Simulators;
import dev.nristream.topic.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmarks' live feed: K simulated springs scenes of N agents, one frame per scene per tick, event time =
 * the tick's wall-clock time, into one topic through the registry serializer. One byte producer sends every
 * record (good frames and whatever {@link Extra} adds), so records of one scene keep their order on the partition.
 *
 * <pre>{@code
 * try (BenchFeed feed = new BenchFeed(settings, bootstrap, registry, "bench.positions")) {
 *     ticker.scheduleAtFixedRate(feed::tick, 0, periodNanos, TimeUnit.NANOSECONDS);
 * }
 * }</pre>
 */
final class BenchFeed implements AutoCloseable {

    /**
     * What the feed sends.
     *
     * @param captureTime event time = the tick's scheduled time, as a tracking system stamps frames when it
     *     captures them and buffers them while Kafka is away (a blocked send then delays frames, it does not
     *     leave a gap in event time); false: the time the tick runs
     */
    record Settings(int scenes, int agents, double hz, boolean stagger, boolean idempotent, boolean trackAcks,
            boolean captureTime) {
    }

    /** Sends more records after each tick's good frames (the faults benchmark's bad records). */
    interface Extra {
        void afterTick(BenchFeed feed, long tick, long nowMs);
    }

    static final int LOOP_FRAMES = 250;
    private static final int DISTINCT_SIMULATIONS = 16;

    final Settings settings;
    final String topic;
    final AtomicLong sent = new AtomicLong();
    /** Good frames sent (the scenes' own, not what {@link Extra} adds). */
    final AtomicLong goodSent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    final AtomicLong maxLagMs = new AtomicLong();
    /** With trackAcks: per scene, {frame index, event time} of each acknowledged good frame, in partition order. */
    final Map<String, List<long[]>> ackedFrames = new ConcurrentHashMap<>();
    private final KafkaProducer<byte[], byte[]> kafka;
    private final AvroRegistrySerializer<PositionFrame> serializer;
    private final double[][][] loops;
    private final byte[][] lastFrame;
    private final long t0 = System.currentTimeMillis();
    private volatile Extra extra;
    private long tick;

    BenchFeed(Settings settings, String bootstrap, RegistryConfig registry, String topic) {
        this.settings = settings;
        this.topic = topic;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        if (settings.idempotent) {
            // As the replay's producer: retries across a broker restart neither duplicate nor reorder, and the
            // timeouts outlast an outage.
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "180000");
            p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L << 20));
        } else {
            p.put(ProducerConfig.ACKS_CONFIG, "1");
        }
        this.kafka = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.serializer = RegistrySerdes.valueSerializer(
                new TopicSpec<>(topic, String.class, PositionFrame.class), registry);
        this.loops = simulate(settings.agents, Math.min(DISTINCT_SIMULATIONS, settings.scenes));
        this.lastFrame = new byte[settings.scenes][];
    }

    void withExtra(Extra e) {
        this.extra = e;
    }

    static String sceneId(int s) {
        return "scene-" + s;
    }

    /** Sends one frame per scene (scheduled at the feed's rate), then the extra records. */
    void tick() {
        long k = tick++;
        long scheduled = t0 + Math.round(k * 1000.0 / settings.hz);
        long wall = System.currentTimeMillis();
        maxLagMs.accumulateAndGet(wall - scheduled, Math::max);
        long now = settings.captureTime ? scheduled : wall;
        long ticksPerSecond = Math.max(1, Math.round(settings.hz));
        for (int s = 0; s < settings.scenes; s++) {
            if (settings.stagger && k < s % ticksPerSecond) {
                continue;
            }
            PositionFrame f = frame(s, k, now);
            byte[] bytes = serialize(f);
            lastFrame[s] = bytes;
            goodSent.incrementAndGet();
            String scene = f.getSceneId();
            long index = k;
            send(scene.getBytes(StandardCharsets.UTF_8), bytes, !settings.trackAcks ? null : (m, e) -> {
                if (e == null) {
                    ackedFrames.computeIfAbsent(scene, x -> Collections.synchronizedList(new ArrayList<>()))
                            .add(new long[] {index, now});
                }
            });
        }
        Extra x = extra;
        if (x != null) {
            x.afterTick(this, k, now);
        }
    }

    /** Scene s's good frame k, sent at {@code nowMs}. */
    PositionFrame frame(int s, long k, long nowMs) {
        int n = settings.agents;
        double[] row = loops[s % loops.length][(int) ((k + 37L * s) % LOOP_FRAMES)];
        List<Agent> agents = new ArrayList<>(n);
        for (int a = 0; a < n; a++) {
            agents.add(Agent.newBuilder().setId("p" + a).setX(row[a]).setY(row[n + a])
                    .setVx(row[2 * n + a]).setVy(row[3 * n + a]).build());
        }
        return PositionFrame.newBuilder().setSceneId(sceneId(s))
                .setSourceKind(SourceKind.SIMULATION).setFrameIndex(k).setEventTimeMs(nowMs)
                .setSamplingRateHz(settings.hz)
                .setCoordinates(CoordinateSystem.newBuilder().setUnit("sim").setOrigin("center")
                        .setDimensions(2).build())
                .setAgents(agents).build();
    }

    /** The wire-format bytes of the frame last sent for scene s (null before its first). */
    byte[] lastFrameBytes(int s) {
        return lastFrame[s];
    }

    byte[] serialize(PositionFrame f) {
        return serializer.serialize(topic, f);
    }

    /** Sends one record; {@code then} (may be null) runs on the broker's answer, after the feed's counting. */
    void send(byte[] key, byte[] value, Callback then) {
        sent.incrementAndGet();
        kafka.send(new ProducerRecord<>(topic, key, value), (m, e) -> {
            if (e == null) {
                acked.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
            if (then != null) {
                then.onCompletion(m, e);
            }
        });
    }

    void flush() {
        kafka.flush();
    }

    @Override
    public void close() {
        kafka.close(Duration.ofSeconds(10));
    }

    /** Positions and velocities of a few simulations, each LOOP_FRAMES long: [sim][frame][x.. y.. vx.. vy..]. */
    private static double[][][] simulate(int n, int sims) {
        double[][][] out = new double[sims][LOOP_FRAMES][4 * n];
        SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(n).build();
        for (int s = 0; s < sims; s++) {
            LiveScene live = Simulators.forConfig(cfg).live(2024, s);
            double[] loc = new double[2 * n];
            double[] vel = new double[2 * n];
            for (int f = 0; f < LOOP_FRAMES; f++) {
                live.next(loc, vel);
                System.arraycopy(loc, 0, out[s][f], 0, 2 * n);
                System.arraycopy(vel, 0, out[s][f], 2 * n, 2 * n);
            }
        }
        return out;
    }
}
