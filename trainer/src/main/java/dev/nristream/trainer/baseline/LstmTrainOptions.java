package dev.nristream.trainer.baseline;

import dev.nristream.trainer.data.WindowSampling;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of an LSTM baseline run; the defaults are the reference's ({@code lstm_baseline.py}): batch 128, Adam
 * 5e-4 halved every 200 epochs, 500 epochs, seed 42.
 *
 * @param dataDir directory of {@code loc_/vel_/edges_{train,valid}<suffix>.npy}
 * @param outDir the run directory
 * @param windows where training windows start in each sample (as {@code ./nri train --windows})
 * @param command the command line that started the run (provenance)
 * @param progress show a progress bar per epoch
 */
public record LstmTrainOptions(Path dataDir, String suffix, Path outDir, LstmConfig model, int epochs, int batchSize,
        double learningRate, int lrDecay, double gamma, long seed, WindowSampling windows, String command,
        boolean progress) {

    public LstmTrainOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(model, "model");
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (lrDecay < 1 || !(gamma > 0)) {
            throw new IllegalArgumentException("--lr-decay must be >= 1 epochs and --gamma > 0, got " + lrDecay
                    + " and " + gamma);
        }
        windows = windows == null ? WindowSampling.LIVE : windows;
        command = command == null ? "" : command;
    }

    /** The reference's settings for a dataset and a network. */
    public static LstmTrainOptions defaults(Path dataDir, String suffix, Path outDir, LstmConfig model) {
        return new LstmTrainOptions(dataDir, suffix, outDir, model, 500, 128, 5e-4, 200, 0.5, 42,
                WindowSampling.LIVE, "", true);
    }

    /** The options of a run being resumed: its own, with another total of epochs. */
    public static LstmTrainOptions fromRun(LstmRunInfo run, Path outDir, int epochs, boolean progress) {
        return new LstmTrainOptions(Path.of(run.dataDir()), run.suffix(), outDir, run.model(), epochs,
                run.batchSize(), run.learningRate(), run.lrDecay(), run.gamma(), run.seed(), run.windowSampling(),
                run.command(), progress);
    }

    /** Adam's rate in epoch {@code epoch} (0-based): PyTorch's StepLR, times gamma every lrDecay epochs. */
    public double learningRate(int epoch) {
        return learningRate * Math.pow(gamma, epoch / lrDecay);
    }

    public LstmTrainOptions withEpochs(int e) {
        return new LstmTrainOptions(dataDir, suffix, outDir, model, e, batchSize, learningRate, lrDecay, gamma, seed,
                windows, command, progress);
    }
}
