package dev.nristream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.trainer.baseline.CorrelationBaseline;
import dev.nristream.io.Npy;
import dev.nristream.io.NpyArray;
import dev.nristream.model.DatasetLayout;
import dev.nristream.model.EdgeOrder;
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
        description = {"The NRI paper's Corr. (path) baseline (Table 1): an edge is predicted by thresholding the "
                + "correlation of two objects' paths (Pearson's over the first --timesteps steps, each coordinate "
                + "centred: the positions of particles; for Kuramoto's oscillators in feat_ datasets, see --path). "
                + "The threshold, and whether an edge lies above or below it (of the correlation or its "
                + "magnitude), are chosen on --valid-split to classify its edges best; the test split is scored "
                + "with them. No training. Edge accuracy over every ordered pair, as ./nri evaluate reports it.",
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

    @Option(names = "--path", defaultValue = "auto", paramLabel = "auto|phase-velocity|sin-phase|phase",
            description = "Kuramoto (feat_ datasets) only: which oscillator series is the path. auto (default): "
                    + "each of them, the one whose fitted rule classifies --valid-split best is used (the "
                    + "phase velocity for 5 oscillators, sin phase for 10 in the paper's setting). The natural "
                    + "frequency is constant in time, never a path. Particles: always their positions.")
    String path;

    @Option(names = "--json", description = "Print JSON (keys edge_accuracy, rule, threshold, valid_accuracy, "
            + "samples, split, path, valid_accuracy_by_path).")
    boolean json;

    /** Kuramoto's feat_ channels that change in time, by --path name (the research layout's order). */
    private static final Map<String, Integer> KURAMOTO_PATHS = Map.of("phase-velocity", 0, "sin-phase", 1, "phase", 2);
    private static final Map<Integer, String> KURAMOTO_PATH_NAMES = Map.of(0, "phase velocity (feature 0)", 1,
            "sin phase (feature 1)", 2, "phase (feature 2)");

    /** A split's path correlations (per candidate path, by name) and edge labels, in the contract's edge order. */
    private record Split(String name, int size, Map<String, double[]> paths, int[] labels) {
    }

    /**
     * Particles ({@code loc_/vel_} files) through {@link NriDataset}, the path being the positions; Kuramoto
     * ({@code feat_} files, [sims, N, T, D]) read here, the path being the phase velocity (feature 0), the quantity
     * the oscillators' couplings act on.
     */
    private Split read(String name) throws IOException {
        Path feat = data.resolve(DatasetLayout.FEAT + "_" + name + suffix + ".npy");
        if (Files.isRegularFile(feat) && !Files.isRegularFile(data.resolve("loc_" + name + suffix + ".npy"))) {
            NpyArray f = Npy.read(feat);
            long[] sh = f.shape();
            if (sh.length != 4) {
                throw new UserError(feat + " has " + sh.length + " axes, expected [sims, N, T, D]");
            }
            int sims = Math.toIntExact(sh[0]);
            int n = Math.toIntExact(sh[1]);
            int t = Math.toIntExact(sh[2]);
            checkSteps(feat.getFileName().toString(), t);
            Path edgesFile = data.resolve("edges_" + name + suffix + ".npy");
            if (!Files.isRegularFile(edgesFile)) {
                throw new UserError("dataset file missing: " + edgesFile);
            }
            double[] e = Npy.read(edgesFile).asDoubles();
            if (e.length != sims * n * n) {
                throw new UserError(edgesFile + " does not hold [" + sims + ", " + n + ", " + n + "] labels");
            }
            int[] labels = new int[sims * n * (n - 1)];
            for (int s = 0; s < sims; s++) {
                int base = s * n * (n - 1);
                int m = s * n * n;
                EdgeOrder.forEach(n, (k, i, j) -> labels[base + k] = (int) e[m + i * n + j]);
            }
            checkLabels(name + suffix, labels);
            int dims = Math.toIntExact(sh[3]);
            // 3 features: d phi/dt, sin phi, omega; 4: d phi/dt, sin phi, phi, omega (KuramotoSimulator).
            int series = dims - 1;
            Map<String, double[]> paths = new LinkedHashMap<>();
            for (int c = 0; c < series; c++) {
                if (path.equals("auto") || KURAMOTO_PATHS.get(path) == c) {
                    paths.put(KURAMOTO_PATH_NAMES.get(c), CorrelationBaseline.correlations(channel(f.asFloats(),
                            dims, c), sims, n, t, 1, 1, timesteps));
                }
            }
            if (paths.isEmpty()) {
                throw new UserError("--path " + path + ": " + feat.getFileName() + " has no such series (" + dims
                        + " features: the phase is stored only with 4)");
            }
            return new Split(name + suffix, sims, paths, labels);
        }
        if (!path.equals("auto")) {
            throw new UserError("--path " + path + " is for Kuramoto's feat_ datasets; a particle's path is always "
                    + "its positions");
        }
        NriDataset d;
        try {
            d = NriDataset.load(data, name, suffix, null);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        checkSteps(d.name(), d.timesteps());
        checkLabels(d.name(), d.labels());
        return new Split(d.name(), d.size(), Map.of("positions", CorrelationBaseline.correlations(d, timesteps)),
                d.labels());
    }

    /** Channel {@code c} of a flat [..., D] series, as a [..., 1] one. */
    private static float[] channel(float[] f, int dims, int c) {
        float[] out = new float[f.length / dims];
        for (int i = 0; i < out.length; i++) {
            out[i] = f[i * dims + c];
        }
        return out;
    }

    private void checkSteps(String what, int steps) {
        if (timesteps < 2 || timesteps > steps) {
            throw new UserError("--timesteps must be 2.." + steps + " (" + what + " has " + steps + " steps), got "
                    + timesteps);
        }
    }

    private static void checkLabels(String what, int[] labels) {
        for (int l : labels) {
            if (l != 0 && l != 1) {
                throw new UserError(what + " has edge label " + l + ": the correlation baseline tells edge from no "
                        + "edge, two types only");
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            throw new UserError("--data " + data + " is not a directory");
        }
        if (!path.equals("auto") && !KURAMOTO_PATHS.containsKey(path)) {
            throw new UserError("--path must be auto, phase-velocity, sin-phase or phase, got '" + path + "'");
        }
        Split valid = read(validSplit);
        Split test = read(split);
        // Each candidate path fitted on validation; the best of them is the baseline (ties: the first, in order).
        String chosen = null;
        CorrelationBaseline.Fit fit = null;
        Map<String, Double> byPath = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : valid.paths().entrySet()) {
            CorrelationBaseline.Fit f = CorrelationBaseline.fit(e.getValue(), valid.labels());
            byPath.put(e.getKey(), f.validAccuracy());
            if (fit == null || f.validAccuracy() > fit.validAccuracy()) {
                fit = f;
                chosen = e.getKey();
            }
        }
        double acc = CorrelationBaseline.accuracy(test.paths().get(chosen), test.labels(), fit);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("baseline", "corr-path");
            m.put("split", test.name());
            m.put("samples", test.size());
            m.put("path", chosen);
            m.put("timesteps", timesteps);
            m.put("edge_accuracy", acc);
            m.put("rule", fit.rule().name());
            m.put("threshold", fit.threshold());
            m.put("valid_split", valid.name());
            m.put("valid_accuracy", fit.validAccuracy());
            m.put("valid_accuracy_by_path", byPath);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            if (byPath.size() > 1) {
                byPath.forEach((k, v) -> out.printf(Locale.ROOT, "path %s: validation accuracy %.4f%n", k, v));
            }
            out.printf(Locale.ROOT, "Corr. (path), the path being %s: threshold fitted on %s (%d samples): %s%n",
                    chosen, valid.name(), valid.size(), fit);
            out.printf(Locale.ROOT, "%s: %d samples, edge accuracy %.4f%n", test.name(), test.size(), acc);
        }
        out.flush();
        return 0;
    }
}
