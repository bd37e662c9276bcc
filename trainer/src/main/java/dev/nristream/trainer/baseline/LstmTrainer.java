package dev.nristream.trainer.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.train.Adam;
import dev.nristream.trainer.train.Checkpoint;
import dev.nristream.trainer.train.MetricsLog;
import dev.nristream.trainer.train.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the LSTM (joint) baseline on the same datasets, windows and normalisation as NRI ({@link NriDataset},
 * {@link dev.nristream.trainer.data.WindowSampling}): Adam on the Gaussian NLL of a rollout with a burn-in on
 * T - M true states; validation every epoch on one-step predictions (every input true, as the reference and the NRI
 * trainer validate), the best checkpoint by validation NLL, a resumable checkpoint every epoch.
 *
 * <pre>{@code
 * LstmTrainOptions o = LstmTrainOptions.defaults(data, "_mocap35", Path.of("runs/lstm"), LstmConfig.defaults(31, 6, 50));
 * new LstmTrainer(o).run(false);               // or run(true) to continue from runs/lstm/last.ckpt
 * }</pre>
 *
 * <p>Run directory: {@code run.json} ({@link LstmRunInfo}), {@code last.ckpt} (parameters, Adam moments and step
 * count), {@code best.ckpt} (parameters of the epoch with the lowest validation NLL), {@code metrics.jsonl} (keys:
 * epoch, lr, train_nll, train_mse, train_skipped_batches, val_nll, val_mse, val_rollout_mse, seconds,
 * train_seconds, best) and {@code curves.png}. Batches and window starts are drawn from per-epoch seeds, so a
 * resumed run continues exactly as an uninterrupted one.
 */
