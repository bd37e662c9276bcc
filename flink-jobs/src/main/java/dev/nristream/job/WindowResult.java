package dev.nristream.job;

/**
 * The encoder's graph and the decoder's forecast for one window; the sinks turn it into an Avro
 * {@code InteractionGraph} and {@code TrajectoryForecast}.
 */
public class WindowResult {
    public String sceneId;
    /** The model that made this result, and what its output records say about it. */
    public String modelId;
    public String[] edgeTypeNames;
    public int noEdgeType = -1;
    /** The model's frame period: the forecast's step, ms. */
    public double stepPeriodMs;
    public String[] agentIds;
    /** Edge-type probabilities, flat [E, K], pairs (receiver i, sender j) row-major. */
    public float[] edgeProbs;
    public int edgeTypes;
    /** Event time since the scene's previous published window, ms (longer than the stride while shedding load). */
    public long strideMs;
    /** Forecast positions in feed units, flat [N][H][dims]; null when load shedding dropped the forecast. */
    public double[] forecast;
    public int horizon;
    public int dims;
    public long startTimeMs;
    public long endTimeMs;
    public long startFrame;
    public long endFrame;
    /** Wall-clock time the result was computed, ms. */
    public long processingTimeMs;
    /** Share of the window's normalised inputs outside the model's trained range. */
    public float outOfRangeFraction;

    public WindowResult() {
    }

    public int nodes() {
        return agentIds.length;
    }
}
