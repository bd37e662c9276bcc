package dev.nristream.cli;

import dev.nristream.job.JobConfig;
import dev.nristream.job.NriStreamJob;
import dev.nristream.job.RetainedCheckpoints;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.model.ModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri job}: the stream job, on a local Flink MiniCluster ({@code --local}) or submitted to a Flink
 * cluster ({@code --jobmanager}). Every setting of {@link JobConfig} is reachable with {@code -D key=value}.
 *
 * <pre>{@code
 * ./nri job --local --model models/springs5
 * ./nri job --local --model models/springs5 --bootstrap kafka:9092 --registry http://reg:8080/apis/ccompat/v7 -D stride=5
 * ./nri job --jobmanager flink:8081 --model /models/springs5 --config job.properties
 * }</pre>
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the NRI stream job: tracking.positions -> per-scene windows ->",
            "ONNX encoder and decoder -> nri.graphs and nri.forecasts",
            "(bad input -> tracking.positions.dlq).",
            "--local: on a Flink MiniCluster in this process until Ctrl-C (or until",
            "the input ends, with -D source.bounded=true).",
            "--jobmanager: submits the shaded job jar",
            "(flink-jobs/target/nri-flink-jobs-*-job.jar) to a Flink 2.2 cluster,",
            "like `flink run <jar> --model.dir DIR ...`.",
            "Several models side by side: --model A,B (each scene gets the one that fits).",
            "Hot swap: -D model.control-topic=nri.model-control, then ./nri swap-model.",
            "Settings: -D key=value for any; --settings lists them with defaults."
        })
