package dev.nristream.cli;

import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.replay.ProducerSettings;
import dev.nristream.replay.ReplayState;
import dev.nristream.replay.Speed;
import dev.nristream.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags every {@code ./nri replay} feed shares. */
final class ReplayFlags {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    static final String DEFAULT_REGISTRY = "http://localhost:8081";

    @Option(names = "--bootstrap", defaultValue = DEFAULT_BOOTSTRAP,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--registry", defaultValue = DEFAULT_REGISTRY,
            description = "Schema registry URL, Confluent-compatible API (default: ${DEFAULT-VALUE}; Apicurio: "
                    + "http://host:8080/apis/ccompat/v7).")
    String registry;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for a secured "
            + "cluster (security.protocol, sasl.*, ssl.*) and the registry's credentials (basic.auth.user.info or "
            + "bearer.auth.token).")
    Path kafkaConfig;

    @Option(names = "--topic", description = "Topic to write (default: ${DEFAULT-VALUE}).")
    String topic = Topics.POSITIONS.name();

    @Option(names = "--speed", defaultValue = "1",
            description = "1 = real time from the frames' timestamps, N = N times faster, max = as fast as possible "
                    + "(default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--loop", description = "Start over at the end, times and frame numbers continuing.")
    boolean loop;

    /** Where a replay's event times come from. */
    enum Clock { replay, recorded }

    @Option(names = "--clock", defaultValue = "replay", paramLabel = "replay|recorded",
            description = "Event times: replay = on the replay's own clock, the first frame at the moment it starts "
                    + "and the recorded spacing kept (default: what a stream job beside live feeds needs, where "
                    + "recorded times would be behind its watermark and dead-lettered as late); recorded = as in the "
                    + "feed (a mocap trial counts from 0, a SportVU game from its tip-off).")
    Clock clock;

    @Option(names = "--scene", description = "Send every frame under this scene id instead of the feed's.")
    String scene;

    @Option(names = "--max-frames", defaultValue = "0",
            description = "Stop after this many frames (default: no limit).")
    long maxFrames;

    @Option(names = "--print",
            description = "Write frames as JSON lines to stdout instead of Kafka (summary on stderr).")
    boolean print;

    @Option(names = "--allow-partial",
            description = "Accept a truncated input: replay the frames before the cut and exit 0.")
    boolean allowPartial;

    /** The producer settings: defaults, then the --kafka-config file's client settings. */
    ProducerSettings producerSettings() {
        ProducerSettings p = ProducerSettings.defaults(bootstrap);
        for (var e : clientConfig().kafkaProperties().entrySet()) {
            p = p.withOverride(e.getKey(), e.getValue());
        }
        return p;
    }

    ClientConfigFile clientConfig() {
        return ClientConfigFile.loadOrNone(kafkaConfig);
    }

    @Option(names = "--state", paramLabel = "FILE",
            description = "Make the replay resumable: frames go out in Kafka transactions that also commit the "
                    + "replay's position, and FILE (written atomically) names the replay. A new replay refuses an "
                    + "existing FILE.")
    Path state;

    @Option(names = "--resume",
            description = "Continue the replay of --state FILE after the last frame Kafka committed (SIGINT or "
                    + "SIGKILL lose nothing and send nothing twice); starts at the first frame if FILE does not "
                    + "exist yet.")
    boolean resume;

    private Long origin;

    /** Event time of time zero for generated feeds: the resumed replay's, so its frames carry the same times. */
    long originEpochMs() throws IOException {
        if (origin == null) {
            origin = resume && state != null && Files.exists(state) ? ReplayState.read(state).originEpochMs()
                    : System.currentTimeMillis();
        }
        return origin;
    }

    Speed parsedSpeed() {
        return Speed.parse(speed);
    }
}
