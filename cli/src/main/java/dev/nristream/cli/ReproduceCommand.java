package dev.nristream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.trainer.bench.CpuInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri reproduce}: one row of the NRI paper's Table 1 (edge accuracy) or Table 2 (MSE at 1, 10 and 20
 * steps), end to end: simulate the paper's dataset, train (or reuse the finished run), evaluate, and append the row
 * with its budget to a results file. Each step is the documented command, run in this process, and the row records
 * the command lines so that any of them can be run again by hand.
 *
 * <pre>{@code
 * ./nri reproduce --table 1 --system springs --epochs 500                 # the paper's budget
 * ./nri reproduce --table 2 --system springs                              # reuses the run trained for table 1
 * ./nri reproduce --table 1 --system charged --method corr                # Corr. (path), no training
 * ./nri reproduce --table 1 --system charged --method supervised          # the encoder taught the true edges
 * ./nri reproduce --table 2 --system springs --method true-graph          # the decoder on the true graph
 * }</pre>
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce one row of the NRI paper's Table 1 (unsupervised edge accuracy) or Table 2 (MSE "
                + "at 1, 10 and 20 steps) for a simulated system: simulate its dataset with the paper's protocol "
                + "(./nri simulate, default sizes 50,000 / 10,000 / 10,000), train NRI or a baseline on it (./nri "
                + "train --windows paper --graph ...; the CNN encoder for charged and Kuramoto, and Kuramoto's \"no "
                + "edge\" type, as the paper) or reuse the run when it already finished its epochs, evaluate the test "
                + "split (./nri evaluate), and append one JSON line to --results: the "
                + "number, the paper's, the budget (samples, epochs, hours of training from the run's metrics), the "
                + "machine and every command run.",
            "",
            "A smaller budget (--train, --epochs) is recorded as such. Interrupted training resumes where it stopped "
                + "on the next call.",
            ""})
public final class ReproduceCommand implements Callable<Integer> {

    /** The paper's numbers (Kipf et al. 2018, Tables 1 and 2), declared once. */
    static final Map<String, Double> PAPER_ACCURACY = Map.ofEntries(
            Map.entry("nri springs 5", 0.999), Map.entry("nri charged 5", 0.821), Map.entry("nri kuramoto 5", 0.960),
            Map.entry("nri springs 10", 0.984), Map.entry("nri charged 10", 0.708),
            Map.entry("nri kuramoto 10", 0.757),
            Map.entry("corr springs 5", 0.524), Map.entry("corr charged 5", 0.558),
            Map.entry("corr kuramoto 5", 0.628),
            Map.entry("supervised springs 5", 0.999), Map.entry("supervised charged 5", 0.950),
            Map.entry("supervised kuramoto 5", 0.997));
    static final Map<String, double[]> PAPER_MSE = Map.of(
            "nri springs 5", new double[] {3.12e-8, 3.29e-6, 2.13e-5},
            "nri charged 5", new double[] {1.05e-3, 3.21e-3, 7.06e-3},
            "nri kuramoto 5", new double[] {1.40e-2, 2.01e-2, 3.26e-2});
    static final int[] MSE_STEPS = {1, 10, 20};

    @Spec
    CommandSpec spec;

    @Option(names = "--table", required = true, description = "1 (edge accuracy) or 2 (MSE at 1, 10, 20 steps).")
    int table;

    @Option(names = "--system", required = true, description = "springs, charged or kuramoto.")
    String system;

    @Option(names = "--atoms", defaultValue = "5", description = "Objects per simulation (default: ${DEFAULT-VALUE}).")
    int atoms;

    @Option(names = "--method", defaultValue = "nri",
            description = "nri (unsupervised NRI), the paper's baselines supervised (the encoder trained on the true "
                    + "edges, table 1), true-graph and full-graph (the decoder on the true or the fully connected "
                    + "graph, table 2), or corr (Corr. (path), table 1, no training) (default: ${DEFAULT-VALUE}).")
    String method;

    /** The {@code --graph} each trained method runs with. */
    static final Map<String, String> GRAPH_OF_METHOD = Map.of("nri", "learned", "supervised", "supervised",
            "true-graph", "true", "full-graph", "full");

    @Option(names = "--train", defaultValue = "50000", description = "Training simulations (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--valid", defaultValue = "10000",
            description = "Validation simulations (default: ${DEFAULT-VALUE}).")
    int valid;

    @Option(names = "--test", defaultValue = "10000", description = "Test simulations (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--epochs", defaultValue = "500", description = "Training epochs (default: ${DEFAULT-VALUE}, the "
            + "paper's).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation and training seed (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for each step (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--work", defaultValue = "reproduce",
            description = "Folder for the datasets and runs (default: ${DEFAULT-VALUE}); data/<row> and runs/<row> "
                    + "under it.")
    Path work;

