package dev.nristream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FlinkMiniCluster.class)
class FlinkMiniClusterTest {

    @Test
    void runsATrivialJobOnTheSharedCluster() throws Exception {
        StreamExecutionEnvironment env = FlinkMiniCluster.environment(2);
        List<Integer> out;
        try (CloseableIterator<Integer> it = env.fromData(1, 2, 3, 4, 5)
                .keyBy(i -> i % 2, Types.INT)
                .map(i -> i * 10, Types.INT)
                .executeAndCollect("smoke")) {
            out = new java.util.ArrayList<>();
            it.forEachRemaining(out::add);
        }
        assertThat(out).containsExactlyInAnyOrder(10, 20, 30, 40, 50);
    }

    @Test
    void getExecutionEnvironmentSubmitsToTheSharedCluster() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThat(env.getParallelism()).isEqualTo(FlinkMiniCluster.SLOTS);
        assertThat(env.fromData("a", "b").map(String::toUpperCase, Types.STRING).executeAndCollect(10))
                .containsExactlyInAnyOrder("A", "B");
        assertThat(FlinkMiniCluster.cluster().isRunning()).isTrue();
    }
}
