package dev.nristream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.replay.Speed;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {

    static final Path ROOT = Path.of("/project");

    @Test
    void defaults() {
        DemoSettings s = DemoSettings.builder().setProjectRoot(ROOT).build();
        assertThat(s.scenario()).isEqualTo(Scenario.SPRINGS);
        assertThat(s.scenes()).isEqualTo(8);
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.speed()).isEqualTo(Speed.REAL_TIME);
        assertThat(s.duration()).isNull();
        assertThat(s.bootstrap()).isNull();
        assertThat(s.registry()).isNull();
        assertThat(s.externalKafka()).isFalse();
        assertThat(s.partitions()).isEqualTo(1);
        assertThat(s.httpPort()).isZero();
        assertThat(s.refresh()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.model()).isNull();
        assertThat(s.jobSettings()).isEmpty();
        assertThat(s.logFile()).isEqualTo(ROOT.resolve("cli/target/demo.log"));
        assertThat(ROOT.resolve(DemoSettings.SPRINGS_MODEL)).isEqualTo(Path.of("/project/models/springs5-live"));
        assertThat(ROOT.resolve(DemoSettings.MOCAP_DATA).normalize())
                .isEqualTo(Path.of("/shared/data/cmu-mocap/subject35"));
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> DemoSettings.builder().build()).hasMessageContaining("setProjectRoot");
        assertThatThrownBy(() -> b().withScenes(0).build()).hasMessageContaining("--scenes");
        assertThatThrownBy(() -> b().withDuration(Duration.ZERO).build()).hasMessageContaining("--duration");
        // no game file: the real Cleveland test plays (DemoPlan)
        assertThat(b().withScenario(Scenario.SPORTVU).build().sportvuFile()).isNull();
        assertThatThrownBy(() -> b().withSportvuFile(Path.of("g.json")).build())
                .hasMessageContaining("--scenario sportvu");
        assertThatThrownBy(() -> b().withMocapDir(Path.of("d")).build()).hasMessageContaining("--data");
        assertThatThrownBy(() -> b().withRegistry("localhost:8081").build()).hasMessageContaining("http");
        assertThatThrownBy(() -> b().withJobSetting("topic.graphs", "x").build())
                .hasMessageContaining("topic.graphs");
        assertThatThrownBy(() -> b().withHttpPort(70_000).build()).hasMessageContaining("--http-port");
        assertThatThrownBy(() -> Scenario.parse("football"))
                .hasMessageContaining("springs, charged, kuramoto, mocap, sportvu");
    }

    private static DemoSettings.Builder b() {
        return DemoSettings.builder().setProjectRoot(ROOT);
    }
}
