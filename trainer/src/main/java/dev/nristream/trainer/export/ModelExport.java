package dev.nristream.trainer.export;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nristream.model.DatasetLayout;
import dev.nristream.model.EdgeCalibration;
import dev.nristream.model.EdgeOrder;
import dev.nristream.model.ModelDirectory;
import dev.nristream.model.ModelSpec;
import ai.onnx.proto.OnnxMl;
import dev.nristream.model.NriOnnxModel;
import dev.nristream.model.OnnxContract;
import dev.nristream.sim.SimConfig;
import dev.nristream.sim.SimSystem;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.eval.BoxWalls;
import dev.nristream.trainer.eval.DjlPredictor;
import dev.nristream.trainer.eval.Evaluator;
import dev.nristream.trainer.eval.TemperatureFit;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import dev.nristream.trainer.train.Checkpoint;
import dev.nristream.trainer.train.ModelCheckpoints;
import dev.nristream.trainer.train.RunInfo;
import dev.nristream.trainer.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a training run into a self-describing model directory: {@code encoder.onnx}, {@code decoder.onnx},
 * {@code model.json} (contract fields, provenance, test metrics), {@code evaluation.json} and the training curves.
 * Evaluates the checkpoint on the test split and checks that ONNX Runtime reproduces the network.
 *
 * <pre>{@code
 * ModelExport.Result r = new ModelExport(runDir, outDir).checkpoint("best").export();
 * }</pre>
 */
