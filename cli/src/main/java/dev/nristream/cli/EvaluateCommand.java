package dev.nristream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.trainer.eval.Evaluator;
import dev.nristream.trainer.eval.ModelEvaluation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri evaluate}: edge accuracy (raw and permutation-invariant) and multi-step MSE against the static
 * baseline, the paper's test protocol.
 *
 * <pre>{@code
 * ./nri evaluate --model models/springs5 --data /root/nri-data/springs5 --json
 * }</pre>
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates a model directory (model.json + ONNX, run through ONNX Runtime) or a training run",
            "directory (run.json + checkpoint, run through DJL) on a split: the encoder sees the first T steps, the",
            "decoder rolls out the following --horizon steps (MSE on normalised data, static baseline beside it)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory or training run directory.")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset directory.")
    Path data;

    @Option(names = "--suffix", description = "Dataset suffix (default: the model's, e.g. _springs5).")
    String suffix;

    @Option(names = "--split", defaultValue = "test", description = "Split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--horizon", defaultValue = "20", description = "Prediction steps (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--checkpoint", defaultValue = "best", description = "For run directories: best or last "
            + "(default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--batch-size", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the Gumbel noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "Inference threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print JSON (keys edge_accuracy, edge_accuracy_permutation, mse, static_mse, "
            + "samples).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new UserError("--threads must be >= 1, got " + threads);
        }
        Evaluator.Evaluation ev = ModelEvaluation.builder().setModel(model).setData(data).optSuffix(suffix)
                .optSplit(split).optHorizon(horizon).optCheckpoint(checkpoint).optBatchSize(batchSize).optSeed(seed)
                .optThreads(threads).build().run();
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(ev.toMap()));
        } else {
            out.printf("%s: %d samples%n", ev.split(), ev.samples());
            out.printf("edge accuracy %.4f (permutation-invariant %.4f)%n", ev.edgeAccuracy(),
                    ev.edgeAccuracyPermutation());
            out.println("step        mse   static_mse");
            for (int i = 0; i < ev.mse().length; i++) {
                out.printf("%4d  %.4e   %.4e%n", i + 1, ev.mse()[i], ev.staticMse()[i]);
            }
        }
        out.flush();
        return 0;
    }
}
