package dev.nristream.job.window;

import dev.nristream.model.FiniteDifferences;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.Normaliser;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the encoder's input from a {@link ResampledWindow}: selects the nodes, fills short gaps, derives
 * velocities when the feed has none, and normalises with the model's constants.
 *
 * <ul>
 *   <li>Nodes: agents missing in at most {@code maxMissingFraction} of the T frames and in at most
 *       {@code maxTrailingMissing} of the last frames; others are left out and listed in
 *       {@link WindowFeatures#excluded()}.
 *   <li>Gaps: linear interpolation between the nearest present frames; the nearest value at the window's edges.
 *   <li>Velocities: the feed's, when it gave them wherever the agent was present; otherwise central finite
 *       differences of the positions (one-sided at the ends), per second.
 * </ul>
 *
 * <pre>{@code
 * FeatureBuilder fb = new FeatureBuilder(spec, windowSpec);
 * WindowFeatures wf = fb.build(resampled);
 * float[] probs = model.encode(wf.features(), 1, wf.nodes());
 * float[] ahead = model.rolloutWindow(wf.features(), wf.window().length(), probs, 1, wf.nodes(), 10);
 * double[][][] xy = fb.forecastPositions(ahead, 0, 10, wf.nodes());
 * }</pre>
 */
public final class FeatureBuilder {

    private final ModelSpec spec;
    private final WindowSpec windowSpec;
    private final Normaliser norm;
    private final int dims;
    private final int d;
    private final boolean velocities;

    public FeatureBuilder(ModelSpec spec, WindowSpec windowSpec) {
        this.spec = spec;
        this.windowSpec = windowSpec;
        this.norm = spec.normalisation();
        this.dims = spec.spatialDims();
        this.d = spec.features();
        this.velocities = spec.hasVelocities();
        if (windowSpec.windowLength() != spec.windowLength()) {
            throw new IllegalArgumentException("window length " + windowSpec.windowLength()
                    + " differs from the model's window_length " + spec.windowLength());
        }
    }

    public Normaliser normaliser() {
        return norm;
    }

    /** Builds the features of one window. */
    public WindowFeatures build(ResampledWindow w) {
        if (w.dims() != dims) {
            throw new IllegalArgumentException(spec.feedMismatch(w.dims(), "the window"));
        }
        int t = w.length();
        int maxMissing = (int) Math.floor(windowSpec.maxMissingFraction() * t);
        List<String> ids = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        List<double[]> pos = new ArrayList<>();
        List<double[]> vel = new ArrayList<>();
        int interpolated = 0;
        int finiteDiff = 0;
        double dtSeconds = windowSpec.periodMs() / 1000.0;
        for (int a = 0; a < w.agentIds().size(); a++) {
            double[] p = w.positions().get(a);
            int missing = 0;
            int trailing = 0;
            for (int s = 0; s < t; s++) {
                boolean absent = Double.isNaN(p[s * dims]);
                if (absent) {
                    missing++;
                    trailing++;
                } else {
                    trailing = 0;
                }
            }
            if (missing > maxMissing || trailing > windowSpec.maxTrailingMissing() || missing == t) {
                excluded.add(w.agentIds().get(a));
                continue;
            }
            double[] pp = p.clone();
            double[] vv = w.velocities().get(a).clone();
            boolean[] present = new boolean[t];
            boolean velocityKnown = true;
            for (int s = 0; s < t; s++) {
                present[s] = !Double.isNaN(p[s * dims]);
                if (present[s] && Double.isNaN(vv[s * dims])) {
                    velocityKnown = false;
                }
            }
            interpolated += missing;
            fillGaps(pp, present, t, dims);
            if (velocities) {
                if (velocityKnown) {
                    fillGaps(vv, present, t, dims);
                } else {
                    FiniteDifferences.central(pp, vv, t, dims, dtSeconds);
                    finiteDiff++;
                }
            }
            ids.add(w.agentIds().get(a));
            pos.add(pp);
            vel.add(vv);
        }
        int n = ids.size();
        float[] x = new float[n * t * d];
        double[] lastPos = new double[n * dims];
        for (int i = 0; i < n; i++) {
            double[] pp = pos.get(i);
            double[] vv = vel.get(i);
            for (int s = 0; s < t; s++) {
                int base = (i * t + s) * d;
                for (int k = 0; k < dims; k++) {
                    x[base + k] = (float) norm.loc(pp[s * dims + k]);
                    if (velocities) {
                        x[base + dims + k] = (float) norm.vel(vv[s * dims + k]);
                    }
                }
            }
            System.arraycopy(pp, (t - 1) * dims, lastPos, i * dims, dims);
        }
        return new WindowFeatures(List.copyOf(ids), x, lastPos, List.copyOf(excluded), interpolated, finiteDiff, w);
    }

    // Linear interpolation between the nearest present steps; the nearest present value before the first and
    // after the last.
    static void fillGaps(double[] series, boolean[] present, int t, int dims) {
        int prev = -1;
        for (int s = 0; s < t; s++) {
            if (present[s]) {
                if (prev < s - 1) {
                    for (int g = prev + 1; g < s; g++) {
                        for (int k = 0; k < dims; k++) {
                            double v1 = series[s * dims + k];
                            series[g * dims + k] = prev < 0 ? v1
                                    : series[prev * dims + k] + (v1 - series[prev * dims + k]) * (g - prev) / (double) (s - prev);
                        }
                    }
                }
                prev = s;
            }
        }
        for (int g = prev + 1; g < t && prev >= 0; g++) {
            System.arraycopy(series, prev * dims, series, g * dims, dims);
        }
    }

    /**
     * Positions of a rollout in feed units.
     *
     * @param rollout the decoder's output for a batch, flat [B, H, N, D]
     * @param batchIndex which window of the batch
     * @param horizon H
     * @param atoms N
     * @return [N][H][dims]
     */
    public double[][][] forecastPositions(float[] rollout, int batchIndex, int horizon, int atoms) {
        double[][][] out = new double[atoms][horizon][dims];
        int base = batchIndex * horizon * atoms * d;
        for (int h = 0; h < horizon; h++) {
            for (int i = 0; i < atoms; i++) {
                for (int k = 0; k < dims; k++) {
                    out[i][h][k] = norm.unLoc(rollout[base + (h * atoms + i) * d + k]);
                }
            }
        }
        return out;
    }
}
