package dev.nristream.demo;

import dev.nristream.job.JobConfig;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.replay.Speed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a demo run is told, defaulted and checked in one place.
 *
 * <pre>{@code
 * DemoSettings s = DemoSettings.builder()
 *         .setProjectRoot(Path.of("."))
 *         .withScenario(Scenario.SPRINGS).withScenes(3)
 *         .withDuration(Duration.ofSeconds(40))
 *         .build();
 * }</pre>
 *
 * @param projectRoot where {@code models/} and {@code ../shared/data} are looked up
 * @param scenario the feed
 * @param scenes simulated scenes side by side (springs)
 * @param seed run seed of the simulated scenes
 * @param model model directory, null for the scenario's default under {@code models/}
 * @param mocapDir CMU subject directory (mocap), null for {@code ../shared/data/cmu-mocap/subject35}
 * @param sportvuFile SportVU game file (sportvu); null: the real Cleveland test plays of {@link #NBA_DATA}
 * @param speed replay speed (1 = real time)
 * @param duration how long the feed runs once everything is up, null until stopped
 * @param bootstrap external Kafka, null for an embedded broker
 * @param registry external schema registry URL, null for an embedded Apicurio
 * @param partitions partitions of the topics the demo creates
 * @param httpPort port of the analytics' HTTP endpoints, 0 for any free one
 * @param refresh how often the console view is redrawn
 * @param jobSettings stream job settings ({@code key=value}) applied over the demo's
 * @param startMs wall-clock time the command started (time to first graph counts from here)
 * @param logFile where the frameworks' log lines go while the view owns the console
 * @param kafkaConfig Kafka client properties and registry credentials of a secured external cluster, or null
 */
public record DemoSettings(Path projectRoot, Scenario scenario, int scenes, long seed, Path model, Path mocapDir,
        Path sportvuFile, Speed speed, Duration duration, String bootstrap, String registry, int partitions,
        int httpPort, Duration refresh, Map<String, String> jobSettings, long startMs, Path logFile,
        Path kafkaConfig) {

    public static final Scenario DEFAULT_SCENARIO = Scenario.SPRINGS;
    public static final int DEFAULT_SCENES = 8;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_PARTITIONS = 1;
    public static final int DEFAULT_HTTP_PORT = 0;
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);
    /**
     * Model directory of the springs scenario, under the project root: the model trained on windows of every scene
     * age, since the demo's scenes run for minutes (models/springs5, trained by the paper's protocol, holds only
     * at scene start; models/README.md compares them).
     */
    public static final String SPRINGS_MODEL = "models/springs5-live";
    /** Model directory of the charged scenario, under the project root. */
    public static final String CHARGED_MODEL = "models/charged5";
    /** Model directory of the Kuramoto scenario, under the project root. */
    public static final String KURAMOTO_MODEL = "models/kuramoto5";
    /** Model directory of the mocap scenario, under the project root. */
    public static final String MOCAP_MODEL = "models/mocap35";
    /** Model directory of the sportvu scenario, under the project root. */
    public static final String NBA_MODEL = "models/nba";
    /**
     * The real basketball tracking, relative to the project root: the sportvu scenario without a game file plays its
     * test plays ({@code ./nri nba game}).
     */
    public static final String NBA_DATA = "../shared/data/nba-tracking";
    /** CMU subject 35, relative to the project root. */
    public static final String MOCAP_DATA = "../shared/data/cmu-mocap/subject35";
    /** Log file, under the project root (the build directory ./nri creates). */
    public static final String LOG_FILE = "cli/target/demo.log";

    public DemoSettings {
        jobSettings = Map.copyOf(jobSettings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether Kafka and the registry are both someone else's (the demo then reads only new records). */
    public boolean externalKafka() {
        return bootstrap != null;
    }

    /** Required: {@code setProjectRoot}; the rest has defaults. */
    public static final class Builder {
        private Path projectRoot;
        private Scenario scenario = DEFAULT_SCENARIO;
        private int scenes = DEFAULT_SCENES;
        private long seed = DEFAULT_SEED;
        private Path model;
        private Path mocapDir;
        private Path sportvuFile;
        private Speed speed = Speed.REAL_TIME;
        private Duration duration;
        private String bootstrap;
        private String registry;
        private Path kafkaConfig;
        private int partitions = DEFAULT_PARTITIONS;
        private int httpPort = DEFAULT_HTTP_PORT;
        private Duration refresh = DEFAULT_REFRESH;
        private final Map<String, String> jobSettings = new LinkedHashMap<>();
        private long startMs = System.currentTimeMillis();
        private Path logFile;

        public Builder setProjectRoot(Path p) {
            this.projectRoot = p;
            return this;
        }

        public Builder withScenario(Scenario s) {
            this.scenario = Objects.requireNonNull(s, "scenario");
            return this;
        }

        public Builder withScenes(int k) {
            this.scenes = k;
            return this;
        }

        public Builder withSeed(long s) {
            this.seed = s;
            return this;
        }

        public Builder withModel(Path p) {
            this.model = p;
            return this;
        }

        public Builder withMocapDir(Path p) {
            this.mocapDir = p;
            return this;
        }

        public Builder withSportvuFile(Path p) {
            this.sportvuFile = p;
            return this;
        }

        public Builder withSpeed(Speed s) {
            this.speed = Objects.requireNonNull(s, "speed");
            return this;
        }

        /** How long the feed runs once everything is up; null runs until stopped. */
        public Builder withDuration(Duration d) {
            this.duration = d;
            return this;
        }

        /** External Kafka; null (default) starts an embedded broker. */
        public Builder withBootstrap(String b) {
            this.bootstrap = b;
            return this;
        }

        /** Client properties of a secured external cluster ({@code --kafka-config}); needs --bootstrap. */
        public Builder withKafkaConfig(Path file) {
            this.kafkaConfig = file;
            return this;
        }

        /** External registry URL; null (default) starts an embedded Apicurio. */
        public Builder withRegistry(String url) {
            this.registry = url;
            return this;
        }

        public Builder withPartitions(int p) {
            this.partitions = p;
            return this;
        }

        public Builder withHttpPort(int p) {
            this.httpPort = p;
            return this;
        }

        public Builder withRefresh(Duration d) {
            this.refresh = Objects.requireNonNull(d, "refresh");
            return this;
        }

        /** A stream job setting by its key (see {@code JobConfig}), applied over the demo's own. */
        public Builder withJobSetting(String key, String value) {
            jobSettings.put(key, value);
            return this;
        }

        public Builder withStartMs(long ms) {
            this.startMs = ms;
            return this;
        }

        /** Where log lines go during the run; default {@value DemoSettings#LOG_FILE} under the project root. */
        public Builder withLogFile(Path p) {
            this.logFile = p;
            return this;
        }

        /** @throws IllegalArgumentException naming each bad or missing setting */
        public DemoSettings build() {
            if (projectRoot == null) {
                throw new IllegalArgumentException("demo: the project root is not set (setProjectRoot)");
            }
            if (scenes < 1) {
                throw new IllegalArgumentException("--scenes must be at least 1, got " + scenes);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
            }
            if (httpPort < 0 || httpPort > 65_535) {
                throw new IllegalArgumentException("--http-port must be 0..65535, got " + httpPort);
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("--duration must be positive, got " + duration);
            }
            if (refresh.toMillis() < 100) {
                throw new IllegalArgumentException("--refresh must be at least 100ms, got " + refresh);
            }
            if (scenario != Scenario.SPORTVU && sportvuFile != null) {
                throw new IllegalArgumentException("a game file (" + sportvuFile + ") only goes with --scenario "
                        + "sportvu");
            }
            if (scenario != Scenario.MOCAP && mocapDir != null) {
                throw new IllegalArgumentException("--data only goes with --scenario mocap");
            }
            if (bootstrap != null && bootstrap.isBlank()) {
                throw new IllegalArgumentException("--bootstrap must not be blank");
            }
            if (registry != null && !(registry.startsWith("http://") || registry.startsWith("https://"))) {
                throw new IllegalArgumentException("--registry must be an http(s) URL, got '" + registry + "'");
            }
            for (String key : jobSettings.keySet()) {
                if (key.startsWith("topic.") || key.equals("bootstrap.servers") || key.startsWith("registry.")
                        || key.equals("model.dir")) {
                    throw new IllegalArgumentException("--job " + key + " is set by the demo itself (use --bootstrap, "
                            + "--registry, --model; the analytics read the standard topics)");
                }
            }
            if (kafkaConfig != null) {
                if (bootstrap == null) {
                    throw new IllegalArgumentException("--kafka-config is for an external, secured cluster: give "
                            + "--bootstrap (and --registry) too");
                }
                ClientConfigFile.load(kafkaConfig); // a broken file is one clear error before anything starts
            }
            // Unknown keys and bad values fail now, before any service starts.
            JobConfig.Builder job = JobConfig.builder();
            jobSettings.forEach(job::set);
            job.build();
            return new DemoSettings(projectRoot, scenario, scenes, seed, model, mocapDir, sportvuFile, speed,
                    duration, bootstrap, registry, partitions, httpPort, refresh, jobSettings, startMs,
                    logFile != null ? logFile : projectRoot.resolve(LOG_FILE), kafkaConfig);
        }
    }
}
