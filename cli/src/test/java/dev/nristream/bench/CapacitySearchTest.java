package dev.nristream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.job.JobConfig;
import dev.nristream.model.NriOnnxModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What counts as holding a scene count in the capacity search. */
class CapacitySearchTest {

    private static StreamBenchmark.Options options(int scenes) {
        return new StreamBenchmark.Options(scenes, 11, 25, 20, 10, Path.of("models/springs5"), 4, 2,
                JobConfig.Delivery.EXACTLY_ONCE, 200, 32, 20, 0, 1, true, NriOnnxModel.DecoderPath.SPARSE,
                JobConfig.RolloutEdges.HARD, 0);
    }

    private static StreamBenchmark.Result result(int scenes, double graphs, double forecasts, double p99) {
        return new StreamBenchmark.Result(options(scenes), "m", 0, 0, 0, graphs, 0, forecasts, 100, p99, p99, 50, p99,
                0, 1000, 1000);
    }

    @Test
    void holdsNeedsEveryGraphAndForecastAndP99UnderTheLimit() {
        assertThat(CapacitySearch.holds(result(100, 99.4, 99.4, 499))).isTrue();
        assertThat(CapacitySearch.holds(result(100, 99.4, 99.4, 501))).as("p99 over 500 ms").isFalse();
        assertThat(CapacitySearch.holds(result(100, 95.0, 95.0, 300))).as("graphs fall short").isFalse();
        assertThat(CapacitySearch.holds(result(100, 99.4, 60.0, 300))).as("forecasts shed").isFalse();
    }

    @Test
    void badSearchSettingsAreNamed() {
        assertThatThrownBy(() -> new CapacitySearch(options(10), 0, 10)).hasMessageContaining("start and resolution");
        assertThat(options(10).withScenes(40).scenes()).isEqualTo(40);
    }
}
