package dev.nristream.job.window;

import dev.nristream.model.Normaliser;
import java.util.List;

/**
 * One window ready for the encoder: the selected nodes and their normalised features.
 *
 * @param agentIds node order: agent ids of the N nodes
 * @param features normalised features, flat [N, T, D] in the model's feature layout
 * @param lastPositions the last frame's positions in feed units, flat [N, dims]
 * @param excluded agents left out because they were missing in too many frames (or at the end)
 * @param interpolatedPoints (node, frame) points filled in by interpolation
 * @param finiteDifferenceNodes nodes whose velocities were computed from positions
 * @param window the resampled window the features came from
 */
public record WindowFeatures(List<String> agentIds, float[] features, double[] lastPositions,
        List<String> excluded, int interpolatedPoints, int finiteDifferenceNodes, ResampledWindow window) {

    /** N. */
    public int nodes() {
        return agentIds.size();
    }

    /** Share of the features outside the range the model was trained on (see {@link Normaliser}). */
    public float outOfRangeFraction() {
        return Normaliser.outOfRangeFraction(features);
    }
}
