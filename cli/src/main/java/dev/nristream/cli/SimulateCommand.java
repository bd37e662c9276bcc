package dev.nristream.cli;

import dev.nristream.io.NpyDType;
import dev.nristream.sim.DatasetGenerator;
import dev.nristream.sim.DatasetProvenance;
import dev.nristream.sim.DatasetSpec;
import dev.nristream.sim.DatasetSummary;
import dev.nristream.sim.KuramotoForm;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.trainer.eval.BoxWalls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./nri simulate}: writes a springs, charged-particles or Kuramoto dataset in the NRI research layout
 * ({@code loc_train_springs5.npy} ...), on all cores, identical for a seed whatever the thread count.
 *
 * <pre>{@code
 * ./nri simulate --system springs --atoms 5 --train 10000 --valid 2000 --test 2000 --out data/springs5
 * }</pre>
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generate a simulated dataset (springs, charged particles or Kuramoto oscillators) as .npy files in the",
            "layout of the NRI research code: loc_/vel_/edges_{train,valid,test}{suffix}.npy, or feat_/edges_ for",
            "Kuramoto. Defaults are the paper's. The output is identical for a seed whatever the number of threads."
        })
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--system", defaultValue = "springs", description = "springs, charged or kuramoto (default: ${DEFAULT-VALUE}).")
    String system;

    @Option(names = {"--atoms", "--n-balls"}, defaultValue = "5", description = "Particles or oscillators per simulation, >= 2 (default: ${DEFAULT-VALUE}).")
    int atoms;

    @Option(names = "--train", defaultValue = "" + DatasetSpec.DEFAULT_TRAIN, description = "Training simulations (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--valid", defaultValue = "" + DatasetSpec.DEFAULT_VALID, description = "Validation simulations (default: ${DEFAULT-VALUE}).")
    int valid;

    @Option(names = "--test", defaultValue = "" + DatasetSpec.DEFAULT_TEST, description = "Test simulations (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--length", defaultValue = "" + DatasetSpec.DEFAULT_LENGTH, description = "Integration steps of train/valid runs (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--length-test", defaultValue = "" + DatasetSpec.DEFAULT_LENGTH_TEST, description = "Integration steps of test runs (default: ${DEFAULT-VALUE}).")
    int lengthTest;

    @Option(names = "--sample-freq", defaultValue = "" + SimConfig.DEFAULT_SAMPLE_FREQ, description = "Record every n-th step; a run keeps length / n - 1 states (default: ${DEFAULT-VALUE}).")
    int sampleFreq;

    @Option(names = "--seed", defaultValue = "" + DatasetSpec.DEFAULT_SEED, description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output directory (default: data/<system><atoms>, e.g. data/springs5).")
    Path out;

    @Option(names = "--threads", description = "Worker threads (default: all cores). Does not change the output.")
    Integer threads;

    @Option(names = "--symmetric", description = "Kuramoto: symmetric couplings, suffix '...undir' (springs and charged are always symmetric).")
    boolean symmetric;

    @Option(names = "--kuramoto-form", defaultValue = "features", description = "Kuramoto: 'features' (the research "
            + "code's feat_ files, how the paper's tables are reproduced) or 'circle' (each oscillator as a point on "
            + "the unit circle with its velocity, loc_/vel_ files: the form a live stream carries and the stream job "
            + "serves; suffix '...circle') (default: ${DEFAULT-VALUE}).")
    String kuramotoForm;

    @Option(names = "--noise", defaultValue = "0", description = "Std of Gaussian noise added to recorded positions and velocities (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--suffix", description = "File suffix (default: _<system><atoms>, e.g. _springs5).")
    String suffix;

    @Option(names = "--edges-dtype", description = "Element type of edges_*.npy: float64 or int64 (default: float64 for springs/charged, int64 for Kuramoto, as the research code).")
    String edgesDtype;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        SimSystem sys = SimSystem.parse(system);
        if (atoms < 2) {
            throw new UserError("--atoms must be at least 2, got " + atoms);
        }
        if (length <= sampleFreq || lengthTest <= sampleFreq) {
            throw new UserError("--length (" + length + ") and --length-test (" + lengthTest
                    + ") must be greater than --sample-freq (" + sampleFreq + ")");
        }
        SimConfig cfg = SimConfig.builder().setSystem(sys).setAtoms(atoms).optSampleFreq(sampleFreq).optLength(length)
                .optSymmetric(symmetric).optNoiseStd(noise).optKuramotoForm(parseForm(sys)).build();
        DatasetSpec.Builder b = DatasetSpec.builder()
                .setConfig(cfg)
                .setOutDir(out != null ? out : Path.of("data", sys.id() + atoms))
                .optCounts(train, valid, test)
                .optLength(length)
                .optLengthTest(lengthTest)
                .optSeed(seed);
        if (threads != null) {
            b.optThreads(threads);
        }
        if (suffix != null) {
            b.optSuffix(suffix);
        }
        if (edgesDtype != null) {
            b.optEdgeDtype(parseEdgeDtype(edgesDtype));
        }
        DatasetSpec ds = b.build();
        DatasetSize.require(ds);

        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "simulate: %s, %d atoms, %d/%d/%d simulations (length %d/%d, every %d steps), seed %d,"
                + " %d threads -> %s%n", sys.id(), atoms, train, valid, test, length, lengthTest, sampleFreq, seed,
                ds.threads(), ds.outDir());
        err.flush();
        DatasetSummary summary;
        if (noProgress) {
            summary = new DatasetGenerator().generate(ds, n -> { });
        } else {
            try (ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(ds.suffix().replaceFirst("^_", ""))
                    .setInitialMax(ds.totalSimulations())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" sims", 1)
                    .showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build()) {
                summary = new DatasetGenerator().generate(ds, bar::stepBy);
            }
        }
        Path provenance = writeProvenance(ds, sys, cfg, summary);
        PrintWriter o = spec.commandLine().getOut();
        for (DatasetSummary.WrittenFile f : summary.files()) {
            o.printf(Locale.ROOT, "  %-36s %s %s%n", f.path().getFileName(), f.header().dtype().descr(),
                    f.header().shapeString());
        }
        o.printf(Locale.ROOT, "simulate: wrote %d files (%.1f MB) for %d %s simulations to %s in %.2f s; how to make"
                + " them again: %s%n", summary.files().size(), summary.bytes() / 1e6, summary.simulations(), sys.id(),
                summary.outDir(), summary.seconds(), provenance.getFileName());
        o.flush();
        return 0;
    }

    // Every flag that changes the bytes, defaults included, so the line reproduces the files whatever the defaults
    // become; --out and --threads do not change them.
    private Path writeProvenance(DatasetSpec ds, SimSystem sys, SimConfig cfg, DatasetSummary summary)
            throws IOException {
        StringBuilder cmd = new StringBuilder("./nri simulate --system ").append(sys.id()).append(" --atoms ")
                .append(atoms).append(" --train ").append(train).append(" --valid ").append(valid).append(" --test ")
                .append(test).append(" --length ").append(length).append(" --length-test ").append(lengthTest)
                .append(" --sample-freq ").append(sampleFreq).append(" --seed ").append(seed);
        if (noise != 0) {
            cmd.append(" --noise ").append(noise);
        }
        if (symmetric) {
            cmd.append(" --symmetric");
        }
        if (cfg.kuramotoForm() != KuramotoForm.FEATURES) {
            cmd.append(" --kuramoto-form ").append(cfg.kuramotoForm().id());
        }
        cmd.append(" --suffix ").append(ds.suffix());
        if (edgesDtype != null) {
            cmd.append(" --edges-dtype ").append(edgesDtype);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("system", sys.id());
        m.put("atoms", atoms);
        m.put("train", train);
        m.put("valid", valid);
        m.put("test", test);
        m.put("seed", seed);
        m.put("simulations", summary.simulations());
        m.put("bytes", summary.bytes());
        if (sys.isParticles() && cfg.hasWalls()) {
            // ./nri evaluate splits the forecast error by wall contact with it (BoxWalls)
            m.put(BoxWalls.HALF_WIDTH_KEY, cfg.boxSize());
        }
        // The rate the exported model is stamped with: one simulation time unit is one second of a live feed.
        Path f = DatasetProvenance.write(summary.outDir(), ds.suffix(), cmd.toString(),
                "./nri " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), cfg.samplingRateHz(),
                m);
        return f;
    }

    private KuramotoForm parseForm(SimSystem sys) {
        KuramotoForm form;
        try {
            form = KuramotoForm.parse(kuramotoForm);
        } catch (IllegalArgumentException e) {
            throw new UserError("--kuramoto-form: " + e.getMessage());
        }
        if (form != KuramotoForm.FEATURES && sys != SimSystem.KURAMOTO) {
            throw new UserError("--kuramoto-form " + form.id() + " is for --system kuramoto, not " + sys.id());
        }
        return form;
    }

    private static NpyDType parseEdgeDtype(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "float64", "f8", "<f8" -> NpyDType.FLOAT64;
            case "int64", "i8", "<i8" -> NpyDType.INT64;
            default -> throw new UserError("--edges-dtype must be float64 or int64, got '" + s + "'");
        };
    }
}
