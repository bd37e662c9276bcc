package dev.nristream.job.testing;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.job.JobConfig;
import dev.nristream.model.EdgeOrder;
import dev.nristream.registry.AvroRegistryDeserializer;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.sim.LiveScene;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.sim.Simulators;
import dev.nristream.testing.CommittedRecords;
import dev.nristream.testing.RealServices;
import dev.nristream.topic.TopicSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the job's integration tests share: topics per test, a job config, simulated frames, read_committed reads. */
public final class StreamTestKit {

    /** A fixed epoch for simulated event times, so runs are reproducible. */
    public static final long T0 = 1_700_000_000_000L;

    private StreamTestKit() {
    }

    /** The four topics of one test, named after it so tests never see each other's records. */
    public record TestTopics(String positions, String graphs, String forecasts, String dlq) {
        public static TestTopics create(String prefix, int partitions) {
            TestTopics t = new TestTopics(prefix + ".positions", prefix + ".graphs", prefix + ".forecasts",
                    prefix + ".positions.dlq");
            RealServices.createTopics(partitions, t.positions, t.graphs, t.forecasts, t.dlq);
            return t;
        }
    }

    /** The golden random-weight model directory on the test classpath. */
    public static Path goldenModel() {
        try {
            return Path.of(StreamTestKit.class.getResource("/golden-model/model.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A job config against the harness's broker and registry, reading from the beginning, bounded. */
    public static JobConfig.Builder config(TestTopics t, Path model, String id) {
        return JobConfig.builder()
                .set(JobConfig.BOOTSTRAP_SERVERS, RealServices.bootstrapServers())
                .set(JobConfig.REGISTRY_URL, RealServices.registryUrl())
                .set(JobConfig.TOPIC_POSITIONS, t.positions())
                .set(JobConfig.TOPIC_GRAPHS, t.graphs())
                .set(JobConfig.TOPIC_FORECASTS, t.forecasts())
                .set(JobConfig.TOPIC_DLQ, t.dlq())
                .set(JobConfig.MODEL_DIR, model.toString())
                .set(JobConfig.GROUP_ID, id)
                .set(JobConfig.TRANSACTIONAL_ID_PREFIX, id)
                .set(JobConfig.STARTING_OFFSETS, JobConfig.StartingOffsets.EARLIEST)
                .set(JobConfig.BOUNDED, true)
                .set(JobConfig.CHECKPOINT_INTERVAL_MS, 300L)
                .set(JobConfig.DEVICE, "cpu");
    }

    /** A producer of frames in the registry wire format. */
    public static KafkaProducer<String, PositionFrame> frameProducer(String topic) {
        return new KafkaProducer<>(producerProps(), new StringSerializer(), RegistrySerdes.valueSerializer(
                new TopicSpec<>(topic, String.class, PositionFrame.class), RealServices.registryConfig()));
    }

    /** A producer of raw bytes (poison pills). */
    public static KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    /** Sends frames keyed by scene id and waits for them all. */
    /**
     * Sends frames keyed by scene id and fails if any is not acknowledged: a fire-and-forget send lost a whole
     * partition's frames once in CI (its error went to a callback nobody read) and a test then counted too few
     * graphs without saying why. (Topics from {@link TestTopics#create} take writes at once: creation waits until the
     * broker serves every partition, see {@code TopicAdmin.awaitWritable}.)
     */
    public static void send(String topic, List<PositionFrame> frames) {
        try {
            sendChecked(topic, frames);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending to " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("a frame sent to " + topic + " was not acknowledged", e);
        }
    }

    /** As {@link #send}, with the producer's failure as it came. */
    public static void sendChecked(String topic, List<PositionFrame> frames) throws Exception {
        try (KafkaProducer<String, PositionFrame> p = frameProducer(topic)) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (PositionFrame f : frames) {
                acks.add(p.send(new ProducerRecord<>(topic, f.getSceneId(), f)));
            }
            for (java.util.concurrent.Future<?> a : acks) {
                a.get();
            }
        }
    }

    /** A springs scene with ground-truth edges: frames 0..count-1, 100 ms apart. */
    public static List<PositionFrame> springsScene(String sceneId, int atoms, int count, long seed) {
        return particleScene(SimSystem.SPRINGS, sceneId, atoms, count, seed);
    }

    /** A springs or charged scene with ground-truth edges and velocities, 10 Hz. */
    public static List<PositionFrame> particleScene(SimSystem system, String sceneId, int atoms, int count, long seed) {
        SimConfig cfg = SimConfig.builder().setSystem(system).setAtoms(atoms).build();
        LiveScene live = Simulators.forConfig(cfg).live(seed, 0);
        int[][] edges = live.edges();
        List<GroundTruthEdge> truth = new ArrayList<>();
        // edges[i][j] couples i and j; for springs it is symmetric
        EdgeOrder.forEach(atoms, (e, i, j) -> truth.add(GroundTruthEdge.newBuilder().setSender("p" + j)
                .setReceiver("p" + i).setEdgeType(edges[i][j]).build()));
        double[] loc = new double[2 * atoms];
        double[] vel = new double[2 * atoms];
        List<PositionFrame> frames = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            live.next(loc, vel);
            List<Agent> agents = new ArrayList<>(atoms);
            for (int a = 0; a < atoms; a++) {
                agents.add(Agent.newBuilder().setId("p" + a).setX(loc[a]).setY(loc[atoms + a])
                        .setVx(vel[a]).setVy(vel[atoms + a]).build());
            }
            frames.add(frame(sceneId, k, T0 + 100L * k, agents).setGroundTruthEdges(truth).build());
        }
        return frames;
    }

    /** A frame builder with the simulation's coordinate system. */
    public static PositionFrame.Builder frame(String sceneId, long index, long timeMs, List<Agent> agents) {
        return PositionFrame.newBuilder()
                .setSceneId(sceneId)
                .setSourceKind(SourceKind.SIMULATION)
                .setFrameIndex(index)
                .setEventTimeMs(timeMs)
                .setSamplingRateHz(10.0)
                .setCoordinates(CoordinateSystem.newBuilder().setUnit("sim").setOrigin("center").setDimensions(2)
                        .build())
                .setAgents(agents);
    }

    /** Every committed record of {@code topic}, read with isolation.level=read_committed up to the end. */
    public static <V extends SpecificRecord> List<ConsumerRecord<String, V>> readCommitted(String topic, Class<V> type) {
        return CommittedRecords.read(topic, type);
    }

    /** As {@link #readCommitted(String, Class)}, from another broker (a private one a test stops and restarts). */
    public static <V extends SpecificRecord> List<ConsumerRecord<String, V>> readCommitted(String bootstrap,
            String topic, Class<V> type) {
        return readCommitted(bootstrap, topic, new AvroRegistryDeserializer<>(type, RealServices.registryConfig()));
    }

    /** Every committed record of {@code topic} on {@code bootstrap}, values decoded by {@code values}. */
    public static <V> List<ConsumerRecord<String, V>> readCommitted(String bootstrap, String topic,
            Deserializer<V> values) {
        return CommittedRecords.read(bootstrap, topic, values);
    }
}
