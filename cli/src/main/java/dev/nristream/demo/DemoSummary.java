package dev.nristream.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON summary {@code ./nri demo --summary FILE} writes at the end. Top-level fields (numbers that were never
 * measured are {@code null}):
 *
 * <ul>
 *   <li>{@code scenario}, {@code model} (id, dir, description), {@code feed} (description, scenes, frames sent,
 *       feed problems by kind), {@code services} (Kafka and registry, embedded or external), {@code outcome}
 *   <li>{@code started_at}, {@code run_seconds}, {@code seconds_to_first_graph} (from the command's start)
 *   <li>{@code records_per_topic}: records read back per topic ({@code read_committed})
 *   <li>{@code edge_accuracy}: {@code overall}, {@code edges_compared}, {@code assignment} (model edge type ->
 *       true label), {@code per_scene}, {@code method} (permutation-invariant over edge types)
 *   <li>{@code forecast_error_by_step}: {@code [{step, mean_error, count}]} and {@code forecast_error_unit}
 *   <li>{@code dead_letters_by_kind}, {@code lag_ms} (median of the latest graphs, max), {@code scenes}
 * </ul>
 */
public final class DemoSummary {

    /** How the accuracy is computed, written next to it. */
    public static final String ACCURACY_METHOD = "permutation-invariant: the model's edge types are unsupervised "
            + "and carry no fixed meaning, so each is assigned the true label that maximises accuracy over all "
            + "compared edges (one assignment for all scenes), as in Kipf et al. 2018";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoSummary() {
    }

    /**
     * The summary as a JSON tree.
     *
     * @param context run facts the snapshot does not hold (scenario, model, feed, services, outcome), written first
     */
    public static Map<String, Object> toMap(LiveSnapshot s, Map<String, Object> context) {
        Map<String, Object> m = new LinkedHashMap<>(context);
        m.put("started_at", Instant.ofEpochMilli(s.startMs()).toString());
        m.put("run_seconds", round(s.uptimeSeconds(), 1));
        Double first = s.secondsToFirstGraph();
        m.put("seconds_to_first_graph", first == null ? null : round(first, 2));
        m.put("records_per_topic", s.records());

        Map<String, Object> acc = new LinkedHashMap<>();
        acc.put("overall", finite(s.edgeAccuracy()));
        acc.put("edges_compared", s.edgesCompared());
        acc.put("assignment", s.edgesCompared() == 0 ? Map.of() : s.assignment());
        Map<String, Object> perScene = new LinkedHashMap<>();
        for (LiveSnapshot.SceneView v : s.scenes()) {
            if (v.hasTruth()) {
                perScene.put(v.id(), finite(v.accuracy()));
            }
        }
        acc.put("per_scene", perScene);
        acc.put("method", ACCURACY_METHOD);
        m.put("edge_accuracy", acc);

        List<Map<String, Object>> steps = new ArrayList<>();
        double[] e = s.errorByStep();
        long[] n = s.errorCountByStep();
        for (int i = 0; i < e.length; i++) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", i + 1);
            step.put("mean_error", finite(e[i]));
            step.put("count", n[i]);
            steps.add(step);
        }
        m.put("forecast_error_by_step", steps);
        m.put("forecast_error_unit", s.errorUnit());
        m.put("dead_letters_by_kind", s.deadLetters());
        m.put("graphs_out_of_range", s.outOfRangeGraphs());
        m.put("undecodable_records", s.undecodable());

        Map<String, Object> lag = new LinkedHashMap<>();
        lag.put("median_latest", s.lagP50Ms());
        lag.put("max", s.lagMaxMs());
        lag.put("graphs_measured", s.lagSamples());
        m.put("lag_ms", lag);

        List<Map<String, Object>> scenes = new ArrayList<>();
        for (LiveSnapshot.SceneView v : s.scenes()) {
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("id", v.id());
            sc.put("frames", v.frames());
            sc.put("graphs", v.graphs());
            sc.put("forecasts", v.forecasts());
            sc.put("agents", v.agents());
            sc.put("edge_accuracy", v.hasTruth() ? finite(v.accuracy()) : null);
            sc.put("mean_forecast_error", finite(v.meanForecastError()));
            sc.put("graphs_out_of_range", v.outOfRangeGraphs());
            sc.put("latest_out_of_range_fraction", finite(v.lastOutOfRange()));
            sc.put("strongest_edges", v.topEdges());
            scenes.add(sc);
        }
        m.put("scenes", scenes);
        return m;
    }

    /** Writes the summary to {@code file}, creating its directory. */
    public static void write(Path file, LiveSnapshot s, Map<String, Object> context) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), toMap(s, context));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
