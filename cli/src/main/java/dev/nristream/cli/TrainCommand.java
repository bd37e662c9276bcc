package dev.nristream.cli;

import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.train.RunInfo;
import dev.nristream.trainer.data.WindowSampling;
import dev.nristream.trainer.train.TrainOptions;
import dev.nristream.trainer.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri train}: trains NRI on a particle dataset with the paper's settings.
 *
 * <pre>{@code
 * ./nri train --data /root/nri-data/springs5 --suffix _springs5 --out runs/springs5
 * ./nri train --out runs/springs5 --resume            # continue from runs/springs5/last.ckpt
 * }</pre>
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains NRI (MLP encoder and decoder, paper defaults) on loc_/vel_/edges_{train,valid}<suffix>.npy.",
            "Writes run.json, last.ckpt (every epoch), best.ckpt (lowest validation NLL), metrics.jsonl and curves.png",
            "to --out. Threads: OMP_NUM_THREADS or --threads."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "Dataset directory (required unless --resume).")
    Path data;

    @Option(names = "--suffix", defaultValue = "_springs5", description = "Dataset suffix (default: ${DEFAULT-VALUE}).")
    String suffix;

    @Option(names = "--out", required = true, description = "Run directory.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from last.ckpt with the options in its run.json "
            + "(only --epochs may change, and --lr-decay/--gamma/--lr-milestones while the epochs already trained "
            + "keep their learning rates).")
    boolean resume;

    @Option(names = "--epochs", defaultValue = "500", description = "Total epochs (default: ${DEFAULT-VALUE}; with "
            + "--resume: the run's own).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "5e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-decay", defaultValue = "200", description = "Epochs between decays (default: ${DEFAULT-VALUE}).")
    int lrDecay;

    @Option(names = "--lr-milestones", split = ",", description = "Epochs at which the learning rate is multiplied "
            + "by --gamma, e.g. 50,100 (PyTorch's MultiStepLR; replaces the decay every --lr-decay epochs).")
    List<Integer> lrMilestones;

    @Option(names = "--gamma", defaultValue = "0.5", description = "Learning-rate decay factor (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--encoder-hidden", defaultValue = "256", description = "Encoder width (default: ${DEFAULT-VALUE}).")
    int encoderHidden;

    @Option(names = "--decoder-hidden", defaultValue = "256", description = "Decoder width (default: ${DEFAULT-VALUE}).")
    int decoderHidden;

    @Option(names = "--edge-types", defaultValue = "2", description = "Edge types K (default: ${DEFAULT-VALUE}).")
    int edgeTypes;

    @Option(names = "--atoms", defaultValue = "5", description = "Atoms N in the dataset, e.g. 31 for CMU motion capture "
            + "(default: ${DEFAULT-VALUE}).")
    int atoms;

    @Option(names = "--timesteps", defaultValue = "49", description = "Steps T per window (samples may be longer; "
            + "windows are cut from them, see --windows) (default: ${DEFAULT-VALUE}).")
    int timesteps;

    @Option(names = "--dims", defaultValue = "4", description = "Features D per atom and step: 4 for 2D data (x, y, vx, "
            + "vy), 6 for 3D data (x, y, z, vx, vy, vz: motion capture), 4 for Kuramoto's feat_ files (dphi_dt, "
            + "sin_phi, phi, omega) (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--prediction-steps", defaultValue = "10",
            description = "Steps M fed back before restarting from the truth (default: ${DEFAULT-VALUE}).")
    int predictionSteps;

    @Option(names = "--temp", defaultValue = "0.5", description = "Gumbel-softmax temperature (default: ${DEFAULT-VALUE}).")
    double temp;

    @Option(names = "--hard", description = "Straight-through hard edge samples in training.")
    boolean hard;

    @Option(names = "--skip-first", description = "Edge type 0 is the hard-coded \"no edge\" type.")
    boolean skipFirst;

    @Option(names = "--var", defaultValue = "5e-5", description = "Output variance (default: ${DEFAULT-VALUE}).")
    double variance;

    @Option(names = "--prior", split = ",", description = "Prior over edge types for the KL term, e.g. 0.91,0.09 "
            + "(default: uniform).")
    List<Double> prior;

    @Option(names = "--encoder-dropout", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    double encoderDropout;

    @Option(names = "--decoder-dropout", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    double decoderDropout;

    @Option(names = "--encoder", defaultValue = "MLP", converter = EncoderKindConverter.class,
            description = "mlp (the factor-graph MLP encoder, Eqs. 5-8) or cnn (1D convolutions with attention over "
                    + "time on each edge, the paper's supplement; windows of 14+ steps). Default: mlp.")
    NriConfig.EncoderKind encoder;

    @Option(names = "--decoder", defaultValue = "MLP", converter = DecoderKindConverter.class,
            description = "mlp (Eqs. 10-12, the springs models) or recurrent (a GRU per node, Eqs. 13-17, for motion "
                    + "capture and basketball; trained with a burn-in on T - M true states). Default: mlp.")
    NriConfig.DecoderKind decoder;

    @Option(names = "--encoder-steps", paramLabel = "N", description = "The encoder sees only the first N steps of "
            + "each T-step window (1 <= N <= T; 14+ for --encoder cnn); the decoder is still trained on all T. The "
            + "graph is inferred from the recent past and the decoder forecasts the rest (the paper's basketball "
            + "model: --timesteps 25 --encoder-steps 17). An exported model's window (window_length) is N frames. "
            + "Default: all T steps.")
    Integer encoderSteps;

    @Option(names = "--graph", defaultValue = "learned", converter = GraphKindConverter.class,
            description = "learned (NRI: the encoder infers the graph), or one of the paper's baselines, evaluated "
                    + "with ./nri evaluate --model RUN and never exported: full (the decoder on the fully connected "
                    + "graph, every pair with the one message-passing edge type, no encoder, loss = reconstruction "
                    + "NLL only; needs --skip-first --edge-types 2), true (the decoder on each sample's true graph "
                    + "from the simulation, no encoder: Table 2's 'true graph') or supervised (the encoder alone, "
                    + "trained with cross-entropy on the true edge types: Table 1's 'supervised'). "
                    + "Default: ${DEFAULT-VALUE}.")
    NriConfig.GraphKind graph;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--windows", defaultValue = "live", converter = WindowSamplingConverter.class,
            description = "Where training windows start in each sample: live (anywhere in the trajectory, fresh "
                    + "starts every epoch; give it long simulations, e.g. ./nri simulate --length 100000, so windows "
                    + "of every scene age a stream sees are drawn) or paper (at the simulation's start, the paper's "
                    + "protocol). Default: ${DEFAULT-VALUE}.")
    WindowSampling windows;

    @Option(names = "--windows-ramp", paramLabel = "EPOCHS", defaultValue = "0",
            description = "Live windows: a curriculum over scene age. In epoch e the windows start within the first "
                    + "e/EPOCHS of each sample (young scenes, where the interactions show most plainly, first), every "
                    + "age from epoch EPOCHS on; validation always scores every age. 0: every age from the start "
                    + "(default: ${DEFAULT-VALUE}).")
    int windowsRamp;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: OMP_NUM_THREADS or all cores).")
    Integer threads;

    @Option(names = "--walls", description = "Simulated particles in a box (springs, charged): the decoder reflects "
            + "every predicted state at the box's walls as the simulator does, so it learns free motion (fitted to "
            + "the nearer mirror image of each true state) and forecasts bounces; the half-width comes from the "
            + "dataset's provenance (./nri simulate records it). Exported models declare the walls in model.json.")
    boolean walls;

    @Option(names = "--clip-grad-norm", paramLabel = "NORM", description = "Scale each batch's gradients down to this "
            + "global L2 norm when larger (default: no clipping, as the paper); the log prints each epoch's median "
            + "and largest norm. A decoder with --walls fitted to a few 1e-7 needs it: a rare outlier batch otherwise "
            + "throws a converged run back by orders of magnitude.")
    Double clipGradNorm;

    @Option(names = "--init-from", paramLabel = "RUN", description = "Start from the best weights of another run "
            + "with the same architecture and data scaling (fine-tuning); Adam and the schedule start afresh. A run "
            + "without an encoder (--graph true or full) gives a learned-graph run its decoder only; the encoder "
            + "starts from its random initialisation.")
    Path initFrom;

    @Option(names = "--no-progress", description = "No progress bar (for logs).")
    boolean noProgress;

    private static dev.nristream.model.ReflectingWalls wallsOf(Path data, String suffix) {
        return dev.nristream.trainer.eval.BoxWalls.of(data, suffix)
                .map(b -> new dev.nristream.model.ReflectingWalls(b.halfWidth()))
                .orElseThrow(() -> new UserError("--walls: " + data + " does not say it is a simulation in a box (no "
                        + dev.nristream.trainer.eval.BoxWalls.HALF_WIDTH_KEY + " in its provenance, and not made by "
                        + "./nri simulate --system springs|charged)"));
    }

    @Override
    public Integer call() throws Exception {
        TrainerSupport.threads(threads);
        TrainOptions opts;
        if (resume) {
            List<String> given = spec.commandLine().getParseResult().matchedOptions().stream()
                    .map(o -> o.longestName()).toList();
            List<String> ignored = given.stream().filter(n -> !List.of("--out", "--resume", "--epochs", "--threads",
                    "--no-progress", "--lr-decay", "--gamma", "--lr-milestones").contains(n)).toList();
            if (!ignored.isEmpty()) {
                throw new UserError("with --resume the run's own options (run.json) apply; only --epochs, --threads, "
                        + "--no-progress, --lr-decay, --gamma and --lr-milestones may be given, not " + ignored);
            }
            if (!Files.isRegularFile(out.resolve(RunInfo.FILE))) {
                throw new UserError("nothing to resume in " + out + " (no " + RunInfo.FILE + ")");
            }
            RunInfo run = RunInfo.read(out);
            // Without --epochs the run keeps the total it was started with (not this command's default).
            opts = TrainOptions.fromRun(run, out, given.contains("--epochs") ? epochs : run.epochs(), !noProgress);
            if (given.contains("--lr-decay") || given.contains("--gamma") || given.contains("--lr-milestones")) {
                // The trainer refuses the change if an epoch already trained would have had another rate.
                opts = opts.withLearningRate(run.learningRate(),
                        given.contains("--lr-decay") ? lrDecay : run.lrDecay(),
                        given.contains("--gamma") ? gamma : run.gamma())
                        .withMilestones(given.contains("--lr-milestones") ? lrMilestones : run.lrMilestones());
            }
        } else {
            if (data == null) {
                throw new UserError("--data is required (the directory with loc_train" + suffix + ".npy)");
            }
            double[] p = prior == null ? null : prior.stream().mapToDouble(Double::doubleValue).toArray();
            NriConfig cfg = NriConfig.builder().atoms(atoms).timesteps(timesteps).dims(dims).edgeTypes(edgeTypes)
                    .encoderHidden(encoderHidden).decoderHidden(decoderHidden).skipFirst(skipFirst).tau(temp)
                    .hard(hard).variance(variance).prior(p).predictionSteps(predictionSteps)
                    .encoderDropout(encoderDropout).decoderDropout(decoderDropout).encoder(encoder).decoder(decoder)
                    .encoderSteps(encoderSteps).graph(graph).walls(walls ? wallsOf(data, suffix) : null).build();
            // originalArgs() is the whole command line ("train" included), as typed after ./nri
            String command = "./nri " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            if (windowsRamp != 0 && (windowsRamp < 0 || windows != WindowSampling.LIVE)) {
                throw new UserError("--windows-ramp needs --windows live and a count of epochs >= 0, got "
                        + windowsRamp + " with --windows " + windows.flag());
            }
            opts = new TrainOptions(data, suffix, out, cfg, epochs, batchSize, lr, lrDecay, gamma, lrMilestones, seed,
                    command, !noProgress, windows, windowsRamp, clipGradNorm);
        }
        if (initFrom != null && !Files.isRegularFile(initFrom.resolve(Trainer.BEST))) {
            throw new UserError("--init-from " + initFrom + ": no " + Trainer.BEST + " there (a run directory of "
                    + "./nri train)");
        }
        Trainer.Summary s = new Trainer(opts).initFrom(resume ? null : initFrom).run(resume);
        spec.commandLine().getOut().printf("trained %d epochs; best validation NLL %.6g at epoch %d; run in %s%n",
                s.epochs(), s.bestValNll(), s.bestEpoch(), out);
        return 0;
    }

    /** Accepts live or paper, in any case. */
    static final class WindowSamplingConverter implements picocli.CommandLine.ITypeConverter<WindowSampling> {
        @Override
        public WindowSampling convert(String value) {
            for (WindowSampling w : WindowSampling.values()) {
                if (w.flag().equalsIgnoreCase(value)) {
                    return w;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected live or paper, got '" + value + "'");
        }
    }

    /** {@code learned}, {@code full}, {@code true} or {@code supervised}, any case. */
    static final class GraphKindConverter implements picocli.CommandLine.ITypeConverter<NriConfig.GraphKind> {
        @Override
        public NriConfig.GraphKind convert(String value) {
            try {
                return NriConfig.GraphKind.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("--graph must be learned, full, true or supervised, got '"
                        + value + "'");
            }
        }
    }

    /** {@code mlp} or {@code recurrent}, any case. */
    static final class DecoderKindConverter implements picocli.CommandLine.ITypeConverter<NriConfig.DecoderKind> {
        @Override
        public NriConfig.DecoderKind convert(String value) {
            try {
                return NriConfig.DecoderKind.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("--decoder must be mlp or recurrent, got '"
                        + value + "'");
            }
        }
    }

    /** {@code mlp} or {@code cnn}, any case. */
    static final class EncoderKindConverter implements picocli.CommandLine.ITypeConverter<NriConfig.EncoderKind> {
        @Override
        public NriConfig.EncoderKind convert(String value) {
            try {
                return NriConfig.EncoderKind.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("--encoder must be mlp or cnn, got '"
                        + value + "'");
            }
        }
    }
}
