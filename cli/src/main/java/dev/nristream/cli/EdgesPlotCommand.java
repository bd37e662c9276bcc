package dev.nristream.cli;

import dev.nristream.model.DatasetLayout;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.plot.DatasetDescription;
import dev.nristream.plot.EdgeRanking;
import dev.nristream.plot.GroupHeatmap;
import dev.nristream.plot.Heatmap;
import dev.nristream.plot.HeatmapPicture;
import dev.nristream.plot.MeanEdgeProbabilities;
import dev.nristream.plot.SkeletonEdgesPicture;
import dev.nristream.plot.SkeletonLayout;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.train.RunInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri plot edges}: a model's edge probabilities averaged over a split's windows, drawn for the dataset's
 * kind of agents, with a text summary on stdout.
 *
 * <pre>{@code
 * ./nri plot edges --model models/springs5 --data data/springs5 --out springs5-edges.png
 * ./nri plot edges --model models/mocap35 --data /root/nri-data/mocap35 --threshold 0.5 --out mocap35-edges.png
 * }</pre>
 */
@Command(name = "edges", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws a model's mean edge probabilities on a dataset split.",
            "Runs the model directory's encoder (ONNX Runtime) on the first window of",
            "every sample of --split (at most --max-samples), averages the edge-type",
            "probabilities and draws them by the dataset's system:",
            "  mocap  P(edge) per joint pair (both directions averaged) on the skeleton",
            "         of the first sample's first frame (front view); bones in grey,",
            "         pairs above --threshold in red (the paper's Fig. 7);",
            "  nba    one heatmap per edge type: mean probability by sender team x",
            "         receiver team (CLE, OPP, ball from dataset_<suffix>.json; Fig. 8);",
            "  other  a heatmap of P(edge) per sender x receiver agent.",
            "P(edge) is 1 - P(model.json's no_edge_type), or with --edge-type that",
            "type's probability. The system is dataset<suffix>.json's \"system\", else",
            "model.json's. Prints the most probable pairs (and for nba the team means).",
            ""})