public final class ModelExport {
    public static final String EVALUATION = "evaluation.json";
    /** Golden inputs and the trained network's outputs, for the shipped-model parity test. */
    public static final String GOLDEN = "golden.json";
    static final double PARITY_TOLERANCE = 1e-4;
    private static final Logger LOG = LoggerFactory.getLogger(ModelExport.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path runDir;
    private Path decoderRun;
    /** A paired model's decoder run's curves and metrics, beside the encoder run's: decoder-curves.png. */
    public static final String DECODER_PREFIX = "decoder-";
    private final Path outDir;
    private String checkpoint = "best";
    private Path testData;
    private String testSplit = "test";
    private String modelId;
    /** Forecast steps scored at export: 20 (the paper's) where the test samples hold them. */
    static final int DEFAULT_HORIZON = 20;
    private Integer horizon;
    private long evalSeed = 42;
    private int evalBatch = 128;
    private Path ageTestData;
    private boolean calibrate = true;
    /** Window starts (steps, 10 per second at 10 Hz) of the scene-age evaluation: 0 s to 90 s into a scene. */
    static final int[] SCENE_AGE_STARTS = {0, 50, 100, 200, 300, 450, 600, 750, 900};

    public ModelExport(Path runDir, Path outDir) {
        this.runDir = runDir;
        this.outDir = outDir;
    }

    /** "best" (lowest validation NLL, default) or "last". */
    public ModelExport checkpoint(String which) {
        if (!which.equals("best") && !which.equals("last")) {
            throw new IllegalArgumentException("checkpoint must be best or last, got " + which);
        }
        this.checkpoint = which;
        return this;
    }

    /** Directory of the test split (default: the training data directory recorded in run.json). */
    public ModelExport optTestData(Path dir) {
        this.testData = dir;
        return this;
    }

    public ModelExport optTestSplit(String split) {
        this.testSplit = split;
        return this;
    }

    public ModelExport optModelId(String id) {
        this.modelId = id;
        return this;
    }

    /** Forecast steps to score (default: 20, or as many as the test samples hold after the window). */
    public ModelExport optHorizon(int h) {
        if (h < 1) {
            throw new IllegalArgumentException("horizon must be at least 1 step, got " + h);
        }
        this.horizon = h;
        return this;
    }

    /**
     * Directory of a test split of long simulations: the model is also evaluated on windows that start 0 to 90 s
     * into each scene (as far as the samples allow), recorded as {@code test_metrics.by_scene_age}. Default: the
     * test data itself when its samples are long enough for more than one start.
     */
    public ModelExport optSceneAgeTestData(Path dir) {
        this.ageTestData = dir;
        return this;
    }

    /**
     * Whether to fit the temperature of the published edge probabilities ({@link EdgeCalibration}) on the run's
     * validation split, windows drawn as the run validated (live: any scene age). Default: yes.
     */
    public ModelExport optCalibrate(boolean fit) {
        this.calibrate = fit;
        return this;
    }

    /**
     * Pairs the run (an encoder trained alone on the true edges, {@code --graph supervised}) with the decoder of
     * another run on the same data ({@code --graph true}: the decoder trained on each sample's true graph) into one
     * model: an encoder that infers the graph and a decoder that forecasts from it, as the stream serves them. For
     * simulated systems, whose true graph the simulator knows; {@code model.json} records both runs.
     */
    public ModelExport optDecoderRun(Path run) {
        this.decoderRun = run;
        return this;
    }

    /** What the export wrote and measured. */
    public record Result(Path dir, ModelSpec spec, Evaluator.Evaluation evaluation, double parityMaxAbsDiff) {}

    public Result export() throws IOException {
        RunInfo info = RunInfo.read(runDir);
        Path ckFile = runDir.resolve(checkpoint.equals("best") ? Trainer.BEST : Trainer.LAST);
        if (!Files.isRegularFile(ckFile)) {
            throw new IllegalArgumentException("run " + runDir + " has no " + ckFile.getFileName()
                    + " yet (has an epoch finished?)");
        }
        RunInfo decoderInfo = null;
        Path decoderCk = null;
        if (decoderRun != null) {
            decoderInfo = RunInfo.read(decoderRun);
            decoderCk = decoderRun.resolve(checkpoint.equals("best") ? Trainer.BEST : Trainer.LAST);
            if (!Files.isRegularFile(decoderCk)) {
                throw new IllegalArgumentException("decoder run " + decoderRun + " has no "
                        + decoderCk.getFileName() + " yet (has an epoch finished?)");
            }
            info = paired(info, decoderInfo);
        }
        NriConfig cfg = info.model();
        if (cfg.graph() != NriConfig.GraphKind.LEARNED) {
            // The stream's contract is an encoder that infers the graph from the window and a decoder that forecasts
            // from it; a constant "encoder" would publish a graph nobody inferred, and the true graph is unknown in
            // a live feed. The baselines are for comparison: evaluate the run itself.
            throw new IllegalArgumentException("run " + runDir + " was trained with --graph " + cfg.graph().flag()
                    + " (" + switch (cfg.graph()) {
                        case FULL -> "the decoder on the fully connected graph, no encoder";
                        case TRUE -> "the decoder on each sample's true graph, no encoder";
                        default -> "the encoder alone, trained on the true edge types, no decoder";
                    } + "): it is a baseline to compare with, not a model the stream can serve, so it is not exported; "
                    + "score it with ./nri evaluate --model " + runDir
                    + (cfg.graph() == NriConfig.GraphKind.SUPERVISED ? " (or pair it with the decoder of a --graph "
                            + "true run on the same data: --decoder-run RUN)" : ""));
        }
        if (info.normalisation() != null && info.normalisation().isPerFeature()) {
            // The stream's feeds carry positions (and the velocities it derives); an oscillator's phase velocity
            // and natural frequency have no feed and no layout in the contract's feature checks yet.
            throw new IllegalArgumentException("run " + runDir + " was trained on oscillator features "
                    + "(Kuramoto's feat_ files): the stream has no oscillator feed to serve it, so it is not "
                    + "exported yet; score it with ./nri evaluate --model " + runDir);
        }
        // The stream's window is what the encoder sees: --encoder-steps N serves N-frame windows.
        int window = cfg.encoderWindow();
        Path dataDir = testData != null ? testData : Path.of(info.dataDir());
        Files.createDirectories(outDir);
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                NriModel model = new NriModel(manager, cfg, info.seed(), info.normalisation())) {
            Checkpoint ck = Checkpoint.read(ckFile);
            Map<String, Object> header = decoderCk == null ? ModelCheckpoints.restore(ck, model, null)
                    : ModelCheckpoints.restorePaired(ck, Checkpoint.read(decoderCk), model);
            int epochs = ((Number) header.get("epoch")).intValue();
            int bestEpoch = ((Number) header.get("best_epoch")).intValue();

            NriDataset test = NriDataset.load(dataDir, testSplit, info.suffix(), info.normalisation());
            int horizonSteps = horizonFor(test, window);
            EdgeCalibration calibration = calibrate ? fitCalibration(model, info) : EdgeCalibration.NONE;
            Evaluator evaluator = new Evaluator(window, horizonSteps, cfg.tau(), evalSeed)
                    .withCalibration(calibration);
            Evaluator.Evaluation ev;
            try (DjlPredictor p = new DjlPredictor(model)) {
                ev = evaluator.evaluate(p, test, evalBatch);
            }
            String id = modelId != null ? modelId : defaultId(info.suffix());
            String trainOrigin = datasetOrigin(Path.of(info.dataDir()), info.suffix());
            Map<String, String> meta = metadata(id, info, cfg, trainOrigin);
            NriOnnxExporter exporter = new NriOnnxExporter(model);
            Files.write(outDir.resolve(ModelSpec.DEFAULT_ENCODER_FILE), exporter.encoder(meta).toByteArray());
            OnnxMl.ModelProto dec = exporter.decoder(meta);
            Files.write(outDir.resolve(ModelSpec.DEFAULT_DECODER_FILE), dec.toByteArray());
            // The sparse rollout the stream serves, built from this decoder (a directory exported over must not keep
            // one of another export); the recurrent decoder has none.
            if (cfg.decoder() == NriConfig.DecoderKind.RECURRENT) {
                Files.deleteIfExists(outDir.resolve(ModelSpec.ROLLOUT_FILE));
            } else {
                Files.write(outDir.resolve(ModelSpec.ROLLOUT_FILE), exporter.rollout(dec, meta).toByteArray());
            }

            Map<String, Object> metrics = testMetrics(ev, epochs, bestEpoch, checkpoint,
                    NriDataset.hash(dataDir, testSplit, info.suffix()));
            if (decoderCk != null) {
                Map<String, Object> decoderHeader = ModelCheckpoints.header(Checkpoint.read(decoderCk));
                Map<String, Object> pairing = new LinkedHashMap<>();
                pairing.put("encoder_run", runDir.toAbsolutePath().toString());
                pairing.put("encoder_training", "supervised: cross-entropy on the simulator's true edge types");
                pairing.put("encoder_epochs", epochs);
                pairing.put("encoder_best_epoch", bestEpoch);
                pairing.put("decoder_run", decoderRun.toAbsolutePath().toString());
                pairing.put("decoder_training", "on each sample's true graph (one-hot edge types)");
                pairing.put("decoder_epochs", decoderHeader.get("epoch"));
                pairing.put("decoder_best_epoch", decoderHeader.get("best_epoch"));
                metrics.put("paired_runs", pairing);
            }
            metrics.put("test_data", dataDir.toAbsolutePath() + datasetOrigin(dataDir, info.suffix()));
            Path ageDir = ageTestData != null ? ageTestData : dataDir;
            NriDataset ageTest = ageDir.equals(dataDir) ? test
                    : NriDataset.load(ageDir, testSplit, info.suffix(), info.normalisation());
            int[] starts = sceneAgeStarts(ageTest.timesteps(), window, horizonSteps);
            if (ageTestData != null || starts.length > 1) {
                List<Map<String, Object>> byAge = new ArrayList<>();
                Evaluator ageEvaluator = evaluator.withWalls(BoxWalls.of(ageDir, info.suffix()));
                try (DjlPredictor p = new DjlPredictor(model)) {
                    for (int start : starts) {
                        byAge.add(sceneAgeMetrics(ageEvaluator.evaluate(p, ageTest, evalBatch, start),
                                1.0 / samplingRateHz(ageDir, info.suffix())));
                        LOG.info("scene age {} steps: edge accuracy {}", start, byAge.get(byAge.size() - 1)
                                .get("edge_accuracy"));
                    }
                }
                metrics.put("by_scene_age", byAge);
                metrics.put("scene_age_test_data", ageDir.toAbsolutePath() + datasetOrigin(ageDir, info.suffix()));
            }
            ModelSpec spec = spec(id, info, cfg, ev, metrics, trainOrigin).withCalibration(calibration);
            spec.write(outDir.resolve(ModelSpec.FILE_NAME));
            double parity = LargeStack.call(() -> parity(model, ModelDirectory.open(outDir), test));
            metrics.put("onnx_parity_max_abs_diff", parity);
            spec = spec(id, info, cfg, ev, metrics, trainOrigin).withCalibration(calibration);
            spec.write(outDir.resolve(ModelSpec.FILE_NAME));
            if (parity > PARITY_TOLERANCE) {
                throw new IllegalStateException("ONNX Runtime differs from the trained network by " + parity
                        + " (> " + PARITY_TOLERANCE + "); the export is wrong");
            }
            Map<String, Object> evJson = new LinkedHashMap<>(ev.toMap());
            evJson.put("checkpoint", checkpoint);
            evJson.put("epochs_trained", epochs);
            evJson.put("data", dataDir.toAbsolutePath().toString());
            evJson.put("protocol", "encoder sees steps [0, " + window + "), hard Gumbel-softmax edges (tau "
                    + cfg.tau() + ", seed " + evalSeed + "), decoder rolls out " + horizonSteps + " steps from step "
                    + window + (cfg.decoder() == NriConfig.DecoderKind.RECURRENT
                            ? " (the recurrent decoder burns in on the true steps [1, " + window + "] first)"
                            : "")
                    + "; MSE on normalised data; static baseline x_{t+k} = x_t");
            Files.writeString(outDir.resolve(EVALUATION), JSON.writeValueAsString(evJson));
            writeGolden(model, test, outDir.resolve(GOLDEN));
            for (String f : List.of(Trainer.CURVES, Trainer.METRICS)) {
                if (Files.exists(runDir.resolve(f))) {
                    Files.copy(runDir.resolve(f), outDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (decoderRun != null) {
                for (String f : List.of(Trainer.CURVES, Trainer.METRICS)) {
                    if (Files.exists(decoderRun.resolve(f))) {
                        Files.copy(decoderRun.resolve(f), outDir.resolve(DECODER_PREFIX + f),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return new Result(outDir, spec, ev, parity);
        }
    }

    /**
     * The run to export when a supervised encoder run is paired with a true-graph decoder run: the encoder run's
     * data, seed and schedule, the model a learned one (encoder of the first, decoder of the second) and the
     * command both. Refuses runs that do not fit together, naming what differs.
     */
    static RunInfo paired(RunInfo enc, RunInfo dec) {
        NriConfig a = enc.model();
        NriConfig b = dec.model();
        if (a.graph() != NriConfig.GraphKind.SUPERVISED || b.graph() != NriConfig.GraphKind.TRUE) {
            throw new IllegalArgumentException("--decoder-run pairs an encoder trained with --graph supervised with a "
                    + "decoder trained with --graph true; got --graph " + a.graph().flag() + " and --graph "
                    + b.graph().flag());
        }
        List<String> differ = new ArrayList<>();
        if (!enc.trainHash().equals(dec.trainHash()) || !enc.suffix().equals(dec.suffix())) {
            differ.add("training data (" + enc.dataDir() + " " + enc.suffix() + " vs " + dec.dataDir() + " "
                    + dec.suffix() + ")");
        }
        if (!java.util.Objects.equals(enc.normalisation(), dec.normalisation())) {
            differ.add("normalisation");
        }
        if (a.atoms() != b.atoms() || a.dims() != b.dims() || a.timesteps() != b.timesteps()) {
            differ.add("atoms/dims/timesteps");
        }
        // A supervised encoder's type k is label k whatever --skip-first said (that flag shapes the decoder only), so
        // the pair follows the decoder run on which type sends no messages.
        if (a.edgeTypes() != b.edgeTypes()) {
            differ.add("edge types (--edge-types)");
        }
        if (enc.windowSampling() != dec.windowSampling()) {
            differ.add("--windows");
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("the encoder run and the decoder run do not fit together: they differ "
                    + "in " + String.join(", ", differ));
        }
        NriConfig model = a.toBuilder().skipFirst(b.skipFirst()).decoder(b.decoder()).decoderHidden(b.decoderHidden())
                .decoderDropout(b.decoderDropout()).predictionSteps(b.predictionSteps()).variance(b.variance())
                .graph(NriConfig.GraphKind.LEARNED).walls(b.walls()).build();
        // both runs, as one shell line (paired_runs in model.json says which is which)
        String command = enc.command() + " && " + dec.command();
        return new RunInfo(command, enc.seed(), enc.dataDir(), enc.suffix(), enc.trainHash(), enc.trainSize(),
                enc.validSize(), enc.epochs(), enc.batchSize(), enc.learningRate(), enc.lrDecay(), enc.gamma(), model,
                enc.normalisation(), enc.gitRevision(), enc.created(), enc.lrMilestones(), enc.windowSampling(),
                enc.windowsRamp(), enc.clipGradNorm());
    }

    /** The temperature that calibrates the edge probabilities on the run's validation windows. */
    private EdgeCalibration fitCalibration(NriModel model, RunInfo info) throws IOException {
        Path dir = Path.of(info.dataDir());
        NriDataset valid = NriDataset.load(dir, "valid", info.suffix(), info.normalisation());
        int window = info.model().encoderWindow();
        int[] starts = info.windowSampling().validationStarts(valid.size(), valid.timesteps(), window);
        TemperatureFit fit = new TemperatureFit(info.model().edgeTypes());
        try (DjlPredictor p = new DjlPredictor(model)) {
            for (int from = 0; from < valid.size(); from += evalBatch) {
                int b = Math.min(evalBatch, valid.size() - from);
                int[] idx = java.util.stream.IntStream.range(from, from + b).toArray();
                int[] st = java.util.Arrays.copyOfRange(starts, from, from + b);
                fit.add(p.edgeScores(valid.gather(idx, st, window), b, valid.atoms()), valid.gatherLabels(idx));
            }
        }
        EdgeCalibration c = fit.fit("valid split of " + dir.toAbsolutePath() + " (" + info.suffix() + "), "
                + valid.size() + " windows (" + info.windowSampling().flag() + " starts, as the run validated), "
                + fit.edges() + " edges");
        LOG.info("edge probabilities: temperature {} fitted on {} validation edges; expected calibration error "
                + "{} -> {}", String.format(Locale.ROOT, "%.3f", c.temperature()), fit.edges(),
                String.format(Locale.ROOT, "%.4f", c.eceBefore()), String.format(Locale.ROOT, "%.4f", c.eceAfter()));
        return c;
    }

    /**
     * The horizon asked for, or by default 20 steps where the test samples hold the window, the rollout's start and
     * 20 more, else as many as they hold (basketball's 25-step segments with a 17-step window leave 7).
     */
    private int horizonFor(NriDataset test, int window) {
        if (horizon != null) {
            return horizon;
        }
        int room = test.timesteps() - window - 1;
        if (room < 1) {
            throw new IllegalArgumentException("split " + test.name() + " has " + test.timesteps() + " steps: no room "
                    + "for a forecast after the " + window + "-step window; export with longer test samples");
        }
        if (room < DEFAULT_HORIZON) {
            LOG.info("test samples of {} steps hold {} forecast steps after the {}-step window: scoring {} (not {})",
                    test.timesteps(), room, window, room, DEFAULT_HORIZON);
        }
        return Math.min(DEFAULT_HORIZON, room);
    }

    /** The scene-age starts that leave room for the window, the rollout's start and the horizon. */
    static int[] sceneAgeStarts(int sampleSteps, int window, int horizon) {
        return java.util.Arrays.stream(SCENE_AGE_STARTS).filter(s -> s + window + 1 + horizon <= sampleSteps)
                .toArray();
    }

    /**
     * The forecast steps model.json reports: 1, 10 and 20 (the paper's Table 2) as far as the horizon reaches, and
     * the horizon's last step, so a short horizon (basketball's 7) still records a multi-step score.
     */
    public static int[] reportedSteps(int horizon) {
        return java.util.stream.IntStream.of(1, 10, 20, horizon).filter(k -> k >= 1 && k <= horizon).distinct()
                .sorted().toArray();
    }

    private static Map<String, Object> sceneAgeMetrics(Evaluator.Evaluation ev, double secondsPerStep) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window_start", ev.windowStart());
        m.put("scene_age_seconds", ev.windowStart() * secondsPerStep);
        m.put("edge_accuracy", ev.edgeAccuracy());
        m.put("edge_accuracy_permutation", ev.edgeAccuracyPermutation());
        m.put("expected_calibration_error", ev.calibrationError());
        for (int s : reportedSteps(ev.mse().length)) {
            m.put("mse_" + s, ev.mse()[s - 1]);
        }
        // The median window's error beside the mean: a few missed bounces dominate the mean of a late start.
        for (int s : reportedSteps(ev.mse().length)) {
            m.put("median_mse_" + s, ev.medianMse()[s - 1]);
        }
        // Springs and charged scenes bounce off their box; how much of the error at this age is the box
        // (Evaluator.WallSplit): the MSE of the forecasts that stay away from the walls, and the share that do not.
        if (ev.walls() != null) {
            for (int s : reportedSteps(ev.mse().length)) {
                double away = ev.walls().mseAway()[s - 1];
                m.put("mse_" + s + "_away_from_walls", Double.isNaN(away) ? null : away);
                m.put("near_wall_fraction_" + s, ev.walls().nearWallFraction()[s - 1]);
            }
        }
        return m;
    }

    static String defaultId(String suffix) {
        String base = suffix.startsWith("_") ? suffix.substring(1) : suffix;
        return base + "-" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", "");
    }

    /**
     * What the data is: the {@code system} its provenance file declares ({@code ./nri simulate}, {@code ./nri mocap
     * dataset}, {@code ./nri nba dataset} write it), else read from the suffix. The suffix alone would call Kuramoto on
     * the unit circle ({@code _kuramoto5circle}) "kuramoto5circle", a system no feed names.
     */
    static String system(Path dataDir, String suffix) {
        String declared = datasetProvenance(dataDir, suffix).path("system").asText("");
        return declared.isEmpty() ? system(suffix) : declared;
    }

    /** "springs" from "_springs5". */
    static String system(String suffix) {
        String s = suffix.startsWith("_") ? suffix.substring(1) : suffix;
        return s.replaceAll("[0-9]+$", "").toLowerCase(Locale.ROOT);
    }

    /** ", made by ./nri simulate ..." from the dataset's provenance file, or "" when it has none. */
    static String datasetOrigin(Path dataDir, String suffix) {
        String cmd = datasetProvenance(dataDir, suffix).path("reproduce").asText("");
        return cmd.isEmpty() ? "" : ", made by " + cmd;
    }

    /**
     * The frame rate of the training data: {@code sampling_rate_hz} of the dataset's provenance file, else derived
     * from its {@code --sample-freq} (files written before the rate was recorded), else the simulator's default.
     */
    static double samplingRateHz(Path dataDir, String suffix) {
        JsonNode p = datasetProvenance(dataDir, suffix);
        if (p.path("sampling_rate_hz").isNumber()) {
            return p.path("sampling_rate_hz").asDouble();
        }
        SimConfig.Builder cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(2);
        Matcher m = SAMPLE_FREQ.matcher(p.path("reproduce").asText(""));
        if (m.find()) {
            cfg.optSampleFreq(Integer.parseInt(m.group(1))).optLength(Integer.parseInt(m.group(1)) * 2);
        } else {
            LOG.warn("dataset {} records no sampling rate; assuming the simulator's default", dataDir);
        }
        return cfg.build().samplingRateHz();
    }

    private static final Pattern SAMPLE_FREQ = Pattern.compile("--sample-freq (\\d+)");

    private static JsonNode datasetProvenance(Path dataDir, String suffix) {
        Path f = dataDir.resolve(DatasetLayout.provenanceFileName(suffix));
        if (!Files.isRegularFile(f)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            LOG.warn("ignoring unreadable dataset provenance {}: {}", f, e.toString());
            return JSON.createObjectNode();
        }
    }

    private Map<String, String> metadata(String id, RunInfo info, NriConfig cfg, String trainOrigin)
            throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(OnnxContract.MODEL_ID, id);
        m.put(OnnxContract.EDGE_ORDER, EdgeOrder.DESCRIPTION);
        m.put(OnnxContract.FEATURE_LAYOUT, OnnxContract.layout(ModelSpec.expectedLayout(cfg.dims() / 2)));
        m.put("edge_types", Integer.toString(cfg.edgeTypes()));
        m.put("no_edge_type", Integer.toString(cfg.noEdgeType()));
        m.put("normalisation", JSON.writeValueAsString(info.normalisation()));
        m.put("trainer_config", JSON.writeValueAsString(cfg));
        m.put("training_command", info.command());
        m.put("dataset", info.dataDir() + " (" + info.suffix() + ", train sha256 " + info.trainHash()
                + trainOrigin + ")");
        m.put("git_revision", info.gitRevision());
        return m;
    }

    private static Map<String, Object> testMetrics(Evaluator.Evaluation ev, int epochs, int bestEpoch,
            String which, String testHash) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", ev.split());
        m.put("samples", ev.samples());
        m.put("edge_accuracy", ev.edgeAccuracy());
        m.put("edge_accuracy_permutation", ev.edgeAccuracyPermutation());
        m.put("expected_calibration_error", ev.calibrationError());
        for (int s : reportedSteps(ev.mse().length)) {
            m.put("mse_" + s, ev.mse()[s - 1]);
            m.put("static_mse_" + s, ev.staticMse()[s - 1]);
        }
        m.put("test_data_sha256", testHash);
        m.put("checkpoint", which);
        m.put("epochs_trained", epochs);
        m.put("best_epoch", bestEpoch);
        return m;
    }

    private ModelSpec spec(String id, RunInfo info, NriConfig cfg, Evaluator.Evaluation ev,
            Map<String, Object> metrics, String trainOrigin) {
        String system = system(Path.of(info.dataDir()), info.suffix());
        List<String> names = new ArrayList<>();
        int noEdge = cfg.noEdgeType();
        for (int k = 0; k < cfg.edgeTypes(); k++) {
            names.add("type" + k);
        }
        if (cfg.edgeTypes() == 2 && system.equals("springs")) {
            // Unsupervised types have no fixed meaning: name them by the test set's best relabelling
            // (label 0 = no spring, 1 = spring).
            int[] assignment = ev.typeAssignment();
            for (int k = 0; k < 2; k++) {
                names.set(k, assignment[k] == 0 ? "none" : "spring");
            }
            if (noEdge < 0 && ev.edgeAccuracyPermutation() >= 0.9) {
                noEdge = assignment[0] == 0 ? 0 : 1;
                metrics.put("no_edge_type_source", "learned: the type matching 'no spring' on the test set");
            }
        }
        if (cfg.edgeTypes() == 2 && system.equals("charged") && ev.typeAssignment() != null) {
            // Every charged pair interacts: label 0 (charges of opposite sign) attracts, 1 (same sign) repels. The
            // types are named by the test set's best relabelling, as for springs; there is no "no edge" type.
            int[] assignment = ev.typeAssignment();
            for (int k = 0; k < 2; k++) {
                names.set(k, assignment[k] == 0 ? "attract" : "repel");
            }
        }
        if (cfg.edgeTypes() == 2 && system.equals("kuramoto") && cfg.skipFirst()) {
            names.set(0, "none"); // K_ij = 0: oscillator j does not drive i
            names.set(1, "coupling");
        }
        if (cfg.skipFirst()) {
            metrics.put("no_edge_type_source", "hard-coded (--skip-first)");
        }
        return NriOnnxExporter.withArchitecture(new ModelSpec(id, system, cfg.atoms(), true, cfg.encoderWindow(),
                ModelSpec.expectedLayout(cfg.dims() / 2), cfg.dims() / 2,
                samplingRateHz(Path.of(info.dataDir()), info.suffix()), cfg.edgeTypes(), names, noEdge,
                info.normalisation(),
                ModelSpec.DEFAULT_ENCODER_FILE, ModelSpec.DEFAULT_DECODER_FILE,
                new ModelSpec.Provenance(info.command(), info.seed(),
                        info.dataDir() + " (suffix " + info.suffix() + ", " + info.trainSize() + " train / "
                                + info.validSize() + " valid simulations" + trainOrigin + ")",
                        info.trainHash(), info.gitRevision(), info.created()),
                metrics, null).withFeedDims(feedDims(Path.of(info.dataDir()), info.suffix())), cfg);
    }

    /**
     * {@code feed_dims} of the dataset's provenance file (the nba dataset: SportVU frames are 3D, the model reads
     * their court plane), or null.
     */
    static Integer feedDims(Path dataDir, String suffix) {
        JsonNode d = datasetProvenance(dataDir, suffix).path("feed_dims");
        return d.isInt() ? d.asInt() : null;
    }

    /**
     * Max abs difference between ONNX Runtime and the network on real test windows: encoder probabilities and one
     * decoder step (with the encoder's probabilities as edge weights).
     */
    static double parity(NriModel model, ModelDirectory dir, NriDataset data) {
        int b = Math.min(16, data.size());
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) {
            idx[i] = i;
        }
        NriConfig cfg = model.config();
        float[] x = data.gather(idx, 0, cfg.encoderWindow());
        float[] state = new float[b * data.atoms() * cfg.dims()];
        float[] next = data.gather(idx, cfg.encoderWindow(), 1);
        System.arraycopy(next, 0, state, 0, state.length);
        return parity(model, dir, x, state, b, data.atoms());
    }

    /** Steps the parity check rolls a recurrent decoder forward after its burn-in on the window. */
    static final int PARITY_ROLLOUT = 10;

    /**
     * As above on given inputs: x [B, N, T, D], state [B, N, D]. The decoder check is one step from {@code state}
     * for the MLP decoder; for the recurrent one, the burn-in on x's T frames and {@value #PARITY_ROLLOUT} steps of
     * its own ({@code RecurrentDecoder.rolloutAfter}).
     */
    public static double parity(NriModel model, ModelDirectory dir, float[] x, float[] state, int b, int n) {
        NriConfig cfg = model.config();
        int t = x.length / (b * n * cfg.dims());
        try (NriOnnxModel onnx = NriOnnxModel.open(dir, NriOnnxModel.Options.defaults()
                        .withDevice(NriOnnxModel.Device.CPU));
                NDManager scope = model.store().manager().newSubManager()) {
            float[] probsOnnx = onnx.encode(x, b, n, t);
            NDArray window = scope.create(x, new Shape(b, n, t, cfg.dims()));
            NDArray logits = model.edgeLogits(window, false);
            float[] probs = logits.softmax(-1).toFloatArray();
            double diff = maxAbsDiff(probs, probsOnnx);
            NDArray z = scope.create(probs, new Shape(b, (long) n * (n - 1), cfg.edgeTypes()));
            if (cfg.decoder() == NriConfig.DecoderKind.RECURRENT) {
                float[] ahead = model.recurrentDecoder().rolloutAfter(window.transpose(0, 2, 1, 3), z,
                        PARITY_ROLLOUT).toFloatArray();
                return Math.max(diff, maxAbsDiff(ahead, onnx.rolloutWindow(x, t, probs, b, n, PARITY_ROLLOUT)));
            }
            float[] nextOnnx = onnx.decodeStep(state, probs, b, n);
            NDArray s = scope.create(state, new Shape(b, n, cfg.dims()));
            float[] next = model.decoder().rolloutFrom(s, z, 1).toFloatArray();
            return Math.max(diff, maxAbsDiff(next, nextOnnx));
        }
    }

    /**
     * Writes 4 test windows, a decoder state and the DJL network's encoder probabilities and next state for them,
     * so a test can check ONNX Runtime against the trained network without the checkpoint. For a recurrent
     * decoder, instead of the state: {@code forecast}, the {@value #PARITY_ROLLOUT} steps after each window (burn-in
     * on the whole window), [B, H, N, D].
     */
    static void writeGolden(NriModel model, NriDataset data, Path file) throws IOException {
        int b = Math.min(4, data.size());
        int n = data.atoms();
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) {
            idx[i] = i;
        }
        NriConfig cfg = model.config();
        float[] x = data.gather(idx, 0, cfg.encoderWindow());
        float[] window = data.gather(idx, cfg.encoderWindow(), 1);
        float[] state = java.util.Arrays.copyOf(window, b * n * cfg.dims());
        try (NDManager scope = model.store().manager().newSubManager()) {
            NDArray xs = scope.create(x, new Shape(b, n, cfg.encoderWindow(), cfg.dims()));
            NDArray logits = model.edgeLogits(xs, false);
            float[] probs = logits.softmax(-1).toFloatArray();
            NDArray z = scope.create(probs, new Shape(b, (long) n * (n - 1), cfg.edgeTypes()));
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("batch", b);
            g.put("atoms", n);
            g.put("trajectories", x);
            g.put("edge_probs", probs);
            if (cfg.decoder() == NriConfig.DecoderKind.RECURRENT) {
                g.put("forecast", model.recurrentDecoder().rolloutAfter(xs.transpose(0, 2, 1, 3), z, PARITY_ROLLOUT)
                        .toFloatArray());
            } else {
                g.put("state", state);
                g.put("next_state", model.decoder().rolloutFrom(scope.create(state, new Shape(b, n, cfg.dims())), z,
                        1).toFloatArray());
            }
            Files.writeString(file, new ObjectMapper().writeValueAsString(g));
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("length " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

}
