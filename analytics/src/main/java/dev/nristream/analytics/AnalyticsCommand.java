package dev.nristream.analytics;

import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.RegistryConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The analytics service: the Kafka Streams analytics (live forecast error, edge-type statistics) with their
 * HTTP endpoints, until Ctrl-C or {@code --duration}. It runs on its own ({@link #main}, with this module's class
 * path: the schemas and Kafka Streams, nothing of the job or the trainer) and as {@code ./nri analytics}.
 *
 * <pre>{@code
 * java -cp analytics/target/nri-analytics.jar:$(cat analytics/target/classpath.txt) \
 *     dev.nristream.analytics.AnalyticsCommand --bootstrap localhost:9092 --registry http://localhost:8081
 * ./nri analytics --bootstrap localhost:9092 --registry http://localhost:8081 --port 8090
 * curl localhost:8090/scenes
 * }</pre>
 */
@Command(
        name = "analytics",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the Kafka Streams analytics: per forecast step the error against the",
            "actual later frames (nri.forecast-errors), rolling edge-type counts per scene",
            "and agent pair (nri.edge-stats), a live web view at / and JSON over HTTP:",
            "  /health  /scenes  /scenes/{id}/graph  /scenes/{id}/live",
            "  /scenes/{id}/edge-stats  /scenes/{id}/forecast-error",
            "Durations: 500ms, 2s, 5m or ISO-8601 (PT2S)."
        })
public final class AnalyticsCommand implements Callable<Integer> {

    /** Exit code for bad input (a flag value, a missing topic, a broker that does not answer), as {@code ./nri}. */
    static final int USER_ERROR_EXIT = 2;

    /** Runs the analytics as a service of their own. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The stand-alone command line: bad input is one line on stderr and exit code 2. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AnalyticsCommand());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                cmd.getErr().println("nri analytics: " + ex.getMessage());
                return USER_ERROR_EXIT;
            }
            throw ex;
        });
        return cli;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--registry", defaultValue = "http://localhost:8081", description = "Schema registry URL, Confluent API; Apicurio: http://host:8080/apis/ccompat/v7 (default: ${DEFAULT-VALUE}).")
    String registry;

    @Option(names = "--port", defaultValue = "" + AnalyticsService.DEFAULT_HTTP_PORT, description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = AnalyticsService.DEFAULT_HTTP_HOST, description = "Address the HTTP endpoints and the web view bind; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--application-id", defaultValue = AnalyticsApp.DEFAULT_APPLICATION_ID, description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", description = "Directory of the RocksDB stores (default: Kafka Streams' under the temp dir).")
    Path stateDir;

    @Option(names = "--grace", converter = DurationConverter.class, description = "How long a forecast step waits for out-of-order frames (default: 1s).")
    Duration grace;

    @Option(names = "--match-tolerance", converter = DurationConverter.class, description = "Largest time between a step and its actual frame (default: half the forecast's step period).")
    Duration matchTolerance;

    @Option(names = "--frame-retention", converter = DurationConverter.class, description = "Scene time of frames kept for late forecasts (default: 60s).")
    Duration frameRetention;

    @Option(names = "--error-window", converter = DurationConverter.class, description = "Rolling window of the forecast-error summary (default: 60s).")
    Duration errorWindow;

    @Option(names = "--edge-window", converter = DurationConverter.class, description = "Rolling window of the edge-type counts (default: 60s).")
    Duration edgeWindow;

    @Option(names = "--idle-timeout", converter = DurationConverter.class, description = "Wall-clock time without records after which a scene has ended (default: 60s).")
    Duration idleTimeout;

    @Option(names = "--create-topics", description = "Create missing topics instead of failing.")
    boolean createTopics;

    @Option(names = "--partitions", defaultValue = "1", description = "Partitions of topics created by --create-topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for a secured "
            + "cluster (security.protocol, sasl.*, ssl.*) and the registry's credentials (basic.auth.user.info or "
            + "bearer.auth.token).")
    Path kafkaConfig;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stop by itself after this long (default: run until Ctrl-C).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        ClientConfigFile security = ClientConfigFile.loadOrNone(kafkaConfig);
        RegistryConfig registryConfig = security.registry(registry);
        AnalyticsConfig cfg = config();
        AnalyticsTopics.ensure(bootstrap, createTopics, partitions, Duration.ofSeconds(15), security);

        AnalyticsService.Builder b = AnalyticsService.builder().setBootstrapServers(bootstrap)
                .setRegistry(registryConfig).withApplicationId(applicationId).withHttpHost(host).withHttpPort(port)
                .withConfig(cfg);
        if (stateDir != null) {
            b.withStateDir(stateDir);
        }
        security.kafkaProperties().forEach(b::withStreamsProperty);
        CountDownLatch stop = new CountDownLatch(1);
        try (AnalyticsService svc = b.start()) {
            Thread hook = new Thread(stop::countDown, "analytics-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf(Locale.ROOT, "analytics %s: Kafka %s, registry %s, web view http://%s:%d/ (JSON: /scenes)%n",
                    applicationId, bootstrap, registryConfig.url(), host, svc.httpPort());
            out.flush();
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (!stop.await(500, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                KafkaStreams.State s = svc.state();
                if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                        || s == KafkaStreams.State.PENDING_ERROR) {
                    spec.commandLine().getErr().println("nri analytics: Kafka Streams stopped (" + s
                            + "); see the log for the cause");
                    return 1;
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already exiting; closing the service below still runs.
            }
        }
        return 0;
    }

    private AnalyticsConfig config() {
        AnalyticsConfig.Builder c = AnalyticsConfig.builder();
        if (grace != null) {
            c.withGrace(grace);
        }
        if (matchTolerance != null) {
            c.withMatchTolerance(matchTolerance);
        }
        if (frameRetention != null) {
            c.withFrameRetention(frameRetention);
        }
        if (errorWindow != null) {
            c.withErrorWindow(errorWindow);
        }
        if (edgeWindow != null) {
            c.withEdgeStatsWindow(edgeWindow);
        }
        if (idleTimeout != null) {
            c.withIdleTimeout(idleTimeout);
        }
        return c.build();
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT2S}). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            try {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration (examples: 500ms, 2s, 5m, PT2S)");
            }
        }
    }
}
