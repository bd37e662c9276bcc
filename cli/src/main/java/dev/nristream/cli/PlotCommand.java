package dev.nristream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri plot}: pictures of evaluation results, as the NRI paper draws them.
 *
 * <pre>{@code
 * ./nri plot mse --out mse.png NRI=eval.json:mse LSTM=lstm.json:mse "no motion=eval.json:static_mse"
 * ./nri plot edges --model models/springs5 --data data/springs5 --out edges.png
 * }</pre>
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Pictures of evaluation results, as the NRI paper draws them (Figs. 6-8).",
        subcommands = {MsePlotCommand.class, EdgesPlotCommand.class})
public final class PlotCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
