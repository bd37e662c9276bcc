package dev.nristream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry {@value #VERSION} server as a child process, on 127.0.0.1 with free ports and
 * in-memory (H2) storage, speaking the Confluent Schema Registry API at {@link #url()}.
 *
 * <pre>{@code
 * try (EmbeddedRegistry registry = EmbeddedRegistry.start()) {
 *     RegistryConfig cfg = RegistryConfig.of(registry.url());
 * }
 * }</pre>
 *
 * <p>Where things come from: the distribution archive (see {@link RegistryDistribution}) is the Maven artifact
 * {@code io.apicurio:apicurio-registry-app:3.3.3:tar.gz:all}, unpacked once into a cache directory; Apicurio 3.3
 * needs Java 21+, found by {@link JavaFinder}. The server's output goes to a log file ({@link #logFile()}), never
 * to the console; a failed start names the log and shows its tail. {@link #close()} (and a shutdown hook, should
 * the JVM end first) destroys the process tree.
 *
 * <p>The default store is in memory: a restarted server would have lost every schema, and re-registered ones could
 * get other ids than the ones in records already written. For fault tests, {@link Builder#withDataDirectory} keeps
 * the store in an H2 database file instead, and {@link #stop()} / {@link #restart()} take the server away and bring
 * it back on the same port with the same schemas and ids.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    /** Apicurio Registry version; the parent pom's {@code apicurio.version} must match. */
    public static final String VERSION = "3.3.3";
    /** System property: seconds to wait for the server to become ready (default 180). */
    public static final String START_TIMEOUT_PROPERTY = "nri.registry.start.timeout.s";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final int START_ATTEMPTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Launch launch;
    private final int port;
    private volatile ChildProcess process;
    private volatile long startupMillis;
    private volatile boolean closed;

    /** What starts the server again on the same ports and store. */
    private record Launch(List<String> command, Path home, Map<String, String> env, Path log, int managementPort,
            Duration timeout, boolean persistent) {
    }

    private EmbeddedRegistry(Launch launch, int port) {
        this.launch = launch;
        this.port = port;
    }

    /** Starts a registry with its log in a temporary file. */
    public static EmbeddedRegistry start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Confluent-compatible API base URL, {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String url() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** Server root, {@code http://127.0.0.1:PORT} (Apicurio's own API is under {@code /apis/registry/v3}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return process.log();
    }

    /** Milliseconds from launching the process to the first ready answer. */
    public long startupMillis() {
        return startupMillis;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the server (its clients see connection refused) until {@link #restart()}. Needs a registry started
     * {@link Builder#withDataDirectory with a data directory}: an in-memory one would come back empty.
     */
    public synchronized void stop() {
        if (closed) {
            throw new IllegalStateException("registry at " + baseUrl() + " is closed");
        }
        if (!launch.persistent()) {
            throw new IllegalStateException("registry at " + baseUrl() + " keeps its schemas in memory: a restart "
                    + "would lose them (start it withDataDirectory)");
        }
        process.close();
        LOG.info("Apicurio Registry at {} stopped for a restart", baseUrl());
    }

    /**
     * Starts the server stopped by {@link #stop()} again, on the same port and store, and waits until it answers.
     *
     * @throws IllegalStateException when it is running or closed, or does not come back (with the log's tail)
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("registry at " + baseUrl() + " is closed");
        }
        if (process.isAlive()) {
            throw new IllegalStateException("registry at " + baseUrl() + " is running: stop() it first");
        }
        spawnAndAwait();
        LOG.info("Apicurio Registry restarted at {} in {} ms", url(), startupMillis);
    }

    /** Stops the server process and its children. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.close();
        LOG.info("Apicurio Registry at {} stopped", baseUrl());
    }

    /** Options for starting; all optional. */
    public static final class Builder {
        private Path logFile;
        private Duration startTimeout = Duration.ofSeconds(Long.getLong(START_TIMEOUT_PROPERTY, 180));
        private Path archive;
        private Path javaHome;
        private Path cacheDir;
        private final List<String> extraProperties = new ArrayList<>();
        private Path dataDirectory;

        private Builder() {
        }

        /**
         * Keeps the schemas in an H2 database file in {@code dir} instead of memory, so they and their ids
         * survive {@link #stop()} and {@link #restart()} (and a new server on the same directory).
         */
        public Builder withDataDirectory(Path dir) {
            this.dataDirectory = dir.toAbsolutePath();
            return this;
        }

        /** Where the server's output goes (appended); default a temporary file. */
        public Builder withLogFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder withStartTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The distribution tar.gz; default {@link RegistryDistribution#findArchive()}. */
        public Builder withArchive(Path archive) {
            this.archive = archive;
            return this;
        }

        /** JDK 21+ to run the server; default {@link JavaFinder#findJava21Home()}. */
        public Builder withJavaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        /** Where the archive is unpacked; default {@link RegistryDistribution#defaultCacheDir()}. */
        public Builder withCacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** An extra server setting, e.g. {@code ("apicurio.ccompat.legacy-id-mode.enabled", "true")}. */
        public Builder withProperty(String key, String value) {
            extraProperties.add("-D" + key + "=" + value);
            return this;
        }

        /**
         * Starts the server and waits until it answers.
         *
         * @throws IllegalStateException naming what is missing (archive, JDK) or, when the server does not get
         *     ready, its log file and the log's tail
         */
        public EmbeddedRegistry start() {
            long t0 = System.nanoTime();
            Path java = JavaFinder.javaExecutable(javaHome != null ? javaHome : JavaFinder.findJava21Home());
            Path home = RegistryDistribution.unpack(archive != null ? archive : RegistryDistribution.findArchive(),
                    cacheDir != null ? cacheDir : RegistryDistribution.defaultCacheDir());
            long unpackMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            Path log = logFile;
            try {
                if (log == null) {
                    log = Files.createTempFile("nri-apicurio-", ".log");
                } else {
                    Files.createDirectories(log.toAbsolutePath().getParent());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the registry log file " + log, e);
            }
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    EmbeddedRegistry r = launch(java, home, log, startTimeout, extraProperties, dataDirectory);
                    LOG.info("Apicurio Registry {} ready at {} in {} ms (process start to ready; archive unpack "
                            + "check {} ms; java {}; log {})", VERSION, r.url(), r.startupMillis(), unpackMs, java,
                            log);
                    return r;
                } catch (ChildProcess.PortTakenException e) {
                    last = e;
                    LOG.warn("Registry start attempt {} lost a port race, retrying", attempt);
                }
            }
            throw last;
        }
    }

    private static EmbeddedRegistry launch(Path java, Path home, Path log, Duration timeout, List<String> extra,
            Path dataDirectory) {
        int httpPort = EmbeddedKafka.freePort();
        int managementPort = EmbeddedKafka.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        // Small heap, quick JIT: a test fixture, not a production server; 2 cores are shared by everyone.
        cmd.add("-Xms64m");
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        cmd.add("-Dquarkus.management.host=127.0.0.1");
        cmd.add("-Dquarkus.management.port=" + managementPort);
        // In-memory H2: every start is a clean registry (Apicurio 3.x's SQL storage picks H2 by these keys).
        cmd.add("-Dapicurio.storage.kind=sql");
        cmd.add("-Dapicurio.storage.sql.kind=h2");
        if (dataDirectory != null) {
            // The distribution's default is jdbc:h2:mem:db_<uuid>, new on every start.
            cmd.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dataDirectory.resolve("registry"));
        }
        cmd.add("-Dquarkus.http.access-log.enabled=false");
        cmd.add("-Dquarkus.otel.sdk.disabled=true");
        cmd.addAll(extra);
        cmd.add("-jar");
        cmd.add(home.resolve("quarkus-run.jar").toString());
        EmbeddedRegistry registry = new EmbeddedRegistry(new Launch(List.copyOf(cmd), home,
                Map.of("JAVA_HOME", java.getParent().getParent().toString()), log, managementPort, timeout,
                dataDirectory != null), httpPort);
        registry.spawnAndAwait();
        return registry;
    }

    private void spawnAndAwait() {
        long t0 = System.nanoTime();
        Path log = launch.log();
        process = ChildProcess.start("Apicurio Registry " + VERSION, launch.command(), launch.home(), launch.env(),
                log, STOP_GRACE, () -> { });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        long deadline = t0 + launch.timeout().toNanos();
        URI ready = URI.create("http://127.0.0.1:" + launch.managementPort() + "/health/ready");
        URI subjects = URI.create(url() + "/subjects");
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    String tail = process.tail();
                    close();
                    if (ChildProcess.portTaken(tail)) {
                        throw new ChildProcess.PortTakenException("Apicurio Registry", tail);
                    }
                    throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                            + " before it was ready; log " + log + ", last lines:\n" + tail);
                }
                if (answers(http, ready) && answers(http, subjects)) {
                    startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry to start", e);
        }
        close();
        throw new IllegalStateException("Apicurio Registry did not get ready within " + launch.timeout().toSeconds()
                + " s (polled " + ready + " and " + subjects + "; raise -D" + START_TIMEOUT_PROPERTY
                + " on a slow machine); log " + log + ", last lines:\n" + process.tail());
    }

    private static boolean answers(HttpClient http, URI uri) throws InterruptedException {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }
}
