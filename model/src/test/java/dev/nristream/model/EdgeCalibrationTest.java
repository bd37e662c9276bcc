package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EdgeCalibrationTest {

    @Test
    void temperatureScalingOfProbabilitiesEqualsSoftmaxOfScaledLogits() {
        float[] logits = {2.0f, -1.0f, 0.3f, 0.1f, -4f, 5f};
        float[] probs = Calibration.softmax(logits, 3);
        EdgeCalibration c = EdgeCalibration.temperature(2.0, "test", 0.2, 0.01);
        float[] fromProbs = c.apply(probs, 3);
        float[] fromLogits = c.applyToScores(logits, 3);
        for (int i = 0; i < probs.length; i++) {
            assertThat(fromProbs[i]).isCloseTo(fromLogits[i], within(1e-6f));
        }
        // T = 2 halves the logit gaps: p0/p1 = e^(3/2) in the first row.
        assertThat((double) fromProbs[0] / fromProbs[1]).isCloseTo(Math.exp(1.5), within(1e-4));
        assertThat(fromProbs[5]).isLessThan(probs[5]); // softer, same argmax
        assertThat(fromProbs[5]).isGreaterThan(Math.max(fromProbs[3], fromProbs[4]));
    }

    @Test
    void aZeroProbabilityStaysZeroAndTheIdentityIsANoOp() {
        float[] probs = {1f, 0f, 0.25f, 0.75f};
        float[] out = EdgeCalibration.temperature(3, "t", 0, 0).apply(probs, 2);
        assertThat(out[0]).isEqualTo(1f);
        assertThat(out[1]).isEqualTo(0f);
        assertThat(out[2] + out[3]).isCloseTo(1f, within(1e-6f));
        assertThat(EdgeCalibration.NONE.apply(probs, 2)).isSameAs(probs);
    }

    @Test
    void modelJsonCarriesTheCalibrationAndRefusesNonsense() {
        ModelSpec plain = ModelSpec.parse(ModelSpecTest.SPRINGS);
        assertThat(plain.calibration()).isEqualTo(EdgeCalibration.NONE); // older model.json: uncalibrated
        ModelSpec calibrated = plain.withCalibration(EdgeCalibration.temperature(2.25, "valid", 0.08, 0.012));
        String json = calibrated.toJson();
        assertThat(json).contains("\"edge_calibration\"").contains("\"temperature\" : 2.25");
        assertThat(ModelSpec.parse(json)).isEqualTo(calibrated);
        assertThat(ModelSpec.parse(json).calibration().eceAfter()).isEqualTo(0.012);
        String zero = json.replace("\"temperature\" : 2.25", "\"temperature\" : 0");
        assertThatThrownBy(() -> ModelSpec.parse(zero))
                .hasStackTraceContaining("edge_calibration.temperature must be a positive number, got 0.0");
        String platt = json.replace("\"method\" : \"temperature\"", "\"method\" : \"platt\"");
        assertThatThrownBy(() -> ModelSpec.parse(platt))
                .hasStackTraceContaining("edge_calibration.method must be 'temperature', got 'platt'");
    }
}
