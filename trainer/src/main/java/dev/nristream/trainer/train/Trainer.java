package dev.nristream.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.nristream.model.EdgeAccuracy;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains NRI on a particle dataset: validation every epoch, best checkpoint by validation NLL, a resumable
 * checkpoint every epoch, one {@code metrics.jsonl} line per epoch and {@code curves.png}.
 *
 * <pre>{@code
 * TrainOptions opts = TrainOptions.defaults(Path.of("/data/springs5"), "_springs5", Path.of("runs/springs5"));
 * new Trainer(opts).run(false);                  // or run(true) to continue from runs/springs5/last.ckpt
 * }</pre>
 *
 * <p>Run directory: {@code run.json} (options, data hash, normalisation), {@code last.ckpt}, {@code best.ckpt},
 * {@code metrics.jsonl} (keys: epoch, lr, train_loss, train_nll, train_kl, train_mse, train_acc,
 * train_skipped_batches (with gradient clipping also train_clipped_batches, train_grad_norm_median and
 * train_grad_norm_max), val_nll, val_kl, val_mse, val_acc, val_acc_permutation, seconds, train_seconds, best; a
 * {@code --graph full} or {@code --graph true} run has no acc keys and a KL of 0; a {@code --graph supervised} run
 * has no mse keys, and its nll is the cross-entropy of the true edge types),
 * {@code curves.png}.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    public static final String LAST = "last.ckpt";
    public static final String BEST = "best.ckpt";
    public static final String METRICS = "metrics.jsonl";
    public static final String CURVES = "curves.png";
    static final int MAX_CONSECUTIVE_SKIPS = 10;
    static final int VALID_BATCH = 32;

    private final TrainOptions opts;
    private Path initFrom;

    public Trainer(TrainOptions opts) {
        this.opts = opts;
    }

    /**
     * Starts a new run from another run's best weights instead of random ones (fine-tuning, e.g. a decoder given
     * walls): every tensor of this model must be in that run's {@code best.ckpt} with the same shape, and the run
     * must have scaled its data the same way. Adam starts afresh. Ignored on resume (the run's own last.ckpt wins).
     */
    public Trainer initFrom(Path run) {
        this.initFrom = run;
        return this;
    }

    /** Summary of a finished (or stopped) run. */
    public record Summary(int epochs, int bestEpoch, double bestValNll, Map<String, Object> lastMetrics) {}

    /**
     * Trains until {@link TrainOptions#epochs()} epochs are done.
     *
     * @param resume continue from {@code last.ckpt} in the run directory (which must exist)
     */
    public Summary run(boolean resume) throws IOException {
        Path out = opts.outDir();
        Files.createDirectories(out);
        Path lastFile = out.resolve(LAST);
        if (!resume && Files.exists(lastFile)) {
            throw new IllegalArgumentException(out + " already holds a run (" + LAST + "); pass --resume to continue"
                    + " it or choose another --out");
        }
        if (resume && !Files.exists(lastFile)) {
            throw new IllegalArgumentException("nothing to resume: no " + LAST + " in " + out);
        }
        NriConfig cfg = opts.model();
        NriDataset train = NriDataset.load(opts.dataDir(), "train", opts.suffix(), null);
        NriDataset valid = NriDataset.load(opts.dataDir(), "valid", opts.suffix(), train.normalisation());
        checkShape(train, cfg);
        checkShape(valid, cfg);
        LOG.info("data {}: train {} x [N={}, T={}], valid {}; {}-step windows ({}), {} sampling", opts.dataDir(),
                train.size(), train.atoms(), train.timesteps(), valid.size(), cfg.timesteps(),
                cfg.fullGraph() ? "full graph, no encoder" : cfg.graph() == NriConfig.GraphKind.TRUE
                        ? "the true graph, no encoder" : "the encoder sees the first " + cfg.encoderWindow()
                        + (cfg.hasDecoder() ? "" : ", trained on the true edge types, no decoder"),
                opts.windows().flag() + (opts.windowsRamp() == 0 ? "" : " (ramp: epoch 1 starts windows in the first "
                        + Math.round(100 * opts.windowReach(0)) + "% of each sample, every age from epoch "
                        + opts.windowsRamp() + ")"));
        // Fixed for the whole run so validation losses of different epochs compare.
        int[] validStarts = opts.windows().validationStarts(valid.size(), valid.timesteps(), cfg.timesteps());

        // Read once: its epoch bounds a schedule change, its weights are restored below.
        Checkpoint resumeFrom = resume ? Checkpoint.read(lastFile) : null;
        RunInfo info;
        if (resume) {
            RunInfo saved = RunInfo.read(out);
            // A run carried to another machine (training/) resumes on a rebuilt dataset: it must be the same bytes.
            String hash = NriDataset.hash(opts.dataDir(), "train", opts.suffix());
            if (saved.trainHash() != null && !saved.trainHash().equals(hash)) {
                throw new IllegalArgumentException("the training data in " + opts.dataDir() + " is not what the run "
                        + "was started on (sha256 " + hash + ", run.json has " + saved.trainHash() + "): rebuild it "
                        + "with the command the run's data was made by");
            }
            if (!saved.model().equals(cfg)) {
                throw new IllegalArgumentException("the model flags differ from the run being resumed: run.json has "
                        + saved.model() + ", flags give " + cfg);
            }
            info = withScheduleOf(saved.withEpochs(opts.epochs()), epochOf(resumeFrom));
        } else {
            info = new RunInfo(opts.command(), opts.seed(), opts.dataDir().toAbsolutePath().toString(),
                    opts.suffix(), NriDataset.hash(opts.dataDir(), "train", opts.suffix()), train.size(),
                    valid.size(), opts.epochs(), opts.batchSize(), opts.learningRate(), opts.lrDecay(), opts.gamma(),
                    cfg, train.normalisation(), Provenance.gitRevision(Path.of(".")), Instant.now().toString(),
                    opts.lrMilestones(), opts.windows(), opts.windowsRamp(), opts.clipGradNorm());
        }
        info.write(out);

        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager();
                NriModel model = new NriModel(manager, cfg, opts.seed(), train.normalisation());
                Adam adam = new Adam(manager, model.store().params())) {
            int start = 0;
            double bestVal = Double.POSITIVE_INFINITY;
            int bestEpoch = -1;
            if (resume) {
                Map<String, Object> h = ModelCheckpoints.restore(resumeFrom, model, adam);
                start = ((Number) h.get("epoch")).intValue();
                bestVal = ((Number) h.get("best_val_nll")).doubleValue();
                bestEpoch = ((Number) h.get("best_epoch")).intValue();
                MetricsLog.truncate(out.resolve(METRICS), start);
                LOG.info("resuming {} after epoch {} (best val nll {} at epoch {})", out, start, bestVal, bestEpoch);
            } else if (initFrom != null) {
                RunInfo from = RunInfo.read(initFrom);
                if (!java.util.Objects.equals(from.normalisation(), train.normalisation())) {
                    throw new IllegalArgumentException("--init-from " + initFrom + " scaled its data with "
                            + from.normalisation() + ", this run's data scales with " + train.normalisation()
                            + ": its weights would read other inputs");
                }
                Checkpoint init = Checkpoint.read(initFrom.resolve(BEST));
                if (ModelCheckpoints.decoderOnly(init) && ModelCheckpoints.hasEncoder(model)) {
                    // A decoder trained alone (on the true or the full graph) starts a learned-graph model: the
                    // encoder learns which edges the trained decoder needs.
                    Map<String, Object> h = ModelCheckpoints.restoreDecoder(init, model);
                    LOG.info("starting the decoder from the weights of {} (epoch {}, best of its run; a run without "
                            + "an encoder): the encoder starts from its random initialisation", initFrom,
                            h.get("epoch"));
                } else {
                    Map<String, Object> h = ModelCheckpoints.restore(init, model, null);
                    LOG.info("starting from the weights of {} (epoch {}, best of its run)", initFrom, h.get("epoch"));
                }
            }
            LOG.info("model: {} parameters, {} threads; MKL: {}", model.store().parameterCount(),
                    ai.djl.pytorch.jni.JniUtils.getNumThreads(), dev.nristream.trainer.bench.MklDispatch.current());
            Map<String, Object> last = Map.of();
            double epochSeconds = 0;
            int epochsThisProcess = 0;
            for (int epoch = start; epoch < opts.epochs(); epoch++) {
                long t0 = System.nanoTime();
                double lr = opts.learningRate(epoch);
                Map<String, Double> tr = trainEpoch(engine, manager, model, adam, train, epoch, lr);
                long t1 = System.nanoTime();
                // One-step predictions from every step of every sample: small batches bound the memory peak.
                Map<String, Double> va = validate(manager, model, valid, validStarts,
                        Math.min(opts.batchSize(), VALID_BATCH));
                boolean best = va.get("nll") < bestVal;
                if (best) {
                    bestVal = va.get("nll");
                    bestEpoch = epoch + 1;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", epoch + 1);
                m.put("lr", lr);
                tr.forEach((k, v) -> m.put("train_" + k, v));
                va.forEach((k, v) -> m.put("val_" + k, v));
                m.put("seconds", (System.nanoTime() - t0) / 1e9);
                m.put("train_seconds", (t1 - t0) / 1e9);
                m.put("best", best);
                Map<String, Object> header = new LinkedHashMap<>();
                header.put("epoch", epoch + 1);
                header.put("best_val_nll", bestVal);
                header.put("best_epoch", bestEpoch);
                header.put("adam_steps", adam.steps());
                Checkpoint ck = ModelCheckpoints.capture(header, model, adam);
                ck.write(lastFile);
                if (best) {
                    ModelCheckpoints.capture(header, model, null).write(out.resolve(BEST));
                }
                MetricsLog.append(out.resolve(METRICS), m);
                last = m;
                double secs = (System.nanoTime() - t0) / 1e9;
                epochSeconds += secs;
                epochsThisProcess++;
                double eta = epochSeconds / epochsThisProcess * (opts.epochs() - epoch - 1);
                if (cfg.fixedGraph()) {
                    LOG.info(String.format(java.util.Locale.ROOT,
                            "epoch %d/%d  train nll %.4g mse %.3g | val nll %.4g mse %.3g (%s graph)%s | %.1f s, "
                                    + "run ETA %s", epoch + 1, opts.epochs(), tr.get("nll"), tr.get("mse"),
                            va.get("nll"), va.get("mse"), cfg.graph().flag(), best ? " *" : "", secs,
                            java.time.Duration.ofSeconds((long) eta)));
                } else if (!cfg.hasDecoder()) {
                    LOG.info(String.format(java.util.Locale.ROOT,
                            "epoch %d/%d  train cross-entropy %.4g acc %.4f | val cross-entropy %.4g acc %.4f "
                                    + "(supervised)%s | %.1f s, run ETA %s", epoch + 1, opts.epochs(), tr.get("nll"),
                            tr.get("acc"), va.get("nll"), va.get("acc"), best ? " *" : "", secs,
                            java.time.Duration.ofSeconds((long) eta)));
                } else {
                    LOG.info(String.format(java.util.Locale.ROOT,
                            "epoch %d/%d  train nll %.4g kl %.4g mse %.3g acc %.4f | val nll %.4g mse %.3g acc %.4f "
                                    + "(perm %.4f)%s | %.1f s, run ETA %s",
                            epoch + 1, opts.epochs(), tr.get("nll"), tr.get("kl"), tr.get("mse"), tr.get("acc"),
                            va.get("nll"), va.get("mse"), va.get("acc"), va.get("acc_permutation"), best ? " *" : "",
                            secs, java.time.Duration.ofSeconds((long) eta)));
                }
                try {
                    CurvesPlot.write(MetricsLog.read(out.resolve(METRICS)), out.resolve(CURVES));
                } catch (RuntimeException ex) {
                    LOG.warn("could not draw {}: {}", CURVES, ex.toString());
                }
            }
            return new Summary(opts.epochs(), bestEpoch, bestVal, last);
        }
    }

    private static int epochOf(Checkpoint ck) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(ck.headerJson()).path("epoch").asInt();
    }

    /**
     * The resumed run's info with this process's learning-rate schedule, refused if any of the {@code done} epochs
     * already trained would have had another rate (then the run is the one the new flags would have made).
     */
    private RunInfo withScheduleOf(RunInfo saved, int done) {
        if (opts.lrDecay() == saved.lrDecay() && opts.gamma() == saved.gamma()
                && opts.lrMilestones().equals(saved.lrMilestones())) {
            return saved;
        }
        TrainOptions before = opts.withLearningRate(saved.learningRate(), saved.lrDecay(), saved.gamma())
                .withMilestones(saved.lrMilestones());
        for (int e = 0; e < done; e++) {
            if (before.learningRate(e) != opts.learningRate(e)) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "the new schedule (--lr-decay %d --gamma %s --lr-milestones %s) would have given epoch %d "
                                + "learning rate %s, but it trained at %s: a schedule may only change where it has "
                                + "not taken effect yet", opts.lrDecay(), opts.gamma(), opts.lrMilestones(), e + 1,
                        opts.learningRate(e), before.learningRate(e)));
            }
        }
        LOG.info("learning-rate schedule of {} changed after epoch {}: decay every {} epochs (was {}), gamma {} "
                + "(was {}), milestones {} (was {})", opts.outDir(), done, opts.lrDecay(), saved.lrDecay(),
                opts.gamma(), saved.gamma(), opts.lrMilestones(), saved.lrMilestones());
        return saved.withSchedule(opts.lrDecay(), opts.gamma(), opts.lrMilestones());
    }

    static void checkShape(NriDataset d, NriConfig cfg) {
        // Samples may be longer than the window: windows are cut from them (see WindowSampling).
        if (d.atoms() != cfg.atoms() || d.timesteps() < cfg.timesteps()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has N=" + d.atoms() + " atoms and T="
                    + d.timesteps() + " steps, but the flags say --atoms " + cfg.atoms() + " --timesteps "
                    + cfg.timesteps() + " (samples need at least T steps)");
        }
        if (cfg.dims() != d.dims()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has "
                    + (d.hasPositions() ? d.spatialDims() + "D positions, " : "") + d.dims() + " features "
                    + d.featureLayout() + ", but --dims is " + cfg.dims());
        }
    }

    private Map<String, Double> trainEpoch(Engine engine, NDManager manager, NriModel model, Adam adam,
            NriDataset train, int epoch, double lr) {
        NriConfig cfg = model.config();
        // Per-epoch seeds make a resumed run draw the same batches and noise as an uninterrupted one.
        engine.setRandomSeed((int) (opts.seed() * 1000 + epoch));
        int[] order = shuffled(train.size(), new Random(opts.seed() * 7919 + epoch));
        Random windowRnd = new Random(opts.seed() * 104_729 + epoch);
        int batches = (order.length + opts.batchSize() - 1) / opts.batchSize();
        double nll = 0;
        double kl = 0;
        double mse = 0;
        EdgeAccuracy acc = new EdgeAccuracy(cfg.edgeTypes());
        int skipped = 0;
        int clipped = 0;
        List<Double> norms = new ArrayList<>();
        int consecutiveSkips = 0;
        int done = 0;
        ProgressBar bar = opts.progress()
                ? new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1)).setInitialMax(batches)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(5000).build()
                : null;
        try {
            for (int b = 0; b < batches; b++) {
                int from = b * opts.batchSize();
                int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + opts.batchSize()));
                try (NDManager scope = manager.newSubManager()) {
                    int[] starts = opts.windows().starts(idx.length, train.timesteps(), cfg.timesteps(), windowRnd,
                            opts.windowReach(epoch));
                    NDArray x = scope.create(train.gather(idx, starts, cfg.timesteps()),
                            new Shape(idx.length, cfg.atoms(), cfg.timesteps(), cfg.dims()));
                    NriModel.Output o;
                    int[] labels = cfg.trainsOnLabels() ? train.gatherLabels(idx) : null;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        o = model.forward(x, labels, true);
                        gc.backward(o.loss());
                    }
                    float l = o.loss().getFloat();
                    if (!Float.isFinite(l) || !adam.gradientsFinite()) {
                        // One bad batch must not poison the weights: skip its update, stop if it keeps happening.
                        adam.zeroGradients();
                        skipped++;
                        consecutiveSkips++;
                        LOG.warn("epoch {} batch {}: loss {} or a gradient is not finite; update skipped (samples {})",
                                epoch + 1, b, l, java.util.Arrays.toString(idx));
                        if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
                            throw new IllegalStateException("loss not finite for " + consecutiveSkips
                                    + " consecutive batches in epoch " + (epoch + 1));
                        }
                        continue;
                    }
                    consecutiveSkips = 0;
                    if (opts.clipGradNorm() != null) {
                        double norm = adam.clipGradientNorm(opts.clipGradNorm());
                        norms.add(norm);
                        clipped += norm > opts.clipGradNorm() ? 1 : 0;
                    }
                    adam.step(lr);
                    nll += o.nll().getFloat();
                    kl += o.kl().getFloat();
                    mse += o.mse() != null ? o.mse().getFloat() : 0;
                    if (o.logits() != null) {
                        acc.add(o.logits().toFloatArray(), labels != null ? labels : train.gatherLabels(idx));
                    }
                    done++;
                }
                if (bar != null) {
                    bar.step();
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", (nll + kl) / done);
        m.put("nll", nll / done);
        m.put("kl", kl / done);
        if (cfg.hasDecoder()) { // a supervised encoder predicts no trajectories
            m.put("mse", mse / done);
        }
        if (cfg.hasEncoder()) { // a given graph has no inferred edges to score
            m.put("acc", acc.raw());
        }
        m.put("skipped_batches", (double) skipped);
        if (opts.clipGradNorm() != null) {
            m.put("clipped_batches", (double) clipped);
            if (!norms.isEmpty()) {
                java.util.Collections.sort(norms);
                m.put("grad_norm_median", norms.get(norms.size() / 2));
                m.put("grad_norm_max", norms.get(norms.size() - 1));
                LOG.info(String.format(java.util.Locale.ROOT, "epoch %d: gradient norm median %.3g, max %.3g; %d of %d "
                        + "batches clipped to %.3g", epoch + 1, norms.get(norms.size() / 2),
                        norms.get(norms.size() - 1), clipped, norms.size(), opts.clipGradNorm()));
            }
        }
        return m;
    }

    /**
     * The paper's validation on windows starting at {@code starts} (one per sample): inference-mode batch norm, hard
     * edge samples, one-step predictions. Returns nll, kl,
     * mse (means over batches), acc and acc_permutation (over the whole split; left out for a model on a given graph; mse left out for a supervised encoder).
     */
    public static Map<String, Double> validate(NDManager manager, NriModel model, NriDataset data, int[] starts,
            int batchSize) {
        NriConfig cfg = model.config();
        double nll = 0;
        double kl = 0;
        double mse = 0;
        int batches = 0;
        EdgeAccuracy acc = new EdgeAccuracy(cfg.edgeTypes());
        for (int from = 0; from < data.size(); from += batchSize) {
            int[] idx = range(from, Math.min(data.size(), from + batchSize));
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(data.gather(idx, java.util.Arrays.copyOfRange(starts, from, from + idx.length),
                        cfg.timesteps()),
                        new Shape(idx.length, cfg.atoms(), cfg.timesteps(), cfg.dims()));
                NriModel.Output o = model.forward(x, cfg.trainsOnLabels() ? data.gatherLabels(idx) : null, false);
                nll += o.nll().getFloat();
                kl += o.kl().getFloat();
                mse += o.mse() != null ? o.mse().getFloat() : 0;
                if (o.logits() != null) {
                    acc.add(o.logits().toFloatArray(), data.gatherLabels(idx));
                }
                batches++;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nll", nll / batches);
        m.put("kl", kl / batches);
        if (cfg.hasDecoder()) {
            m.put("mse", mse / batches);
        }
        if (cfg.hasEncoder()) {
            m.put("acc", acc.raw());
            m.put("acc_permutation", acc.permutationInvariant());
        }
        return m;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    static int[] shuffled(int n, Random rnd) {
        int[] a = range(0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Lists the files of a run directory the lead may want (for messages). */
    public static List<String> runFiles() {
        return List.of(RunInfo.FILE, LAST, BEST, METRICS, CURVES);
    }

}
