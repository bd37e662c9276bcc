package dev.nristream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.trainer.baseline.LstmConfig;
import dev.nristream.trainer.baseline.LstmEvaluation;
import dev.nristream.trainer.baseline.LstmRunInfo;
import dev.nristream.trainer.baseline.LstmTrainOptions;
import dev.nristream.trainer.baseline.LstmTrainer;
import dev.nristream.trainer.data.WindowSampling;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri baseline lstm}: trains the LSTM (joint) baseline, or with {@code --evaluate} scores a trained one with
 * {@code ./nri evaluate}'s protocol.
 *
 * <pre>{@code
 * ./nri baseline lstm --data /root/nri-data/mocap35 --suffix _mocap35 --out runs/lstm35 --atoms 31 --dims 6 \
 *     --timesteps 50 --batch-size 16
 * ./nri baseline lstm --out runs/lstm35 --resume
 * ./nri baseline lstm --evaluate --out runs/lstm35 --split test --horizon 20 --json
 * }</pre>
 */
@Command(name = "lstm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The NRI paper's LSTM (joint) baseline: no graph; per step the states of all N",
            "objects are concatenated into one vector, passed through an input MLP, --layers",
            "stacked LSTM layers of width --hidden and an output MLP that predicts the change",
            "of every state (x_{t+1} = x_t + f(h_t)).",
            "Trains on the same loc_/vel_/edges_{train,valid}<suffix>.npy, windows and",
            "normalisation as ./nri train: true states for a burn-in on the first T - M steps,",
            "its own predictions for the last M; Gaussian NLL (--var), Adam. Writes run.json,",
            "last.ckpt (every epoch; --resume continues from it), best.ckpt (lowest validation",
            "NLL, one-step predictions), metrics.jsonl and curves.png to --out.",
            "--evaluate scores the run in --out as ./nri evaluate scores an NRI run: the T-step",
            "window at --window-start, a burn-in on the T true frames up to the forecast's",
            "start, then --horizon steps of its own; MSE per step on normalised data, the",
            "static baseline beside it (the numbers go in one table with ./nri evaluate's).",
            ""})
