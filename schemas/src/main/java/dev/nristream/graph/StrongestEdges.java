package dev.nristream.graph;

import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How a consumer reads "who interacts with whom" from an {@link InteractionGraph}: the edges whose most likely
 * type is not the "no edge" type, strongest first. The "no edge" type is the record's {@code no_edge_type} (-1: the
 * model has none, every type is an interaction). Strength is {@code 1 - p(no edge)}, or the top type's probability
 * when there is no "no edge" type. Ties keep the graph's edge order. The Python example
 * ({@code examples/python/consume_graphs.py}) implements the same rule.
 *
 * <pre>{@code
 * for (Edge e : StrongestEdges.of(graph, 3)) {
 *     System.out.println(StrongestEdges.describe(e, graph.getEdgeTypeNames()));   // p1->p0 spring 0.97
 * }
 * }</pre>
 */
public final class StrongestEdges {

    private StrongestEdges() {
    }

    /**
     * Index of {@code g}'s "no edge" type, or -1 when every type is an interaction: the record's
     * {@code no_edge_type}. Graphs written before that field existed (it is null in them) say it only by name, so
     * for those the type named {@code none} (or {@code no edge}, {@code no_edge}, {@code no-edge}, any case) is
     * taken, as consumers did before.
     */
    public static int noEdgeIndex(InteractionGraph g) {
        Integer declared = g.getNoEdgeType();
        return declared != null ? declared : noEdgeIndexByName(g.getEdgeTypeNames());
    }

    /** The pre-{@code no_edge_type} rule: index of the type named "none" among {@code names}, or -1. */
    static int noEdgeIndexByName(List<String> names) {
        for (int k = 0; k < names.size(); k++) {
            String n = names.get(k).toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').trim();
            if (n.equals("none") || n.equals("no edge") || n.equals("noedge")) {
                return k;
            }
        }
        return -1;
    }

    /** How sure the model is that the pair interacts. */
    public static double strength(Edge e, int noEdge) {
        List<Float> p = e.getProbabilities();
        if (noEdge >= 0 && noEdge < p.size()) {
            return 1.0 - p.get(noEdge);
        }
        int k = e.getEdgeType();
        return k >= 0 && k < p.size() ? p.get(k) : 0.0;
    }

    /** The at most {@code limit} strongest interacting edges of {@code g}, strongest first. */
    public static List<Edge> of(InteractionGraph g, int limit) {
        int noEdge = noEdgeIndex(g);
        List<Edge> interacting = new ArrayList<>();
        for (Edge e : g.getEdges()) {
            if (e.getEdgeType() != noEdge) {
                interacting.add(e);
            }
        }
        interacting.sort(Comparator.comparingDouble((Edge e) -> strength(e, noEdge)).reversed());
        return List.copyOf(interacting.subList(0, Math.min(Math.max(0, limit), interacting.size())));
    }

    /** {@code sender->receiver type p}, p the probability of the edge's type with two decimals. */
    public static String describe(Edge e, List<String> edgeTypeNames) {
        int k = e.getEdgeType();
        String name = k >= 0 && k < edgeTypeNames.size() ? edgeTypeNames.get(k) : "type" + k;
        float p = k >= 0 && k < e.getProbabilities().size() ? e.getProbabilities().get(k) : Float.NaN;
        return String.format(Locale.ROOT, "%s->%s %s %.2f", e.getSender(), e.getReceiver(), name, p);
    }

    /** The strongest edges of {@code g} on one line, {@code "(no interactions)"} when there are none. */
    public static String summary(InteractionGraph g, int limit) {
        List<String> parts = new ArrayList<>();
        for (Edge e : of(g, limit)) {
            parts.add(describe(e, g.getEdgeTypeNames()));
        }
        return parts.isEmpty() ? "(no interactions)" : String.join(", ", parts);
    }
}
