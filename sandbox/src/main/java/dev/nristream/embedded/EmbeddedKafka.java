package dev.nristream.embedded;

import dev.nristream.topic.TopicAdmin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) as a child process ({@code kafka.Kafka}, see
 * {@link KafkaBrokerDistribution}), on 127.0.0.1 with free ports and a temporary directory (storage, generated
 * {@code server.properties}) that {@link #close()} deletes. Set up for tests and the demo: replication factor 1
 * everywhere (transactions work, so Flink's EXACTLY_ONCE sink does), no initial rebalance delay, topics
 * auto-created.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(4, Topics.POSITIONS.name());
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>A separate JVM, so the broker's own kafka-clients, Scala and Jackson never meet this JVM's. The broker's log
 * goes to a file ({@link Builder#withLogFile}, default inside the temporary directory); a broker that does not
 * get ready within the timeout, or exits first, fails the start with the log's tail. {@link #close()} stops it
 * cleanly (SIGTERM, then a kill after {@value #STOP_GRACE_SECONDS} s), and a shutdown hook does the same should this
 * JVM end first. {@link #stop()} (or {@link #kill()}) and {@link #restart()} take the broker away and bring it back on the same log
 * directories and port, for fault tests. Needs {@code nri-kafka-broker} on the class path (an optional dependency of nri-common).
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** System property: seconds to wait for the broker to become ready (default 120). */
    public static final String START_TIMEOUT_PROPERTY = "nri.kafka.start.timeout.s";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;
    private static final int STOP_GRACE_SECONDS = 30;
    private static final String LOG4J2_CONFIG = String.join("\n",
            "status = warn",
            "appender.out.type = Console",
            "appender.out.name = out",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.out.ref = out",
            // Every client and server config dump is hundreds of lines: they would push the cause out of a tail.
            "logger.config.name = org.apache.kafka.common.config.AbstractConfig",
            "logger.config.level = warn",
            "");

    private final Launch launch;
    private final int port;
    private final long startNanos;
    private final Map<String, Object> clientConfig;
    private volatile ChildProcess process;
    private volatile long startupMillis;
    private volatile boolean closed;
    /** Set while {@link #stop()} ends the process: its directory stays for {@link #restart()}. */
    private volatile boolean keepData;

    /** What starts the broker process again on the same directory and ports. */
    private record Launch(String name, List<String> command, Path dir, String classPath, Path log,
            ClassDataArchive cds, Duration startTimeout) {
    }

    private EmbeddedKafka(Launch launch, int port, long startNanos, Map<String, Object> clientConfig) {
        this.launch = launch;
        this.port = port;
        this.startNanos = startNanos;
        this.clientConfig = Map.copyOf(clientConfig);
    }

    /** Starts a broker with the default settings. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    /**
     * Starts a broker; {@code overrides} are broker configs (e.g. {@code "log.retention.ms"}) applied last.
     *
     * @throws IllegalStateException when the broker does not come up, with the tail of its log
     */
    public static EmbeddedKafka start(Map<String, ?> overrides) {
        return builder().withConfigs(overrides).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** An admin client for this broker (with the credentials of {@link #clientConfig()}); the caller closes it. */
    public Admin admin() {
        Map<String, Object> c = new LinkedHashMap<>(clientConfig);
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(c);
    }

    /**
     * What a client needs besides {@code bootstrap.servers} to talk to this broker: nothing for the default
     * plaintext broker; {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} of its
     * admin user for one started {@link Builder#withSaslPlain with SASL}; the truststore with {@link Builder#withTls},
     * and the test client's keystore with {@link Builder#withRequiredClientCertificates}.
     */
    public Map<String, Object> clientConfig() {
        return clientConfig;
    }

    /** The broker's log file. */
    public Path logFile() {
        return process.log();
    }

    /** Milliseconds from launching the broker process to its first answer. */
    public long startupMillis() {
        return startupMillis;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the broker process cleanly (SIGTERM, as an operator's restart would) but keeps its log directories,
     * so that {@link #restart()} brings the same broker back: same cluster, topics, records, producer state and
     * transactions, same port. Clients see the broker gone meanwhile. For fault tests.
     */
    public synchronized void stop() {
        if (closed) {
            throw new IllegalStateException("broker at " + bootstrapServers() + " is closed");
        }
        long t0 = System.nanoTime();
        keepData = true;
        try {
            process.close();
        } finally {
            keepData = false;
        }
        LOG.info("Embedded Kafka at {} stopped for a restart in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * Kills the broker process (SIGKILL: no controlled shutdown, nothing flushed, as a crash or the OOM killer
     * would) but keeps its log directories for {@link #restart()}, which then recovers them as after a crash
     * (unflushed segments checked, producer state and transactions rebuilt from the logs). For fault tests.
     */
    public synchronized void kill() {
        if (closed) {
            throw new IllegalStateException("broker at " + bootstrapServers() + " is closed");
        }
        keepData = true;
        try {
            process.kill();
        } finally {
            keepData = false;
        }
        LOG.info("Embedded Kafka at {} killed (SIGKILL)", bootstrapServers());
    }

    /**
     * Starts the broker stopped by {@link #stop()} or {@link #kill()} again on its log directories and its port, and waits until it
     * answers.
     *
     * @throws IllegalStateException when it is still running, closed, or does not come back (with its log's tail;
     *     the port may have been taken meanwhile)
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("broker at " + bootstrapServers() + " is closed");
        }
        if (process.isAlive()) {
            throw new IllegalStateException("broker at " + bootstrapServers() + " is running: stop() it first");
        }
        long t0 = System.nanoTime();
        process = spawn(launch, new AtomicBoolean(true));
        awaitReady(t0 + launch.startTimeout().toNanos(), launch.startTimeout());
        LOG.info("Embedded Kafka restarted in {} ms at {} (child process {})",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), bootstrapServers(), process.pid());
    }

    /**
     * Creates the topics with {@code partitions} partitions each (replication factor 1) and waits until the broker
     * serves every partition ({@link TopicAdmin#awaitWritable}). Topics that already exist are left as they are.
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
            TopicAdmin.awaitWritable(admin, Arrays.asList(names), Duration.ofSeconds(30));
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

    /** Stops the broker process and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        process.close();
        LOG.info("Embedded Kafka at {} stopped in {} ms after {} s up", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos));
    }

    /** Options for starting; all optional. */
    public static final class Builder {
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, Object> clientConfig = new LinkedHashMap<>();
        private final Map<String, String> scramUsers = new LinkedHashMap<>();
        private boolean sasl;
        private boolean tls;
        private TestTls tlsMaterial;
        private boolean clientCertificates;
        private Path logFile;
        private Duration startTimeout = Duration.ofSeconds(Long.getLong(START_TIMEOUT_PROPERTY, 120));

        private Builder() {
        }

        /** Where the broker's output goes (appended); default a file in the broker's temporary directory. */
        public Builder withLogFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder withStartTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Clients must authenticate with SASL/PLAIN (listener {@code SASL_PLAINTEXT}; the controller listener stays
         * internal): {@code users} maps user names to passwords; the admin user is what {@link #admin()} and the
         * readiness check use. A secured cluster to test clients against, not a production setup; with
         * {@link #withTls} the listener is {@code SASL_SSL}, with {@link #withScramUsers} it also takes SCRAM logins.
         */
        public Builder withSaslPlain(String adminUser, String adminPassword, Map<String, String> users) {
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                    .append(" username=\"").append(adminUser).append("\" password=\"").append(adminPassword)
                    .append("\" user_").append(adminUser).append("=\"").append(adminPassword).append('"');
            users.forEach((u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
            jaas.append(';');
            sasl = true;
            withConfig("sasl.enabled.mechanisms", "PLAIN");
            withConfig("sasl.mechanism.inter.broker.protocol", "PLAIN");
            withConfig("listener.name.plaintext.plain.sasl.jaas.config", jaas.toString());
            clientConfig.put("sasl.mechanism", "PLAIN");
            clientConfig.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"" + adminUser + "\" password=\"" + adminPassword + "\";");
            return this;
        }

        /**
         * Users who log in with SCRAM (SHA-256 or SHA-512: both mechanisms are enabled and both credentials made)
         * besides the PLAIN ones of {@link #withSaslPlain} (which this needs: the admin, the broker itself and the
         * readiness check use PLAIN); their credentials are created through the admin client once the broker is up,
         * before {@link #start} returns.
         */
        public Builder withScramUsers(Map<String, String> users) {
            scramUsers.putAll(users);
            withConfig("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
            withConfig("listener.name.plaintext.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            withConfig("listener.name.plaintext.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            return this;
        }

        /**
         * Clients connect over TLS ({@code SSL}, or {@code SASL_SSL} with {@link #withSaslPlain}) to a broker holding
         * the key in {@code keystore}; clients (and the broker's own) trust {@code truststore}. All PKCS12 with the
         * one password, as {@link TestTls#generate} makes them.
         */
        public Builder withTls(TestTls material) {
            tls = true;
            tlsMaterial = material;
            withConfig("ssl.keystore.type", "PKCS12");
            withConfig("ssl.keystore.location", material.keystore().toString());
            withConfig("ssl.keystore.password", material.password());
            withConfig("ssl.key.password", material.password());
            withConfig("ssl.truststore.type", "PKCS12");
            withConfig("ssl.truststore.location", material.truststore().toString());
            withConfig("ssl.truststore.password", material.password());
            clientConfig.put("ssl.truststore.type", "PKCS12");
            clientConfig.put("ssl.truststore.location", material.truststore().toString());
            clientConfig.put("ssl.truststore.password", material.password());
            return this;
        }

        /**
         * Mutual TLS: the broker refuses clients without a certificate it trusts ({@code ssl.client.auth=required});
         * needs {@link #withTls}. {@link #clientConfig()} (the admin, the readiness check) presents the test client's
         * certificate.
         */
        public Builder withRequiredClientCertificates() {
            clientCertificates = true;
            // Broker-wide ssl.client.auth applies to SSL listeners only; SASL_SSL ones need the listener prefix.
            withConfig("listener.name.plaintext.ssl.client.auth", "required");
            return this;
        }

        /** A broker config applied after the defaults, e.g. {@code ("log.retention.ms", 60000)}. */
        public Builder withConfig(String key, Object value) {
            overrides.put(Objects.requireNonNull(key), String.valueOf(value));
            return this;
        }

        public Builder withConfigs(Map<String, ?> configs) {
            configs.forEach(this::withConfig);
            return this;
        }

        /**
         * Starts the broker and waits until it answers.
         *
         * @throws IllegalStateException naming what is missing (the broker's jars) or, when the broker does not
         *     get ready, its log file and the log's tail
         */
        public EmbeddedKafka start() {
            if (!scramUsers.isEmpty() && !sasl) {
                throw new IllegalStateException("withScramUsers needs withSaslPlain (the admin logs in with PLAIN)");
            }
            if (clientCertificates) {
                if (!tls) {
                    throw new IllegalStateException("withRequiredClientCertificates needs withTls");
                }
                clientConfig.put("ssl.keystore.type", "PKCS12");
                clientConfig.put("ssl.keystore.location", tlsMaterial.clientKeystore().toString());
                clientConfig.put("ssl.keystore.password", tlsMaterial.password());
                clientConfig.put("ssl.key.password", tlsMaterial.password());
            }
            String protocol = sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls ? "SSL" : "PLAINTEXT");
            withConfig("listener.security.protocol.map", "PLAINTEXT:" + protocol + ",CONTROLLER:PLAINTEXT");
            if (sasl || tls) {
                clientConfig.put("security.protocol", protocol);
            }
            KafkaBrokerDistribution broker = KafkaBrokerDistribution.find();
            if (logFile != null) {
                try {
                    Files.createDirectories(logFile.toAbsolutePath().getParent());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot create the directory of the broker log " + logFile, e);
                }
            }
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    EmbeddedKafka kafka = launch(broker, this);
                    LOG.info("Embedded Kafka broker started in {} ms at {} (Kafka {}, child process {}, log {})",
                            kafka.startupMillis, kafka.bootstrapServers(), broker.version(), kafka.process.pid(),
                            kafka.logFile());
                    return kafka;
                } catch (ChildProcess.PortTakenException e) {
                    // Free ports are picked before the broker binds them: another process may win the race.
                    last = e;
                    LOG.warn("Embedded Kafka start attempt {} lost a port race, retrying", attempt);
                }
            }
            throw new IllegalStateException("Embedded Kafka broker did not start after " + START_ATTEMPTS
                    + " attempts: " + last.getMessage(), last);
        }
    }

    private static EmbeddedKafka launch(KafkaBrokerDistribution broker, Builder b) {
        long t0 = System.nanoTime();
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path dir;
        try {
            dir = Files.createTempDirectory("nri-kafka-");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a temporary directory for the embedded broker", e);
        }
        Path log = b.logFile != null ? b.logFile.toAbsolutePath() : dir.resolve("broker.log");
        ClassDataArchive cds = ClassDataArchive.of("kafka-" + broker.version(), broker.classPath(),
                ClassDataArchive.defaultCacheDir());
        List<String> cmd;
        try {
            Map<String, String> config = config(dir, brokerPort, controllerPort);
            config.putAll(b.overrides);
            format(dir, config);
            store(config, dir.resolve("server.properties"));
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J2_CONFIG);
            cmd = command(dir, cds.jvmOptions());
        } catch (IOException | RuntimeException e) {
            deleteRecursively(dir);
            throw new IllegalStateException("Cannot prepare the embedded broker's directory " + dir + ": " + e, e);
        }
        // Only a broker that got ready has loaded the classes worth archiving.
        AtomicBoolean ready = new AtomicBoolean();
        Launch launch = new Launch("Kafka broker " + broker.version(), cmd, dir, broker.classPathString(), log, cds,
                b.startTimeout);
        EmbeddedKafka kafka = new EmbeddedKafka(launch, brokerPort, t0, b.clientConfig);
        kafka.process = kafka.spawn(launch, ready);
        kafka.awaitReady(t0 + b.startTimeout.toNanos(), b.startTimeout);
        if (!b.scramUsers.isEmpty()) {
            kafka.createScramUsers(b.scramUsers);
        }
        ready.set(true);
        kafka.startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return kafka;
    }

    /** SCRAM-SHA-256 and SCRAM-SHA-512 credentials for {@code users}, created and then seen by the broker. */
    private void createScramUsers(Map<String, String> users) {
        try (Admin admin = admin()) {
            // One alteration per user and request: the broker refuses two for one user in the same request.
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                List<UserScramCredentialAlteration> upserts = new ArrayList<>();
                users.forEach((u, pw) -> upserts.add(new UserScramCredentialUpsertion(u,
                        new ScramCredentialInfo(m, 4096), pw)));
                admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    var seen = admin.describeUserScramCredentials(List.copyOf(users.keySet())).all()
                            .get(30, TimeUnit.SECONDS);
                    if (seen.size() == users.size()
                            && seen.values().stream().allMatch(d -> d.credentialInfos().size() == 2)) {
                        break;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.ResourceNotFoundException)) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM users " + users.keySet() + " not visible after 30 s");
                }
                Thread.sleep(100);
            }
            // The controller lists a credential before the broker's login cache has it: log in once with each.
            for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
                for (Map.Entry<String, String> u : users.entrySet()) {
                    awaitLogin(mechanism, u.getKey(), u.getValue(), deadline);
                }
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            close();
            throw new IllegalStateException("Cannot create the SCRAM users " + users.keySet() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while creating SCRAM users", e);
        }
    }

    private void awaitLogin(String mechanism, String user, String password, long deadline)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<String, Object> conf = new HashMap<>(clientConfig());
        conf.put("bootstrap.servers", bootstrapServers());
        conf.put("sasl.mechanism", mechanism);
        conf.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        while (true) {
            try (Admin a = Admin.create(conf)) {
                a.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.SaslAuthenticationException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
    }

    private ChildProcess spawn(Launch l, AtomicBoolean ready) {
        return ChildProcess.start(l.name(), l.command(), l.dir(), Map.of("CLASSPATH", l.classPath()), l.log(),
                Duration.ofSeconds(STOP_GRACE_SECONDS), () -> {
                    if (!keepData) {
                        deleteRecursively(l.dir());
                    }
                    if (ready.get()) {
                        l.cds().childExited();
                    } else {
                        l.cds().discard();
                    }
                });
    }

    private static List<String> command(Path dir, List<String> cdsOptions) {
        Path java = JavaFinder.javaExecutable(Path.of(System.getProperty("java.home")));
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        // A test fixture on shared cores: small heap, one GC thread, quick JIT (C1 only: the start-up costs half
        // as much CPU and a test broker never runs long enough to repay C2); the class path comes through CLASSPATH.
        cmd.add("-Xms128m");
        cmd.add("-Xmx1g");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(cdsOptions);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        cmd.add("kafka.Kafka");
        cmd.add(dir.resolve("server.properties").toString());
        return cmd;
    }

    private static Map<String, String> config(Path dir, int brokerPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
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

    /**
     * Formats the KRaft storage as {@code kafka-storage.sh format} would for a static quorum: a
     * {@code meta.properties} per log directory. Written here rather than by Kafka's StorageTool, which would
     * cost a second JVM start; without a bootstrap checkpoint the controller starts at the release's latest
     * production metadata version, which is what the tool writes by default.
     */
    private static void format(Path dir, Map<String, String> config) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        String nodeId = config.get("node.id");
        Set<String> dirs = new java.util.LinkedHashSet<>();
        dirs.addAll(Arrays.asList(config.get("log.dirs").split(",")));
        dirs.add(config.get("metadata.log.dir"));
        for (String d : dirs) {
            Path logDir = Files.createDirectories(Path.of(d.strip()));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("version", "1");
            meta.put("cluster.id", clusterId);
            meta.put("node.id", nodeId);
            meta.put("directory.id", Uuid.randomUuid().toString());
            store(meta, logDir.resolve("meta.properties"));
        }
    }

    private static void store(Map<String, String> values, Path file) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "written by nri-stream EmbeddedKafka");
        }
    }

    /**
     * Waits until the broker answers a describeCluster. Fails fast when the process exits (a lost port race is
     * retried by the caller) and with the log's tail at the deadline.
     */
    private void awaitReady(long deadlineNanos, Duration timeout) {
        Admin admin = null;
        try {
            while (true) {
                if (!process.isAlive()) {
                    String tail = process.tail();
                    int code = process.exitValue();
                    close();
                    if (ChildProcess.portTaken(tail)) {
                        throw new ChildProcess.PortTakenException("Kafka broker", tail);
                    }
                    throw new IllegalStateException("Kafka broker exited with code " + code + " before it was "
                            + "ready; " + logNote() + ", last lines:\n" + tail);
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                if (admin == null && listening(port)) {
                    admin = admin();
                }
                if (admin != null && answers(admin, (int) Math.min(left, 2_000))) {
                    return;
                }
                if (admin == null) {
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker to start", e);
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
        }
        String tail = process.tail();
        close();
        throw new IllegalStateException("Kafka broker did not get ready within " + timeout.toSeconds() + " s (polled "
                + bootstrapServers() + " with describeCluster; raise -D" + START_TIMEOUT_PROPERTY + " on a slow "
                + "machine); " + logNote() + ", last lines:\n" + tail);
    }

    /** Where the whole log is, for error messages: the default one goes with the broker's directory. */
    private String logNote() {
        return Files.exists(logFile()) ? "log " + logFile()
                : "log deleted with the broker's directory (Builder.withLogFile keeps one)";
    }

    private static boolean answers(Admin admin, int timeoutMs) throws InterruptedException {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
            return false;
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
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
