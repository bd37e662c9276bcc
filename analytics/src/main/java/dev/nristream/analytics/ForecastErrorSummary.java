package dev.nristream.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Rolling per-scene forecast error: mean error by forecast step over the steps whose target time lies within the
 * last {@code window_ms} of the scene's time, plus counters of what could not be scored. Served as JSON at
 * {@code /scenes/{id}/forecast-error}; the fields are the JSON names in snake case.
 */
public final class ForecastErrorSummary {

    public String sceneId;
    /** Model of the forecasts summed; the sums restart when a scene's model changes. */
    public String modelId;
    public long windowMs;
    /** Length unit of the errors (from the actual frames). */
    public String unit;
    /** Latest step target time in the window, ms; null before the first error. */
    public Long lastTargetMs;
    /** Errors in the window per step (index step - 1). */
    public long[] counts = new long[0];
    /** Sum of the errors in the window per step (index step - 1). */
    public double[] sums = new double[0];
    /** Step errors published since the scene started. */
    public long errorsPublished;
    /** Steps with no actual frame within the match tolerance, or with no agent in common. */
    public long stepsUnmatched;
    /** Forecasts that arrived after the frames they needed had been dropped ({@code frameRetention}). */
    public long forecastsLate;
    /** Forecasts that could not be read (bad horizon, period or array lengths). */
    public long forecastsInvalid;
    /** Frames older than the frames kept, dropped. */
    public long framesLate;

    public ForecastErrorSummary() {
    }

    ForecastErrorSummary(String sceneId, String modelId, long windowMs) {
        this.sceneId = sceneId;
        this.modelId = modelId;
        this.windowMs = windowMs;
    }

    void add(int step, double error) {
        grow(step);
        counts[step - 1]++;
        sums[step - 1] += error;
    }

    void remove(int step, double error) {
        if (step > counts.length || counts[step - 1] == 0) {
            return;
        }
        counts[step - 1]--;
        // Exact zero when the step empties, so rounding never leaves a phantom error behind.
        sums[step - 1] = counts[step - 1] == 0 ? 0.0 : sums[step - 1] - error;
    }

    /** Drops the window's sums (the model changed); counters stay. */
    void resetWindow(String newModelId) {
        modelId = newModelId;
        counts = new long[0];
        sums = new double[0];
        lastTargetMs = null;
    }

    private void grow(int step) {
        if (step > counts.length) {
            counts = Arrays.copyOf(counts, step);
            sums = Arrays.copyOf(sums, step);
        }
    }

    /** Mean error per step (index step - 1); null where the window holds no error for that step. */
    @JsonProperty(value = "mean_error_by_step", access = JsonProperty.Access.READ_ONLY)
    public Double[] meanErrorByStep() {
        Double[] out = new Double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] == 0 ? null : sums[i] / counts[i];
        }
        return out;
    }

    /** Mean over every error in the window; null when there is none. */
    @JsonProperty(value = "mean_error", access = JsonProperty.Access.READ_ONLY)
    public Double meanError() {
        long n = Arrays.stream(counts).sum();
        return n == 0 ? null : Arrays.stream(sums).sum() / n;
    }

    /** Number of errors in the window. */
    @JsonProperty(value = "errors_in_window", access = JsonProperty.Access.READ_ONLY)
    public long errorsInWindow() {
        return Arrays.stream(counts).sum();
    }
}
