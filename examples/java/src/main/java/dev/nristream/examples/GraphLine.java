package dev.nristream.examples;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.graph.StrongestEdges;

/**
 * What the examples print for a graph: {@code <scene> frame <window end frame>: <strongest edges>}, e.g.
 * {@code scene-3 frame 148: p1->p0 spring 0.97, p2->p4 spring 0.91}. The Python example prints the same.
 */
final class GraphLine {

    /** Edges shown per graph. */
    static final int EDGES = 3;

    private GraphLine() {
    }

    static String of(InteractionGraph g) {
        return g.getSceneId() + " frame " + g.getWindowEndFrame() + ": " + StrongestEdges.summary(g, EDGES);
    }
}
