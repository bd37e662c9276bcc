package dev.nristream.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.nristream.bench.FaultsBenchmark;
import dev.nristream.bench.StreamBenchmark;
import dev.nristream.job.JobConfig;
import dev.nristream.trainer.bench.CpuInfo;
import dev.nristream.trainer.bench.Sgemm;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri bench faults}: the stream job under issue 17's faults, each against a clean run of the same load in
 * the same invocation; exit 1 when a count check fails.
 *
 * <pre>{@code
 * ./nri bench faults                                   # 2,500 records/s, 60 s each, broker down 15 s
 * ./nri bench faults --seconds 10 --warmup 5 --after 20 --phases bad
 * }</pre>
 */
@Command(name = "faults", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "The stream job under faults (issue 17), on the stream benchmark's embedded",
    "broker, registry, feed and MiniCluster: (1) a clean run; (2) the same rate",
    "with --bad-percent of the records bad (not Avro, unknown schema id,",
    "truncated, NaN/Inf, 1 agent, 200 agents, duplicate, 10 minutes late, from",
    "the future, 10 kB agent id, time going backwards): good-scene throughput",
    "and latency, every bad record in the DLQ once with its kind, no good window",
    "lost; (3) the broker stopped for --outage s under load and restarted: how",
    "long until latency is back within 1.5x its pre-fault p50, and the count",
    "check. Prints the CPU and the same run's SGEMM rate. Exit 1 when a count",
    "check fails."})
final class BenchFaultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenes", defaultValue = "100", description = "Records per tick: good scenes plus bad records (default: ${DEFAULT-VALUE}).")
    int scenes;

    @Option(names = "--agents", defaultValue = "11", description = "Agents per scene (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--hz", defaultValue = "25", description = "Ticks per second (default: ${DEFAULT-VALUE}; 100 x 25 = 2,500 records/s).")
    double hz;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured seconds of the clean and bad runs (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "15", description = "Seconds of load before measuring, each run (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--bad-percent", defaultValue = "10", description = "Share of records that are bad in the bad run (default: ${DEFAULT-VALUE}).")
    double badPercent;

    @Option(names = "--outage", defaultValue = "15", description = "Seconds the broker is down (default: ${DEFAULT-VALUE}).")
    int outage;

    @Option(names = "--before", defaultValue = "20", description = "Measured seconds before the broker stops (default: ${DEFAULT-VALUE}).")
    int before;

    @Option(names = "--after", defaultValue = "60", description = "Seconds of load after the restart (default: ${DEFAULT-VALUE}).")
    int after;

    @Option(names = "--phases", defaultValue = "clean,bad,broker", split = ",",
            description = "Which runs: clean, bad, broker (default: ${DEFAULT-VALUE}).")
    String[] phases;

    @Option(names = "--job", paramLabel = "KEY=VALUE", description = "A job setting for every run's job (repeatable), "
            + "e.g. --job future.tolerance-ms=0 to see the bad feed without the check for frames from the future.")
    java.util.Map<String, String> jobSettings = new java.util.LinkedHashMap<>();

    @Option(names = "--model", paramLabel = "DIR", description = "Model directory (default: models/springs5).")
    Path model;

    @Option(names = "--partitions", defaultValue = "4", description = "Input topic partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-ms", defaultValue = "200", description = "Checkpoint interval (default: ${DEFAULT-VALUE}, as bench stream).")
    long checkpointMs;

    @Option(names = "--sgemm-size", defaultValue = "2048", description = "n of the n x n float32 products timing SGEMM (default: ${DEFAULT-VALUE}).")
    int sgemmSize;

    @Override
    public Integer call() throws Exception {
        Path dir = model != null ? model : Path.of(System.getProperty("nri.project.root", "."), "models", "springs5");
        if (!Files.isDirectory(dir)) {
            throw new UserError("no model directory " + dir + " (pass --model DIR)");
        }
        FaultsBenchmark.Options opts;
        try {
            Set<String> which = new LinkedHashSet<>(Arrays.asList(phases));
            opts = new FaultsBenchmark.Options(new StreamBenchmark.Options(scenes, agents, hz, seconds, warmup, dir,
                    partitions, parallelism, JobConfig.Delivery.EXACTLY_ONCE, checkpointMs, 32, 20, 0, 1, true,
                    JobConfig.DECODER_PATH.defaultValue(), JobConfig.ROLLOUT_EDGES.defaultValue(),
                    JobConfig.SHED_LAG_MS.defaultValue()),
                    badPercent / 100.0, outage, before, after, which, jobSettings);
            JobConfig.Builder check = JobConfig.builder().set(JobConfig.MODEL_DIR, dir.toString());
            jobSettings.forEach(check::set);
            check.build(); // a bad --job setting fails here, before anything starts
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("cpu: %s%n", CpuInfo.read());
        out.println(sgemm("before"));
        out.flush();
        FaultsBenchmark.Report r = new FaultsBenchmark(opts).run(System.err);
        r.lines().forEach(out::println);
        if (r.clean() != null && r.bad() != null) {
            out.printf(Locale.ROOT, "bad vs clean: graphs/s per good scene %.1f%%, latency p50 %+.0f ms, p99 %+.0f ms%n",
                    100 * (r.bad().graphsPerSecond() / r.bad().goodScenes())
                            / (r.clean().graphsPerSecond() / r.clean().goodScenes()),
                    r.bad().latencyP50Ms() - r.clean().latencyP50Ms(), r.bad().latencyP99Ms() - r.clean().latencyP99Ms());
        }
        out.println(sgemm("after"));
        out.flush();
        boolean ok = (r.clean() == null || r.clean().count().ok()) && (r.bad() == null || r.bad().count().ok())
                && (r.broker() == null || r.broker().load().count().ok());
        return ok ? 0 : 1;
    }

    /** The machine's SGEMM rate now (median of 5 products through DJL PyTorch), as ./nri bench train-step. */
    private String sgemm(String when) {
        Engine engine = Engine.getEngine("PyTorch");
        double[] wall = new double[5];
        double[] cpu = new double[5];
        try (NDManager manager = engine.newBaseManager(); Sgemm s = new Sgemm(manager, sgemmSize)) {
            s.measure();
            for (int i = 0; i < wall.length; i++) {
                Sgemm.Rate rate = s.measure();
                wall[i] = rate.wallGflops();
                cpu[i] = rate.cpuGflops();
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format(Locale.ROOT, "SGEMM %s: %dx%d float32, DJL PyTorch matMul, %d threads: %.1f GFLOP/s "
                + "(median of 5; %.1f per process CPU-second)", when, sgemmSize, sgemmSize,
                ai.djl.pytorch.jni.JniUtils.getNumThreads(), wall[2], cpu[2]);
    }
}
