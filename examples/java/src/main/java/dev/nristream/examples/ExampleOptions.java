package dev.nristream.examples;

import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The flags the example consumers share: {@code --bootstrap}, {@code --registry}, {@code --topic},
 * {@code --group}, {@code --max-graphs N} (stop after N graphs) and {@code --idle-timeout SECONDS} (stop when no
 * graph arrived for that long). Defaults: the docker-compose stack ({@code localhost:9092},
 * {@code http://localhost:8081}), topic {@code nri.graphs}, no limits. On a secured cluster
 * {@code --kafka-config FILE} takes the same properties file as {@code ./nri}: the Kafka client's security
 * settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) and the registry's
 * {@code basic.auth.user.info} or {@code bearer.auth.token} ({@link ClientConfigFile}; it never prints a secret).
 */
record ExampleOptions(String bootstrap, String registry, String topic, String group, long maxGraphs,
        Duration idleTimeout, ClientConfigFile security) {

    /** The registry settings, with the file's credentials. */
    dev.nristream.registry.RegistryConfig registryConfig() {
        return security.registry(registry);
    }

    static ExampleOptions parse(String defaultGroup, String... args) {
        String bootstrap = "localhost:9092";
        String registry = "http://localhost:8081";
        String topic = Topics.GRAPHS.name();
        String group = defaultGroup;
        long max = 0;
        Duration idle = null;
        ClientConfigFile security = ClientConfigFile.none();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--bootstrap" -> bootstrap = v;
                case "--registry" -> registry = v;
                case "--topic" -> topic = v;
                case "--group" -> group = v;
                case "--max-graphs" -> max = Long.parseLong(v);
                case "--idle-timeout" -> idle = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
                case "--kafka-config" -> security = ClientConfigFile.load(Path.of(v));
                default -> throw new IllegalArgumentException("unknown flag " + flag + " (--bootstrap, --registry, "
                        + "--topic, --group, --max-graphs, --idle-timeout, --kafka-config)");
            }
        }
        return new ExampleOptions(bootstrap, registry, topic, group, max, idle, security);
    }

    /**
     * Runs an example's main: bad flags, a broken --kafka-config file and a refused login end in one line on
     * stderr and exit code 2 (the messages name keys and files, never a secret).
     */
    static void main(String name, Runnable example) {
        try {
            example.run();
        } catch (IllegalArgumentException | org.apache.kafka.common.KafkaException e) {
            Throwable c = e;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            String why = c == e || c.getMessage() == null ? String.valueOf(e.getMessage())
                    : e.getMessage() + ": " + c.getMessage();
            System.err.println(name + ": " + why);
            System.exit(2);
        }
    }
}
