package dev.nristream.trainer.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.export.LargeStack;
import dev.nristream.trainer.model.NriModel;
import dev.nristream.trainer.train.Checkpoint;
import dev.nristream.trainer.train.ModelCheckpoints;
import dev.nristream.trainer.train.RunInfo;
import dev.nristream.trainer.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates either an exported model directory (through ONNX Runtime, the stream's runtime) or a training run
 * (its checkpoint, through DJL) with the {@link Evaluator} protocol.
 *
 * <pre>{@code
 * Evaluator.Evaluation ev = ModelEvaluation.builder().setModel(Path.of("models/springs5"))
 *         .setData(Path.of("/root/nri-data/springs5")).build().run();
 * }</pre>
 */
public final class ModelEvaluation {
    private final Path model;
    private final Path data;
    private final String suffix;
    private final String split;
    private final int horizon;
    private final Integer burnIn;
    private final String checkpoint;
    private final int batchSize;
    private final long seed;
    private final int threads;
    private final int[] windowStarts;

    private ModelEvaluation(Builder b) {
        this.model = b.model;
        this.data = b.data;
        this.suffix = b.suffix;
        this.split = b.split;
        this.horizon = b.horizon;
        this.burnIn = b.burnIn;
        this.checkpoint = b.checkpoint;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.threads = b.threads;
        this.windowStarts = b.windowStarts.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Evaluates at the first window start (the paper's protocol unless optWindowStarts says otherwise). */
    public Evaluator.Evaluation run() throws IOException {
        return runAll().get(0);
    }

    /** Evaluates at every window start, in the order given; the model and data are loaded once. */
    public List<Evaluator.Evaluation> runAll() throws IOException {
        return run(this::atEveryStart);
    }

    /**
     * The same model decoded step by step with the window's graph (static) and with the graph re-encoded before
     * every forecast step from the most recent T frames, its own predictions included (dynamic, the paper's
     * Fig. 6), at each window start.
     */
    public record StaticVsDynamic(Evaluator.Evaluation fixed, Evaluator.Evaluation dynamic) {}

    /** {@link StaticVsDynamic} at every window start, in the order given. */
    public List<StaticVsDynamic> runDynamic() throws IOException {
        return run((ev, p, test) -> {
            List<StaticVsDynamic> out = new ArrayList<>();
            for (int start : windowStarts) {
                out.add(new StaticVsDynamic(ev.evaluateStepwise(p, test, batchSize, start, false),
                        ev.evaluateStepwise(p, test, batchSize, start, true)));
            }
            return out;
        });
    }

    private interface Protocol<T> {
        T apply(Evaluator ev, Predictor p, NriDataset test);
    }

    private <T> T run(Protocol<T> protocol) throws IOException {
        if (Files.isRegularFile(model.resolve(ModelSpec.FILE_NAME))) {
            return LargeStack.call(() -> runOnnx(protocol));
        }
        if (Files.isRegularFile(model.resolve(RunInfo.FILE))) {
            return runCheckpoint(protocol);
        }
        throw new IllegalArgumentException(model + " is neither a model directory (no " + ModelSpec.FILE_NAME
                + ") nor a training run (no " + RunInfo.FILE + ")");
    }

    /**
     * The dataset suffix a model directory is evaluated on when none is given: the split's only file set in
     * {@code data}, else the {@code --suffix} its training command names, else system and atom count
     * ({@code _springs5}). System and atoms alone miss datasets named otherwise: mocap35's 31 joints made
     * {@code _mocap31}.
     */
    static String defaultSuffix(Path data, String split, ModelSpec spec) {
        String prefix = "loc_" + split + "_";
        try (var files = Files.list(data)) {
            List<String> found = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(".npy"))
                    .map(n -> n.substring(prefix.length() - 1, n.length() - ".npy".length())).toList();
            if (found.size() == 1) {
                return found.get(0);
            }
        } catch (IOException e) {
            // no listing: fall through to what the model itself says
        }
        return spec.trainingSuffix();
    }

    private <T> T runOnnx(Protocol<T> protocol) {
        ModelDirectory dir = ModelDirectory.open(model);
        ModelSpec spec = dir.spec();
        if (burnIn != null) {
            throw new IllegalArgumentException("a burn-in length applies to full-graph training runs only; model "
                    + spec.modelId() + " burns in on the window its encoder sees (" + spec.windowLength() + " frames)");
        }
        String sfx = suffix != null ? suffix : defaultSuffix(data, split, spec);
        try {
            NriDataset test = NriDataset.load(data, split, sfx, spec.normalisation());
            if (!spec.acceptsAtoms(test.atoms())) {
                throw new IllegalArgumentException("model " + spec.modelId() + " does not accept " + test.atoms()
                        + " atoms");
            }
            try (OnnxPredictor p = new OnnxPredictor(NriOnnxModel.open(dir,
                    NriOnnxModel.Options.defaults().withIntraOpThreads(threads).withDevice(NriOnnxModel.Device.CPU)))) {
                return protocol.apply(new Evaluator(spec.windowLength(), horizon, 0.5, seed)
                        .withCalibration(spec.calibration()).withWalls(BoxWalls.of(data, sfx)), p, test);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private List<Evaluator.Evaluation> atEveryStart(Evaluator ev, Predictor p, NriDataset test) {
        List<Evaluator.Evaluation> out = new ArrayList<>();
        for (int start : windowStarts) {
            out.add(ev.evaluate(p, test, batchSize, start));
        }
        return out;
    }

    private <T> T runCheckpoint(Protocol<T> protocol) throws IOException {
        RunInfo info = RunInfo.read(model);
        if (burnIn != null && !info.model().fixedGraph()) {
            throw new IllegalArgumentException("a burn-in length applies to runs on a given graph (--graph full or "
                    + "true) only; run "
                    + model + " burns in on the window its encoder sees (" + info.model().encoderWindow() + " steps)");
        }
        Path ck = model.resolve(checkpoint.equals("last") ? Trainer.LAST : Trainer.BEST);
        if (!Files.isRegularFile(ck)) {
            throw new IllegalArgumentException("run " + model + " has no " + ck.getFileName());
        }
        String sfx = suffix != null ? suffix : info.suffix();
        NriDataset test = NriDataset.load(data, split, sfx, info.normalisation());
        Engine engine = Engine.getEngine("PyTorch");
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        try (NDManager manager = engine.newBaseManager();
                NriModel m = new NriModel(manager, info.model(), info.seed(), info.normalisation())) {
            ModelCheckpoints.restore(Checkpoint.read(ck), m, null);
            try (DjlPredictor p = new DjlPredictor(m)) {
                // The window the encoder sees (--encoder-steps, else T), or the burn-in asked of a full-graph run
                // (it trained on T-step windows, but is compared with models that see fewer); the rollout starts
                // right after it.
                int window = burnIn != null ? burnIn : info.model().encoderWindow();
                return protocol.apply(new Evaluator(window, horizon, info.model().tau(), seed)
                        .withWalls(BoxWalls.of(data, sfx)), p, test);
            }
        }
    }

    /** Builder: model and data are required. */
    public static final class Builder {
        private Path model;
        private Path data;
        private String suffix;
        private String split = "test";
        private int horizon = 20;
        private Integer burnIn;
        private String checkpoint = "best";
        private int batchSize = 128;
        private long seed = 42;
        private int threads = 2;
        private int[] windowStarts = {0};

        public Builder setModel(Path p) { model = p; return this; }
        public Builder setData(Path p) { data = p; return this; }
        public Builder optSuffix(String s) { suffix = s; return this; }
        public Builder optSplit(String s) { split = s; return this; }
        public Builder optHorizon(int h) { horizon = h; return this; }
        /**
         * Full-graph runs only: the true steps the decoder burns in on before it forecasts (default: the run's T),
         * e.g. 17 to score a 25-step run on the windows an encoder-steps-17 model forecasts from.
         */
        public Builder optBurnIn(Integer steps) { burnIn = steps; return this; }
        public Builder optCheckpoint(String c) { checkpoint = c; return this; }
        public Builder optBatchSize(int b) { batchSize = b; return this; }
        public Builder optSeed(long s) { seed = s; return this; }
        public Builder optThreads(int t) { threads = t; return this; }
        /** Steps into each sample at which the encoder window starts, one evaluation each (default: 0). */
        public Builder optWindowStarts(int... s) { windowStarts = s.clone(); return this; }

        public ModelEvaluation build() {
            Objects.requireNonNull(model, "model directory is required (setModel)");
            Objects.requireNonNull(data, "data directory is required (setData)");
            if (horizon < 1) {
                throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
            }
            if (burnIn != null && burnIn < 2) {
                throw new IllegalArgumentException("burn-in must be >= 2 steps, got " + burnIn);
            }
            if (windowStarts.length == 0 || java.util.Arrays.stream(windowStarts).anyMatch(w -> w < 0)) {
                throw new IllegalArgumentException("window starts must be >= 0, at least one, got "
                        + java.util.Arrays.toString(windowStarts));
            }
            if (!checkpoint.equals("best") && !checkpoint.equals("last")) {
                throw new IllegalArgumentException("checkpoint must be best or last, got " + checkpoint);
            }
            return new ModelEvaluation(this);
        }
    }
}