public final class EdgesPlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory (model.json, encoder.onnx).")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset directory.")
    Path data;

    @Option(names = "--suffix", description = "Dataset suffix (default: the --suffix of model.json's training command, else "
            + "_<system><atoms>, e.g. _springs5).")
    String suffix;

    @Option(names = "--split", defaultValue = "test", description = "Split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", description = "PNG file to write (default: edges-<model_id>-<split>.png).")
    Path out;

    @Option(names = "--max-samples", defaultValue = "1000", description = "Samples (one window each) averaged "
            + "(default: ${DEFAULT-VALUE}).")
    int maxSamples;

    @Option(names = "--threshold", defaultValue = "0.5", description = "mocap: draw pairs with P(edge) above it; "
            + "all: count them (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--edge-type", description = "Draw this edge type's probability (name or index in model.json's "
            + "edge_type_names) instead of 1 - P(no edge); required for a model without a no-edge type.")
    String edgeType;

    @Option(names = "--group", defaultValue = "team", description = "nba: group agents by team (CLE, OPP, ball) or "
            + "by role (each team's roster positions, e.g. CLE G, OPP C, and the ball: the paper's Fig. 8) "
            + "(default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--threads", defaultValue = "2", description = "Inference threads (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Pairs listed in the summary. */
    static final int TOP = 10;

    @Override
    public Integer call() throws IOException {
        if (maxSamples < 1 || threads < 1) {
            throw new UserError("--max-samples and --threads must be >= 1, got " + maxSamples + " and " + threads);
        }
        if (!(threshold >= 0 && threshold < 1)) {
            throw new UserError("--threshold must be in [0, 1), got " + threshold);
        }
        if (!Files.isRegularFile(model.resolve(ModelSpec.FILE_NAME)) && Files.isRegularFile(model.resolve(RunInfo.FILE))) {
            throw new UserError(model + " is a training run; export it first (./nri export --run " + model
                    + " --out DIR) and plot the model directory");
        }
        ModelDirectory dir = ModelDirectory.open(model);
        ModelSpec ms = dir.spec();
        String sfx = suffix != null ? suffix : ms.trainingSuffix();
        DatasetDescription desc = DatasetDescription.read(data, sfx).orSystem(ms.system());
        NriDataset ds = NriDataset.load(data, split, sfx, ms.normalisation());
        IntPredicate types = edgeTypes(ms);
        MeanEdgeProbabilities p = MeanEdgeProbabilities.compute(dir, ds, maxSamples, threads);
        String what = edgeType != null ? "P(" + typeName(ms, types) + ")" : "P(edge)";
        Path png = out != null ? out : Path.of("edges-" + ms.modelId() + "-" + split + ".png");
        List<String> names = desc.agentNames(p.atoms());
        double[][] pairs = MeanEdgeProbabilities.undirected(p.directed(types));
        String source = String.format(Locale.ROOT, "%s on %s: mean over %d windows of %d frames", ms.modelId(),
                ds.name(), p.windows(), ms.windowLength());
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("%s, %d agents, system %s%n", source, p.atoms(), desc.system());
        if (DatasetDescription.MOCAP.equals(desc.system())) {
            SkeletonLayout skeleton = SkeletonLayout.read(data, split, sfx);
            SkeletonEdgesPicture.write(skeleton, pairs, threshold, String.format(Locale.ROOT, "%s: joint pairs with "
                    + "%s > %.2f", ms.modelId(), what, threshold), png);
        } else if (DatasetDescription.NBA.equals(desc.system())) {
            groupHeatmaps(pw, p, desc, ms, source, png, data.resolve(DatasetLayout.provenanceFileName(sfx)));
        } else {
            double[][] bySender = transpose(p.directed(types));
            HeatmapPicture.write(List.of(new Heatmap(what + " by sender and receiver", names, names, bySender,
                    "sender", "receiver")), source, png);
        }
        pw.print(EdgeRanking.summary(pairs, names, threshold, TOP).replace("P(edge)", what));
        pw.flush();
        spec.commandLine().getErr().println("wrote " + png);
        return 0;
    }

    private void groupHeatmaps(PrintWriter pw, MeanEdgeProbabilities p, DatasetDescription desc, ModelSpec ms,
            String source, Path png, Path descFile) {
        if (!group.equals("team") && !group.equals("role")) {
            throw new UserError("--group must be team or role, got " + group);
        }
        if (desc.teams().size() != p.atoms() || (group.equals("role") && desc.roles().size() != p.atoms())) {
            throw new UserError("the nba layout groups agents by " + group + ": " + descFile + " lists "
                    + desc.teams().size() + " teams and " + desc.roles().size() + " roles for " + p.atoms()
                    + " agents");
        }
        List<String> groupOfAgent = group.equals("team") ? desc.teams() : GroupHeatmap.teamRoles(desc.teams(),
                desc.roles());
        List<String> groups = GroupHeatmap.groups(groupOfAgent);
        List<Heatmap> panels = new ArrayList<>();
        pw.println("mean probability by sender " + group + " (rows) x receiver " + group + " (columns):");
        for (int k = 0; k < p.edgeTypes(); k++) {
            String title = "type " + k + ": " + typeLabel(ms, k);
            Heatmap h = GroupHeatmap.of(p, groupOfAgent, k, title);
            panels.add(h);
            pw.printf("  %s%n  %-10s", title, "");
            groups.forEach(g -> pw.printf(" %9s", g));
            pw.println();
            for (int a = 0; a < groups.size(); a++) {
                pw.printf("  %-10s", groups.get(a));
                for (double v : h.values()[a]) {
                    pw.print(Double.isNaN(v) ? "         -" : String.format(Locale.ROOT, " %9.3f", v));
                }
                pw.println();
            }
        }
        HeatmapPicture.write(panels, source + " (sender " + group + " x receiver " + group + ")", png);
    }

    /** The types whose probability is drawn: --edge-type, else every type but the model's no-edge type. */
    private IntPredicate edgeTypes(ModelSpec ms) {
        int k = ms.edgeTypes();
        if (edgeType == null) {
            int none = ms.noEdgeTypeOrNone();
            if (none < 0) {
                throw new UserError("model " + ms.modelId() + " has no no-edge type (model.json no_edge_type), so "
                        + "P(edge) is 1 everywhere; pick a type with --edge-type, one of " + typeList(ms));
            }
            return t -> t != none;
        }
        List<String> names = ms.edgeTypeNames() == null ? List.of() : ms.edgeTypeNames();
        int chosen = names.indexOf(edgeType);
        if (chosen < 0 && edgeType.matches("\\d+")) {
            chosen = Integer.parseInt(edgeType);
        }
        if (chosen < 0 || chosen >= k) {
            throw new UserError("--edge-type " + edgeType + " is not an edge type of model " + ms.modelId() + "; "
                    + "it has " + typeList(ms));
        }
        int t0 = chosen;
        return t -> t == t0;
    }

    private static String typeName(ModelSpec ms, IntPredicate types) {
        for (int k = 0; k < ms.edgeTypes(); k++) {
            if (types.test(k)) {
                return typeLabel(ms, k);
            }
        }
        return "?";
    }

    private static String typeLabel(ModelSpec ms, int k) {
        List<String> names = ms.edgeTypeNames();
        return names != null && k < names.size() ? names.get(k) : Integer.toString(k);
    }

    private static String typeList(ModelSpec ms) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < ms.edgeTypes(); k++) {
            out.add(k + " (" + typeLabel(ms, k) + ")");
        }
        return String.join(", ", out);
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }
}
