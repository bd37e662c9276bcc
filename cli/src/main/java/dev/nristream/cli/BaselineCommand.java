package dev.nristream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri baseline}: the NRI paper's comparison models, trained and evaluated on the same datasets as NRI.
 *
 * <pre>{@code
 * ./nri baseline lstm --data /root/nri-data/mocap35 --suffix _mocap35 --out runs/lstm35 --atoms 31 --dims 6 --timesteps 50
 * ./nri baseline lstm --evaluate --out runs/lstm35 --horizon 20
 * }</pre>
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = {"Baselines of the NRI paper, trained on the same data and scored like ./nri evaluate.",
            "lstm: the LSTM (joint) baseline, one recurrent network over all objects' states, no graph.",
            "corr: Corr. (path), edges from thresholded correlations of the objects' paths."},
        subcommands = {BaselineLstmCommand.class, BaselineCorrCommand.class})
public final class BaselineCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
