package dev.nristream.job.window;

import java.util.List;

/**
 * T frames of one scene on the model's grid, before node selection: every agent seen in the window with its
 * positions and velocities per grid step, NaN where it was missing or (velocities) not measured.
 *
 * @param length T
 * @param startTimeMs event time of the first grid step (rounded)
 * @param endTimeMs event time of the last grid step (rounded)
 * @param startFrame frame index of the raw frame nearest the first grid step
 * @param endFrame frame index of the raw frame nearest the last grid step
 * @param dims spatial dimensions
 * @param agentIds every agent seen, in order of first appearance
 * @param positions per agent, flat [T][dims]
 * @param velocities per agent, flat [T][dims]
 */
public record ResampledWindow(int length, long startTimeMs, long endTimeMs, long startFrame, long endFrame, int dims,
        List<String> agentIds, List<double[]> positions, List<double[]> velocities) {
}
