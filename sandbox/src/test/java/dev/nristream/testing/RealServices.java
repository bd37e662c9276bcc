package dev.nristream.testing;

import dev.nristream.embedded.EmbeddedKafka;
import dev.nristream.embedded.EmbeddedRegistry;
import dev.nristream.embedded.LocalServices;
import dev.nristream.registry.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving every test class of a JVM the same real services: a KRaft Kafka broker
 * ({@link EmbeddedKafka}) and an Apicurio Registry server ({@link EmbeddedRegistry}), both child processes on
 * loopback with free ports, logging to {@code target/kafka-broker.log} and {@code target/apicurio-registry.log}.
 * They start (in parallel) before the first class that uses the extension and stop when JUnit finishes the run.
 *
 * <pre>{@code
 * @ExtendWith(RealServices.class)
 * class MyIT {
 *     @Test void roundTrip() {
 *         RealServices.createTopics(1, "my.topic");
 *         props.put("bootstrap.servers", RealServices.bootstrapServers());
 *         var ser = RegistrySerdes.valueSerializer(Topics.POSITIONS, RealServices.registryConfig());
 *     }
 * }
 * }</pre>
 *
 * Topics and registry subjects persist across the classes of a run: use names unique to the test.
 */
public final class RealServices implements BeforeAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(RealServices.class);
    private static final Object LOCK = new Object();
    private static volatile Services services;

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        synchronized (LOCK) {
            services = store.getOrComputeIfAbsent(Services.class, k -> Services.start(), Services.class);
        }
    }

    /** {@code host:port} of the broker. */
    public static String bootstrapServers() {
        return get().kafka.bootstrapServers();
    }

    /** The broker, e.g. for {@link EmbeddedKafka#admin()}. */
    public static EmbeddedKafka kafka() {
        return get().kafka;
    }

    /** The registry's Confluent-compatible base URL, {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public static String registryUrl() {
        return get().registry.url();
    }

    /** The registry process, e.g. for its {@link EmbeddedRegistry#logFile()}. */
    public static EmbeddedRegistry registry() {
        return get().registry;
    }

    /** Serde settings for the registry. */
    public static RegistryConfig registryConfig() {
        return RegistryConfig.of(registryUrl());
    }

    /** Creates topics (existing ones are kept) with {@code partitions} partitions each. */
    public static void createTopics(int partitions, String... names) {
        get().kafka.createTopics(partitions, names);
    }

    private static Services get() {
        Services s = services;
        if (s == null) {
            throw new IllegalStateException("RealServices are not started: annotate the test class with "
                    + "@ExtendWith(RealServices.class)");
        }
        return s;
    }

    /** The started services; JUnit closes them when the root context closes, at the end of the run. */
    static final class Services implements ExtensionContext.Store.CloseableResource {
        final EmbeddedKafka kafka;
        final EmbeddedRegistry registry;

        private Services(EmbeddedKafka kafka, EmbeddedRegistry registry) {
            this.kafka = kafka;
            this.registry = registry;
        }

        static Services start() {
            long t0 = System.nanoTime();
            LocalServices s = LocalServices.builder().withRegistryLog(logFile("apicurio-registry.log"))
                    .withKafkaLog(logFile("kafka-broker.log")).start();
            LOG.info("RealServices up in {} ms: Kafka {} ({} ms), registry {} ({} ms)",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), s.bootstrapServers(),
                    s.kafka().startupMillis(), s.registryUrl(), s.registry().startupMillis());
            return new Services(s.kafka(), s.registry());
        }

        @Override
        public void close() {
            services = null;
            try {
                kafka.close();
            } finally {
                registry.close();
            }
        }
    }

    /** {@code target/NAME} under the module running the tests (surefire's working directory), else a temp file. */
    static Path logFile(String name) {
        Path target = Paths.get("target");
        if (Files.isDirectory(target)) {
            return target.resolve(name).toAbsolutePath();
        }
        return Paths.get(System.getProperty("java.io.tmpdir"), "nri-" + name);
    }
}
