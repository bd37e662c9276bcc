package dev.nristream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nristream.avro.Agent;
import dev.nristream.avro.CoordinateSystem;
import dev.nristream.avro.GroundTruthEdge;
import dev.nristream.avro.PositionFrame;
import dev.nristream.avro.SourceKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesSinkTest {

    @Test
    void writesOneObjectPerLineWithOnlyTheFieldsThatAreSet() throws Exception {
        PositionFrame f = new PositionFrame("s", SourceKind.SIMULATION, 3L, 1234L, 10.0,
                new CoordinateSystem("sim", "center", 2, null),
                List.of(new Agent("p0", null, null, 1.5, -2.0, null, 0.1, 0.2, null),
                        new Agent("ball", "t", "ball", 3.0, 4.0, 5.0, null, null, null)),
                List.of(new GroundTruthEdge("p1", "p0", 1)), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesSink sink = new JsonLinesSink(out)) {
            sink.accept(f);
            sink.accept(f);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode n = new ObjectMapper().readTree(lines[1]);
        assertThat(n.get("scene").asText()).isEqualTo("s");
        assertThat(n.get("frame").asLong()).isEqualTo(3);
        assertThat(n.get("time_ms").asLong()).isEqualTo(1234);
        assertThat(n.get("rate_hz").asDouble()).isEqualTo(10.0);
        JsonNode p0 = n.get("agents").get(0);
        assertThat(p0.get("x").asDouble()).isEqualTo(1.5);
        assertThat(p0.get("vy").asDouble()).isEqualTo(0.2);
        assertThat(p0.has("z")).isFalse();
        assertThat(p0.has("team")).isFalse();
        assertThat(n.get("agents").get(1).get("z").asDouble()).isEqualTo(5.0);
        assertThat(n.get("agents").get(1).get("team").asText()).isEqualTo("t");
        assertThat(n.get("edges").get(0).get("type").asInt()).isEqualTo(1);
        assertThat(lines[0]).doesNotStartWith(" ");
        assertThat(lines[1]).doesNotStartWith(" ");
    }
}
