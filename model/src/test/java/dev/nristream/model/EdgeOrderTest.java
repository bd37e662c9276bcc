package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EdgeOrderTest {

    @Test
    void rowMajorReceiverOuterSenderInner() {
        int n = 4;
        float[][] m = EdgeOrder.relationMatrices(n);
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
                assertThat(EdgeOrder.endpoints(e, n)).containsExactly(i, j);
                assertThat(EdgeOrder.index(i, j, n)).isEqualTo(e);
                assertThat(EdgeOrder.receivers(n)[e]).isEqualTo(i);
                assertThat(EdgeOrder.senders(n)[e]).isEqualTo(j);
                e++;
            }
        }
        assertThat(e).isEqualTo(EdgeOrder.edgeCount(n));
        assertThat(m[0]).hasSize(12 * 4);
    }

    @Test
    void offDiagonalWalksTheMatrixInEdgeOrder() {
        int[] m = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        // (0,1) (0,2) (1,0) (1,2) (2,0) (2,1)
        assertThat(EdgeOrder.offDiagonal(m, 0, 3)).containsExactly(1, 2, 3, 5, 6, 7);
        assertThatThrownBy(() -> EdgeOrder.index(1, 1, 3)).hasMessageContaining("receiver 1, sender 1");
    }

    @Test
    void deviceParsesAndNamesChoices() {
        assertThat(NriOnnxModel.Device.parse("Cuda")).isEqualTo(NriOnnxModel.Device.CUDA);
        assertThatThrownBy(() -> NriOnnxModel.Device.parse("tpu")).hasMessageContaining("auto, cpu, cuda");
    }
}
