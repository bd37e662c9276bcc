package dev.nristream.job;

/** One window ready for inference: what the keyed windowing hands the batching inference operator. */
public class WindowTask {
    public String sceneId;
    /** The model chosen for the scene: every window of a scene is made for, and run by, one model. */
    public String modelId;
    /** Where that model's directory is (for a model swapped in while the job runs). */
    public String modelDir;
    /** Node order. */
    public String[] agentIds;
    /** Normalised features, flat [N, T, D]: the encoder's input and where the decoder's rollout starts from. */
    public float[] features;
    public long startTimeMs;
    public long endTimeMs;
    public long startFrame;
    public long endFrame;
    public int excludedAgents;
    public int interpolatedPoints;
    /** Share of the normalised features outside the model's trained range. */
    public float outOfRangeFraction;
    /** Set by the inference operator's load shedding: event time since the scene's previous window run, ms. */
    public long strideMs;
    /** Set by the inference operator's load shedding: whether this window gets a forecast. */
    public boolean forecast = true;

    public WindowTask() {
    }

    public int nodes() {
        return agentIds.length;
    }
}
