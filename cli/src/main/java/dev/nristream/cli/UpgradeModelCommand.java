package dev.nristream.cli;

import dev.nristream.model.ModelException;
import dev.nristream.model.OnnxContract;
import dev.nristream.trainer.export.ModelUpgrade;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri upgrade-model} (alias {@code upgrade-decoder}): brings a model directory exported before the sparse
 * rollout to the fast form from its ONNX files alone, without retraining.
 *
 * <pre>{@code
 * ./nri upgrade-model --model models/springs5
 * }</pre>
 */
@Command(name = "upgrade-model", aliases = "upgrade-decoder", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Adds rollout.onnx to a model directory: the decoder's whole rollout in one graph,",
            "messages only for edges whose type sends them (the sparse rollout the stream runs",
            "by default), built from decoder.onnx's weights; and rewrites encoder.onnx's Elu",
            "nodes into a vectorised form. Each file is kept only if it matches the old one to",
            "1e-5 (rollout: soft, hard and all-silent edge weights). A model with the recurrent",
            "decoder has no sparse rollout: it is skipped with a message (exit status 0)."})
final class UpgradeModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory to upgrade.")
    Path model;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(model)) {
            throw new UserError("--model " + model + " is not a directory");
        }
        ModelUpgrade.Result r;
        try {
            String skip = ModelUpgrade.unsupported(dev.nristream.model.ModelDirectory.open(model).spec());
            if (skip != null) {
                spec.commandLine().getOut().println("skipped " + model + ": " + skip);
                spec.commandLine().getOut().flush();
                return 0;
            }
            r = ModelUpgrade.upgrade(model);
        } catch (ModelException e) {
            throw new UserError(e.getMessage(), e);
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "wrote %s (silent edge types: [%s]; parity with the dense decoder, step by step, %.2e <= %.0e)%n",
                r.rollout(), OnnxContract.typeList(r.silentTypes()), r.rolloutMaxAbsDiff(), ModelUpgrade.TOLERANCE);
        if (r.eluNodesRewritten() > 0) {
            out.printf(Locale.ROOT, "rewrote %d Elu nodes of the encoder (max |new - old| probability %.2e)%n",
                    r.eluNodesRewritten(), r.encoderMaxAbsDiff());
        } else {
            out.println("encoder already in the vectorised form");
        }
        return 0;
    }
}
