package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    static final String SPRINGS = """
            {"model_id": "springs5-test", "system": "springs", "atoms": 5, "dynamic_atoms": true,
             "window_length": 49, "feature_layout": ["x", "y", "vx", "vy"], "spatial_dims": 2,
             "sampling_rate_hz": 10.0, "edge_types": 2, "edge_type_names": ["none", "spring"], "no_edge_type": 0,
             "normalisation": {"loc_min": -5.0, "loc_max": 5.0, "vel_min": -2.0, "vel_max": 2.0},
             "encoder_file": "encoder.onnx", "decoder_file": "decoder.onnx",
             "training": {"command": "nri train", "seed": 42, "data": "springs5", "git_revision": "abc"},
             "test_metrics": {"edge_accuracy": 0.99}, "some_future_key": 1}
            """;

    @Test
    void readsSnakeCaseKeys() {
        ModelSpec s = ModelSpec.parse(SPRINGS);
        assertThat(s.modelId()).isEqualTo("springs5-test");
        assertThat(s.atoms()).isEqualTo(5);
        assertThat(s.windowLength()).isEqualTo(49);
        assertThat(s.features()).isEqualTo(4);
        assertThat(s.hasVelocities()).isTrue();
        assertThat(s.periodMs()).isEqualTo(100.0);
        assertThat(s.noEdgeTypeOrNone()).isZero();
        assertThat(s.normalisation().velMax()).isEqualTo(2.0);
        assertThat(s.training().seed()).isEqualTo(42L);
        assertThat(s.training().gitRevision()).isEqualTo("abc");
        assertThat(s.acceptsAtoms(11)).isTrue();
        assertThat(s.acceptsAtoms(1)).isFalse();
    }

    @Test
    void roundTripsThroughJson() {
        ModelSpec s = ModelSpec.parse(SPRINGS);
        assertThat(ModelSpec.parse(s.toJson())).isEqualTo(s);
        assertThat(s.toJson()).contains("\"window_length\"").contains("\"loc_min\"");
    }

    @Test
    void aModelJsonWithoutKindsIsAnMlpModel() {
        ModelSpec s = ModelSpec.parse(SPRINGS);
        assertThat(s.encoderKindOrDefault()).isEqualTo(ModelSpec.ENCODER_MLP);
        assertThat(s.decoderKindOrDefault()).isEqualTo(ModelSpec.DECODER_MLP);
        assertThat(s.recurrentDecoder()).isFalse();
        assertThat(s.dynamicWindow()).isFalse();
        assertThat(s.decoderFrames()).isEqualTo(1);
        // Written back without the new keys: old readers see the file they always did.
        assertThat(s.toJson()).doesNotContain("encoder_kind").doesNotContain("decoder_kind")
                .doesNotContain("decoder_hidden");
    }

    @Test
    void recurrentAndCnnKindsAreReadAndChecked() {
        String rnn = SPRINGS.replace("\"some_future_key\": 1", "\"encoder_kind\": \"cnn\", "
                + "\"decoder_kind\": \"recurrent\", \"decoder_hidden\": 64, \"decoder_burn_in\": 20");
        ModelSpec s = ModelSpec.parse(rnn);
        assertThat(s.recurrentDecoder()).isTrue();
        assertThat(s.dynamicWindow()).isTrue();
        assertThat(s.decoderHidden()).isEqualTo(64);
        assertThat(s.decoderFrames()).isEqualTo(20);
        assertThat(ModelSpec.parse(s.toJson())).isEqualTo(s);
        assertThat(ModelSpec.parse(rnn.replace(", \"decoder_burn_in\": 20", "")).decoderFrames()).isEqualTo(49);
        assertThatThrownBy(() -> ModelSpec.parse(rnn.replace("\"cnn\"", "\"lstm\"")
                .replace("\"recurrent\"", "\"gru\"")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("encoder_kind must be mlp or cnn, got 'lstm'")
                .hasMessageContaining("decoder_kind must be mlp or recurrent, got 'gru'");
        assertThatThrownBy(() -> ModelSpec.parse(rnn.replace(", \"decoder_hidden\": 64", "")))
                .hasMessageContaining("decoder_hidden is missing (required for decoder_kind recurrent)");
        assertThatThrownBy(() -> ModelSpec.parse(rnn.replace("\"decoder_burn_in\": 20", "\"decoder_burn_in\": 50")))
                .hasMessageContaining("decoder_burn_in must be in [1, window_length=49], got 50");
        assertThatThrownBy(() -> ModelSpec.parse(rnn.replace("\"recurrent\"", "\"mlp\"")))
                .hasMessageContaining("decoder_hidden is set but decoder_kind is mlp")
                .hasMessageContaining("decoder_burn_in is set but decoder_kind is mlp");
        assertThatThrownBy(() -> ModelSpec.parse(rnn.replace("\"window_length\": 49", "\"window_length\": 10")
                .replace(", \"decoder_burn_in\": 20", "")))
                .hasMessageContaining("window_length must be >= 14 for encoder_kind cnn, got 10");
    }

    @Test
    void namesEveryMissingField() {
        assertThatThrownBy(() -> ModelSpec.parse("{\"model_id\": \"m\", \"atoms\": 5}"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("window_length is missing")
                .hasMessageContaining("feature_layout is missing")
                .hasMessageContaining("spatial_dims is missing")
                .hasMessageContaining("sampling_rate_hz is missing")
                .hasMessageContaining("edge_types is missing")
                .hasMessageContaining("normalisation is missing")
                .hasMessageNotContaining("model_id");
    }

    @Test
    void namesInvalidValues() {
        String bad = SPRINGS.replace("\"loc_max\": 5.0", "\"loc_max\": -6.0")
                .replace("\"edge_types\": 2", "\"edge_types\": 3")
                .replace("[\"x\", \"y\", \"vx\", \"vy\"]", "[\"x\", \"y\", \"z\", \"vx\"]");
        assertThatThrownBy(() -> ModelSpec.parse(bad))
                .hasMessageContaining("normalisation.loc_max (-6.0) must be greater than normalisation.loc_min")
                .hasMessageContaining("edge_type_names has 2 names but edge_types is 3")
                .hasMessageContaining("feature_layout [x, y, z, vx] does not match spatial_dims=2");
    }

    @Test
    void positionOnlyLayoutNeedsNoVelocityConstants() {
        String posOnly = SPRINGS.replace("[\"x\", \"y\", \"vx\", \"vy\"]", "[\"x\", \"y\"]")
                .replace(", \"vel_min\": -2.0, \"vel_max\": 2.0", "");
        ModelSpec s = ModelSpec.parse(posOnly);
        assertThat(s.hasVelocities()).isFalse();
        assertThat(s.features()).isEqualTo(2);
    }

    @Test
    void feedMismatchNamesModelAndFeed() {
        ModelSpec s = ModelSpec.parse(SPRINGS);
        s.requireFeed(2, "scene sim-1");
        assertThatThrownBy(() -> s.requireFeed(3, "scene 86_01 (CMU mocap joints)"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("springs5-test")
                .hasMessageContaining("2D features [x, y, vx, vy]")
                .hasMessageContaining("scene 86_01 (CMU mocap joints) has 3D positions");
    }

    @Test
    void feedDimsLetsATwoDimensionalModelServeThreeDimensionalFramesByTheirFirstAxes() {
        ModelSpec s = ModelSpec.parse(SPRINGS.replace("\"spatial_dims\": 2", "\"spatial_dims\": 2, \"feed_dims\": 3"));
        assertThat(s.feedDims()).isEqualTo(3);
        assertThat(s.servesDims(2)).isTrue();
        assertThat(s.servesDims(3)).isTrue();
        assertThat(s.dropsAxes(3)).isTrue();
        assertThat(s.dropsAxes(2)).isFalse();
        s.requireFeed(3, "scene g-p1");
        assertThat(ModelSpec.parse(s.toJson()).feedDims()).isEqualTo(3);
        assertThat(ModelSpec.parse(SPRINGS).dropsAxes(3)).isFalse();
        assertThatThrownBy(() -> ModelSpec.parse(SPRINGS.replace("\"spatial_dims\": 2",
                "\"spatial_dims\": 2, \"feed_dims\": 2")))
                .hasMessageContaining("feed_dims must be more than spatial_dims (2) and at most 3, got 2");
    }

    @Test
    void expectedLayouts() {
        assertThat(ModelSpec.expectedLayout(2)).isEqualTo(List.of("x", "y", "vx", "vy"));
        assertThat(ModelSpec.expectedLayout(3)).isEqualTo(List.of("x", "y", "z", "vx", "vy", "vz"));
    }
}
