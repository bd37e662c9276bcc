package dev.nristream.analytics;

import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.InteractionGraph;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest graph of each scene ({@value AnalyticsApp#LATEST_GRAPH_STORE}) and rolling counts of the most
 * likely edge type per directed agent pair over the graphs whose window ended within the last
 * {@link AnalyticsConfig#edgeStatsWindow()} of the scene's time ({@value AnalyticsApp#EDGE_STATS_STORE}); publishes
 * the updated {@link EdgeStats} on every graph. A graph older than the window is late and not counted; a graph
 * with the same window end as one already counted replaces it. The counts restart when the scene's model (or its
 * edge types) change, and when a scene returns after {@link AnalyticsConfig#idleTimeout()} without graphs (its
 * window buffer is dropped when it goes idle; the published statistics stay queryable).
 */
final class EdgeStatsProcessor implements Processor<String, InteractionGraph, String, EdgeStats> {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeStatsProcessor.class);

    private final AnalyticsConfig cfg;
    private ProcessorContext<String, EdgeStats> ctx;
    private KeyValueStore<String, InteractionGraph> latest;
    private KeyValueStore<String, EdgeStats> stats;
    private KeyValueStore<Bytes, GraphEdges> window;
    private KeyValueStore<String, Long> activity;

    EdgeStatsProcessor(AnalyticsConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void init(ProcessorContext<String, EdgeStats> context) {
        this.ctx = context;
        latest = context.getStateStore(AnalyticsApp.LATEST_GRAPH_STORE);
        stats = context.getStateStore(AnalyticsApp.EDGE_STATS_STORE);
        window = context.getStateStore(AnalyticsApp.EDGE_WINDOW_STORE);
        activity = context.getStateStore(AnalyticsApp.EDGE_ACTIVITY_STORE);
        context.schedule(cfg.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::endIdleScenes);
    }

    @Override
    public void process(Record<String, InteractionGraph> record) {
        InteractionGraph g = record.value();
        if (g == null) {
            return;
        }
        String scene = g.getSceneId();
        long end = g.getWindowEndMs();
        boolean returning = activity.get(scene) == null;
        activity.put(scene, ctx.currentSystemTimeMs());
        InteractionGraph newest = latest.get(scene);
        if (newest == null || end >= newest.getWindowEndMs()) {
            latest.put(scene, g);
        }

        EdgeStats previous = stats.get(scene);
        EdgeCounts counts = previous == null || returning ? null : EdgeCounts.from(previous);
        if (counts != null && !counts.sameModel(g)) {
            LOG.info("scene {}: graphs now from model {} with types {} (was {} {}): edge counts restart", scene,
                    g.getModelId(), g.getEdgeTypeNames(), counts.modelId, counts.typeNames);
            ForecastErrorProcessor.deletePrefix(window, scene);
            counts = null;
        }
        if (counts == null) {
            ForecastErrorProcessor.deletePrefix(window, scene);
            counts = new EdgeCounts(scene, g.getModelId(), g.getEdgeTypeNames());
        }
        long last = counts.graphs == 0 ? end : Math.max(previous.getLastWindowEndMs(), end);
        long oldest = last - cfg.edgeStatsWindow().toMillis();
        if (end <= oldest) {
            LOG.debug("scene {}: graph ending {} ms is older than the edge-stats window, not counted", scene, end);
            return;
        }
        Bytes key = SceneKeys.at(scene, end);
        GraphEdges replaced = window.get(key);
        if (replaced != null) {
            counts.remove(replaced);
        }
        GraphEdges edges = GraphEdges.of(g);
        if (edges.types().length != g.getEdges().size()) {
            LOG.warn("scene {}: graph ending {} ms has {} edges with a type outside {}; they are not counted", scene,
                    end, g.getEdges().size() - edges.types().length, g.getEdgeTypeNames());
        }
        window.put(key, edges);
        counts.add(edges);

        long first = end;
        List<Bytes> leaving = new ArrayList<>();
        try (KeyValueIterator<Bytes, GraphEdges> it =
                window.range(SceneKeys.at(scene, Long.MIN_VALUE), SceneKeys.at(scene, last))) {
            boolean firstKept = true;
            while (it.hasNext()) {
                KeyValue<Bytes, GraphEdges> kv = it.next();
                long t = SceneKeys.timeOf(kv.key);
                if (t <= oldest) {
                    counts.remove(kv.value);
                    leaving.add(kv.key);
                } else if (firstKept) {
                    first = t;
                    firstKept = false;
                }
            }
        }
        leaving.forEach(window::delete);

        EdgeStats out = counts.toAvro(cfg.edgeStatsWindow().toMillis(), first, last, ctx.currentSystemTimeMs());
        stats.put(scene, out);
        ctx.forward(new Record<>(scene, out, record.timestamp()));
    }

    private void endIdleScenes(long now) {
        List<String> ended = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = activity.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (now - kv.value >= cfg.idleTimeout().toMillis()) {
                    ended.add(kv.key);
                }
            }
        }
        for (String scene : ended) {
            ForecastErrorProcessor.deletePrefix(window, scene);
            activity.delete(scene);
            LOG.info("scene {}: no graphs for {}, ended; its edge-stats window is dropped", scene,
                    cfg.idleTimeout());
        }
    }
}
