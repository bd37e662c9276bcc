package dev.nristream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.trainer.baseline.CorrelationBaseline;
import dev.nristream.trainer.data.NriDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri baseline corr}: the paper's "Corr. (path)" edge baseline, fitted on the validation split and scored
 * on the test split ({@link CorrelationBaseline}).
 *
 * <pre>{@code
 * ./nri baseline corr --data /root/nri-data/springs5 --suffix _springs5 --json
 * }</pre>
 */
@Command(name = "corr", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The NRI paper's Corr. (path) baseline (Table 1): an edge is predicted by",
            "thresholding the correlation of two objects' paths (positions over the first",
            "--timesteps steps, Pearson's, each coordinate centred). The threshold, and whether",
            "an edge lies above or below it (of the correlation or its magnitude), are chosen",
            "on --valid-split to classify its edges best; the test split is scored with them.",
            "No training. Edge accuracy over every ordered pair, as ./nri evaluate reports it.",
            ""})
public final class BaselineCorrCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset directory.")
    Path data;

    @Option(names = "--suffix", defaultValue = "_springs5", description = "Dataset suffix (default: ${DEFAULT-VALUE}).")
    String suffix;

    @Option(names = "--valid-split", defaultValue = "valid",
            description = "Split the threshold is chosen on (default: ${DEFAULT-VALUE}).")
    String validSplit;

    @Option(names = "--split", defaultValue = "test", description = "Split scored (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--timesteps", defaultValue = "49",
            description = "Steps of each sample's path, from its first (default: ${DEFAULT-VALUE}, the paper's "
                    + "window).")
    int timesteps;

    @Option(names = "--json", description = "Print JSON (keys edge_accuracy, rule, threshold, valid_accuracy, "
            + "samples, split).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            throw new UserError("--data " + data + " is not a directory");
        }
        NriDataset valid;
        NriDataset test;
        try {
            valid = NriDataset.load(data, validSplit, suffix, null);
            test = NriDataset.load(data, split, suffix, valid.normalisation());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        for (NriDataset d : new NriDataset[] {valid, test}) {
            if (timesteps < 2 || timesteps > d.timesteps()) {
                throw new UserError("--timesteps must be 2.." + d.timesteps() + " (" + d.name() + " has "
                        + d.timesteps() + " steps), got " + timesteps);
            }
            for (int l : d.labels()) {
                if (l != 0 && l != 1) {
                    throw new UserError(d.name() + " has edge label " + l + ": the correlation baseline tells "
                            + "edge from no edge, two types only");
                }
            }
        }
        CorrelationBaseline.Fit fit = CorrelationBaseline.fit(CorrelationBaseline.correlations(valid, timesteps),
                valid.labels());
        double acc = CorrelationBaseline.accuracy(CorrelationBaseline.correlations(test, timesteps), test.labels(),
                fit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("baseline", "corr-path");
            m.put("split", test.name());
            m.put("samples", test.size());
            m.put("timesteps", timesteps);
            m.put("edge_accuracy", acc);
            m.put("rule", fit.rule().name());
            m.put("threshold", fit.threshold());
            m.put("valid_split", valid.name());
            m.put("valid_accuracy", fit.validAccuracy());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "Corr. (path): threshold fitted on %s (%d samples): %s%n", valid.name(),
                    valid.size(), fit);
            out.printf(Locale.ROOT, "%s: %d samples, edge accuracy %.4f%n", test.name(), test.size(), acc);
        }
        out.flush();
        return 0;
    }
}
