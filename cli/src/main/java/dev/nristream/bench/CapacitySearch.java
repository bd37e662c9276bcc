package dev.nristream.bench;

import dev.nristream.trainer.bench.CpuInfo;
import dev.nristream.trainer.bench.Sgemm;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./nri bench stream --find-capacity}: the largest scene count the stream job holds on this machine (graphs
 * per second equal to the scene count, within {@link #RATE_SLACK}, and p99 end-to-end latency under
 * {@link #P99_LIMIT_MS}), printed with the machine's SGEMM rate measured in the same run, so that numbers from
 * different machines compare as scenes per SGEMM GFLOP/s. Forecasts per second must keep up as well (load
 * shedding drops forecasts before graphs).
 *
 * <p>Search: from {@code start} scenes, double while the job holds; then bisect between the last count that held
 * and the first that did not, until they are within {@code resolution} of each other. Each trial is a full
 * {@link StreamBenchmark} run (fresh broker, registry and job).
 *
 * <pre>{@code
 * String json = new CapacitySearch(options, 25, 10).run(System.err);
 * }</pre>
 */
public final class CapacitySearch {
    /** p99 end-to-end latency a trial must stay under. */
    public static final double P99_LIMIT_MS = 500;
    /** Graphs per second may fall this fraction short of the scene count (windows straddling the interval ends). */
    public static final double RATE_SLACK = 0.03;
    private static final int SGEMM_SIZE = 2048;
    private static final int MAX_TRIALS = 10;

    private final StreamBenchmark.Options base;
    private final int start;
    private final int resolution;

    /**
     * @param base every setting but the scene count
     * @param start first scene count tried
     * @param resolution stop bisecting when the bounds are this close (scenes)
     */
    public CapacitySearch(StreamBenchmark.Options base, int start, int resolution) {
        if (start < 1 || resolution < 1) {
            throw new IllegalArgumentException("start and resolution must be >= 1, got " + start + ", " + resolution);
        }
        this.base = base;
        this.start = start;
        this.resolution = resolution;
    }

    /** Whether a trial's figures meet the target. */
    static boolean holds(StreamBenchmark.Result r) {
        // forecasts too: load shedding drops forecasts before graphs
        double need = (1 - RATE_SLACK) * r.options().scenes();
        return r.graphsPerSecond() >= need && r.forecastsPerSecond() >= need && r.latencyP99Ms() < P99_LIMIT_MS;
    }

    /** Runs the search; progress on {@code log}; returns one JSON object. */
    public String run(PrintStream log) throws Exception {
        String cpu = CpuInfo.read().toString();
        log.println("cpu: " + cpu);
        Sgemm.Rate one = Sgemm.median(SGEMM_SIZE, 1, 5);
        int cores = Math.max(1, base.parallelism());
        Sgemm.Rate all = cores == 1 ? one : Sgemm.median(SGEMM_SIZE, cores, 5);
        log.printf(Locale.ROOT, "SGEMM %dx%d float32 (DJL PyTorch): 1 thread %.1f GFLOP/s, %d threads %.1f GFLOP/s "
                + "(per wall second; per process CPU-second %.1f and %.1f)%n", SGEMM_SIZE, SGEMM_SIZE,
                one.wallGflops(), cores, all.wallGflops(), one.cpuGflops(), all.cpuGflops());
        List<String> trials = new ArrayList<>();
        int good = 0;
        int bad = -1;
        int k = start;
        while (trials.size() < MAX_TRIALS) {
            log.printf("capacity trial %d: %d scenes%n", trials.size() + 1, k);
            StreamBenchmark.Result r = new StreamBenchmark(base.withScenes(k)).run(log);
            boolean ok = holds(r);
            log.printf(Locale.ROOT, "  %d scenes: %.1f graphs/s, p99 %.0f ms -> %s%n", k, r.graphsPerSecond(),
                    r.latencyP99Ms(), ok ? "holds" : "falls behind");
            trials.add(String.format(Locale.ROOT, "{\"scenes\":%d,\"graphs_per_s\":%.2f,\"latency_ms_p50\":%.1f,"
                    + "\"latency_ms_p99\":%.1f,\"holds\":%s}", k, r.graphsPerSecond(), r.latencyP50Ms(),
                    r.latencyP99Ms(), ok));
            if (ok) {
                good = Math.max(good, k);
            } else {
                bad = bad < 0 ? k : Math.min(bad, k);
            }
            if (bad < 0) {
                k *= 2;
            } else if (bad - good <= resolution) {
                break;
            } else {
                k = good == 0 ? Math.max(1, bad / 2) : (good + bad) / 2;
                if (good == 0 && k < resolution) {
                    break;
                }
            }
        }
        double perGflop = good / all.wallGflops();
        log.printf(Locale.ROOT, "capacity: %d scenes (first count that fell behind: %s); %.2f scenes per SGEMM "
                + "GFLOP/s at %d threads%n", good, bad < 0 ? "none tried" : Integer.toString(bad), perGflop, cores);
        StreamBenchmark.Options o = base;
        return String.format(Locale.ROOT, "{\"benchmark\":\"stream-capacity\",\"cpu\":\"%s\",\"agents\":%d,\"hz\":%s,"
                + "\"seconds\":%d,\"delivery\":\"%s\",\"parallelism\":%d,\"batch_max_size\":%d,\"batch_max_wait_ms\":%d,"
                + "\"decoder_path\":\"%s\",\"rollout_edges\":\"%s\",\"sgemm_gflops_1_thread\":%.1f,"
                + "\"sgemm_gflops_%d_threads\":%.1f,\"capacity_scenes\":%d,\"first_failing_scenes\":%d,"
                + "\"scenes_per_sgemm_gflops\":%.3f,\"p99_limit_ms\":%.0f,\"trials\":[%s]}",
                cpu.replace("\"", "'"), o.agents(), o.hz(), o.seconds(), o.delivery(), o.parallelism(),
                o.batchMaxSize(), o.batchMaxWaitMs(), o.decoderPath(), o.rolloutEdges(), one.wallGflops(), cores,
                all.wallGflops(), good, bad, perGflop, P99_LIMIT_MS, String.join(",", trials));
    }
}