    @Option(names = "--results", defaultValue = "reproduce/results.jsonl",
            description = "File the row is appended to, one JSON object per line (default: ${DEFAULT-VALUE}).")
    Path results;

    private final List<String> commands = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (table != 1 && table != 2) {
            throw new UserError("--table must be 1 or 2, got " + table);
        }
        if (!system.equals("springs") && !system.equals("charged") && !system.equals("kuramoto")) {
            throw new UserError("--system must be springs, charged or kuramoto, got " + system);
        }
        if (!method.equals("corr") && !GRAPH_OF_METHOD.containsKey(method)) {
            throw new UserError("--method must be nri, supervised, true-graph, full-graph or corr, got " + method);
        }
        if ((method.equals("corr") || method.equals("supervised")) && table != 1) {
            throw new UserError("--method " + method + " infers edges and forecasts nothing: table 1 only");
        }
        if ((method.equals("true-graph") || method.equals("full-graph")) && table != 2) {
            throw new UserError("--method " + method + " is given its graph and infers none: table 2 only");
        }
        if (atoms < 2 || train < 1 || valid < 1 || test < 1 || epochs < 1 || threads < 1) {
            throw new UserError("--atoms must be >= 2 and --train, --valid, --test, --epochs, --threads >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        String suffix = "_" + system + atoms;
        String dataName = system + atoms + "-paper-" + train + "-" + valid + "-" + test + "-seed" + seed;
        Path data = work.resolve("data").resolve(dataName);
        if (!Files.isRegularFile(data.resolve("edges_test" + suffix + ".npy"))) {
            step(out, "simulate", "--system", system, "--atoms", "" + atoms, "--train", "" + train, "--valid",
                    "" + valid, "--test", "" + test, "--seed", "" + seed, "--threads", "" + threads, "--out",
                    data.toString(), "--no-progress");
        } else {
            out.println("reproduce: dataset " + data + " exists, reused");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("table", table);
        row.put("system", system);
        row.put("atoms", atoms);
        row.put("method", method);
        String key = method + " " + system + " " + atoms;
        Map<String, Object> budget = new LinkedHashMap<>();
        budget.put("train_simulations", train);
        if (method.equals("corr")) {
            JsonNode j = json(step(out, "baseline", "corr", "--data", data.toString(), "--suffix", suffix, "--json"));
            row.put("edge_accuracy", j.get("edge_accuracy").asDouble());
            row.put("paper", PAPER_ACCURACY.get(key));
            budget.put("training", "none");
            row.put("fit", j.get("rule").asText() + " " + j.get("threshold").asDouble());
        } else {
            Path run = work.resolve("runs").resolve(dataName + "-" + method + "-" + epochs);
            List<String> trainArgs = new ArrayList<>(List.of("train", "--data", data.toString(), "--suffix", suffix,
                    "--out", run.toString(), "--atoms", "" + atoms, "--windows", "paper", "--epochs", "" + epochs,
                    "--seed", "" + seed, "--threads", "" + threads, "--no-progress", "--graph",
                    GRAPH_OF_METHOD.get(method)));
            boolean encoder = method.equals("nri") || method.equals("supervised");
            if (!system.equals("springs") && encoder) {
                trainArgs.addAll(List.of("--encoder", "cnn")); // the paper's choice for charged and Kuramoto
            }
            if (system.equals("kuramoto") && method.equals("nri")) {
                trainArgs.add("--skip-first"); // the paper's Kuramoto row: edge type 0 is "no coupling"
            }
            if (method.equals("full-graph")) {
                // one message-passing type on every pair, after the hard-coded "no edge" type
                trainArgs.addAll(List.of("--skip-first", "--edge-types", "2"));
            }
            int done = epochsDone(run);
            if (done >= epochs) {
                out.println("reproduce: run " + run + " finished its " + epochs + " epochs, reused");
            } else if (done > 0) {
                step(out, "train", "--out", run.toString(), "--resume", "--epochs", "" + epochs, "--threads",
                        "" + threads, "--no-progress");
            } else {
                step(out, trainArgs.toArray(String[]::new));
            }
            JsonNode j = json(step(out, "evaluate", "--model", run.toString(), "--data", data.toString(), "--suffix",
                    suffix, "--threads", "" + threads, "--horizon", "20", "--json"));
            if (table == 1) {
                row.put("edge_accuracy", j.get("edge_accuracy").asDouble());
                row.put("paper", PAPER_ACCURACY.get(key));
            } else {
                double[] paper = PAPER_MSE.get(key);
                for (int i = 0; i < MSE_STEPS.length; i++) {
                    row.put("mse_" + MSE_STEPS[i], j.get("mse").get(MSE_STEPS[i] - 1).asDouble());
                    if (paper != null) {
                        row.put("paper_mse_" + MSE_STEPS[i], paper[i]);
                    }
                }
                // the paper's "Static" row on the same windows: x_{t+k} = x_t
                for (int step : MSE_STEPS) {
                    row.put("static_mse_" + step, j.get("static_mse").get(step - 1).asDouble());
                }
            }
            budget.put("epochs", epochsDone(run));
            budget.put("paper_epochs", 500);
            budget.put("training_hours", trainingHours(run));
            row.put("run", run.toString());
        }
        row.put("budget", budget);
        row.put("data", data.toString());
        CpuInfo cpu = CpuInfo.read();
        row.put("machine", cpu.modelName() + " (" + cpu.logicalCpus() + " logical CPUs)");
        row.put("date", Instant.now().toString());
        row.put("commands", commands);
        String line = new ObjectMapper().writeValueAsString(row);
        if (results.toAbsolutePath().getParent() != null) {
            Files.createDirectories(results.toAbsolutePath().getParent());
        }
        Files.writeString(results, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        out.println(summary(row));
        out.println("reproduce: row appended to " + results);
        out.flush();
        return 0;
    }

    /** E.g. {@code table 1, springs 5, nri: edge accuracy 0.9943 (paper 0.9990); 137 of 500 epochs, 9.1 h}. */
    static String summary(Map<String, Object> row) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "table %s, %s %s, %s:", row.get("table"),
                row.get("system"), row.get("atoms"), row.get("method")));
        if (row.containsKey("edge_accuracy")) {
            sb.append(String.format(Locale.ROOT, " edge accuracy %.4f", (Double) row.get("edge_accuracy")));
            if (row.get("paper") != null) {
                sb.append(String.format(Locale.ROOT, " (paper %.4f)", (Double) row.get("paper")));
            }
        }
        for (int s : MSE_STEPS) {
            if (row.containsKey("mse_" + s)) {
                sb.append(String.format(Locale.ROOT, " MSE@%d %.3e", s, (Double) row.get("mse_" + s)));
                if (row.containsKey("paper_mse_" + s)) {
                    sb.append(String.format(Locale.ROOT, " (paper %.2e)", (Double) row.get("paper_mse_" + s)));
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> budget = (Map<String, Object>) row.get("budget");
        if (budget.containsKey("epochs")) {
            sb.append(String.format(Locale.ROOT, "; %s of the paper's %s epochs on %s simulations, %.2f h of training",
                    budget.get("epochs"), budget.get("paper_epochs"), budget.get("train_simulations"),
                    (Double) budget.get("training_hours")));
        }
        return sb.toString();
    }

    /** Runs {@code ./nri args...} in this process, its progress shown, its stdout also returned; non-zero fails. */
    private String step(PrintWriter out, String... args) {
        String line = "./nri " + String.join(" ", args);
        commands.add(line);
        out.println("reproduce: " + line);
        out.flush();
        StringWriter captured = new StringWriter();
        CommandLine cli = Nri.commandLine();
        cli.setOut(new PrintWriter(new TeeWriter(captured, out), true));
        cli.setErr(spec.commandLine().getErr());
        int code = cli.execute(args);
        if (code != 0) {
            throw new UserError("step failed (exit " + code + "): " + line);
        }
        return captured.toString();
    }

    private static JsonNode json(String output) throws IOException {
        int start = output.indexOf('{');
        if (start < 0) {
            throw new UserError("expected JSON from the step, got: " + output);
        }
        return new ObjectMapper().readTree(output.substring(start));
    }

    /** Epochs in the run's metrics.jsonl, 0 when it has none. */
    static int epochsDone(Path run) throws IOException {
        Path m = run.resolve("metrics.jsonl");
        return Files.isRegularFile(m) ? (int) Files.readAllLines(m).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    /** Sum of the epochs' {@code seconds} in metrics.jsonl, in hours. */
    static double trainingHours(Path run) throws IOException {
        Path m = run.resolve("metrics.jsonl");
        if (!Files.isRegularFile(m)) {
            return 0;
        }
        ObjectMapper json = new ObjectMapper();
        double s = 0;
        for (String l : Files.readAllLines(m)) {
            if (!l.isBlank()) {
                s += json.readTree(l).path("seconds").asDouble(0);
            }
        }
        return s / 3600;
    }

    /** Writes to two writers: the step's output is shown and kept. */
    private static final class TeeWriter extends java.io.Writer {
        private final java.io.Writer a;
        private final java.io.Writer b;

        TeeWriter(java.io.Writer a, java.io.Writer b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
