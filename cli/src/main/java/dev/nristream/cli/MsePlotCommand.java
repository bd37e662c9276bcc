package dev.nristream.cli;

import dev.nristream.plot.MseChart;
import dev.nristream.plot.MseCurveArgument;
import dev.nristream.plot.StepMseCurve;
import dev.nristream.plot.StepMseTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri plot mse}: forecast MSE by prediction step for several models in one PNG (log y axis), and the same
 * numbers as a markdown table on stdout.
 *
 * <pre>{@code
 * ./nri evaluate --model models/springs5 --data data/springs5 --dynamic --json > nri.json
 * ./nri baseline lstm --evaluate --out runs/lstm5 --json > lstm.json
 * ./nri plot mse --out mse.png "NRI (static)=nri.json:mse" "NRI (dynamic)=nri.json:dynamic_mse" \
 *     "LSTM (joint)=lstm.json:mse" "no motion=nri.json:static_mse"
 * }</pre>
 */
@Command(name = "mse", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws forecast MSE by prediction step for several models.",
            "x: steps 1..N, y: MSE on a log axis, as Fig. 6 (left) of the NRI paper;",
            "prints the values at steps 1, 5, 10, 15, 20, 25, 30 (and the last) as a",
            "markdown table.",
            "Each CURVE is LABEL=FILE.json[:KEY]: LABEL is the legend text, FILE.json",
            "the --json output of ./nri evaluate (keys mse, static_mse; with --dynamic",
            "also dynamic_mse) or of ./nri baseline lstm --evaluate (mse, static_mse),",
            "KEY the array to draw (default: the file's only per-step MSE array; a file",
            "with several needs KEY).",
            ""})
public final class MsePlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;

    @Option(names = "--title", defaultValue = "Forecast MSE by prediction step",
            description = "Chart title (default: ${DEFAULT-VALUE}).")
    String title;

    @Parameters(arity = "1..*", paramLabel = "CURVE", description = "LABEL=FILE.json[:KEY], one per curve, e.g. "
            + "\"NRI (dynamic)=eval.json:dynamic_mse\".")
    List<String> curves;

    @Override
    public Integer call() {
        List<StepMseCurve> read = new ArrayList<>();
        for (String c : curves) {
            read.add(StepMseCurve.read(MseCurveArgument.parse(c)));
        }
        MseChart.write(read, title, out);
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(StepMseTable.markdown(read));
        pw.flush();
        spec.commandLine().getErr().println("wrote " + out);
        return 0;
    }
}