public final class LstmTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(LstmTrainer.class);
    public static final String LAST = "last.ckpt";
    public static final String BEST = "best.ckpt";
    public static final String METRICS = "metrics.jsonl";
    public static final String CURVES = "curves.png";
    static final String ADAM_PREFIX = "adam.";
    static final int MAX_CONSECUTIVE_SKIPS = 10;
    static final int VALID_BATCH = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LstmTrainOptions opts;

    public LstmTrainer(LstmTrainOptions opts) {
        this.opts = opts;
    }

    /** A finished (or resumed and finished) run. */
    public record Summary(int epochs, int bestEpoch, double bestValNll, Map<String, Object> lastMetrics) {}

    /**
     * Trains until {@link LstmTrainOptions#epochs()} epochs are done.
     *
     * @param resume continue from {@code last.ckpt} in the run directory (which must exist)
     */
    public Summary run(boolean resume) throws IOException {
        Path out = opts.outDir();
        Path lastFile = out.resolve(LAST);
        if (!resume && Files.exists(lastFile)) {
            throw new IllegalArgumentException(out + " already holds a run (" + LAST + "); pass --resume to continue"
                    + " it or choose another --out");
        }
        if (resume && !Files.exists(lastFile)) {
            throw new IllegalArgumentException("nothing to resume: no " + LAST + " in " + out);
        }
        LstmConfig cfg = opts.model();
        NriDataset train = NriDataset.load(opts.dataDir(), "train", opts.suffix(), null);
        NriDataset valid = NriDataset.load(opts.dataDir(), "valid", opts.suffix(), train.normalisation());
        checkShape(train, cfg);
        checkShape(valid, cfg);
        Files.createDirectories(out);
        LOG.info("data {}: train {} x [N={}, T={}], valid {}; {}-step windows, {} sampling", opts.dataDir(),
                train.size(), train.atoms(), train.timesteps(), valid.size(), cfg.timesteps(), opts.windows().flag());
        int[] validStarts = opts.windows().validationStarts(valid.size(), valid.timesteps(), cfg.timesteps());

        LstmRunInfo info;
        if (resume) {
            LstmRunInfo saved = LstmRunInfo.read(out);
            if (!saved.model().equals(cfg)) {
                throw new IllegalArgumentException("the model flags differ from the run being resumed: run.json has "
                        + saved.model() + ", flags give " + cfg);
            }
            info = saved.withEpochs(opts.epochs());
        } else {
            info = new LstmRunInfo(LstmRunInfo.KIND, opts.command(), opts.seed(),
                    opts.dataDir().toAbsolutePath().toString(), opts.suffix(),
                    NriDataset.hash(opts.dataDir(), "train", opts.suffix()), train.size(), valid.size(),
                    opts.epochs(), opts.batchSize(), opts.learningRate(), opts.lrDecay(), opts.gamma(),
                    opts.windows(), cfg, train.normalisation(), Provenance.gitRevision(Path.of(".")),
                    Instant.now().toString());
        }
        info.write(out);

        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager();
                LstmBaseline model = new LstmBaseline(manager, cfg, opts.seed());
                Adam adam = new Adam(manager, model.store().params())) {
            int start = 0;
            double bestVal = Double.POSITIVE_INFINITY;
            int bestEpoch = -1;
            if (resume) {
                Map<String, Object> h = restore(Checkpoint.read(lastFile), model, adam);
                start = ((Number) h.get("epoch")).intValue();
                bestVal = ((Number) h.get("best_val_nll")).doubleValue();
                bestEpoch = ((Number) h.get("best_epoch")).intValue();
                truncateMetrics(out.resolve(METRICS), start);
                LOG.info("resuming {} after epoch {} (best val nll {} at epoch {})", out, start, bestVal, bestEpoch);
            }
            LOG.info("LSTM baseline: {} parameters (H {}, {} layers, joint input {} = {} atoms x {}), {} threads",
                    model.parameterCount(), cfg.hidden(), cfg.layers(), cfg.width(), cfg.atoms(), cfg.dims(),
                    ai.djl.pytorch.jni.JniUtils.getNumThreads());
            Map<String, Object> last = Map.of();
            double epochSeconds = 0;
            int epochsThisProcess = 0;
            for (int epoch = start; epoch < opts.epochs(); epoch++) {
                long t0 = System.nanoTime();
                double lr = opts.learningRate(epoch);
                Map<String, Double> tr = trainEpoch(manager, model, adam, train, epoch, lr);
                long t1 = System.nanoTime();
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
                double secs = (System.nanoTime() - t0) / 1e9;
                m.put("seconds", secs);
                m.put("train_seconds", (t1 - t0) / 1e9);
                m.put("best", best);
                Map<String, Object> header = new LinkedHashMap<>();
                header.put("kind", LstmRunInfo.KIND);
                header.put("epoch", epoch + 1);
                header.put("best_val_nll", bestVal);
                header.put("best_epoch", bestEpoch);
                header.put("adam_steps", adam.steps());
                capture(header, model, adam).write(lastFile);
                if (best) {
                    capture(header, model, null).write(out.resolve(BEST));
                }
                MetricsLog.append(out.resolve(METRICS), m);
                last = m;
                epochSeconds += secs;
                epochsThisProcess++;
                double eta = epochSeconds / epochsThisProcess * (opts.epochs() - epoch - 1);
                LOG.info(String.format(Locale.ROOT,
                        "epoch %d/%d  train nll %.4g mse %.3g | val mse %.3g (1 step), %.3g (last %d of %d steps "
                                + "predicted)%s | %.1f s, run ETA %s",
                        epoch + 1, opts.epochs(), tr.get("nll"), tr.get("mse"), va.get("mse"),
                        va.get("rollout_mse"), cfg.predictionSteps(), cfg.timesteps(), best ? " *" : "", secs,
                        Duration.ofSeconds((long) eta)));
                try {
                    LstmCurves.write(MetricsLog.read(out.resolve(METRICS)), out.resolve(CURVES));
                } catch (RuntimeException ex) {
                    LOG.warn("could not draw {}: {}", CURVES, ex.toString());
                }
            }
            return new Summary(opts.epochs(), bestEpoch, bestVal, last);
        }
    }

    /** Refuses a split whose atoms, features or length do not fit the flags, naming what differs. */
    static void checkShape(NriDataset d, LstmConfig cfg) {
        if (d.atoms() != cfg.atoms()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has N=" + d.atoms() + " atoms, but --atoms is "
                    + cfg.atoms());
        }
        if (d.dims() != cfg.dims()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has "
                    + (d.hasPositions() ? d.spatialDims() + "D positions, " : "") + d.dims() + " features "
                    + d.featureLayout() + ", but --dims is " + cfg.dims());
        }
        if (d.timesteps() < cfg.timesteps()) {
            throw new IllegalArgumentException("dataset " + d.name() + " has samples of T=" + d.timesteps()
                    + " steps, shorter than --timesteps " + cfg.timesteps() + " (windows are cut from the samples)");
        }
    }

    private Map<String, Double> trainEpoch(NDManager manager, LstmBaseline model, Adam adam, NriDataset train,
            int epoch, double lr) {
        LstmConfig cfg = model.config();
        Engine engine = Engine.getEngine("PyTorch");
        // Per-epoch seeds: a resumed run draws the same batches and windows as an uninterrupted one.
        int[] order = shuffled(train.size(), new Random(opts.seed() * 7919 + epoch));
        Random windowRnd = new Random(opts.seed() * 104_729 + epoch);
        int batches = (order.length + opts.batchSize() - 1) / opts.batchSize();
        double nll = 0;
        double mse = 0;
        int skipped = 0;
        int consecutiveSkips = 0;
        int done = 0;
        ProgressBar bar = opts.progress()
                ? new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1)).setInitialMax(batches)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(5000).build()
                : null;
        try {
            for (int b = 0; b < batches; b++) {
                int from = b * opts.batchSize();
                int[] idx = Arrays.copyOfRange(order, from, Math.min(order.length, from + opts.batchSize()));
                try (NDManager scope = manager.newSubManager()) {
                    int[] starts = opts.windows().starts(idx.length, train.timesteps(), cfg.timesteps(), windowRnd);
                    NDArray x = scope.create(train.gather(idx, starts, cfg.timesteps()),
                            new Shape(idx.length, cfg.atoms(), cfg.timesteps(), cfg.dims()));
                    NDList loss;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        loss = model.loss(x, cfg.predictionSteps());
                        gc.backward(loss.get(0));
                    }
                    float l = loss.get(0).getFloat();
                    if (!Float.isFinite(l) || !adam.gradientsFinite()) {
                        adam.zeroGradients();
                        skipped++;
                        consecutiveSkips++;
                        LOG.warn("epoch {} batch {}: loss {} or a gradient is not finite; update skipped (samples {})",
                                epoch + 1, b, l, Arrays.toString(idx));
                        if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
                            throw new IllegalStateException("loss not finite for " + consecutiveSkips
                                    + " consecutive batches in epoch " + (epoch + 1));
                        }
                        continue;
                    }
                    consecutiveSkips = 0;
                    adam.step(lr);
                    nll += l;
                    mse += loss.get(1).getFloat();
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
        m.put("nll", done == 0 ? Double.NaN : nll / done);
        m.put("mse", done == 0 ? Double.NaN : mse / done);
        m.put("skipped_batches", (double) skipped);
        return m;
    }

    /**
     * Validation on windows starting at {@code starts} (one per sample): nll and mse of one-step predictions (every
     * input true), and rollout_mse with the training burn-in (the last M - 1 inputs its own predictions); means over
     * batches.
     */
    public static Map<String, Double> validate(NDManager manager, LstmBaseline model, NriDataset data, int[] starts,
            int batchSize) {
        LstmConfig cfg = model.config();
        double nll = 0;
        double mse = 0;
        double rollout = 0;
        int batches = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(data.size(), from + batchSize);
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(data.gather(idx, Arrays.copyOfRange(starts, from, to), cfg.timesteps()),
                        new Shape(idx.length, cfg.atoms(), cfg.timesteps(), cfg.dims()));
                NDList one = model.loss(x, 1);
                nll += one.get(0).getFloat();
                mse += one.get(1).getFloat();
                rollout += model.loss(x, cfg.predictionSteps()).get(1).getFloat();
                batches++;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("nll", nll / batches);
        m.put("mse", mse / batches);
        m.put("rollout_mse", rollout / batches);
        return m;
    }

    /** Parameters and (when given) Adam's moments, with the header. */
    static Checkpoint capture(Map<String, Object> header, LstmBaseline model, Adam adam) {
        Map<String, NDArray> all = new LinkedHashMap<>(model.store().params());
        if (adam != null) {
            adam.state().forEach((k, v) -> all.put(ADAM_PREFIX + k, v));
        }
        try {
            return new Checkpoint(JSON.writeValueAsString(header), Checkpoint.snapshot(all));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Loads a checkpoint's parameters into the model and, when given, Adam's state.
     *
     * @return the checkpoint's header
     * @throws IllegalArgumentException when a tensor is missing or has another shape (another network's checkpoint)
     */
    public static Map<String, Object> restore(Checkpoint ck, LstmBaseline model, Adam adam) {
        for (String name : model.store().params().keySet()) {
            Checkpoint.Tensor t = ck.tensors().get(name);
            if (t == null) {
                throw new IllegalArgumentException("checkpoint lacks tensor " + name
                        + " (is it an LSTM baseline checkpoint, written with these flags?)");
            }
            model.store().assign(name, t.data(), new Shape(t.shape()));
        }
        Map<String, Object> header;
        try {
            header = JSON.readValue(ck.headerJson(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException ex) {
            throw new IllegalArgumentException("checkpoint header is not JSON", ex);
        }
        if (adam != null) {
            Map<String, float[]> state = new HashMap<>();
            ck.tensors().forEach((k, v) -> {
                if (k.startsWith(ADAM_PREFIX)) {
                    state.put(k.substring(ADAM_PREFIX.length()), v.data());
                }
            });
            adam.restore(((Number) header.get("adam_steps")).longValue(), state);
        }
        return header;
    }

    /** Drops metrics lines of epochs after {@code epochs} (a resumed run repeats them). */
    static void truncateMetrics(Path file, int epochs) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (Map<String, Object> m : MetricsLog.read(file)) {
            if (((Number) m.get("epoch")).intValue() <= epochs) {
                keep.add(JSON.writeValueAsString(m));
            }
        }
        Files.write(file, keep, StandardCharsets.UTF_8);
    }

    static int[] shuffled(int n, Random rnd) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
