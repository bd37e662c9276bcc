package dev.nristream.trainer.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.nristream.trainer.data.NriDataset;
import dev.nristream.trainer.eval.Evaluator;
import dev.nristream.trainer.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-step forecast error of a trained LSTM baseline with {@code ./nri evaluate}'s protocol, through the same
 * {@link Evaluator}: the test split normalised with the run's training-split constants, the T-step window starting
 * {@code windowStart} steps into each sample, a burn-in on the T true frames up to the forecast's start (step T, as
 * the recurrent NRI decoder), then {@code horizon} steps from its own predictions; MSE per step over every sample,
 * object and feature of the normalised data, beside the static baseline x_{t+k} = x_t. The numbers go in one table
 * with {@code ./nri evaluate}'s {@code mse}.
 *
 * <pre>{@code
 * List<LstmEvaluation.Result> r = LstmEvaluation.run(Path.of("runs/lstm"), null, null, "test", 20, "best", 128,
 *         new int[] {0});
 * }</pre>
 */
public final class LstmEvaluation {
    private LstmEvaluation() {}

    /** Results of one window start; {@code mse[k]} and {@code staticMse[k]} are k + 1 steps ahead. */
    public record Result(String run, String checkpoint, int epoch, String split, int samples, int windowStart,
            int burnInFrames, double[] mse, double[] staticMse) {

        /** The JSON shape of {@code ./nri baseline lstm --evaluate --json} (keys as {@code ./nri evaluate}'s). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", "lstm");
            m.put("run", run);
            m.put("checkpoint", checkpoint);
            m.put("epoch", epoch);
            m.put("split", split);
            m.put("samples", samples);
            m.put("window_start", windowStart);
            m.put("burn_in_frames", burnInFrames);
            m.put("mse", list(mse));
            m.put("static_mse", list(staticMse));
            return m;
        }

        private static List<Double> list(double[] a) {
            List<Double> l = new ArrayList<>(a.length);
            for (double v : a) {
                l.add(v);
            }
            return l;
        }
    }

    /**
     * Evaluates a run at each window start.
     *
     * @param run the run directory ({@code run.json} of kind {@value LstmRunInfo#KIND} and a checkpoint)
     * @param data dataset directory, null for the run's own
     * @param suffix dataset suffix, null for the run's own
     * @param checkpoint {@code best} or {@code last}
     * @throws IllegalArgumentException for a missing run, checkpoint or split, or samples too short for the
     *     window and horizon
     */
    public static List<Result> run(Path run, Path data, String suffix, String split, int horizon, String checkpoint,
            int batchSize, int[] windowStarts) throws IOException {
        if (horizon < 1) {
            throw new IllegalArgumentException("--horizon must be >= 1, got " + horizon);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (!checkpoint.equals("best") && !checkpoint.equals("last")) {
            throw new IllegalArgumentException("--checkpoint must be best or last, got " + checkpoint);
        }
        LstmRunInfo info = LstmRunInfo.read(run);
        Path ck = run.resolve(checkpoint.equals("last") ? LstmTrainer.LAST : LstmTrainer.BEST);
        if (!Files.isRegularFile(ck)) {
            throw new IllegalArgumentException("run " + run + " has no " + ck.getFileName()
                    + " (no epoch finished yet?)");
        }
        LstmConfig cfg = info.model();
        NriDataset test = NriDataset.load(data != null ? data : Path.of(info.dataDir()), split,
                suffix != null ? suffix : info.suffix(), info.normalisation());
        if (test.atoms() != cfg.atoms() || test.dims() != cfg.dims()) {
            throw new IllegalArgumentException("split " + test.name() + " has N=" + test.atoms() + " atoms and D="
                    + test.dims() + " features, but the run was trained on N=" + cfg.atoms() + ", D=" + cfg.dims());
        }
        int window = cfg.timesteps();
        for (int start : windowStarts) {
            // The window, the forecast's first state (step T) and the horizon's steps after it.
            int needed = start + window + 1 + horizon;
            if (start < 0 || test.timesteps() < needed) {
                throw new IllegalArgumentException("split " + test.name() + " has samples of " + test.timesteps()
                        + " steps; a " + window + "-step window starting at step " + start + ", the forecast's first "
                        + "state and " + horizon + " steps to predict need " + needed + " (the longest horizon here "
                        + "is " + (test.timesteps() - start - window - 1) + ")");
            }
        }
        Engine engine = Engine.getEngine("PyTorch");
        List<Result> out = new ArrayList<>();
        try (NDManager manager = engine.newBaseManager();
                LstmBaseline model = new LstmBaseline(manager, cfg, info.seed())) {
            Map<String, Object> header = LstmTrainer.restore(Checkpoint.read(ck), model, null);
            int epoch = ((Number) header.get("epoch")).intValue();
            try (LstmPredictor p = new LstmPredictor(model)) {
                Evaluator ev = new Evaluator(window, horizon, 0.5, 42);
                for (int start : windowStarts) {
                    Evaluator.Evaluation e = ev.evaluate(p, test, batchSize, start);
                    int frames = Math.min(p.decoderFrames(), start + window + 1);
                    out.add(new Result(run.toString(), checkpoint, epoch, e.split(), e.samples(), e.windowStart(),
                            frames, e.mse(), e.staticMse()));
                }
            }
        }
        return out;
    }
}
