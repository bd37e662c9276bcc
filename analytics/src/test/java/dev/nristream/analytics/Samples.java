package dev.nristream.analytics;

import dev.nristream.avro.Agent;
import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import dev.nristream.avro.TrajectoryForecast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small hand-made records for the analytics tests. */
final class Samples {

    private Samples() {
    }

    /** A 2D frame; {@code xy} holds x, y per agent in {@code ids} order. */
    static PositionFrame frame(String scene, long timeMs, long frameIndex, List<String> ids, double... xy) {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            agents.add(Agent.newBuilder().setId(ids.get(i)).setX(xy[2 * i]).setY(xy[2 * i + 1]).build());
        }
        return frame(scene, timeMs, frameIndex, 2, agents);
    }

    /** A 3D frame; {@code xyz} holds x, y, z per agent. */
    static PositionFrame frame3d(String scene, long timeMs, long frameIndex, List<String> ids, double... xyz) {
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            agents.add(Agent.newBuilder().setId(ids.get(i)).setX(xyz[3 * i]).setY(xyz[3 * i + 1])
                    .setZ(xyz[3 * i + 2]).build());
        }
        return frame(scene, timeMs, frameIndex, 3, agents);
    }

    private static PositionFrame frame(String scene, long timeMs, long frameIndex, int dims, List<Agent> agents) {
        return PositionFrame.newBuilder()
                .setSceneId(scene)
                .setSourceKind(SourceKind.SIMULATION)
                .setFrameIndex(frameIndex)
                .setEventTimeMs(timeMs)
                .setSamplingRateHz(10.0)
                .setCoordinates(CoordinateSystem.newBuilder().setUnit(dims == 3 ? "asf" : "ft").setOrigin("corner")
                        .setDimensions(dims).build())
                .setAgents(agents)
                .build();
    }

    /** A 2D forecast: per agent, {@code steps[agent]} holds x1, y1, x2, y2, ... */
    static TrajectoryForecast forecast(String scene, String model, long originMs, double periodMs, List<String> ids,
            double[]... steps) {
        List<AgentForecast> agents = new ArrayList<>();
        int horizon = steps[0].length / 2;
        for (int i = 0; i < ids.size(); i++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 0; k < horizon; k++) {
                x.add(steps[i][2 * k]);
                y.add(steps[i][2 * k + 1]);
            }
            agents.add(AgentForecast.newBuilder().setAgentId(ids.get(i)).setX(x).setY(y).build());
        }
        return TrajectoryForecast.newBuilder().setSceneId(scene).setModelId(model).setOriginTimeMs(originMs)
                .setOriginFrame(originMs / 100).setStepPeriodMs(periodMs).setHorizon(horizon).setAgents(agents)
                .build();
    }

    /** A 3D forecast: per agent, {@code steps[agent]} holds x1, y1, z1, x2, ... */
    static TrajectoryForecast forecast3d(String scene, String model, long originMs, double periodMs,
            List<String> ids, double[]... steps) {
        List<AgentForecast> agents = new ArrayList<>();
        int horizon = steps[0].length / 3;
        for (int i = 0; i < ids.size(); i++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> z = new ArrayList<>();
            for (int k = 0; k < horizon; k++) {
                x.add(steps[i][3 * k]);
                y.add(steps[i][3 * k + 1]);
                z.add(steps[i][3 * k + 2]);
            }
            agents.add(AgentForecast.newBuilder().setAgentId(ids.get(i)).setX(x).setY(y).setZ(z).build());
        }
        return TrajectoryForecast.newBuilder().setSceneId(scene).setModelId(model).setOriginTimeMs(originMs)
                .setStepPeriodMs(periodMs).setHorizon(horizon).setAgents(agents).build();
    }

    /**
     * A graph over {@code ids} with every ordered pair (receiver i, sender j), i != j, row-major; {@code types}
     * gives the most likely type of each edge in that order.
     */
    static InteractionGraph graph(String scene, String model, long endMs, List<String> ids, List<String> typeNames,
            int... types) {
        List<Edge> edges = new ArrayList<>();
        int e = 0;
        for (int i = 0; i < ids.size(); i++) {
            for (int j = 0; j < ids.size(); j++) {
                if (i == j) {
                    continue;
                }
                int t = types[e++];
                Float[] probs = new Float[typeNames.size()];
                Arrays.fill(probs, 0f);
                if (t >= 0 && t < probs.length) {
                    probs[t] = 1f;
                }
                edges.add(Edge.newBuilder().setReceiver(ids.get(i)).setSender(ids.get(j)).setEdgeType(t)
                        .setProbabilities(Arrays.asList(probs)).build());
            }
        }
        return InteractionGraph.newBuilder().setSceneId(scene).setModelId(model).setWindowStartMs(endMs - 4900)
                .setWindowEndMs(endMs).setWindowStartFrame(0).setWindowEndFrame(49).setAgentIds(ids)
                .setEdges(edges).setEdgeTypeNames(typeNames).setProcessingTimeMs(0L).build();
    }
}
