package dev.nristream.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) inside this JVM, on 127.0.0.1 with free
 * ports and a temporary log directory that {@link #close()} deletes. Set up for tests and the demo:
 * replication factor 1 everywhere (transactions work, so Flink's EXACTLY_ONCE sink does), no initial rebalance
 * delay, topics auto-created.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(4, Topics.POSITIONS.name());
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * Needs {@code kafka_2.13} and {@code kafka-server} on the classpath (optional dependencies of nri-common).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dir;
    private final int port;
    private final long startNanos;
    private volatile boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path dir, int port, long startNanos) {
        this.server = server;
        this.dir = dir;
        this.port = port;
        this.startNanos = startNanos;
    }

    /** Starts a broker with the default settings. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker; {@code overrides} are broker configs (e.g. {@code "log.retention.ms"}) applied last.
     *
     * @throws IllegalStateException when the broker does not come up, with the cause
     */
    public static EmbeddedKafka start(Map<String, ?> overrides) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return tryStart(overrides);
            } catch (RuntimeException e) {
                // Free ports are picked before the broker binds them: another process may win the race.
                last = e;
                LOG.warn("Embedded Kafka start attempt {} failed: {}", attempt, e.toString());
            }
        }
        throw new IllegalStateException("Embedded Kafka broker did not start after " + START_ATTEMPTS
                + " attempts: " + last.getMessage(), last);
    }

    private static EmbeddedKafka tryStart(Map<String, ?> overrides) {
        long t0 = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("nri-kafka-");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a temporary directory for the embedded broker", e);
        }
        KafkaRaftServer server = null;
        // Kafka halts the JVM on fatal faults; in a test JVM or the demo a logged error is the better outcome.
        Exit.setHaltProcedure((code, msg) -> {
            throw new IllegalStateException("Embedded Kafka wanted to halt the JVM (" + code + "): " + msg);
        });
        Exit.setExitProcedure((code, msg) -> {
            throw new IllegalStateException("Embedded Kafka wanted to exit the JVM (" + code + "): " + msg);
        });
        try {
            int brokerPort = freePort();
            int controllerPort = freePort();
            Map<String, Object> props = config(dir, brokerPort, controllerPort);
            props.putAll(overrides);
            KafkaConfig config = new KafkaConfig(props, false);
            format(config, dir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, dir, brokerPort, System.nanoTime());
            kafka.awaitReady();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            LOG.info("Embedded Kafka broker started in {} ms at {} (log dir {})", ms, kafka.bootstrapServers(), dir);
            return kafka;
        } catch (Exception e) {
            if (server != null) {
                try {
                    server.shutdown();
                    server.awaitShutdown();
                } catch (RuntimeException ignored) {
                    // Already failing: the first error is the one to report.
                }
            }
            deleteRecursively(dir);
            Exit.resetHaltProcedure();
            Exit.resetExitProcedure();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Map<String, Object> config(Path dir, int brokerPort, int controllerPort) {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("metadata.log.dir", dir.resolve("meta").toString());
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        // Fewer internal partitions: each costs a log directory and start-up work on 2 shared cores.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Flink's Kafka sink may ask for transaction timeouts up to an hour.
        p.put("transaction.max.timeout.ms", Long.toString(TimeUnit.HOURS.toMillis(1)));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("log.cleaner.threads", "1");
        return p;
    }

    private static void format(KafkaConfig config, Path dir) throws Exception {
        Formatter formatter = new Formatter()
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dir.resolve("meta").toString())
                .setDirectories(List.of(dir.resolve("data").toString(), dir.resolve("meta").toString()))
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()));
        formatter.run();
    }

    private void awaitReady() throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get();
        }
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /**
     * Creates the topics with {@code partitions} partitions each (replication factor 1) and waits until they
     * exist. Topics that already exist are left as they are.
     */
    public void createTopics(int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        List<NewTopic> topics = Arrays.stream(names).distinct()
                .map(n -> new NewTopic(n, partitions, (short) 1)).collect(Collectors.toList());
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic '" + entry.getKey() + "' on "
                                + bootstrapServers() + ": " + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + Arrays.toString(names), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Topics " + Arrays.toString(names) + " not created within 30 s on "
                    + bootstrapServers(), e);
        }
    }

    /** Names of the topics that exist now, internal ones left out. */
    public Set<String> topicNames() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list topics on " + bootstrapServers() + ": " + e, e);
        }
    }

    /** Stops the broker and deletes its log directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka at {} did not shut down cleanly: {}", bootstrapServers(), e.toString());
        } finally {
            deleteRecursively(dir);
            Exit.resetHaltProcedure();
            Exit.resetExitProcedure();
        }
        LOG.info("Embedded Kafka at {} stopped in {} ms after {} s up", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos));
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on 127.0.0.1: " + e, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", dir, e.toString());
        }
    }
}
