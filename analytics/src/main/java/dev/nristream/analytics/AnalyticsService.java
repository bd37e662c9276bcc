package dev.nristream.analytics;

import dev.nristream.registry.RegistryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the analytics: Kafka Streams with exactly-once v2 against a broker and a schema registry, and the HTTP
 * endpoints of {@link AnalyticsHttpServer} over its stores.
 *
 * <pre>{@code
 * try (AnalyticsService svc = AnalyticsService.builder()
 *         .setBootstrapServers("localhost:9092")
 *         .setRegistry(RegistryConfig.of("http://localhost:8081"))
 *         .withHttpPort(8090)
 *         .start()) {
 *     svc.awaitRunning(Duration.ofSeconds(60));
 *     ...
 * }
 * }</pre>
 */
public final class AnalyticsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsService.class);

    /** Default port of the HTTP endpoints. */
    public static final int DEFAULT_HTTP_PORT = 8090;
    /** Default address the HTTP endpoints bind: loopback, so only this machine reaches them unless told otherwise. */
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";

    private final KafkaStreams streams;
    private final AnalyticsHttpServer http;

    private AnalyticsService(KafkaStreams streams, AnalyticsHttpServer http) {
        this.streams = streams;
        this.http = http;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Port the HTTP endpoints listen on. */
    public int httpPort() {
        return http.port();
    }

    /** Address the HTTP endpoints are bound to. */
    public InetSocketAddress httpAddress() {
        return http.address();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Waits until Kafka Streams is running.
     *
     * @throws IllegalStateException when it fails or stops, or is not running within {@code timeout}
     */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_SHUTDOWN || s == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("analytics stopped while starting: Kafka Streams is " + s);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("analytics not running after " + timeout + ": Kafka Streams is "
                + streams.state());
    }

    @Override
    public void close() {
        http.close();
        streams.close(Duration.ofSeconds(30));
        LOG.info("analytics stopped");
    }

    /** Builder: bootstrap servers and registry are required, the rest defaulted. */
    public static final class Builder {
        private String bootstrapServers;
        private RegistryConfig registry;
        private AnalyticsSerdes serdes;
        private String applicationId = AnalyticsApp.DEFAULT_APPLICATION_ID;
        private Path stateDir;
        private String httpHost = DEFAULT_HTTP_HOST;
        private int httpPort = DEFAULT_HTTP_PORT;
        private AnalyticsConfig config = AnalyticsConfig.defaults();
        private final Properties overrides = new Properties();

        private Builder() {
        }

        public Builder setBootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder setRegistry(RegistryConfig registry) {
            this.registry = registry;
            return this;
        }

        /** Serdes other than the registry's (tests). */
        public Builder withSerdes(AnalyticsSerdes serdes) {
            this.serdes = serdes;
            return this;
        }

        public Builder withApplicationId(String applicationId) {
            this.applicationId = applicationId;
            return this;
        }

        /** Where RocksDB keeps the stores; default Kafka Streams' ({@code java.io.tmpdir/kafka-streams}). */
        public Builder withStateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** Port of the HTTP endpoints (0: any free port); default {@value #DEFAULT_HTTP_PORT}. */
        public Builder withHttpPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("HTTP port must be 0..65535, got " + port);
            }
            this.httpPort = port;
            return this;
        }

        /** Address the HTTP endpoints bind; default {@value AnalyticsService#DEFAULT_HTTP_HOST}, {@code 0.0.0.0} for all. */
        public Builder withHttpHost(String host) {
            this.httpHost = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder withConfig(AnalyticsConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Any other Kafka Streams or client setting, e.g. {@code commit.interval.ms}. */
        public Builder withStreamsProperty(String key, Object value) {
            overrides.put(key, value);
            return this;
        }

        /** Several settings at once, e.g. a secured cluster's client settings. */
        public Builder withStreamsProperties(Map<String, ?> properties) {
            overrides.putAll(properties);
            return this;
        }

        /**
         * Starts the HTTP endpoints and Kafka Streams.
         *
         * @throws IllegalArgumentException naming the missing setting
         * @throws UncheckedIOException when the HTTP port cannot be bound
         */
        public AnalyticsService start() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("AnalyticsService: bootstrap servers are required "
                        + "(setBootstrapServers), e.g. localhost:9092");
            }
            if (registry == null && serdes == null) {
                throw new IllegalArgumentException("AnalyticsService: the schema registry is required (setRegistry)");
            }
            AnalyticsSerdes s = serdes != null ? serdes : AnalyticsSerdes.registry(registry);
            Properties props = AnalyticsApp.streamsProperties(applicationId, bootstrapServers);
            if (stateDir != null) {
                props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            }
            for (Map.Entry<Object, Object> e : overrides.entrySet()) {
                props.put(e.getKey(), e.getValue());
            }
            KafkaStreams streams = new KafkaStreams(AnalyticsApp.build(config, s), props);
            AnalyticsHttpServer http;
            try {
                http = AnalyticsHttpServer.start(SceneStateView.of(streams), new InetSocketAddress(httpHost, httpPort));
            } catch (IOException e) {
                streams.close();
                throw new UncheckedIOException("cannot serve HTTP on " + httpHost + ":" + httpPort + ": "
                        + e.getMessage(), e);
            }
            streams.setUncaughtExceptionHandler(e -> {
                if (SkipUndecodableHandler.registryUnreachable(e)) {
                    LOG.error("analytics: schema registry unreachable; restarting the stream thread to retry", e);
                    return StreamThreadExceptionResponse.REPLACE_THREAD;
                }
                LOG.error("analytics stream thread failed; shutting the analytics down", e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            LOG.info("analytics {} started against {} ({}), HTTP port {}", applicationId, bootstrapServers, config,
                    http.port());
            return new AnalyticsService(streams, http);
        }
    }
}
