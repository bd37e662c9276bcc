package dev.nristream.examples;

import dev.nristream.topic.Topics;
import java.time.Duration;

/**
 * The flags the example consumers share: {@code --bootstrap}, {@code --registry}, {@code --topic},
 * {@code --group}, {@code --max-graphs N} (stop after N graphs) and {@code --idle-timeout SECONDS} (stop when no
 * graph arrived for that long). Defaults: the docker-compose stack ({@code localhost:9092},
 * {@code http://localhost:8081}), topic {@code nri.graphs}, no limits.
 */
record ExampleOptions(String bootstrap, String registry, String topic, String group, long maxGraphs,
        Duration idleTimeout) {

    static ExampleOptions parse(String defaultGroup, String... args) {
        String bootstrap = "localhost:9092";
        String registry = "http://localhost:8081";
        String topic = Topics.GRAPHS.name();
        String group = defaultGroup;
        long max = 0;
        Duration idle = null;
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
                default -> throw new IllegalArgumentException("unknown flag " + flag + " (--bootstrap, --registry, "
                        + "--topic, --group, --max-graphs, --idle-timeout)");
            }
        }
        return new ExampleOptions(bootstrap, registry, topic, group, max, idle);
    }
}
