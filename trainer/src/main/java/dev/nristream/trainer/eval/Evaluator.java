package dev.nristream.trainer.eval;

import dev.nristream.model.Calibration;
import dev.nristream.model.EdgeAccuracy;
import dev.nristream.model.EdgeCalibration;
import dev.nristream.trainer.data.NriDataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The paper's test protocol on a split whose trajectories are longer than the encoder window: the encoder sees the
 * first T steps, edges are drawn as hard Gumbel-softmax samples (seeded), and the decoder rolls out from step T on
 * the unseen continuation; MSE (normalised data) for 1 .. H steps, beside the static baseline x_{t+k} = x_t.
 *
 * <pre>{@code
 * Evaluation r = new Evaluator(49, 20, 0.5, 42).evaluate(predictor, testSet, 128);
 * }</pre>
 */
public final class Evaluator {
    private final int window;
    private final int horizon;
    private final double tau;
    private final long seed;
    private final EdgeCalibration calibration;
    private final BoxWalls walls;

    /**
     * @param window encoder window T
     * @param horizon prediction steps to score
     * @param tau Gumbel-softmax temperature of the hard samples
     * @param seed seeds the Gumbel noise
     */
    public Evaluator(int window, int horizon, double tau, long seed) {
        this(window, horizon, tau, seed, EdgeCalibration.NONE, null);
    }

    private Evaluator(int window, int horizon, double tau, long seed, EdgeCalibration calibration,
            BoxWalls walls) {
        this.window = window;
        this.horizon = horizon;
        this.tau = tau;
        this.seed = seed;
        this.calibration = calibration;
        this.walls = walls;
    }

    /**
     * This protocol with the edge probabilities calibrated as the stream publishes them (the calibration error is
     * then that of the published probabilities; accuracy and MSE do not change).
     */
    public Evaluator withCalibration(EdgeCalibration c) {
        return new Evaluator(window, horizon, tau, seed, c, walls);
    }

    /**
     * This protocol with the forecast error also split by whether the true continuation comes near the scene's
     * walls ({@link Evaluation#walls}); an empty optional leaves it unsplit.
     */
    public Evaluator withWalls(java.util.Optional<BoxWalls> w) {
        return new Evaluator(window, horizon, tau, seed, calibration, w.orElse(null));
    }

    /** Calibration bins of the expected calibration error. */
    static final int CALIBRATION_BINS = 10;

