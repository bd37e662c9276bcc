package dev.nristream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSummaryTest {

    @TempDir
    Path tmp;

    @Test
    void summaryHoldsTheAgreedFieldsAndNullsForWhatWasNotMeasured() throws Exception {
        LiveSnapshot busy = ConsoleViewTest.busyStats().snapshot(10_000);
        Path file = tmp.resolve("out/summary.json");
        DemoSummary.write(file, busy, Map.of("scenario", "springs"));
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        assertThat(j.get("scenario").asText()).isEqualTo("springs");
        assertThat(j.get("seconds_to_first_graph").asDouble()).isEqualTo(7.0);
        assertThat(j.get("records_per_topic").get("nri.graphs").asLong()).isEqualTo(1);
        assertThat(j.get("edge_accuracy").get("overall").asDouble()).isEqualTo(1.0);
        assertThat(j.get("edge_accuracy").get("method").asText()).startsWith("permutation-invariant");
        assertThat(j.get("edge_accuracy").get("per_scene").get("sim-a").asDouble()).isEqualTo(1.0);
        assertThat(j.get("forecast_error_by_step")).hasSize(2);
        assertThat(j.get("forecast_error_by_step").get(1).get("step").asInt()).isEqualTo(2);
        assertThat(j.get("forecast_error_by_step").get(1).get("mean_error").asDouble()).isEqualTo(12.5);
        assertThat(j.get("dead_letters_by_kind").get("LATE").asLong()).isEqualTo(1);
        assertThat(j.get("lag_ms").get("max").asLong()).isEqualTo(100);

        LiveSnapshot empty = new LiveStats(0, -1).snapshot(1_000);
        JsonNode e = new ObjectMapper().valueToTree(DemoSummary.toMap(empty, Map.of()));
        assertThat(e.get("seconds_to_first_graph").isNull()).isTrue();
        assertThat(e.get("edge_accuracy").get("overall").isNull()).isTrue();
        assertThat(e.get("forecast_error_by_step")).isEmpty();
        assertThat(e.get("lag_ms").get("median_latest").isNull()).isTrue();
    }
}
