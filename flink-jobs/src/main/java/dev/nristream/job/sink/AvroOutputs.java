package dev.nristream.job.sink;

import dev.nristream.avro.AgentForecast;
import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.Edge;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.WindowResult;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.EdgeOrder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the job's results into the Avro records of the output topics, stamping the model id on each (and on
 * graphs the model's edge-type names and its "no edge" type, so consumers need not guess it).
 *
 * <pre>{@code
 * AvroOutputs avro = new AvroOutputs(spec);
 * InteractionGraph g = avro.graph(result);
 * }</pre>
 */
public final class AvroOutputs {

    private final String modelId;
    private final List<String> edgeTypeNames;
    private final int noEdgeType;
    private final double periodMs;

    public AvroOutputs(ModelSpec spec) {
        this.modelId = spec.modelId();
        this.edgeTypeNames = List.copyOf(spec.edgeTypeNames());
        this.noEdgeType = spec.noEdgeTypeOrNone();
        this.periodMs = spec.periodMs();
    }

    /** The result's own model id when it names one (a job serving several models), else this spec's. */
    private String modelId(WindowResult r) {
        return r.modelId != null ? r.modelId : modelId;
    }

    /** The graph of one window: all ordered pairs (receiver i, sender j), i != j, row-major. */
    public InteractionGraph graph(WindowResult r) {
        int n = r.nodes();
        int k = r.edgeTypes;
        int e = EdgeOrder.edgeCount(n);
        List<Edge> edges = new ArrayList<>(e);
        for (int idx = 0; idx < e; idx++) {
            int[] ij = EdgeOrder.endpoints(idx, n);
            List<Float> probs = new ArrayList<>(k);
            int best = 0;
            for (int t = 0; t < k; t++) {
                float p = r.edgeProbs[idx * k + t];
                probs.add(p);
                if (p > r.edgeProbs[idx * k + best]) {
                    best = t;
                }
            }
            edges.add(Edge.newBuilder()
                    .setReceiver(r.agentIds[ij[0]])
                    .setSender(r.agentIds[ij[1]])
                    .setEdgeType(best)
                    .setProbabilities(probs)
                    .build());
        }
        return InteractionGraph.newBuilder()
                .setSceneId(r.sceneId)
                .setModelId(modelId(r))
                .setWindowStartMs(r.startTimeMs)
                .setWindowEndMs(r.endTimeMs)
                .setWindowStartFrame(r.startFrame)
                .setWindowEndFrame(r.endFrame)
                .setAgentIds(List.of(r.agentIds))
                .setEdges(edges)
                .setEdgeTypeNames(r.modelId != null ? List.of(r.edgeTypeNames) : edgeTypeNames)
                .setNoEdgeType(r.modelId != null ? r.noEdgeType : noEdgeType)
                .setProcessingTimeMs(r.processingTimeMs)
                .setOutOfRangeFraction(r.outOfRangeFraction)
                .setStrideMs(r.strideMs > 0 ? r.strideMs : null)
                .build();
    }

    /**
     * The rollout of one window, positions in feed units, one entry per node in graph order; null when the window
     * has no forecast (load shedding).
     */
    public TrajectoryForecast forecast(WindowResult r) {
        if (r.forecast == null) {
            return null;
        }
        int n = r.nodes();
        int h = r.horizon;
        int dims = r.dims;
        List<AgentForecast> agents = new ArrayList<>(n);
        for (int a = 0; a < n; a++) {
            List<Double> x = new ArrayList<>(h);
            List<Double> y = new ArrayList<>(h);
            List<Double> z = dims == 3 ? new ArrayList<>(h) : null;
            for (int s = 0; s < h; s++) {
                int base = (a * h + s) * dims;
                x.add(r.forecast[base]);
                y.add(r.forecast[base + 1]);
                if (z != null) {
                    z.add(r.forecast[base + 2]);
                }
            }
            agents.add(AgentForecast.newBuilder().setAgentId(r.agentIds[a]).setX(x).setY(y).setZ(z).build());
        }
        return TrajectoryForecast.newBuilder()
                .setSceneId(r.sceneId)
                .setModelId(modelId(r))
                .setOriginTimeMs(r.endTimeMs)
                .setOriginFrame(r.endFrame)
                .setStepPeriodMs(r.modelId != null ? r.stepPeriodMs : periodMs)
                .setHorizon(h)
                .setAgents(agents)
                .setStrideMs(r.strideMs > 0 ? r.strideMs : null)
                .build();
    }

    /** The Avro dead letter. */
    public static DeadLetter deadLetter(DeadLetterEvent d) {
        return DeadLetter.newBuilder()
                .setSourceTopic(d.sourceTopic == null ? "" : d.sourceTopic)
                .setSourcePartition(d.sourcePartition)
                .setSourceOffset(d.sourceOffset)
                .setErrorKind(d.errorKind)
                .setReason(d.reason)
                .setKey(d.key == null ? null : ByteBuffer.wrap(d.key))
                .setValue(d.value == null ? null : ByteBuffer.wrap(d.value))
                .setTimeMs(d.timeMs)
                .build();
    }
}
