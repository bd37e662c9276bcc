package dev.nristream.testing;

import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.TrajectoryForecast;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records of the job's output topics with chosen content, for tests of consumers: a graph whose interacting pairs
 * and their probabilities are given, so what a consumer should print follows from the arguments.
 *
 * <pre>{@code
 * InteractionGraph g = OutputSamples.graph("scene-1", 148, List.of("p0", "p1", "p2"), Map.of("p1->p0", 0.9f));
 * }</pre>
 */
public final class OutputSamples {

    /** Edge-type names of the sample graphs (the shipped springs models' names). */
    public static final List<String> TYPE_NAMES = List.of("none", "spring");
    /** p(spring) of every pair not named as a spring. */
    public static final float BACKGROUND = 0.1f;
    /** Event time of frame 0. */
    public static final long EPOCH_MS = 1_700_000_000_000L;
    /** Frame period, ms. */
    public static final long PERIOD_MS = 100;

    private OutputSamples() {
    }

    /**
     * A graph over {@code agents} (node order) in the contract's edge order; the pairs named in {@code springs}
     * ({@code "sender->receiver"}) are springs with the given probability (> 0.5), all others "none" with
     * p(spring) = {@link #BACKGROUND}.
     */
    public static InteractionGraph graph(String scene, long windowEndFrame, List<String> agents,
            Map<String, Float> springs) {
        List<Edge> edges = new ArrayList<>();
        for (String receiver : agents) {
            for (String sender : agents) {
                if (sender.equals(receiver)) {
                    continue;
                }
                float p = springs.getOrDefault(sender + "->" + receiver, BACKGROUND);
                edges.add(Edge.newBuilder().setSender(sender).setReceiver(receiver).setEdgeType(p > 0.5f ? 1 : 0)
                        .setProbabilities(List.of(1f - p, p)).build());
            }
        }
        return InteractionGraph.newBuilder()
                .setSceneId(scene)
                .setModelId("springs5-test")
                .setWindowStartMs(EPOCH_MS + PERIOD_MS * (windowEndFrame - 48))
                .setWindowEndMs(EPOCH_MS + PERIOD_MS * windowEndFrame)
                .setWindowStartFrame(windowEndFrame - 48)
                .setWindowEndFrame(windowEndFrame)
                .setAgentIds(List.copyOf(agents))
                .setEdges(edges)
                .setEdgeTypeNames(TYPE_NAMES)
                .setProcessingTimeMs(EPOCH_MS + PERIOD_MS * windowEndFrame + 50)
                .build();
    }

    /** A 2D forecast of {@code horizon} steps: agent a at step s is at (a + s, -a - s / 10). */
    public static TrajectoryForecast forecast(String scene, long originFrame, List<String> agents, int horizon) {
        List<AgentForecast> out = new ArrayList<>();
        for (int a = 0; a < agents.size(); a++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int s = 1; s <= horizon; s++) {
                x.add((double) a + s);
                y.add(-a - s / 10.0);
            }
            out.add(AgentForecast.newBuilder().setAgentId(agents.get(a)).setX(x).setY(y).setZ(null).build());
        }
        return TrajectoryForecast.newBuilder()
                .setSceneId(scene)
                .setModelId("springs5-test")
                .setOriginTimeMs(EPOCH_MS + PERIOD_MS * originFrame)
                .setOriginFrame(originFrame)
                .setStepPeriodMs(PERIOD_MS)
                .setHorizon(horizon)
                .setAgents(out)
                .build();
    }

    /** A dead letter of a frame of {@code scene} read from {@code sourceTopic} at partition 0, {@code offset}. */
    public static DeadLetter deadLetter(String scene, String sourceTopic, long offset, String kind, String reason) {
        return DeadLetter.newBuilder()
                .setSourceTopic(sourceTopic)
                .setSourcePartition(0)
                .setSourceOffset(offset)
                .setErrorKind(kind)
                .setReason(reason)
                .setKey(ByteBuffer.wrap(scene.getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setTimeMs(EPOCH_MS)
                .build();
    }
}
