package dev.nristream.cli;

import dev.nristream.bench.ReplayBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri bench}: benchmarks (commands, not tests; results go in docs/BENCHMARKS.md).
 *
 * <pre>{@code
 * ./nri bench replay
 * ./nri bench stream --scenes 100 --agents 11 --hz 25 --seconds 60
 * OMP_NUM_THREADS=2 ./nri bench train-step
 * ./nri bench encoder --model models/springs5
 * ./nri bench faults
 * }</pre>
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints its method and numbers; docs/BENCHMARKS.md records them.",
        subcommands = {BenchCommand.Replay.class, BenchStreamCommand.class, TrainerBenchmarks.TrainStep.class,
            TrainerBenchmarks.Encoder.class, BenchFaultsCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ./nri bench replay}. */
    @Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Replay throughput at --speed max from file to an embedded broker with the registry serde: SportVU-sized",
        "frames (11 agents, synthetic game file) and CMU mocap frames (31 joints), parse-only and to-broker."})
    static final class Replay implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--sportvu-moments", defaultValue = "400000",
                description = "Distinct moments in the synthetic game (default: ${DEFAULT-VALUE}).")
        int sportVuMoments;

        @Option(names = "--mocap-frames", defaultValue = "200000",
                description = "Mocap frames, the 20 trials looped (default: ${DEFAULT-VALUE}).")
        long mocapFrames;

        @Option(names = "--mocap-dir", description = "CMU subject directory (default: <shared data>/cmu-mocap/subject35).")
        Path mocapDir;

        @Option(names = "--partitions", defaultValue = "4",
                description = "Partitions per benchmark topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Override
        public Integer call() throws Exception {
            Path dir = mocapDir != null ? mocapDir
                    : Path.of(System.getProperty("nri.shared.data", "../shared/data"), "cmu-mocap", "subject35");
            List<ReplayBenchmark.Result> results = new ReplayBenchmark(
                    new ReplayBenchmark.Options(sportVuMoments, mocapFrames, dir, partitions), System.err).run();
            var out = spec.commandLine().getOut();
            out.println(ReplayBenchmark.HEADER);
            results.forEach(out::println);
            out.flush();
            return 0;
        }
    }
}
