package dev.nristream.testing;

import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.Edge;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import java.util.ArrayList;
import java.util.List;

/** Small, varied Avro records for tests: optional fields both set and null, nested arrays, an enum. */
public final class SampleRecords {

    private SampleRecords() {
    }

    /**
     * A simulated 2D frame with {@code atoms} particles; odd frames carry velocities and ground-truth edges,
     * even frames leave them null.
     */
    public static PositionFrame positionFrame(String sceneId, long index, int atoms) {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < atoms; i++) {
            agents.add(Agent.newBuilder()
                    .setId("p" + i)
                    .setTeam(i % 2 == 0 ? null : "t" + (i % 3))
                    .setRole(null)
                    .setX(0.5 * i + 0.01 * index)
                    .setY(-0.25 * i + Math.sin(index))
                    .setZ(null)
                    .setVx(index % 2 == 1 ? 0.1 * i : null)
                    .setVy(index % 2 == 1 ? -0.2 * i : null)
                    .setVz(null)
                    .build());
        }
        List<GroundTruthEdge> edges = null;
        if (index % 2 == 1) {
            edges = new ArrayList<>();
            for (int i = 0; i < atoms; i++) {
                for (int j = 0; j < atoms; j++) {
                    if (i != j) {
                        edges.add(GroundTruthEdge.newBuilder().setSender("p" + j).setReceiver("p" + i)
                                .setEdgeType((i + j) % 2).build());
                    }
                }
            }
        }
        return PositionFrame.newBuilder()
                .setSceneId(sceneId)
                .setSourceKind(SourceKind.SIMULATION)
                .setFrameIndex(index)
                .setEventTimeMs(1_700_000_000_000L + 100 * index)
                .setSamplingRateHz(10.0)
                .setCoordinates(CoordinateSystem.newBuilder().setUnit("sim").setOrigin("center").setDimensions(2)
                        .setExtent(index % 2 == 0 ? List.of(10.0, 10.0) : null).build())
                .setAgents(agents)
                .setGroundTruthEdges(edges)
                .build();
    }

    /** A graph over {@code atoms} agents with two edge types. */
    public static InteractionGraph interactionGraph(String sceneId, long windowEnd, int atoms) {
        List<String> ids = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < atoms; i++) {
            ids.add("p" + i);
        }
        for (int i = 0; i < atoms; i++) {
            for (int j = 0; j < atoms; j++) {
                if (i != j) {
                    float p = (float) ((i * atoms + j) % 10) / 10f;
                    edges.add(Edge.newBuilder().setSender("p" + j).setReceiver("p" + i)
                            .setEdgeType(p >= 0.5f ? 1 : 0).setProbabilities(List.of(1f - p, p)).build());
                }
            }
        }
        return InteractionGraph.newBuilder()
                .setSceneId(sceneId)
                .setModelId("springs5-test")
                .setWindowStartMs(1_700_000_000_000L + 100 * (windowEnd - 49))
                .setWindowEndMs(1_700_000_000_000L + 100 * windowEnd)
                .setWindowStartFrame(windowEnd - 49)
                .setWindowEndFrame(windowEnd)
                .setAgentIds(ids)
                .setEdges(edges)
                .setEdgeTypeNames(List.of("none", "spring"))
                .setProcessingTimeMs(1_700_000_000_123L)
                .build();
    }
}