    /**
     * Results; mse and staticMse have one entry per prediction step (index 0 = 1 step ahead). windowStart is the
     * step each sample's encoder window starts at; calibrationError the expected calibration error of the
     * edge probabilities as published (the encoder's softmax, through the model's calibration when
     * {@link #withCalibration} gave one), meanConfidence their mean top probability. medianMse is, per step, the
     * median over the samples of each sample's own MSE: a handful of samples with a large error (a bounce whose
     * timing the forecast missed) can move the mean by orders of magnitude, the median hardly.
     */
    public record Evaluation(double edgeAccuracy, double edgeAccuracyPermutation, int[] typeAssignment,
            double[] mse, double[] staticMse, int samples, String split, int windowStart, double calibrationError,
            double meanConfidence, String graph, WallSplit walls, double[] medianMse) {

        /**
         * Whether the edges were inferred (and scored): false for a model on a given graph ({@code --graph full} or
         * {@code true}), whose accuracies and calibration are NaN and type assignment null.
         */
        public boolean edgesInferred() {
            return typeAssignment != null;
        }

        /** Whether trajectories were forecast and scored: false for a supervised encoder (empty mse arrays). */
        public boolean forecast() {
            return mse.length > 0;
        }

        /**
         * The JSON shape of {@code ./nri evaluate --json}; for a model on a given graph {@code graph: "full"} or
         * {@code "true"} instead of the edge accuracy and calibration keys; for a supervised encoder
         * {@code graph: "supervised"} and no mse keys.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("split", split);
            m.put("samples", samples);
            m.put("window_start", windowStart);
            if (!"learned".equals(graph)) {
                m.put("graph", graph);
            }
            if (!edgesInferred()) {
                m.put("mse", list(mse));
                m.put("median_mse", list(medianMse));
                m.put("static_mse", list(staticMse));
                putWalls(m);
                return m;
            }
            m.put("edge_accuracy", edgeAccuracy);
            m.put("edge_accuracy_permutation", edgeAccuracyPermutation);
            // type_assignment[k]: the true label model type k stands for under the best relabelling
            m.put("type_assignment", typeAssignment);
            if (forecast()) {
                m.put("mse", list(mse));
                m.put("median_mse", list(medianMse));
                m.put("static_mse", list(staticMse));
                putWalls(m);
            }
            m.put("expected_calibration_error", calibrationError);
            m.put("mean_confidence", meanConfidence);
            return m;
        }

        private void putWalls(Map<String, Object> m) {
            if (walls != null) {
                m.put("walls_half_width", walls.halfWidth());
                // NaN (every sample touched a wall by that step) as null: JSON has no NaN
                m.put("mse_away_from_walls", list(walls.mseAway()).stream().map(v -> v.isNaN() ? null : v).toList());
                m.put("near_wall_fraction", list(walls.nearWallFraction()));
            }
        }

        private static List<Double> list(double[] a) {
            List<Double> l = new ArrayList<>();
            for (double v : a) {
                l.add(v);
            }
            return l;
        }
    }

    /**
     * The forecast error split by distance from the walls ({@link BoxWalls}): per step k (index k-1), the MSE
     * over the samples whose true continuation keeps every particle away from the walls up to step k, and the
     * fraction of samples that come near one (NaN MSE when every sample does).
     */
    public record WallSplit(double halfWidth, double[] mseAway, double[] nearWallFraction) {
    }

    /** The paper's protocol: windows start when the simulation starts. */
    public Evaluation evaluate(Predictor model, NriDataset data, int batchSize) {
        return evaluate(model, data, batchSize, 0);
    }

    /**
     * The protocol on windows that start {@code windowStart} steps into every sample (a scene that age in a live
     * stream); the rollout starts right after the window.
     */
    /** Steps of a sample the protocol reads from the window's start: the window, the rollout's start, the horizon. */
    public int neededSteps() {
        return window + 1 + horizon;
    }

    public Evaluation evaluate(Predictor model, NriDataset data, int batchSize, int windowStart) {
        if (windowStart < 0 || data.timesteps() < windowStart + neededSteps()) {
            throw new IllegalArgumentException("split " + data.name() + " has " + data.timesteps() + " steps; the "
                    + "test protocol needs the " + window + "-step window starting at step " + windowStart + ", the "
                    + "true state the rollout starts from and " + horizon + " steps to predict (the largest start it "
                    + "allows is " + Math.max(-1, data.timesteps() - neededSteps()) + ", the longest horizon "
                    + Math.max(0, data.timesteps() - windowStart - window - 1) + ")");
        }
        int n = data.atoms();
        int e = data.edges();
        int d = data.dims();
        SplittableRandom rnd = new SplittableRandom(seed);
        EdgeAccuracy acc = null;
        Calibration cal = null;
        // A supervised encoder forecasts nothing: its evaluation is the edges alone.
        int steps = model.hasDecoder() ? horizon : 0;
        double[] stat = new double[steps];
        boolean split = walls != null && steps > 0;
        double[] away = new double[split ? horizon : 0];
        long[] awaySamples = new long[away.length];
        double[][] perSample = new double[steps][data.size()]; // squared-error sums per step and sample
        for (int from = 0; from < data.size(); from += batchSize) {
            int b = Math.min(batchSize, data.size() - from);
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = from + i;
            }
            int[] labels = data.gatherLabels(idx);
            float[] z = model.fixedEdgeWeights(labels, b, n);
            if (z == null) {
                float[] scores = model.edgeScores(data.gather(idx, windowStart, window), b, n);
                int k = scores.length / (b * e);
                if (acc == null) {
                    acc = new EdgeAccuracy(k);
                    cal = new Calibration(k, CALIBRATION_BINS);
                }
                acc.add(scores, labels);
                cal.add(calibration.applyToScores(scores, k), labels);
                z = hardGumbel(scores, k, rnd);
            }
            if (!model.hasDecoder()) {
                continue;
            }
            // Ground truth from step T (the rollout's start) to T + horizon.
            float[] truth = data.gather(idx, windowStart + window, horizon + 1); // [B, N, H+1, D]
            float[] start = new float[b * n * d];
            for (int s = 0; s < b; s++) {
                for (int a = 0; a < n; a++) {
                    System.arraycopy(truth, ((s * n + a) * (horizon + 1)) * d, start, (s * n + a) * d, d);
                }
            }
            int frames = Math.min(model.decoderFrames(), windowStart + window + 1);
            // A recurrent decoder burns in on the true frames up to the rollout's start (step T), so its forecast
            // covers the same steps as the MLP decoder's.
            float[] pred = frames <= 1 ? model.rollout(start, z, b, n, horizon) // [B, H, N, D]
                    : model.rolloutWindow(data.gather(idx, windowStart + window + 1 - frames, frames), frames, z,
                            b, n, horizon);
            int[] nearFrom = split ? walls.firstNearWall(truth, b, n, horizon + 1, data) : null;
            for (int s = 0; s < b; s++) {
                for (int step = 0; step < horizon; step++) {
                    double err = 0;
                    for (int a = 0; a < n; a++) {
                        for (int c = 0; c < d; c++) {
                            double t = truth[((s * n + a) * (horizon + 1) + step + 1) * d + c];
                            double p = pred[((s * horizon + step) * n + a) * d + c];
                            double x0 = start[(s * n + a) * d + c];
                            err += (p - t) * (p - t);
                            stat[step] += (x0 - t) * (x0 - t);
                        }
                    }
                    perSample[step][from + s] = err;
                    if (split && nearFrom[s] > step + 1) {
                        away[step] += err;
                        awaySamples[step]++;
                    }
                }
            }
        }
        WallSplit wallSplit = null;
        if (split) {
            double[] fraction = new double[horizon];
            for (int step = 0; step < horizon; step++) {
                away[step] = awaySamples[step] == 0 ? Double.NaN : away[step] / ((double) awaySamples[step] * n * d);
                fraction[step] = 1.0 - (double) awaySamples[step] / data.size();
            }
            wallSplit = new WallSplit(walls.halfWidth(), away, fraction);
        }
        return evaluation(acc, cal, perSample, stat, data, n, d, windowStart, model.graph(), wallSplit);
    }

