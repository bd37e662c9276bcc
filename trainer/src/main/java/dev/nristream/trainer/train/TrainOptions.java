package dev.nristream.trainer.train;

import dev.nristream.trainer.data.WindowSampling;
import dev.nristream.trainer.model.NriConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a training run needs besides the model architecture; defaults are the paper's.
 *
 * @param dataDir directory holding loc_/vel_/edges_{train,valid}{suffix}.npy
 * @param suffix dataset suffix, e.g. "_springs5"
 * @param outDir run directory (checkpoints, metrics.jsonl, curves.png, run.json)
 * @param model architecture and loss settings
 * @param epochs total epochs (a resumed run continues to this count)
 * @param batchSize samples per batch
 * @param learningRate initial Adam learning rate
 * @param lrDecay epochs between learning-rate decays (PyTorch's StepLR), unless milestones are given
 * @param gamma learning-rate decay factor
 * @param lrMilestones epochs (0-based) at which the rate is multiplied by gamma (PyTorch's MultiStepLR); empty for
 *     a decay every lrDecay epochs
 * @param seed seeds initial weights, batch order and the engine's random generator (per epoch)
 * @param command the command line that started the run (provenance)
 * @param progress show a progress bar per epoch
 * @param windows where training windows start in each sample (live: anywhere, fresh every epoch; paper: at 0)
 * @param windowsRamp live windows only: epochs over which the latest window start grows from the sample's start
 *     to its end (a curriculum: young scenes first, every age from this epoch on); 0 for every age from the start
 * @param clipGradNorm when set, each batch's gradients are scaled down to this global L2 norm when larger (a rare
 *     outlier batch then moves the weights no further than an ordinary one); null: no clipping (the paper's)
 */
public record TrainOptions(
        Path dataDir,
        String suffix,
        Path outDir,
        NriConfig model,
        int epochs,
        int batchSize,
        double learningRate,
        int lrDecay,
        double gamma,
        List<Integer> lrMilestones,
        long seed,
        String command,
        boolean progress,
        WindowSampling windows,
        int windowsRamp,
        Double clipGradNorm) {

    public static final int DEFAULT_EPOCHS = 500;
    public static final int DEFAULT_BATCH = 128;
    public static final double DEFAULT_LR = 5e-4;
    public static final int DEFAULT_LR_DECAY = 200;
    public static final double DEFAULT_GAMMA = 0.5;
    public static final long DEFAULT_SEED = 42;

    public TrainOptions {
        Objects.requireNonNull(dataDir, "data directory");
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(outDir, "output directory");
        Objects.requireNonNull(model, "model config");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be >= 2 (batch norm), got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (lrDecay < 1 || !(gamma > 0)) {
            throw new IllegalArgumentException("lr decay must be >= 1 epochs and gamma > 0");
        }
        lrMilestones = lrMilestones == null ? List.of() : List.copyOf(lrMilestones);
        windows = windows == null ? WindowSampling.LIVE : windows;
        if (clipGradNorm != null && !(clipGradNorm > 0)) {
            throw new IllegalArgumentException("the gradient clipping norm must be > 0, got " + clipGradNorm);
        }
        if (windowsRamp < 0 || (windowsRamp > 0 && windows != WindowSampling.LIVE)) {
            throw new IllegalArgumentException("the windows ramp must be >= 0 epochs and needs live windows, got "
                    + windowsRamp + " with " + windows.flag() + " windows");
        }
        for (int i = 0; i < lrMilestones.size(); i++) {
            if (lrMilestones.get(i) < 1 || (i > 0 && lrMilestones.get(i) <= lrMilestones.get(i - 1))) {
                throw new IllegalArgumentException("lr milestones must be increasing epochs >= 1, got " + lrMilestones);
            }
        }
    }

    /** Options without gradient clipping. */
    public TrainOptions(Path dataDir, String suffix, Path outDir, NriConfig model, int epochs, int batchSize,
            double learningRate, int lrDecay, double gamma, List<Integer> lrMilestones, long seed, String command,
            boolean progress, WindowSampling windows, int windowsRamp) {
        this(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma, lrMilestones, seed,
                command, progress, windows, windowsRamp, null);
    }

    /** Options without a windows ramp. */
    public TrainOptions(Path dataDir, String suffix, Path outDir, NriConfig model, int epochs, int batchSize,
            double learningRate, int lrDecay, double gamma, List<Integer> lrMilestones, long seed, String command,
            boolean progress, WindowSampling windows) {
        this(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma, lrMilestones, seed,
                command, progress, windows, 0);
    }

    /**
     * How far into each sample (0-based) epoch e's training windows may start, as a fraction of the possible
     * starts: 1 without a ramp, else (e + 1) / ramp until it reaches 1.
     */
    public double windowReach(int epoch) {
        return windowsRamp == 0 ? 1.0 : Math.min(1.0, (epoch + 1) / (double) windowsRamp);
    }

    /**
     * The learning rate in (0-based) epoch e: times gamma at each milestone reached (PyTorch's MultiStepLR) or,
     * without milestones, every lrDecay epochs (StepLR).
     */
    public double learningRate(int epoch) {
        if (!lrMilestones.isEmpty()) {
            return learningRate * Math.pow(gamma, lrMilestones.stream().filter(m -> m <= epoch).count());
        }
        return learningRate * Math.pow(gamma, epoch / lrDecay);
    }

    /** Options with the paper's defaults for everything but the paths. */
    public static TrainOptions defaults(Path dataDir, String suffix, Path outDir) {
        return new TrainOptions(dataDir, suffix, outDir, NriConfig.builder().build(), DEFAULT_EPOCHS, DEFAULT_BATCH,
                DEFAULT_LR, DEFAULT_LR_DECAY, DEFAULT_GAMMA, List.of(), DEFAULT_SEED, "", true, WindowSampling.LIVE);
    }

    /**
     * The options a run was started with (from its run.json), to continue it: only the epoch count and the
     * progress display may change on resume.
     */
    public static TrainOptions fromRun(RunInfo info, Path outDir, int epochs, boolean progress) {
        return new TrainOptions(Path.of(info.dataDir()), info.suffix(), outDir, info.model(), epochs,
                info.batchSize(), info.learningRate(), info.lrDecay(), info.gamma(), info.lrMilestones(), info.seed(),
                info.command(),
                progress, info.windowSampling(), info.windowsRamp(), info.clipGradNorm());
    }

    public TrainOptions withModel(NriConfig m) {
        return new TrainOptions(dataDir, suffix, outDir, m, epochs, batchSize, learningRate, lrDecay, gamma,
                lrMilestones, seed, command, progress, windows, windowsRamp, clipGradNorm);
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(dataDir, suffix, outDir, model, e, batchSize, learningRate, lrDecay, gamma,
                lrMilestones, seed, command, progress, windows, windowsRamp, clipGradNorm);
    }

    public TrainOptions withBatchSize(int b) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, b, learningRate, lrDecay, gamma,
                lrMilestones, seed, command, progress, windows, windowsRamp, clipGradNorm);
    }

    public TrainOptions withLearningRate(double lr, int decay, double g) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, lr, decay, g, lrMilestones, seed,
                command, progress, windows, windowsRamp, clipGradNorm);
    }

    public TrainOptions withMilestones(List<Integer> milestones) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma,
                milestones, seed, command, progress, windows, windowsRamp, clipGradNorm);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma,
                lrMilestones, s, command, progress, windows, windowsRamp, clipGradNorm);
    }

    public TrainOptions withWindowsRamp(int ramp) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma,
                lrMilestones, seed, command, progress, windows, ramp, clipGradNorm);
    }

    public TrainOptions withClipGradNorm(Double norm) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma,
                lrMilestones, seed, command, progress, windows, windowsRamp, norm);
    }

    public TrainOptions withCommand(String c, boolean showProgress) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma,
                lrMilestones, seed, c, showProgress, windows, windowsRamp, clipGradNorm);
    }
}
