package dev.nristream.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxContractTest {

    private static final ModelSpec SPEC = ModelSpec.parse(ModelSpecTest.SPRINGS);

    @Test
    void matchingOrAbsentFieldsPass() {
        assertThatCode(() -> OnnxContract.check("encoder.onnx", Map.of(), SPEC)).doesNotThrowAnyException();
        assertThatCode(() -> OnnxContract.check("encoder.onnx", Map.of(OnnxContract.MODEL_ID, "springs5-test",
                OnnxContract.EDGE_ORDER, EdgeOrder.DESCRIPTION, OnnxContract.FEATURE_LAYOUT, "x,y,vx,vy"), SPEC))
                .doesNotThrowAnyException();
    }

    @Test
    void anotherEdgeOrderNamesTheModelAndBothOrders() {
        String senderMajor = "e = (sender j, receiver i), i != j, row-major (j outer, i inner); E = N(N-1)";
        assertThatThrownBy(() -> OnnxContract.check("decoder.onnx", Map.of(OnnxContract.EDGE_ORDER, senderMajor),
                SPEC))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("model springs5-test")
                .hasMessageContaining("decoder.onnx")
                .hasMessageContaining(senderMajor)
                .hasMessageContaining(EdgeOrder.DESCRIPTION);
    }

    @Test
    void anotherFeatureLayoutNamesBothLayouts() {
        assertThatThrownBy(() -> OnnxContract.check("encoder.onnx",
                Map.of(OnnxContract.FEATURE_LAYOUT, "x,y,z,vx,vy,vz"), SPEC))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("model springs5-test")
                .hasMessageContaining("'x,y,z,vx,vy,vz'")
                .hasMessageContaining("'x,y,vx,vy'");
    }

    @Test
    void anotherModelIdMeansMixedExports() {
        assertThatThrownBy(() -> OnnxContract.check("encoder.onnx", Map.of(OnnxContract.MODEL_ID, "other"), SPEC))
                .hasMessageContaining("model_id 'other'")
                .hasMessageContaining("'springs5-test'");
    }

    @Test
    void theShippedModelCarriesTheEdgeOrderOfThisCode() {
        Path root = Path.of(System.getProperty("nri.project.root", "..")).toAbsolutePath();
        ModelDirectory dir = ModelDirectory.open(root.resolve("models/springs5"));
        // Opening checks both files' metadata; the shipped export wrote edge_order.
        assertThatCode(() -> NriOnnxModel.open(dir, NriOnnxModel.Options.defaults()
                .withDevice(NriOnnxModel.Device.CPU)).close()).doesNotThrowAnyException();
    }

    @Test
    void silentEdgeTypesAreParsedAndCheckedAgainstK() {
        Map<String, String> skip = Map.of(OnnxContract.SILENT_EDGE_TYPES, "0",
                OnnxContract.MESSAGE_AGGREGATION, OnnxContract.AGGREGATION_SCATTER_ADD);
        org.assertj.core.api.Assertions.assertThat(OnnxContract.silentTypes("r.onnx", skip, 2)).containsExactly(true, false);
        Map<String, String> none = Map.of(OnnxContract.SILENT_EDGE_TYPES, "",
                OnnxContract.MESSAGE_AGGREGATION, OnnxContract.AGGREGATION_SCATTER_ADD);
        org.assertj.core.api.Assertions.assertThat(OnnxContract.silentTypes("r.onnx", none, 3))
                .containsExactly(false, false, false);
        org.assertj.core.api.Assertions.assertThat(OnnxContract.typeList(new int[] {0, 2})).isEqualTo("0,2");
        assertThatThrownBy(() -> OnnxContract.silentTypes("r.onnx", Map.of(), 2)).isInstanceOf(ModelException.class)
                .hasMessageContaining("r.onnx").hasMessageContaining(OnnxContract.SILENT_EDGE_TYPES);
        assertThatThrownBy(() -> OnnxContract.silentTypes("r.onnx", Map.of(OnnxContract.SILENT_EDGE_TYPES, "2",
                OnnxContract.MESSAGE_AGGREGATION, OnnxContract.AGGREGATION_SCATTER_ADD), 2))
                .hasMessageContaining("silent edge type 2 is outside [0, 2)");
        assertThatThrownBy(() -> OnnxContract.silentTypes("r.onnx", Map.of(OnnxContract.SILENT_EDGE_TYPES, "0",
                OnnxContract.MESSAGE_AGGREGATION, "dense_matmul"), 2))
                .hasMessageContaining("'dense_matmul'").hasMessageContaining(OnnxContract.AGGREGATION_SCATTER_ADD);
    }
}
