package dev.nristream.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

    @Test
    void defaultsArePinned() {
        AnalyticsConfig c = AnalyticsConfig.defaults();
        assertThat(c.matchTolerance()).isEmpty();
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.frameRetention()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.errorWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.edgeStatsWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.punctuateInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void toleranceIsHalfTheStepPeriodUnlessSet() {
        assertThat(AnalyticsConfig.defaults().toleranceMs(100.0)).isEqualTo(50);
        assertThat(AnalyticsConfig.defaults().toleranceMs(1000.0 / 120)).isEqualTo(4);
        assertThat(AnalyticsConfig.defaults().toleranceMs(1.0)).isEqualTo(1);
        assertThat(AnalyticsConfig.builder().withMatchTolerance(Duration.ofMillis(7)).build().toleranceMs(100.0))
                .isEqualTo(7);
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> AnalyticsConfig.builder().withGrace(Duration.ofMillis(-1)))
                .hasMessageContaining("grace");
        assertThatThrownBy(() -> AnalyticsConfig.builder().withErrorWindow(Duration.ZERO))
                .hasMessageContaining("errorWindow");
        assertThatThrownBy(() -> AnalyticsConfig.builder().withFrameRetention(Duration.ofSeconds(1))
                .withGrace(Duration.ofSeconds(2)).build())
                .hasMessageContaining("frameRetention");
    }
}
