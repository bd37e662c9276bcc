package dev.nristream.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nristream.trainer.train.TrainOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NriConfigTest {
    @Test
    void defaultsAreThePapers() {
        NriConfig c = NriConfig.builder().build();
        assertThat(c.encoderHidden()).isEqualTo(256);
        assertThat(c.decoderHidden()).isEqualTo(256);
        assertThat(c.edgeTypes()).isEqualTo(2);
        assertThat(c.timesteps()).isEqualTo(49);
        assertThat(c.dims()).isEqualTo(4);
        assertThat(c.atoms()).isEqualTo(5);
        assertThat(c.tau()).isEqualTo(0.5);
        assertThat(c.hard()).isFalse();
        assertThat(c.skipFirst()).isFalse();
        assertThat(c.variance()).isEqualTo(5e-5);
        assertThat(c.predictionSteps()).isEqualTo(10);
        assertThat(c.prior()).isNull();
        assertThat(c.encoderDropout()).isZero();
        assertThat(c.decoderDropout()).isZero();
        assertThat(c.edges()).isEqualTo(20);
        assertThat(c.noEdgeType()).isEqualTo(-1);

        TrainOptions o = TrainOptions.defaults(Path.of("d"), "_springs5", Path.of("o"));
        assertThat(o.batchSize()).isEqualTo(128);
        assertThat(o.learningRate()).isEqualTo(5e-4);
        assertThat(o.lrDecay()).isEqualTo(200);
        assertThat(o.gamma()).isEqualTo(0.5);
        assertThat(o.epochs()).isEqualTo(500);
        assertThat(o.seed()).isEqualTo(42);
    }

    @Test
    void learningRateIsHalvedEvery200Epochs() {
        TrainOptions o = TrainOptions.defaults(Path.of("d"), "_springs5", Path.of("o"));
        assertThat(o.learningRate(0)).isEqualTo(5e-4);
        assertThat(o.learningRate(199)).isEqualTo(5e-4);
        assertThat(o.learningRate(200)).isEqualTo(2.5e-4);
        assertThat(o.learningRate(400)).isEqualTo(1.25e-4);
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> NriConfig.builder().prior(new double[] {0.5, 0.3}).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prior must sum to 1");
        assertThatThrownBy(() -> NriConfig.builder().prior(new double[] {0.91, 0.03, 0.06}).build())
                .hasMessageContaining("3 entries but there are 2 edge types");
        assertThatThrownBy(() -> NriConfig.builder().predictionSteps(60).build())
                .hasMessageContaining("prediction steps");
        assertThatThrownBy(() -> NriConfig.builder().edgeTypes(1).build()).hasMessageContaining("edge types");
    }
}