public final class BaselineLstmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "Dataset directory (required for a new run; --evaluate: default the run's).")
    Path data;

    @Option(names = "--suffix", description = "Dataset suffix (default: _springs5 for a new run, the run's own with "
            + "--evaluate).")
    String suffix;

    @Option(names = "--out", required = true, description = "Run directory (written by training, read by --evaluate).")
    Path out;

    @Option(names = "--atoms", defaultValue = "5", description = "Objects N in the dataset (default: ${DEFAULT-VALUE}).")
    int atoms;

    @Option(names = "--dims", defaultValue = "4", description = "Features D per object and step: 4 for 2D data, 6 for "
            + "3D (motion capture) (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--timesteps", defaultValue = "49", description = "Steps T per training window (samples may be "
            + "longer: windows are cut from them, see --windows); evaluation burns in on T frames "
            + "(default: ${DEFAULT-VALUE}).")
    int timesteps;

    @Option(names = "--hidden", defaultValue = "256", description = "Width H of the input MLP, every LSTM layer and the "
            + "output MLP (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "Stacked LSTM layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--prediction-steps", defaultValue = "10", description = "Steps M of a training window predicted "
            + "from its own outputs (default: ${DEFAULT-VALUE}).")
    int predictionSteps;

    @Option(names = "--burn-in", description = "True steps fed in training before it predicts from its own outputs; "
            + "another way to give M (= T - burn-in; default: T - --prediction-steps).")
    Integer burnIn;

    @Option(names = "--var", defaultValue = "5e-5", description = "Output variance of the Gaussian NLL "
            + "(default: ${DEFAULT-VALUE}).")
    double variance;

    @Option(names = "--epochs", defaultValue = "500", description = "Total epochs (default: ${DEFAULT-VALUE}; with "
            + "--resume: the run's own).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Samples per batch, in training and evaluation "
            + "(default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "5e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-decay", defaultValue = "200", description = "Epochs between learning-rate decays "
            + "(default: ${DEFAULT-VALUE}).")
    int lrDecay;

    @Option(names = "--gamma", defaultValue = "0.5", description = "Learning-rate decay factor (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--seed", defaultValue = "42", description = "Seeds the initial weights, batch order and window "
            + "starts (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--windows", defaultValue = "live", converter = TrainCommand.WindowSamplingConverter.class,
            description = "Where training windows start in each sample: live (anywhere, fresh every epoch) or paper "
                    + "(at the sample's start), as ./nri train. Default: ${DEFAULT-VALUE}.")
    WindowSampling windows;

    @Option(names = "--resume", description = "Continue the run in --out from last.ckpt with the options in its run.json "
            + "(only --epochs, --threads and --no-progress may be given).")
    boolean resume;

    @Option(names = "--no-progress", description = "No progress bar (for logs).")
    boolean noProgress;

    @Option(names = "--evaluate", description = "Evaluate the run in --out instead of training.")
    boolean evaluate;

    @Option(names = "--split", defaultValue = "test", description = "--evaluate: split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--horizon", defaultValue = "20", description = "--evaluate: prediction steps scored "
            + "(default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--checkpoint", defaultValue = "best", description = "--evaluate: best or last "
            + "(default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--window-start", split = ",", defaultValue = "0", description = "--evaluate: steps into each "
            + "sample at which the window starts; a list gives one evaluation per start (default: ${DEFAULT-VALUE}).")
    int[] windowStarts;

    @Option(names = "--json", description = "--evaluate: print JSON (keys model, split, samples, window_start, "
            + "burn_in_frames, mse, static_mse).")
    boolean json;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: OMP_NUM_THREADS or all cores).")
    Integer threads;

    /** Flags that only training reads. */
    static final Set<String> TRAINING = Set.of("--atoms", "--dims", "--timesteps", "--hidden", "--layers",
            "--prediction-steps", "--burn-in", "--var", "--epochs", "--lr", "--lr-decay", "--gamma", "--seed",
            "--windows", "--resume", "--no-progress");
    /** Flags that only --evaluate reads. */
    static final Set<String> EVALUATION = Set.of("--split", "--horizon", "--checkpoint", "--window-start", "--json");
    /** Flags a resumed run takes; the rest come from its run.json. */
    static final Set<String> RESUME = Set.of("--out", "--resume", "--epochs", "--threads", "--no-progress");

    @Override
    public Integer call() throws Exception {
        List<String> given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(o -> o.longestName()).toList();
        TrainerSupport.threads(threads);
        if (evaluate) {
            List<String> wrong = given.stream().filter(TRAINING::contains).toList();
            if (!wrong.isEmpty()) {
                throw new UserError("--evaluate reads the network from the run's run.json; " + wrong
                        + " apply to training only");
            }
            return evaluate();
        }
        List<String> wrong = given.stream().filter(EVALUATION::contains).toList();
        if (!wrong.isEmpty()) {
            throw new UserError(wrong + " apply to --evaluate only");
        }
        LstmTrainOptions opts;
        if (resume) {
            List<String> ignored = given.stream().filter(n -> !RESUME.contains(n)).toList();
            if (!ignored.isEmpty()) {
                throw new UserError("with --resume the run's own options (run.json) apply; only --epochs, --threads "
                        + "and --no-progress may be given, not " + ignored);
            }
            if (!Files.isRegularFile(out.resolve(LstmRunInfo.FILE))) {
                throw new UserError("nothing to resume in " + out + " (no " + LstmRunInfo.FILE + ")");
            }
            LstmRunInfo run = LstmRunInfo.read(out);
            opts = LstmTrainOptions.fromRun(run, out, given.contains("--epochs") ? epochs : run.epochs(), !noProgress);
        } else {
            String sfx = suffix != null ? suffix : "_springs5";
            if (data == null) {
                throw new UserError("--data is required (the directory with loc_train" + sfx + ".npy)");
            }
            int m = predictionSteps;
            if (burnIn != null) {
                if (given.contains("--prediction-steps") && burnIn + predictionSteps != timesteps) {
                    throw new UserError("--burn-in " + burnIn + " and --prediction-steps " + predictionSteps
                            + " disagree: they must add up to --timesteps " + timesteps + " (give one of them)");
                }
                if (burnIn < 1 || burnIn >= timesteps) {
                    throw new UserError("--burn-in must be in 1 .. " + (timesteps - 1) + " (--timesteps " + timesteps
                            + "), got " + burnIn);
                }
                m = timesteps - burnIn;
            }
            LstmConfig cfg = new LstmConfig(atoms, dims, timesteps, hidden, layers, m, variance);
            String command = "./nri " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            opts = new LstmTrainOptions(data, sfx, out, cfg, epochs, batchSize, lr, lrDecay, gamma, seed, windows,
                    command, !noProgress);
        }
        LstmTrainer.Summary s = new LstmTrainer(opts).run(resume);
        spec.commandLine().getOut().printf("trained %d epochs; best validation NLL %.6g (1 step) at epoch %d; run in "
                + "%s%n", s.epochs(), s.bestValNll(), s.bestEpoch(), out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Integer evaluate() throws Exception {
        if (!Files.isDirectory(out)) {
            throw new UserError("no run directory " + out);
        }
        List<LstmEvaluation.Result> all = LstmEvaluation.run(out, data, suffix, split, horizon, checkpoint,
                batchSize, windowStarts);
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Object value = all.size() == 1 ? all.get(0).toMap()
                    : all.stream().map(LstmEvaluation.Result::toMap).toList();
            pw.println(mapper.writeValueAsString(value));
        } else {
            for (LstmEvaluation.Result r : all) {
                pw.printf("LSTM baseline %s (%s.ckpt, epoch %d) on %s: %d samples; window starts at step %d, burn-in "
                        + "on %d true frames%n", r.run(), r.checkpoint(), r.epoch(), r.split(), r.samples(),
                        r.windowStart(), r.burnInFrames());
                pw.println("step        mse   static_mse");
                for (int i = 0; i < r.mse().length; i++) {
                    pw.printf("%4d  %.4e   %.4e%n", i + 1, r.mse()[i], r.staticMse()[i]);
                }
            }
        }
        pw.flush();
        return 0;
    }
}
