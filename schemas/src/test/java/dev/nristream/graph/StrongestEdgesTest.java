package dev.nristream.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrongestEdgesTest {

    @Test
    void theRecordsNoEdgeTypeDecidesEvenAgainstTheNames() {
        // A relabelled model: type 1 means "no edge" although type 0 is named none.
        InteractionGraph relabelled = graph(List.of("none", "spring"), 1,
                edge("b", "a", 0, 0.8f, 0.2f), edge("a", "b", 1, 0.1f, 0.9f));
        assertThat(StrongestEdges.noEdgeIndex(relabelled)).isEqualTo(1);
        assertThat(StrongestEdges.summary(relabelled, 3)).isEqualTo("b->a none 0.80");
        // -1: the model has no "no edge" type, whatever a type is called.
        InteractionGraph none = graph(List.of("none", "spring"), -1, edge("b", "a", 0, 0.8f, 0.2f));
        assertThat(StrongestEdges.noEdgeIndex(none)).isEqualTo(-1);
        assertThat(StrongestEdges.summary(none, 3)).isEqualTo("b->a none 0.80");
    }

    @Test
    void graphsFromBeforeTheFieldFallBackToTheTypeNamedNone() {
        assertThat(StrongestEdges.noEdgeIndex(graph(List.of("spring", "none"), null))).isEqualTo(1);
        assertThat(StrongestEdges.noEdgeIndex(graph(List.of("No_Edge", "spring"), null))).isZero();
        assertThat(StrongestEdges.noEdgeIndex(graph(List.of("no edge", "spring"), null))).isZero();
        assertThat(StrongestEdges.noEdgeIndex(graph(List.of("spring", "no-edge"), null))).isEqualTo(1);
        assertThat(StrongestEdges.noEdgeIndex(graph(List.of("type0", "type1"), null))).isEqualTo(-1);
        assertThat(StrongestEdges.summary(graph(List.of("none", "spring"), null, edge("b", "a", 0, 0.8f, 0.2f),
                edge("a", "b", 1, 0.1f, 0.9f)), 3)).isEqualTo("a->b spring 0.90");
    }

    @Test
    void interactingEdgesComeStrongestFirstAndTiesKeepTheEdgeOrder() {
        InteractionGraph g = graph(List.of("none", "spring"), 0,
                edge("b", "a", 1, 0.3f, 0.7f), edge("c", "a", 0, 0.9f, 0.1f), edge("a", "b", 1, 0.05f, 0.95f),
                edge("c", "b", 1, 0.3f, 0.7f), edge("a", "c", 1, 0.4f, 0.6f));
        assertThat(StrongestEdges.of(g, 3)).extracting(Edge::getSender).containsExactly("a", "b", "c");
        assertThat(StrongestEdges.summary(g, 2)).isEqualTo("a->b spring 0.95, b->a spring 0.70");
        assertThat(StrongestEdges.of(g, 10)).hasSize(4);
        assertThat(StrongestEdges.summary(graph(List.of("none", "spring"), 0, edge("b", "a", 0, 0.8f, 0.2f)), 3))
                .isEqualTo("(no interactions)");
    }

    @Test
    void withoutANoEdgeTypeEveryEdgeCountsByItsTopProbability() {
        InteractionGraph g = graph(List.of("attract", "repel"), -1,
                edge("b", "a", 0, 0.6f, 0.4f), edge("a", "b", 1, 0.1f, 0.9f));
        assertThat(StrongestEdges.summary(g, 3)).isEqualTo("a->b repel 0.90, b->a attract 0.60");
    }

    private static Edge edge(String sender, String receiver, int type, float... p) {
        List<Float> probs = new ArrayList<>();
        for (float v : p) {
            probs.add(v);
        }
        return Edge.newBuilder().setSender(sender).setReceiver(receiver).setEdgeType(type).setProbabilities(probs)
                .build();
    }

    private static InteractionGraph graph(List<String> names, Integer noEdgeType, Edge... edges) {
        return InteractionGraph.newBuilder().setSceneId("s").setModelId("m").setWindowStartMs(0).setWindowEndMs(1)
                .setWindowStartFrame(0).setWindowEndFrame(1).setAgentIds(List.of("a", "b", "c"))
                .setEdges(List.of(edges)).setEdgeTypeNames(names).setNoEdgeType(noEdgeType).setProcessingTimeMs(2)
                .build();
    }
}
