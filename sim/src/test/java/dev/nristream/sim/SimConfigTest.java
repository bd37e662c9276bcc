package dev.nristream.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimConfigTest {

    private static SimConfig.Builder springs() {
        return SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5);
    }

    @Test
    void defaultsAreTheReferenceSetup() {
        SimConfig s = springs().build();
        assertThat(s.length()).isEqualTo(5000);
        assertThat(s.sampleFreq()).isEqualTo(100);
        assertThat(s.recordedSteps()).isEqualTo(49);
        assertThat(s.dt()).isEqualTo(0.001);
        assertThat(s.boxSize()).isEqualTo(5.0);
        assertThat(s.hasWalls()).isTrue();
        assertThat(s.maxForce()).isEqualTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.locStd()).isEqualTo(0.5);
        assertThat(s.velNorm()).isEqualTo(0.5);
        assertThat(s.strength()).isEqualTo(0.1);
        assertThat(s.edgeProbability()).isEqualTo(0.5);
        assertThat(s.noiseStd()).isZero();
        assertThat(s.frameInterval()).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-12));

        SimConfig c = SimConfig.builder().setSystem(SimSystem.CHARGED).setAtoms(5).build();
        assertThat(c.locStd()).isEqualTo(1.0);
        assertThat(c.strength()).isEqualTo(1.0);
        assertThat(c.maxForce()).isEqualTo(100.0, org.assertj.core.data.Offset.offset(1e-9));

        SimConfig k = SimConfig.builder().setSystem(SimSystem.KURAMOTO).setAtoms(5).optLength(10000).build();
        assertThat(k.dt()).isEqualTo(0.01);
        assertThat(k.symmetric()).isFalse();
        assertThat(k.kuramotoPhase()).isTrue();
        assertThat(k.kuramotoNormalized()).isTrue();
        assertThat(k.featureDims()).isEqualTo(4);
        assertThat(k.recordedSteps()).isEqualTo(99);
        assertThat(k.frameInterval()).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void maxForceFollowsDtUnlessSet() {
        assertThat(springs().optDt(1e-4).build().maxForce()).isEqualTo(1000.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(springs().optDt(1e-4).optMaxForce(7).build().maxForce()).isEqualTo(7.0);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        SimConfig a = springs().optLength(300).optSampleFreq(10).optDt(0.002).optBoxSize(3).optLocStd(0.7)
                .optVelNorm(0.3).optStrength(0.2).optEdgeProbability(0.25).optNoiseStd(0.01).build();
        assertThat(a.toBuilder().build().toString()).isEqualTo(a.toString());
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> SimConfig.builder().setAtoms(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("system is not set");
        assertThatThrownBy(() -> SimConfig.builder().setSystem(SimSystem.SPRINGS).build())
                .hasMessageContaining("atoms is not set");
        assertThatThrownBy(() -> springs().setAtoms(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("atoms must be at least 2, got 1");
        assertThatThrownBy(() -> springs().optLength(100).build())
                .hasMessageContaining("length (100) must be greater than the sample frequency (100)");
        assertThatThrownBy(() -> springs().optLength(5050).build())
                .hasMessageContaining("length (5050) must be a multiple of the sample frequency (100)");
        assertThatThrownBy(() -> springs().optSampleFreq(0).build()).hasMessageContaining("sample frequency");
        assertThatThrownBy(() -> springs().optDt(-1).build()).hasMessageContaining("dt must be positive");
        assertThatThrownBy(() -> springs().optEdgeProbability(1.5).build()).hasMessageContaining("edge probability");
        assertThatThrownBy(() -> springs().optNoiseStd(-0.1).build()).hasMessageContaining("noise std");
        assertThatThrownBy(() -> springs().optBoxSize(0).build()).hasMessageContaining("box size");
    }

    @Test
    void systemsParseByName() {
        assertThat(SimSystem.parse("Springs")).isEqualTo(SimSystem.SPRINGS);
        assertThat(SimSystem.parse("kuramoto")).isEqualTo(SimSystem.KURAMOTO);
        assertThatThrownBy(() -> SimSystem.parse("gravity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown system 'gravity' (expected one of springs, charged, kuramoto)");
    }
}
