package dev.nristream.analytics;

import dev.nristream.avro.EdgePairCounts;
import dev.nristream.avro.EdgeStats;
import dev.nristream.avro.InteractionGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Mutable edge-type counts of one scene, read from and written back to its {@link EdgeStats}. */
final class EdgeCounts {

    private static final char SEP = '\u0000';

    final String sceneId;
    final String modelId;
    final List<String> typeNames;
    private final long[] totals;
    /** sender SEP receiver -> counts per type; sorted, so the published pairs are sorted by sender then receiver. */
    private final Map<String, long[]> pairs = new TreeMap<>();
    int graphs;

    EdgeCounts(String sceneId, String modelId, List<String> typeNames) {
        this.sceneId = sceneId;
        this.modelId = modelId;
        this.typeNames = List.copyOf(typeNames);
        this.totals = new long[typeNames.size()];
    }

    static EdgeCounts from(EdgeStats s) {
        EdgeCounts c = new EdgeCounts(s.getSceneId(), s.getModelId(), s.getEdgeTypeNames());
        c.graphs = s.getGraphs();
        for (int i = 0; i < c.totals.length; i++) {
            c.totals[i] = s.getTotals().get(i);
        }
        for (EdgePairCounts p : s.getPairs()) {
            c.pairs.put(p.getSender() + SEP + p.getReceiver(), p.getCounts().stream().mapToLong(Long::longValue).toArray());
        }
        return c;
    }

    boolean sameModel(InteractionGraph g) {
        return modelId.equals(g.getModelId()) && typeNames.equals(g.getEdgeTypeNames());
    }

    void add(GraphEdges g) {
        apply(g, +1);
        graphs++;
    }

    void remove(GraphEdges g) {
        apply(g, -1);
        graphs--;
    }

    private void apply(GraphEdges g, int sign) {
        for (int i = 0; i < g.types().length; i++) {
            String key = g.senders().get(i) + SEP + g.receivers().get(i);
            long[] c = pairs.computeIfAbsent(key, x -> new long[totals.length]);
            c[g.types()[i]] += sign;
            totals[g.types()[i]] += sign;
            if (Arrays.stream(c).allMatch(v -> v == 0)) {
                pairs.remove(key);
            }
        }
    }

    EdgeStats toAvro(long windowMs, long firstEndMs, long lastEndMs, long nowMs) {
        List<EdgePairCounts> out = new ArrayList<>(pairs.size());
        for (Map.Entry<String, long[]> e : pairs.entrySet()) {
            int sep = e.getKey().indexOf(SEP);
            out.add(EdgePairCounts.newBuilder()
                    .setSender(e.getKey().substring(0, sep))
                    .setReceiver(e.getKey().substring(sep + 1))
                    .setCounts(Arrays.stream(e.getValue()).boxed().toList())
                    .build());
        }
        return EdgeStats.newBuilder()
                .setSceneId(sceneId)
                .setModelId(modelId)
                .setWindowMs(windowMs)
                .setGraphs(graphs)
                .setFirstWindowEndMs(firstEndMs)
                .setLastWindowEndMs(lastEndMs)
                .setEdgeTypeNames(typeNames)
                .setTotals(Arrays.stream(totals).boxed().toList())
                .setPairs(out)
                .setProcessingTimeMs(nowMs)
                .build();
    }
}
