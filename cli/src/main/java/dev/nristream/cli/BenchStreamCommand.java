package dev.nristream.cli;

import dev.nristream.job.JobConfig;
import dev.nristream.bench.CapacitySearch;
import dev.nristream.bench.InferenceBenchmark;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.bench.StreamBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri bench stream}: the stream job under a live load; the last stdout line is one JSON object.
 *
 * <pre>{@code
 * ./nri bench stream --scenes 100 --agents 11 --hz 25 --seconds 60
 * }</pre>
 */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "K simulated scenes of N agents at R Hz (event time = send time) into an",
    "embedded broker with the registry serde, the stream job on a local",
    "MiniCluster in this process, and a read_committed consumer. After a",
    "warm-up, measures for S seconds: frames/s in, graphs/s and forecasts/s",
    "out, and p50/p99 end-to-end latency (consumer receive time minus the",
    "window's last event time). Progress on stderr; the last stdout line is",
    "one JSON object."})
final class BenchStreamCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenes", defaultValue = "100", description = "Concurrent scenes K (default: ${DEFAULT-VALUE}).")
    int scenes;

    @Option(names = "--agents", defaultValue = "11", description = "Agents per scene N (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--hz", defaultValue = "25", description = "Frames per second per scene R (default: ${DEFAULT-VALUE}).")
    double hz;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured seconds S (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "15", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: models/springs5).")
    Path model;

    @Option(names = "--partitions", defaultValue = "4", description = "Input topic partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}, one per core here).")
    int parallelism;

    @Option(names = "--delivery", defaultValue = "EXACTLY_ONCE",
            description = "EXACTLY_ONCE, AT_LEAST_ONCE or NONE (default: ${DEFAULT-VALUE}).")
    JobConfig.Delivery delivery;

    @Option(names = "--checkpoint-ms", defaultValue = "200",
            description = "Checkpoint interval; with EXACTLY_ONCE outputs are visible once per checkpoint (default: ${DEFAULT-VALUE}).")
    long checkpointMs;

    @Option(names = "--batch", defaultValue = "32", description = "Most windows per ONNX run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--batch-wait-ms", defaultValue = "20", description = "Longest batching wait (default: ${DEFAULT-VALUE}).")
    long batchWaitMs;

    @Option(names = "--stride", defaultValue = "0",
            description = "Model frames between windows; 0 = one window per second (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--stagger", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start the scenes spread over the first second, as independent feeds are, so their "
                    + "windows fall due spread out (--no-stagger: all at once; default: ${DEFAULT-VALUE}).")
    boolean stagger;

    @Option(names = "--decoder-path", defaultValue = "SPARSE",
            description = "SPARSE (rollout.onnx) or DENSE (decoder.onnx per step), for A/B runs (default: ${DEFAULT-VALUE}).")
    NriOnnxModel.DecoderPath decoderPath;

    @Option(names = "--rollout-edges", defaultValue = "HARD",
            description = "HARD (argmax one-hot) or SOFT (probabilities) edge weights for the forecast (default: ${DEFAULT-VALUE}).")
    JobConfig.RolloutEdges rolloutEdges;

    @Option(names = "--shed-lag-ms", defaultValue = "0",
            description = "The job's shed.lag-ms: excess lag that starts load shedding, e.g. 1000; 0 never sheds (default: ${DEFAULT-VALUE}, as the job).")
    long shedLagMs;

    @Option(names = "--find-capacity",
            description = "Search the largest --scenes that holds graphs/s = scenes and p99 < 500 ms (doubling from "
                    + "--scenes, then bisecting to --resolution), and print it with this machine's SGEMM GFLOP/s "
                    + "measured in the same run. Each trial runs --warmup + --seconds.")
    boolean findCapacity;

    @Option(names = "--resolution", defaultValue = "10",
            description = "With --find-capacity: stop when the bounds are this many scenes apart (default: ${DEFAULT-VALUE}).")
    int resolution;

    @Option(names = "--inference-only",
            description = "Measure only the encoder + rollout for batch sizes 1-32 (no broker, no job): dense "
                    + "decoder vs sparse rollout in the same run, with the machine's SGEMM rate.")
    boolean inferenceOnly;

    @Option(names = "--edge-density", defaultValue = "0.5",
            description = "With --inference-only: fraction of edges the hard edge samples fed to both rollouts turn "
                    + "on (a springs graph: about half; default: ${DEFAULT-VALUE}).")
    double edgeDensity;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "With --inference-only: model directory for the dense side of the A/B (default: --model),"
                    + " e.g. a copy taken before ./nri upgrade-model.")
    Path baseline;

    @Option(names = "--horizon", defaultValue = "10", description = "Forecast steps with --inference-only (the job uses its default, 10).")
    int horizon;

    @Override
    public Integer call() throws Exception {
        Path dir = model != null ? model : Path.of(System.getProperty("nri.project.root", "."), "models", "springs5");
        if (!Files.isDirectory(dir)) {
            throw new UserError("no model directory " + dir + " (pass --model DIR)");
        }
        if (inferenceOnly) {
            String json;
            try {
                json = new InferenceBenchmark(dir, agents, horizon, threads).withEdgeDensity(edgeDensity)
                        .withBaseline(baseline).run(System.err);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
            spec.commandLine().getOut().println(json);
            spec.commandLine().getOut().flush();
            return 0;
        }
        StreamBenchmark.Options opts;
        try {
            opts = new StreamBenchmark.Options(scenes, agents, hz, seconds, warmup, dir, partitions, parallelism,
                    delivery, checkpointMs, batch, batchWaitMs, stride, threads, stagger, decoderPath, rolloutEdges,
                    shedLagMs);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (findCapacity) {
            if (resolution < 1) {
                throw new UserError("--resolution must be >= 1, got " + resolution);
            }
            String json = new CapacitySearch(opts, scenes, resolution).run(System.err);
            spec.commandLine().getOut().println(json);
            spec.commandLine().getOut().flush();
            return 0;
        }
        StreamBenchmark.Result r = new StreamBenchmark(opts).run(System.err);
        spec.commandLine().getOut().println(r.toJson());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
