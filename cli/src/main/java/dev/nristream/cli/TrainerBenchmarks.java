package dev.nristream.cli;

import dev.nristream.trainer.bench.CpuInfo;
import dev.nristream.trainer.bench.EncoderBenchmark;
import dev.nristream.trainer.bench.MklDispatch;
import dev.nristream.trainer.bench.TrainStepBenchmark;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.StepFlops;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The trainer's benchmarks, subcommands of {@code ./nri bench} (results go in docs/BENCHMARKS.md).
 *
 * <pre>{@code
 * OMP_NUM_THREADS=2 ./nri bench train-step
 * ./nri bench encoder --model models/springs5
 * }</pre>
 */
final class TrainerBenchmarks {
    private TrainerBenchmarks() {
    }

    /** {@code ./nri bench train-step}. */
    @Command(name = "train-step", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Times full training steps (encoder, Gumbel-softmax, 10-step decoder rollouts, loss, backward, Adam) on",
        "random springs-shaped batches and reports s/batch and s/epoch for --samples training samples, the step's",
        "useful FLOPs, the achieved GFLOP/s and the same process's SGEMM GFLOP/s through the same engine and threads."})
    static final class TrainStep implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--hidden", defaultValue = "256", description = "Encoder and decoder width (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--batch-size", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--samples", defaultValue = "10000", description = "Epoch size (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--threads", description = "PyTorch threads (default: OMP_NUM_THREADS or all cores).")
        Integer threads;

        @Option(names = "--skip-first", description = "Edge type 0 is \"no edge\" and sends no messages (as models/springs5).")
        boolean skipFirst;

        @Option(names = "--sgemm-size", defaultValue = "2048",
                description = "n of the n x n float32 products timing the machine's SGEMM rate (default: ${DEFAULT-VALUE}).")
        int sgemmSize;

        @Option(names = "--encoder", defaultValue = "mlp", description = "mlp or cnn (default: ${DEFAULT-VALUE}).")
        String encoder;

        @Option(names = "--decoder", defaultValue = "mlp", description = "mlp or recurrent (default: ${DEFAULT-VALUE}).")
        String decoder;

        @Override
        public Integer call() {
            if (batch < 1 || steps < 1 || warmup < 0 || hidden < 1 || samples < 1 || sgemmSize < 1) {
                throw new UserError("--batch-size, --steps, --hidden, --samples and --sgemm-size must be >= 1, --warmup >= 0");
            }
            TrainerSupport.threads(threads);
            NriConfig.EncoderKind enc = switch (encoder) {
                case "mlp" -> NriConfig.EncoderKind.MLP;
                case "cnn" -> NriConfig.EncoderKind.CNN;
                default -> throw new UserError("--encoder must be mlp or cnn, got '" + encoder + "'");
            };
            NriConfig.DecoderKind dec = switch (decoder) {
                case "mlp" -> NriConfig.DecoderKind.MLP;
                case "recurrent" -> NriConfig.DecoderKind.RECURRENT;
                default -> throw new UserError("--decoder must be mlp or recurrent, got '" + decoder + "'");
            };
            NriConfig cfg = NriConfig.builder().hidden(hidden).skipFirst(skipFirst).encoder(enc).decoder(dec).build();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("cpu: %s%n", CpuInfo.read());
            out.printf("mkl: %s%n", MklDispatch.current());
            TrainStepBenchmark.Result r = TrainStepBenchmark.run(cfg, batch, warmup, steps, samples, sgemmSize);
            StepFlops f = r.flops();
            out.printf("train step: %s encoder, %s decoder, H=%d batch=%d skip-first=%b threads=%d: %.3f s/batch "
                    + "median (mean %.3f; %.2f CPU-s), %.1f s/epoch of %d samples (%d timed steps)%n", encoder,
                    decoder, hidden, batch, skipFirst,
                    r.threads(), r.medianSecondsPerBatch(), r.secondsPerBatch(), r.medianCpuSecondsPerBatch(), r.secondsPerEpoch(), samples, steps);
            out.printf("useful FLOPs per step (matrix products from the layer shapes, forward + backward = 3x "
                    + "forward): %.1f GFLOP = encoder %.1f + decoder messages %.1f + decoder output MLP %.1f%n",
                    f.total() / 1e9, f.encoder() / 1e9, f.decoderMessages() / 1e9, f.decoderOutput() / 1e9);
            out.printf("achieved %.1f GFLOP/s; SGEMM %dx%d float32 through DJL PyTorch matMul, %d threads: %.1f "
                    + "GFLOP/s (median, one product after each step); achieved/SGEMM %.1f%%%n", r.achievedGflops(), r.sgemmSize(), r.sgemmSize(),
                    r.threads(), r.sgemmGflops(), 100 * r.fractionOfSgemm());
            out.printf("per process CPU-second: achieved %.1f GFLOP, SGEMM %.1f GFLOP; achieved/SGEMM %.1f%%%n",
                    r.achievedCpuGflops(), r.sgemmCpuGflops(), 100 * r.cpuFractionOfSgemm());
            return 0;
        }
    }

    /** {@code ./nri bench encoder}. */
    @Command(name = "encoder", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "ONNX Runtime CPU encoder inference through the stream's runtime: windows/s at --batch-size, then batch-1",
        "latency percentiles."})
    static final class Encoder implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", defaultValue = "models/springs5", description = "Model directory (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--threads", defaultValue = "2", description = "Intra-op threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--batch-size", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--atoms", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
        int atoms;

        @Option(names = "--seconds", defaultValue = "10", description = "Throughput duration (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--latency-runs", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.")
        int latencyRuns;

        @Override
        public Integer call() {
            EncoderBenchmark.Result r = EncoderBenchmark.run(model, threads, batch, atoms, seconds, latencyRuns);
            spec.commandLine().getOut().printf(
                    "encoder (ONNX Runtime CPU, %d intra-op threads, N=%d): %.0f windows/s at batch %d; batch 1 "
                            + "latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms (%d runs)%n",
                    r.threads(), r.atoms(), r.windowsPerSecond(), r.batch(), r.p50Millis(), r.p90Millis(),
                    r.p99Millis(), r.latencyRuns());
            return 0;
        }
    }
}
