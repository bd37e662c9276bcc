package dev.nristream.analytics;

import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import java.util.ArrayList;
import java.util.List;

/** The most likely edge type of every edge of one graph, kept while the graph is inside the rolling window. */
record GraphEdges(List<String> senders, List<String> receivers, int[] types) {

    /** Edges whose type is outside the graph's edge types are left out (counted by the caller). */
    static GraphEdges of(InteractionGraph g) {
        int k = g.getEdgeTypeNames().size();
        List<String> s = new ArrayList<>();
        List<String> r = new ArrayList<>();
        List<Integer> t = new ArrayList<>();
        for (Edge e : g.getEdges()) {
            if (e.getEdgeType() >= 0 && e.getEdgeType() < k) {
                s.add(e.getSender());
                r.add(e.getReceiver());
                t.add(e.getEdgeType());
            }
        }
        return new GraphEdges(s, r, t.stream().mapToInt(Integer::intValue).toArray());
    }
}
