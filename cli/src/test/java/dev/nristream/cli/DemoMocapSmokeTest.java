package dev.nristream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nri demo --scenario mocap} with the shipped models/mocap35 on the real CMU subject 35 trials: the feed's
 * frames reach the model in the units and at the rate it was trained on (metres, resampled to 30 Hz), so every
 * window is scored, none is out of the trained range, nothing is dead-lettered, and the forecasts are far closer
 * than standing still would be.
 */
class DemoMocapSmokeTest {

    @TempDir
    Path tmp;

    @Test
    void theMotionCaptureModelScoresTheSubjectsWalks() throws Exception {
        Path summary = tmp.resolve("summary.json");
        DemoCommandTest.Run r = DemoCommandTest.run("demo", "--scenario", "mocap", "--duration", "40s",
                "--data", DemoCommandTest.MOCAP.toString(), "--summary", summary.toString(),
                "--log", tmp.resolve("demo.log").toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(summary.toFile());
        assertThat(j.get("outcome").asText()).isEqualTo("completed");
        assertThat(j.get("model").get("id").asText()).isEqualTo("mocap35");
        assertThat(j.get("records_per_topic").get("nri.graphs").asLong()).isPositive();
        assertThat(j.get("records_per_topic").get("nri.forecasts").asLong()).isPositive();
        assertThat(j.get("dead_letters_by_kind").size()).as("dead letters %s", j.get("dead_letters_by_kind"))
                .isZero();
        // In ASF units (1/0.45 inch) instead of metres every window was out of range.
        assertThat(j.get("graphs_out_of_range").asLong()).isZero();
        assertThat(j.get("forecast_error_unit").asText()).isEqualTo("m");
        JsonNode first = j.get("forecast_error_by_step").get(0);
        assertThat(first.get("step").asInt()).isEqualTo(1);
        // A walking joint moves ~5 cm per 30 Hz frame (1.4 m/s); the 1-step forecast misses by far less.
        assertThat(first.get("mean_error").asDouble()).isBetween(0.0, 0.02);
    }
}
