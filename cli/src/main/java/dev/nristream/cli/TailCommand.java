package dev.nristream.cli;

import dev.nristream.analytics.AnalyticsCommand;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.tail.TailFormat;
import dev.nristream.tail.TailSummary;
import dev.nristream.tail.TopicCatalog;
import dev.nristream.tail.TopicTail;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.nristream.topic.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri tail TOPIC}: prints a project topic's records, decoded through the schema registry, one per line.
 * The logic is {@link TopicTail}'s.
 *
 * <pre>{@code
 * ./nri tail nri.graphs --from-beginning --format table --max 20
 * ./nri tail tracking.positions.dlq --bootstrap 127.0.0.1:39091 --registry http://127.0.0.1:8080/apis/ccompat/v7
 * }</pre>
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        modelTransformer = TailCommand.ListTopics.class,
        description = {
            "Print the records of a project topic, decoded through the schema registry:",
            "JSON lines (default) or a compact table line per record (graphs: the scene and",
            "its strongest edges). Reads read_committed, like every consumer of the job's",
            "exactly-once output should. Dead letters are shown with their kind and reason;",
            "a record that does not decode is shown as one UNDECODABLE line.",
            "Durations: 500ms, 2s, 5m or ISO-8601 (PT2S). See docs/CONSUMING.md."
        })
public final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC",
            description = "A project topic (listed below).", completionCandidates = TopicNames.class)
    String topic;

    @Option(names = "--bootstrap", defaultValue = ReplayFlags.DEFAULT_BOOTSTRAP,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; ./nri demo prints its own).")
    String bootstrap;

    @Option(names = "--registry", defaultValue = ReplayFlags.DEFAULT_REGISTRY,
            description = "Schema registry URL, Confluent-compatible API (default: ${DEFAULT-VALUE}; Apicurio: "
                    + "http://host:8080/apis/ccompat/v7).")
    String registry;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for a secured "
            + "cluster (security.protocol, sasl.*, ssl.*) and the registry's credentials (basic.auth.user.info or "
            + "bearer.auth.token).")
    Path kafkaConfig;

    @Option(names = "--from-beginning", description = "Start at the oldest record kept (default: only new records).")
    boolean fromBeginning;

    @Option(names = "--scene", paramLabel = "ID", description = "Only records of this scene (the record key).")
    String scene;

    @Option(names = "--max", paramLabel = "N", defaultValue = "0",
            description = "Stop after N records (default: no limit).")
    long max;

    @Option(names = "--timeout", converter = AnalyticsCommand.DurationConverter.class,
            description = "Stop when no record arrived for this long (default: run until Ctrl-C).")
    Duration timeout;

    @Option(names = "--format", defaultValue = "json", description = "json or table (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--read-uncommitted",
            description = "Also show records of open and aborted transactions (default: read_committed).")
    boolean readUncommitted;

    @Override
    public Integer call() {
        if (max < 0) {
            throw new UserError("--max must be >= 0, got " + max);
        }
        TailFormat f = TailFormat.parse(format);
        ClientConfigFile security = ClientConfigFile.loadOrNone(kafkaConfig);
        TopicTail tail = TopicTail.builder().setTopic(topic).setBootstrapServers(bootstrap)
                .setRegistry(security.registry(registry)).withClientConfig(security).withFromBeginning(fromBeginning).withScene(scene)
                .withMax(max).withIdleTimeout(timeout).withReadCommitted(!readUncommitted).withFormat(f).build();
        PrintWriter out = spec.commandLine().getOut();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: let the loop end its poll and close the consumer before the JVM exits.
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tail-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TailSummary s = tail.run(line -> {
                out.println(line);
                out.flush();
            }, status -> spec.commandLine().getErr().println(status), stop::get);
            spec.commandLine().getErr().printf("%d record(s) from %s, %d undecodable%n", s.printed(), topic,
                    s.undecodable());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook has already run
            }
        }
        return 0;
    }

    /** Lists the project's topics, one per line, at the end of --help (from Topics, so never out of date). */
    static final class ListTopics implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            List<String> lines = new ArrayList<>();
            for (TopicSpec<?, ?> t : TopicCatalog.all()) {
                lines.add(String.format(Locale.ROOT, "  %-24s %s", t.name(), t.valueType().getSimpleName()));
            }
            spec.usageMessage().footerHeading("%nTopics:%n").footer(lines.toArray(new String[0]));
            return spec;
        }
    }

    /** The project's topic names, for shell completion. */
    static final class TopicNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return TopicCatalog.names().iterator();
        }
    }
}
