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

    @Test
    void encoderStepsAreCheckedAndNamed() {
        assertThatThrownBy(() -> NriConfig.builder().timesteps(25).encoderSteps(0).build())
                .hasMessageContaining("--encoder-steps must be in [1, --timesteps 25], got 0");
        assertThatThrownBy(() -> NriConfig.builder().timesteps(25).encoderSteps(26).build())
                .hasMessageContaining("--encoder-steps must be in [1, --timesteps 25], got 26");
        assertThatThrownBy(() -> NriConfig.builder().timesteps(25).encoderSteps(13)
                .encoder(NriConfig.EncoderKind.CNN).build())
                .hasMessageContaining("CNN encoder needs windows of at least 14 steps, got 13 (--encoder-steps)");
        assertThat(NriConfig.builder().timesteps(25).encoderSteps(17).build().encoderWindow()).isEqualTo(17);
        // All T steps is the default, stored as such: the same config as without the option.
        NriConfig all = NriConfig.builder().timesteps(25).encoderSteps(25).build();
        assertThat(all.encoderSteps()).isNull();
        assertThat(all).isEqualTo(NriConfig.builder().timesteps(25).build());
        assertThat(NriConfig.builder().timesteps(25).encoderSteps(17).build())
                .isNotEqualTo(NriConfig.builder().timesteps(25).build());
    }

    @Test
    void theFullGraphNeedsOneMessagePassingTypeAndNoEncoderOptions() {
        NriConfig full = NriConfig.builder().skipFirst(true).graph(NriConfig.GraphKind.FULL).build();
        assertThat(full.fullGraph()).isTrue();
        assertThatThrownBy(() -> NriConfig.builder().graph(NriConfig.GraphKind.FULL).build())
                .hasMessageContaining("--graph full").hasMessageContaining("needs --skip-first --edge-types 2");
        assertThatThrownBy(() -> NriConfig.builder().skipFirst(true).edgeTypes(3).graph(NriConfig.GraphKind.FULL)
                .build()).hasMessageContaining("needs --skip-first --edge-types 2");
        assertThatThrownBy(() -> full.toBuilder().encoder(NriConfig.EncoderKind.CNN).build())
                .hasMessageContaining("--graph full has no encoder; --encoder cnn does not apply");
        assertThatThrownBy(() -> full.toBuilder().timesteps(25).encoderSteps(17).build())
                .hasMessageContaining("--encoder-steps does not apply");
        assertThatThrownBy(() -> full.toBuilder().prior(new double[] {0.9, 0.1}).build())
                .hasMessageContaining("--prior does not apply");
        assertThat(NriConfig.builder().graph(null).build().graph()).isEqualTo(NriConfig.GraphKind.LEARNED);
    }

    @Test
    void theNewFieldsRoundTripThroughJsonAndAreAbsentByDefault() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
        String plain = json.writeValueAsString(NriConfig.builder().build());
        // A default config writes what it always did: older readers and run.json diffs see nothing new.
        assertThat(plain).doesNotContain("encoder_steps").doesNotContain("graph");
        NriConfig steps = NriConfig.builder().timesteps(25).encoderSteps(17).build();
        NriConfig full = NriConfig.builder().skipFirst(true).graph(NriConfig.GraphKind.FULL).build();
        assertThat(json.writeValueAsString(steps)).contains("\"encoder_steps\":17");
        assertThat(json.writeValueAsString(full)).contains("\"graph\":\"FULL\"");
        assertThat(json.readValue(json.writeValueAsString(steps), NriConfig.class)).isEqualTo(steps);
        assertThat(json.readValue(json.writeValueAsString(full), NriConfig.class)).isEqualTo(full);
        // run.json of older runs: no such keys = all steps, learned graph.
        NriConfig old = json.readValue(plain, NriConfig.class);
        assertThat(old.encoderSteps()).isNull();
        assertThat(old.graph()).isEqualTo(NriConfig.GraphKind.LEARNED);
        assertThat(old).isEqualTo(NriConfig.builder().build());
    }
}
