package dev.nristream.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo had seen at one moment ({@link LiveStats#snapshot}): the model of the console view and of the
 * summary.
 *
 * @param nowMs wall-clock time of the snapshot
 * @param startMs wall-clock time the demo started
 * @param firstGraphMs wall-clock time the first graph was read back, null before
 * @param records records read per topic, in pipeline order
 * @param scenes per scene, by id
 * @param edgeAccuracy overall edge accuracy under the best assignment of edge types, NaN without ground truth
 * @param edgesCompared edges compared with ground truth
 * @param assignment model edge type name -> the ground-truth label it is taken to mean
 * @param errorByStep mean forecast error of steps 1..H (NaN for a step without errors yet)
 * @param errorCountByStep errors counted per step
 * @param errorUnit length unit of the errors, null before the first
 * @param deadLetters dead letters by error kind
 * @param lagP50Ms median end-to-end lag of the latest graphs, null before the first
 * @param lagMaxMs largest lag seen, null before the first
 * @param lagSamples graphs whose lag was measured
 * @param undecodable records that did not decode with their topic's schema
 */
public record LiveSnapshot(long nowMs, long startMs, Long firstGraphMs, Map<String, Long> records,
        List<SceneView> scenes, double edgeAccuracy, long edgesCompared, Map<String, Integer> assignment,
        double[] errorByStep, long[] errorCountByStep, String errorUnit, Map<String, Long> deadLetters,
        Long lagP50Ms, Long lagMaxMs, long lagSamples, long undecodable) {

    public LiveSnapshot {
        // Copies keep their order: pipeline order for topics, sorted kinds, model type order.
        records = Collections.unmodifiableMap(new LinkedHashMap<>(records));
        scenes = List.copyOf(scenes);
        deadLetters = Collections.unmodifiableMap(new TreeMap<>(deadLetters));
        assignment = Collections.unmodifiableMap(new LinkedHashMap<>(assignment));
        errorByStep = errorByStep.clone();
        errorCountByStep = errorCountByStep.clone();
    }

    /**
     * One scene.
     *
     * @param accuracy edge accuracy of its graphs under the overall best assignment, NaN without ground truth
     * @param topEdges the latest graph's strongest interactions, e.g. {@code p1->p0 spring 0.98}
     * @param meanForecastError mean error over every step counted for the scene, NaN before the first
     * @param hasTruth whether its frames carry ground-truth edges
     * @param outOfRangeGraphs graphs whose window had inputs beyond the model's trained range
     * @param lastOutOfRange the latest graph's share of out-of-range inputs, NaN when it did not say
     */
    public record SceneView(String id, long frames, long graphs, long forecasts, int agents, int interactions,
            int edges, double accuracy, long edgesCompared, List<String> topEdges, double meanForecastError,
            boolean hasTruth, long outOfRangeGraphs, double lastOutOfRange) {
        public SceneView {
            topEdges = List.copyOf(topEdges);
        }
    }

    /** Records read on {@code topic}. */
    public long outOfRangeGraphs() {
        return scenes.stream().mapToLong(SceneView::outOfRangeGraphs).sum();
    }

    public long records(String topic) {
        return records.getOrDefault(topic, 0L);
    }

    /** Seconds from the demo's start to its first graph, null before. */
    public Double secondsToFirstGraph() {
        return firstGraphMs == null ? null : (firstGraphMs - startMs) / 1000.0;
    }

    /** Seconds since the demo started. */
    public double uptimeSeconds() {
        return (nowMs - startMs) / 1000.0;
    }

    /** Dead letters of every kind. */
    public long deadLetterTotal() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }
}