public final class JobCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--local", description = "Run on a local Flink MiniCluster in this process.")
    boolean local;

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT", description = "Submit to this Flink cluster's REST endpoint.")
    String jobManager;

    @Option(names = "--model", paramLabel = "DIR[,DIR...]", description = "Model directory (model.json, encoder.onnx, "
            + "decoder.onnx), or several separated by commas: each scene is served by the model that fits its frames "
            + "(system, dimensions, agent count; docs/SERVING.md).")
    Path model;

    @Option(names = "--bootstrap", paramLabel = "SERVERS", description = "Kafka bootstrap servers (default: localhost:9092).")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL",
            description = "Schema registry base URL (default: http://localhost:8080/apis/ccompat/v7).")
    String registry;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for a secured "
            + "cluster (security.protocol, sasl.*, ssl.*) and the registry's credentials (basic.auth.user.info or "
            + "bearer.auth.token); see docs/RELIABILITY.md.")
    Path kafkaConfig;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of job settings (flags win).")
    Path config;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Any job setting, e.g. -D stride=5 -D delivery=AT_LEAST_ONCE.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--web-ui-port", paramLabel = "PORT", defaultValue = "-1",
            description = "With --local: serve the Flink web UI on this port (default: none).")
    int webUiPort;

    @Option(names = "--fresh",
            description = "With --local and -D checkpoint.dir: start anew instead of resuming from the newest "
                    + "checkpoint a stopped or killed run left there.")
    boolean fresh;

    @Option(names = "--settings", description = "List every job setting with its default and exit.")
    boolean listSettings;

    @Override
    public Integer call() throws Exception {
        if (listSettings) {
            spec.commandLine().getOut().print(JobConfig.describeOptions());
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (local == (jobManager != null)) {
            throw new UserError("choose where to run: --local (MiniCluster in this process) or --jobmanager HOST:PORT");
        }
        JobConfig cfg = config();
        if (local && cfg.configuration().getOptional(JobConfig.CHECKPOINT_DIR).isEmpty()) {
            // Flink's default keeps checkpoints in memory, at most 5 MB: too little for many scenes.
            cfg = cfg.with(JobConfig.CHECKPOINT_DIR,
                    Files.createTempDirectory("nri-job-checkpoints-").toUri().toString());
        }
        NriStreamJob job;
        try {
            job = NriStreamJob.fromConfig(cfg);
        } catch (ModelException e) {
            throw new UserError(e.getMessage(), e);
        }
        StreamExecutionEnvironment env;
        if (local) {
            Configuration conf = new Configuration();
            resumeFromRetainedCheckpoint(cfg, conf);
            if (webUiPort >= 0) {
                conf.set(RestOptions.PORT, webUiPort);
                env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            } else {
                env = StreamExecutionEnvironment.createLocalEnvironment(cfg.get(JobConfig.PARALLELISM), conf);
            }
        } else {
            env = remote(cfg);
        }
        spec.commandLine().getErr().println("nri job: " + job.name() + " with " + cfg);
        job.execute(env);
        return 0;
    }

    /**
     * A run on the checkpoint directory of an earlier one (stopped, or killed with SIGKILL) resumes from its newest
     * completed checkpoint: window buffers, source offsets and the sink's transactions as they were, so
     * read_committed readers see each graph once.
     */
    private void resumeFromRetainedCheckpoint(JobConfig cfg, Configuration conf) {
        var dir = cfg.configuration().getOptional(JobConfig.CHECKPOINT_DIR);
        if (fresh || dir.isEmpty()) {
            return;
        }
        RetainedCheckpoints.latest(dir.get()).ifPresent(chk -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, chk.toUri().toString());
            spec.commandLine().getErr().println("nri job: resuming from retained checkpoint " + chk
                    + " (--fresh to start anew)");
        });
    }

    JobConfig config() {
        List<String> args = new ArrayList<>();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new UserError("no such settings file: " + config);
            }
            args.add("--" + JobConfig.CONFIG_FILE_FLAG);
            args.add(config.toString());
        }
        if (model != null) {
            args.add("--" + JobConfig.MODEL_DIR.key());
            args.add(model.toString());
        }
        if (bootstrap != null) {
            args.add("--" + JobConfig.BOOTSTRAP_SERVERS.key());
            args.add(bootstrap);
        }
        if (registry != null) {
            args.add("--" + JobConfig.REGISTRY_URL.key());
            args.add(registry);
        }
        if (kafkaConfig != null) {
            ClientConfigFile.load(kafkaConfig); // a broken file is one clear error here, not a failed job later
            args.add("--" + JobConfig.KAFKA_CONFIG.key());
            args.add(kafkaConfig.toAbsolutePath().toString());
        }
        settings.forEach((k, v) -> args.add("--" + k + "=" + v));
        JobConfig cfg = JobConfig.fromArgs(args.toArray(new String[0]));
        if (cfg.configuration().getOptional(JobConfig.MODEL_DIR).isEmpty()) {
            throw new UserError("--model DIR is required (a directory with model.json, encoder.onnx, decoder.onnx)");
        }
        return cfg;
    }

    private StreamExecutionEnvironment remote(JobConfig cfg) {
        String[] hp = jobManager.split(":");
        if (hp.length != 2 || !hp[1].matches("\\d+")) {
            throw new UserError("--jobmanager must be HOST:PORT, got '" + jobManager + "'");
        }
        Path jar = shadedJar();
        return StreamExecutionEnvironment.createRemoteEnvironment(hp[0], Integer.parseInt(hp[1]), jar.toString());
    }

    static Path shadedJar() {
        Path dir = Path.of(System.getProperty("nri.project.root", "."), "flink-jobs", "target");
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("nri-flink-jobs-.*-job\\.jar")).findFirst()
                    .orElseThrow(() -> new UserError("no job jar in " + dir + ": build it with `mvn -o package -pl flink-jobs -am -DskipTests`"));
        } catch (java.io.IOException e) {
            throw new UserError("no job jar in " + dir + " (" + e.getMessage() + "): build it with "
                    + "`mvn -o package -pl flink-jobs -am -DskipTests`", e);
        }
    }
}
