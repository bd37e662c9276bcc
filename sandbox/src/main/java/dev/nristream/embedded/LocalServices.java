package dev.nristream.embedded;

import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.RegistryConfig;
import dev.nristream.registry.RegistryException;
import dev.nristream.registry.SchemaRegistryClient;
import dev.nristream.topic.TopicAdmin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

/**
 * The one local bring-up of Kafka and the schema registry that the demo, {@code ./nri bench stream},
 * {@code ./nri bench replay} and the test harness share: an embedded KRaft broker and an Apicurio child process
 * (started in parallel), or someone else's Kafka and registry checked for an answer; and topic creation on either.
 *
 * <pre>{@code
 * try (LocalServices s = LocalServices.builder().start()) {          // embedded broker + registry
 *     s.createTopics(4, List.of(Topics.POSITIONS.name()));
 *     producerProps.put("bootstrap.servers", s.bootstrapServers());
 *     var ser = RegistrySerdes.valueSerializer(Topics.POSITIONS, s.registryConfig());
 * }                                                                  // both stopped
 * }</pre>
 */
public final class LocalServices implements AutoCloseable {

    private static final Duration EXTERNAL_TIMEOUT = Duration.ofSeconds(15);

    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final String bootstrap;
    private final RegistryConfig registryConfig;
    private final ClientConfigFile security;