    /**
     * The protocol decoded one step at a time, with the graph either fixed (the encoder window's, as
     * {@link #evaluate}) or re-encoded before every forecast step from the most recent T frames: true frames
     * first, then more and more of the model's own predictions (the paper's dynamic re-evaluation, Fig. 6). The
     * decoder's burn-in uses the window's graph either way (the reference re-encodes only from the first
     * forecast step). Edge accuracy and calibration are those of the window's graph.
     *
     * @param reencode re-encode the graph before every forecast step (dynamic) or keep the window's (static)
     */
    public Evaluation evaluateStepwise(Predictor model, NriDataset data, int batchSize, int windowStart,
            boolean reencode) {
        if (windowStart < 0 || data.timesteps() < windowStart + window + horizon + 1) {
            throw new IllegalArgumentException("split " + data.name() + " has " + data.timesteps() + " steps; the "
                    + "step-by-step protocol needs the " + window + "-step window starting at step " + windowStart
                    + ", the rollout's first state and " + horizon + " steps to predict");
        }
        int n = data.atoms();
        int e = data.edges();
        int d = data.dims();
        if (!model.hasDecoder()) {
            throw new IllegalArgumentException("the model is an encoder alone (--graph supervised): it forecasts "
                    + "nothing to evaluate step by step");
        }
        int span = window + 1 + horizon; // steps windowStart .. windowStart + T + horizon
        int frames = Math.min(model.decoderFrames(), window + 1);
        SplittableRandom rnd = new SplittableRandom(seed);
        EdgeAccuracy acc = null;
        Calibration cal = null;
        double[] stat = new double[horizon];
        double[][] perSample = new double[horizon][data.size()];
        for (int from = 0; from < data.size(); from += batchSize) {
            int b = Math.min(batchSize, data.size() - from);
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = from + i;
            }
            float[] truth = data.gather(idx, windowStart, span); // [B, N, span, D]
            float[] seq = truth.clone(); // steps after T are overwritten by the predictions
            int[] labels = data.gatherLabels(idx);
            float[] z = model.fixedEdgeWeights(labels, b, n);
            if (z != null && reencode) {
                throw new IllegalArgumentException("the model's graph is given (--graph " + model.graph() + ", no "
                        + "encoder): there is no graph to re-encode (--dynamic)");
            }
            int k = 0;
            if (z == null) {
                float[] scores = model.edgeScores(slice(seq, b * n, span, d, 0, window), b, n);
                k = scores.length / (b * e);
                if (acc == null) {
                    acc = new EdgeAccuracy(k);
                    cal = new Calibration(k, CALIBRATION_BINS);
                }
                acc.add(scores, labels);
                cal.add(calibration.applyToScores(scores, k), labels);
                z = hardGumbel(scores, k, rnd);
            }
            Predictor.Stepper stepper = model.stepper(b, n);
            for (int t = window + 1 - frames; t < window; t++) {
                stepper.step(slice(seq, b * n, span, d, t, 1), z);
            }
            for (int step = 0; step < horizon; step++) {
                int t = window + step; // the state stepped from
                if (reencode) {
                    z = hardGumbel(model.edgeScores(slice(seq, b * n, span, d, t + 1 - window, window), b, n), k,
                            rnd);
                }
                float[] next = stepper.step(slice(seq, b * n, span, d, t, 1), z);
                for (int ba = 0; ba < b * n; ba++) {
                    System.arraycopy(next, ba * d, seq, (ba * span + t + 1) * d, d);
                }
            }
            for (int ba = 0; ba < b * n; ba++) {
                for (int step = 0; step < horizon; step++) {
                    for (int c = 0; c < d; c++) {
                        double tr = truth[(ba * span + window + 1 + step) * d + c];
                        double p = seq[(ba * span + window + 1 + step) * d + c];
                        double x0 = truth[(ba * span + window) * d + c];
                        perSample[step][from + ba / n] += (p - tr) * (p - tr);
                        stat[step] += (x0 - tr) * (x0 - tr);
                    }
                }
            }
        }
        return evaluation(acc, cal, perSample, stat, data, n, d, windowStart, model.graph(), null);
    }

    /** Steps [from, from + len) of a flat [rows, span, D] array, as [rows, len, D]. */
    private static float[] slice(float[] a, int rows, int span, int d, int from, int len) {
        float[] out = new float[rows * len * d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, (r * span + from) * d, out, r * len * d, len * d);
        }
        return out;
    }

    /** One-hot argmax of (scores + Gumbel noise) / tau per edge (the reference's hard test-time samples). */
    float[] hardGumbel(float[] scores, int k, SplittableRandom rnd) {
        float[] z = new float[scores.length];
        for (int e = 0; e < scores.length / k; e++) {
            int best = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double u = rnd.nextDouble();
                double g = -Math.log(1e-10 - Math.log(u + 1e-10));
                double v = (scores[e * k + c] + g) / tau;
                if (v > bestV) {
                    bestV = v;
                    best = c;
                }
            }
            z[e * k + best] = 1f;
        }
        return z;
    }

    /**
     * Squared-error sums per step and sample ({@code perSample[step][sample]}) turned into the mean and the median
     * window's error per value, the static sums into means, with the accuracy and calibration summaries (NaN and no
     * type assignment when acc is null: the model's graph was fixed, not inferred).
     */
    private static Evaluation evaluation(EdgeAccuracy acc, Calibration cal, double[][] perSample, double[] stat,
            NriDataset data, int n, int d, int windowStart, String graph, WallSplit walls) {
        double denom = (double) data.size() * n * d;
        double[] mse = new double[perSample.length];
        double[] median = new double[perSample.length];
        for (int step = 0; step < mse.length; step++) {
            for (double err : perSample[step]) {
                mse[step] += err;
            }
            mse[step] /= denom;
            stat[step] /= denom;
            median[step] = median(perSample[step]) / ((double) n * d);
        }
        if (acc == null) {
            return new Evaluation(Double.NaN, Double.NaN, null, mse, stat, data.size(), data.name(), windowStart,
                    Double.NaN, Double.NaN, graph, walls, median);
        }
        int[] assignment = acc.best().assignment();
        return new Evaluation(acc.raw(), acc.permutationInvariant(), assignment, mse, stat, data.size(), data.name(),
                windowStart, cal.expectedError(assignment), cal.meanConfidence(), graph, walls, median);
    }

    /** The median of the values (the mean of the middle two for an even count); sorts a copy. */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
