package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RelationMatricesTest {

    @Test
    void rowMajorReceiverOuterSenderInner() {
        int n = 4;
        float[][] m = NriOnnxModel.relationMatrices(n);
        int e = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                for (int a = 0; a < n; a++) {
                    assertThat(m[0][e * n + a]).isEqualTo(a == i ? 1f : 0f);
                    assertThat(m[1][e * n + a]).isEqualTo(a == j ? 1f : 0f);
                }
                assertThat(NriOnnxModel.edgeEndpoints(e, n)).containsExactly(i, j);
                e++;
            }
        }
        assertThat(e).isEqualTo(NriOnnxModel.edgeCount(n));
        assertThat(m[0]).hasSize(12 * 4);
    }

    @Test
    void deviceParsesAndNamesChoices() {
        assertThat(NriOnnxModel.Device.parse("Cuda")).isEqualTo(NriOnnxModel.Device.CUDA);
        assertThatThrownBy(() -> NriOnnxModel.Device.parse("tpu")).hasMessageContaining("auto, cpu, cuda");
    }
}
