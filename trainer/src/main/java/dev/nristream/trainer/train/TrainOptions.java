package dev.nristream.trainer.train;

import dev.nristream.trainer.model.NriConfig;
import java.nio.file.Path;
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
 * @param lrDecay epochs between learning-rate decays
 * @param gamma learning-rate decay factor
 * @param seed seeds initial weights, batch order and the engine's random generator (per epoch)
 * @param command the command line that started the run (provenance)
 * @param progress show a progress bar per epoch
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
        long seed,
        String command,
        boolean progress) {

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
    }

    /** The learning rate in (0-based) epoch e: halved (gamma) every lrDecay epochs, as PyTorch's StepLR. */
    public double learningRate(int epoch) {
        return learningRate * Math.pow(gamma, epoch / lrDecay);
    }

    /** Options with the paper's defaults for everything but the paths. */
    public static TrainOptions defaults(Path dataDir, String suffix, Path outDir) {
        return new TrainOptions(dataDir, suffix, outDir, NriConfig.builder().build(), DEFAULT_EPOCHS, DEFAULT_BATCH,
                DEFAULT_LR, DEFAULT_LR_DECAY, DEFAULT_GAMMA, DEFAULT_SEED, "", true);
    }

    /**
     * The options a run was started with (from its run.json), to continue it: only the epoch count and the
     * progress display may change on resume.
     */
    public static TrainOptions fromRun(RunInfo info, Path outDir, int epochs, boolean progress) {
        return new TrainOptions(Path.of(info.dataDir()), info.suffix(), outDir, info.model(), epochs,
                info.batchSize(), info.learningRate(), info.lrDecay(), info.gamma(), info.seed(), info.command(),
                progress);
    }

    public TrainOptions withModel(NriConfig m) {
        return new TrainOptions(dataDir, suffix, outDir, m, epochs, batchSize, learningRate, lrDecay, gamma, seed,
                command, progress);
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(dataDir, suffix, outDir, model, e, batchSize, learningRate, lrDecay, gamma, seed,
                command, progress);
    }

    public TrainOptions withBatchSize(int b) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, b, learningRate, lrDecay, gamma, seed,
                command, progress);
    }

    public TrainOptions withLearningRate(double lr, int decay, double g) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, lr, decay, g, seed, command,
                progress);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma, s,
                command, progress);
    }

    public TrainOptions withCommand(String c, boolean showProgress) {
        return new TrainOptions(dataDir, suffix, outDir, model, epochs, batchSize, learningRate, lrDecay, gamma, seed,
                c, showProgress);
    }
}
