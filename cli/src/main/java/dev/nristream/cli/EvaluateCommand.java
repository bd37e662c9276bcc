package dev.nristream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nristream.trainer.eval.Evaluator;
import dev.nristream.trainer.eval.ModelEvaluation;
import java.nio.file.Path;
import java.util.List;
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
            "decoder rolls out the following --horizon steps (MSE on normalised data, static baseline beside it).",
            "--window-start 0,100,300 evaluates windows that start that many steps into each sample instead: how the",
            "model does on scenes of that age in a live stream (the split's samples must be long enough).",
            "A recurrent decoder burns in on the true frames up to the rollout's start before predicting.",
            "On simulated springs and charged data the MSE is also given for the forecasts whose particles stay away",
            "from the box's walls (away_from_walls), beside the share that come near one (near_wall): a bounce is a",
            "jump the decoder smooths, the reason late windows forecast worse than a scene's first.",
            "--dynamic also re-encodes the graph before every forecast step from the most recent T frames (its own",
            "predictions included; the paper's Fig. 6) and prints MSE by step for the static and dynamic graph.",
            "A --graph full run (the decoder on the fully connected graph, no encoder) gets MSE by step only: edge",
            "accuracy does not apply, and --dynamic is refused (there is no graph to re-encode)."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory or training run directory.")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset directory.")
    Path data;

    @Option(names = "--suffix", description = "Dataset suffix (default: the split's only file set in --data, "
            + "else the one the model was trained on, e.g. _mocap35).")
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

    @Option(names = "--window-start", split = ",", defaultValue = "0", description = "Steps into each sample at "
            + "which the encoder window starts; a list gives one evaluation per start (default: ${DEFAULT-VALUE}, the "
            + "paper's protocol).")
    int[] windowStarts;

    @Option(names = "--burn-in", paramLabel = "N", description = "Full-graph runs (--graph full) only: forecast after "
            + "N true steps instead of the run's T, e.g. 17 to compare a 25-step run with a model whose encoder sees 17 "
            + "(default: T).")
    Integer burnIn;

    @Option(names = "--dynamic", description = "Compare the window's graph (static) with the graph re-encoded "
            + "before every forecast step from the most recent T frames (dynamic): MSE by step for both.")
    boolean dynamic;

    @Option(names = "--json", description = "Print JSON (keys edge_accuracy, edge_accuracy_permutation, mse, static_mse, "
            + "samples).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new UserError("--threads must be >= 1, got " + threads);
        }
        for (int w : windowStarts) {
            if (w < 0) {
                throw new UserError("--window-start must be >= 0, got " + w);
            }
        }
        if (dynamic) {
            return dynamic();
        }
        List<Evaluator.Evaluation> all = ModelEvaluation.builder().setModel(model).setData(data).optSuffix(suffix)
                .optSplit(split).optHorizon(horizon).optCheckpoint(checkpoint).optBatchSize(batchSize).optSeed(seed)
                .optThreads(threads).optWindowStarts(windowStarts).optBurnIn(burnIn).build().runAll();
        var out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (all.size() > 1) {
            if (json) {
                out.println(mapper.writeValueAsString(all.stream().map(Evaluator.Evaluation::toMap).toList()));
            } else {
                printByStart(out, all);
            }
            out.flush();
            return 0;
        }
        Evaluator.Evaluation ev = all.get(0);
        if (json) {
            out.println(mapper.writeValueAsString(ev.toMap()));
        } else {
            out.printf("%s: %d samples%n", ev.split(), ev.samples());
            if (ev.edgesInferred()) {
                out.printf("edge accuracy %.4f (permutation-invariant %.4f); window starts at step %d%n",
                        ev.edgeAccuracy(), ev.edgeAccuracyPermutation(), ev.windowStart());
                out.printf("edge probabilities: expected calibration error %.4f, mean confidence %.4f%n",
                        ev.calibrationError(), ev.meanConfidence());
            } else {
                out.printf("%s; window starts at step %d%n", givenGraph(ev.graph()), ev.windowStart());
            }
            if (!ev.forecast()) {
                out.println(SUPERVISED);
                out.flush();
                return 0;
            }
            if (ev.walls() == null) {
                out.println("step        mse   median_mse   static_mse");
                for (int i = 0; i < ev.mse().length; i++) {
                    out.printf("%4d  %.4e   %.4e   %.4e%n", i + 1, ev.mse()[i], ev.medianMse()[i],
                            ev.staticMse()[i]);
                }
            } else {
                out.printf("%s%n", WALLS_NOTE);
                out.println("step        mse   median_mse   static_mse  away_from_walls  near_wall");
                for (int i = 0; i < ev.mse().length; i++) {
                    out.printf("%4d  %.4e   %.4e   %.4e       %.4e     %5.1f%%%n", i + 1, ev.mse()[i],
                            ev.medianMse()[i], ev.staticMse()[i], ev.walls().mseAway()[i],
                            100 * ev.walls().nearWallFraction()[i]);
                }
            }
        }
        out.flush();
        return 0;
    }

    /** What the median columns are. */
    static final String MEDIAN_NOTE = "med_k: the median over the test windows of each window's own MSE at step k "
            + "(mse_k is their mean, which a few large misses can dominate)";

    /** What the wall columns mean (springs and charged data, whose simulator keeps the particles in a box). */
    static final String WALLS_NOTE = "away_from_walls: MSE of the forecasts whose particles all stay farther than "
            + "10% of the box from its walls up to that step; near_wall: the share that do not (a bounce reverses a "
            + "velocity within a frame: a decoder without walls smooths it, one with walls can miss its timing)";

    /** What a {@code --graph full} run's evaluation says instead of an edge accuracy. */
    static final String FULL_GRAPH = "graph: full (the decoder on the fully connected graph, no encoder): edge "
            + "accuracy and calibration do not apply";
    /** What a {@code --graph true} run's evaluation says instead of an edge accuracy. */
    static final String TRUE_GRAPH = "graph: true (the decoder on each sample's true graph, no encoder): edge "
            + "accuracy and calibration do not apply";
    /** What a {@code --graph supervised} run's evaluation says instead of forecast errors. */
    static final String SUPERVISED = "graph: supervised (the encoder alone, trained on the true edge types): no "
            + "decoder, no forecast to score";

    static String givenGraph(String graph) {
        return "true".equals(graph) ? TRUE_GRAPH : FULL_GRAPH;
    }

    private Integer dynamic() throws Exception {
        List<ModelEvaluation.StaticVsDynamic> all = ModelEvaluation.builder().setModel(model).setData(data)
                .optSuffix(suffix).optSplit(split).optHorizon(horizon).optCheckpoint(checkpoint)
                .optBatchSize(batchSize).optSeed(seed).optThreads(threads).optWindowStarts(windowStarts).build()
                .runDynamic();
        var out = spec.commandLine().getOut();
        if (json) {
            List<java.util.Map<String, Object>> maps = new java.util.ArrayList<>();
            for (ModelEvaluation.StaticVsDynamic r : all) {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(r.fixed().toMap());
                m.put("dynamic_mse", r.dynamic().toMap().get("mse"));
                maps.add(m);
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(maps.size() == 1 ? maps.get(0) : maps));
            out.flush();
            return 0;
        }
        for (ModelEvaluation.StaticVsDynamic r : all) {
            Evaluator.Evaluation ev = r.fixed();
            out.printf("%s: %d samples; window starts at step %d%n", ev.split(), ev.samples(), ev.windowStart());
            out.printf("edge accuracy %.4f (permutation-invariant %.4f)%n", ev.edgeAccuracy(),
                    ev.edgeAccuracyPermutation());
            out.println("step  static_graph  dynamic_graph   no_motion");
            for (int i = 0; i < ev.mse().length; i++) {
                out.printf("%4d    %.4e     %.4e  %.4e%n", i + 1, ev.mse()[i], r.dynamic().mse()[i],
                        ev.staticMse()[i]);
            }
        }
        out.flush();
        return 0;
    }

    /** One line per window start: accuracy, calibration and MSE at 1 and 10 steps beside the static baseline. */
    private static void printByStart(java.io.PrintWriter out, List<Evaluator.Evaluation> all) {
        out.printf("%s: %d samples per window start%n", all.get(0).split(), all.get(0).samples());
        if (!all.get(0).edgesInferred()) {
            out.println(givenGraph(all.get(0).graph()));
            boolean walls = all.get(0).walls() != null;
            if (walls) {
                out.println(WALLS_NOTE);
            }
            out.println(MEDIAN_NOTE);
            out.println("start      mse_1     med_1  static_1     mse_10    med_10  static_10"
                    + (walls ? "    away_1  near_1    away_10  near_10" : ""));
            for (Evaluator.Evaluation ev : all) {
                int ten = Math.min(10, ev.mse().length) - 1;
                out.printf("%5d  %9.3e  %8.2e  %8.2e  %9.3e  %8.2e  %9.2e", ev.windowStart(), ev.mse()[0],
                        ev.medianMse()[0], ev.staticMse()[0], ev.mse()[ten], ev.medianMse()[ten], ev.staticMse()[ten]);
                printWalls(out, ev, ten);
                out.println();
            }
            return;
        }
        if (!all.get(0).forecast()) {
            out.println(SUPERVISED);
            out.println("start  edge_acc  acc_perm     ece");
            for (Evaluator.Evaluation ev : all) {
                out.printf("%5d  %8.4f  %8.4f  %6.4f%n", ev.windowStart(), ev.edgeAccuracy(),
                        ev.edgeAccuracyPermutation(), ev.calibrationError());
            }
            return;
        }
        boolean walls = all.get(0).walls() != null;
        if (walls) {
            out.println(WALLS_NOTE);
        }
        out.println(MEDIAN_NOTE);
        out.println("start  edge_acc  acc_perm     ece      mse_1     med_1  static_1     mse_10    med_10  static_10"
                + (walls ? "    away_1  near_1    away_10  near_10" : ""));
        for (Evaluator.Evaluation ev : all) {
            double[] m = ev.mse();
            double[] md = ev.medianMse();
            double[] st = ev.staticMse();
            int ten = Math.min(10, m.length) - 1;
            out.printf("%5d  %8.4f  %8.4f  %6.4f  %9.3e  %8.2e  %8.2e  %9.3e  %8.2e  %9.2e", ev.windowStart(),
                    ev.edgeAccuracy(), ev.edgeAccuracyPermutation(), ev.calibrationError(), m[0], md[0], st[0],
                    m[ten], md[ten], st[ten]);
            printWalls(out, ev, ten);
            out.println();
        }
    }

    /** The away-from-walls MSE and near-wall share at 1 and {@code ten + 1} steps, when the data has walls. */
    private static void printWalls(java.io.PrintWriter out, Evaluator.Evaluation ev, int ten) {
        if (ev.walls() != null) {
            out.printf("  %9.3e  %5.1f%%  %9.3e  %6.1f%%", ev.walls().mseAway()[0],
                    100 * ev.walls().nearWallFraction()[0], ev.walls().mseAway()[ten],
                    100 * ev.walls().nearWallFraction()[ten]);
        }
    }
}
