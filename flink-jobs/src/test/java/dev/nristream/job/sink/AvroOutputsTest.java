package dev.nristream.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.DeadLetter;
import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.TrajectoryForecast;
import dev.nristream.job.DeadLetterEvent;
import dev.nristream.job.DeadLetterKind;
import dev.nristream.job.WindowResult;
import dev.nristream.job.testing.StreamTestKit;
import dev.nristream.model.ModelDirectory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AvroOutputsTest {

    final AvroOutputs avro = new AvroOutputs(ModelDirectory.open(StreamTestKit.goldenModel()).spec());

    static WindowResult result() {
        WindowResult r = new WindowResult();
        r.sceneId = "s";
        r.agentIds = new String[] {"a", "b", "c"};
        r.edgeTypes = 2;
        // edges (0,1) (0,2) (1,0) (1,2) (2,0) (2,1); type 1 likelier on (0,2) and (2,1)
        r.edgeProbs = new float[] {0.9f, 0.1f, 0.2f, 0.8f, 0.7f, 0.3f, 0.6f, 0.4f, 0.55f, 0.45f, 0.1f, 0.9f};
        r.horizon = 2;
        r.dims = 2;
        r.forecast = new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // [a|b|c][h0|h1][x|y]
        r.startTimeMs = 100;
        r.endTimeMs = 4900;
        r.startFrame = 1;
        r.endFrame = 49;
        r.processingTimeMs = 5000;
        r.outOfRangeFraction = 0.125f;
        return r;
    }

    @Test
    void graphListsEveryOrderedPairWithItsMostLikelyType() {
        InteractionGraph g = avro.graph(result());
        assertThat(g.getModelId()).isEqualTo("golden-random-springs");
        assertThat(g.getEdges()).extracting(e -> e.getReceiver() + "<-" + e.getSender())
                .containsExactly("a<-b", "a<-c", "b<-a", "b<-c", "c<-a", "c<-b");
        assertThat(g.getEdges()).extracting(e -> e.getEdgeType()).containsExactly(0, 1, 0, 0, 0, 1);
        assertThat(g.getEdges().get(1).getProbabilities()).containsExactly(0.2f, 0.8f);
        assertThat(g.getWindowEndFrame()).isEqualTo(49);
        assertThat(g.getProcessingTimeMs()).isEqualTo(5000);
        assertThat(g.getOutOfRangeFraction()).isEqualTo(0.125f);
        assertThat(g.getEdgeTypeNames()).containsExactly("none", "spring");
        assertThat(g.getNoEdgeType()).as("model.json's no_edge_type, so consumers need not guess it by name")
                .isEqualTo(ModelDirectory.open(StreamTestKit.goldenModel()).spec().noEdgeTypeOrNone()).isZero();
    }

    @Test
    void forecastIsPerAgentInNodeOrder() {
        TrajectoryForecast f = avro.forecast(result());
        assertThat(f.getOriginTimeMs()).isEqualTo(4900);
        assertThat(f.getOriginFrame()).isEqualTo(49);
        assertThat(f.getStepPeriodMs()).isEqualTo(100.0);
        assertThat(f.getAgents()).extracting(a -> a.getAgentId()).containsExactly("a", "b", "c");
        assertThat(f.getAgents().get(1).getX()).containsExactly(5.0, 7.0);
        assertThat(f.getAgents().get(1).getY()).containsExactly(6.0, 8.0);
        assertThat(f.getAgents().get(2).getZ()).isNull();
    }

    @Test
    void deadLetterKeepsTheRawBytes() {
        DeadLetter d = AvroOutputs.deadLetter(DeadLetterEvent.of("t", 1, 7, DeadLetterKind.UNDECODABLE, "bad",
                new byte[] {1}, new byte[] {2, 3}, 99));
        assertThat(d.getErrorKind()).isEqualTo("UNDECODABLE");
        assertThat(d.getValue()).isEqualTo(ByteBuffer.wrap(new byte[] {2, 3}));
        assertThat(d.getSourceOffset()).isEqualTo(7);
    }
}