    private LocalServices(EmbeddedKafka kafka, EmbeddedRegistry registry, String bootstrap, RegistryConfig reg,
            ClientConfigFile security) {
        this.security = security;
        this.kafka = kafka;
        this.registry = registry;
        this.bootstrap = bootstrap;
        this.registryConfig = reg;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; everything optional. */
    public static final class Builder {
        private String externalBootstrap;
        private String externalRegistry;
        private Path registryLog;
        private Path kafkaLog;
        private Consumer<String> progress = line -> { };
        private Executor starter;
        private ClientConfigFile security = ClientConfigFile.none();

        /** Use this Kafka instead of starting a broker (checked for an answer at start). */
        public Builder withBootstrap(String bootstrapServers) {
            this.externalBootstrap = bootstrapServers;
            return this;
        }

        /** Credentials for an external, secured Kafka and registry ({@code --kafka-config}). */
        public Builder withClientConfig(ClientConfigFile config) {
            this.security = java.util.Objects.requireNonNull(config, "config");
            return this;
        }

        /** Use this registry (Confluent API base URL) instead of starting one (checked at start). */
        public Builder withRegistry(String url) {
            this.externalRegistry = url;
            return this;
        }

        /** Where the registry process writes its log (default: a temporary file). */
        public Builder withRegistryLog(Path log) {
            this.registryLog = log;
            return this;
        }

        /** Where the broker process writes its log (default: a file in its temporary directory). */
        public Builder withKafkaLog(Path log) {
            this.kafkaLog = log;
            return this;
        }

        /** Receives one line per start-up step. */
        public Builder withProgress(Consumer<String> lines) {
            this.progress = lines;
            return this;
        }

        /** Runs the registry's start (it blocks for seconds); default: the common pool. */
        public Builder withStarter(Executor executor) {
            this.starter = executor;
            return this;
        }

        /**
         * Starts or checks both services; on failure stops what was started.
         *
         * @throws IllegalArgumentException when an external service does not answer (naming its address)
         * @throws IllegalStateException when an embedded service does not start
         */
        public LocalServices start() {
            long t0 = System.nanoTime();
            CompletableFuture<EmbeddedRegistry> reg = null;
            if (externalRegistry == null) {
                progress.accept("starting the schema registry (Apicurio Registry " + EmbeddedRegistry.VERSION
                        + ", child process)...");
                EmbeddedRegistry.Builder b = EmbeddedRegistry.builder();
                if (registryLog != null) {
                    b.withLogFile(registryLog);
                }
                reg = starter == null ? CompletableFuture.supplyAsync(b::start)
                        : CompletableFuture.supplyAsync(b::start, starter);
            }
            EmbeddedKafka kafka = null;
            try {
                String bootstrap;
                if (externalBootstrap == null) {
                    kafka = kafkaLog == null ? EmbeddedKafka.start()
                            : EmbeddedKafka.builder().withLogFile(kafkaLog).start();
                    bootstrap = kafka.bootstrapServers();
                    progress.accept(String.format(Locale.ROOT, "Kafka (embedded KRaft broker) at %s, up in %.1f s",
                            bootstrap, seconds(t0)));
                } else {
                    bootstrap = externalBootstrap;
                    checkKafka(bootstrap, security);
                    progress.accept("Kafka at " + bootstrap + " (external)");
                }
                EmbeddedRegistry registry = null;
                RegistryConfig registryConfig;
                if (reg != null) {
                    registry = join(reg);
                    registryConfig = RegistryConfig.of(registry.url());
                    progress.accept(String.format(Locale.ROOT, "schema registry at %s, up in %.1f s", registry.url(),
                            seconds(t0)));
                } else {
                    registryConfig = security.registry(externalRegistry);
                    checkRegistry(registryConfig);
                    progress.accept("schema registry at " + registryConfig.url() + " (external)");
                }
                return new LocalServices(kafka, registry, bootstrap, registryConfig, security);
            } catch (RuntimeException e) {
                if (reg != null) {
                    // Do not leave a registry process behind when Kafka failed first.
                    reg.thenAccept(EmbeddedRegistry::close);
                }
                if (kafka != null) {
                    kafka.close();
                }
                throw e;
            }
        }
    }

    /** {@code host:port} of the broker. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** Serde settings for the registry. */
    public RegistryConfig registryConfig() {
        return registryConfig;
    }

    /** The client settings for a secured external cluster ({@link ClientConfigFile#none()} otherwise). */
    public ClientConfigFile clientConfig() {
        return security;
    }

    public String registryUrl() {
        return registryConfig.url();
    }

    /** The embedded broker, null with external Kafka. */
    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** The registry process, null with an external registry. */
    public EmbeddedRegistry registry() {
        return registry;
    }

    public boolean externalKafka() {
        return kafka == null;
    }

    /** Creates the topics that are missing, with {@code partitions} partitions each. */
    public void createTopics(int partitions, Collection<String> names) {
        if (kafka != null) {
            kafka.createTopics(partitions, names.toArray(String[]::new));
        } else {
            try (Admin admin = TopicAdmin.admin(bootstrap, EXTERNAL_TIMEOUT, security)) {
                TopicAdmin.createMissing(admin, names, partitions, EXTERNAL_TIMEOUT);
            }
        }
    }

    /** As {@link #createTopics(int, Collection)}. */
    public void createTopics(int partitions, String... names) {
        createTopics(partitions, Arrays.asList(names));
    }

    /** Stops what was started here; external services are left as they are. */
    @Override
    public void close() {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    /** @throws IllegalArgumentException when the broker does not answer */
    public static void checkKafka(String bootstrap) {
        checkKafka(bootstrap, ClientConfigFile.none());
    }

    /** The same with the client settings of a secured cluster. */
    public static void checkKafka(String bootstrap, ClientConfigFile security) {
        Admin admin = TopicAdmin.admin(bootstrap, EXTERNAL_TIMEOUT, security);
        try {
            admin.describeCluster().nodes().get(EXTERNAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrap + " does not answer within "
                    + EXTERNAL_TIMEOUT.toSeconds() + " s; check --bootstrap", e);
        } catch (ExecutionException | RuntimeException e) {
            throw new IllegalArgumentException("Kafka at " + bootstrap + refusal(e, rootMessage(e)), e);
        } finally {
            // Without a bound, closing waits for the unanswered call's own timeout a second time.
            admin.close(Duration.ofSeconds(1));
        }
    }

    /** What to tell the user about a broker that answered with a refusal, or did not answer at all. */
    static String refusal(Throwable e, String detail) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.apache.kafka.common.errors.SaslAuthenticationException) {
                return " refused the login (" + detail + "); check sasl.mechanism and sasl.jaas.config in"
                        + " --kafka-config";
            }
            if (c instanceof org.apache.kafka.common.errors.SslAuthenticationException
                    || c instanceof javax.net.ssl.SSLException) {
                return " refused the TLS connection (" + detail + "); check the ssl.* settings in --kafka-config:"
                        + " ssl.truststore.* must hold the broker's CA, and ssl.keystore.* a client certificate"
                        + " where the broker requires one";
            }
        }
        return " does not answer (" + detail + "); check --bootstrap";
    }

    /** As {@link #checkRegistry(String)}, with the config's credentials when it has any. */
    public static void checkRegistry(RegistryConfig config) {
        if (config.basicAuthUser().isEmpty() && !config.hasBearerToken()) {
            checkRegistry(config.url());
            return;
        }
        try {
            new SchemaRegistryClient(config).checkReachable();
        } catch (RegistryException e) {
            throw new IllegalArgumentException(e.getMessage() + "; check --registry and --kafka-config", e);
        }
    }

    /** @throws IllegalArgumentException when the registry does not answer {@code GET /subjects} */
    public static void checkRegistry(String url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalArgumentException("the schema registry at " + url + " answered HTTP "
                        + r.statusCode() + " to GET /subjects; check --registry (Apicurio: "
                        + "http://HOST:8080/apis/ccompat/v7)");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the schema registry at " + url + " does not answer (" + e
                    + "); check --registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The innermost message of a cause chain, with its exception's name (clients wrap the reason). */
    public static String rootMessage(Throwable t) {
        String msg = null;
        Throwable c = t;
        for (int depth = 0; c != null && depth < 20; depth++, c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                msg = c.getClass().getSimpleName() + ": " + c.getMessage();
            }
        }
        return msg == null ? t.toString() : msg;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
