package dev.nristream.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vectorised ELU equals ONNX Runtime's Elu kernel, and the rewrite replaces every alpha-1 Elu node. */
class EluRewriteTest {

    private static OnnxMl.ModelProto eluGraph() {
        OnnxGraph g = new OnnxGraph("elu");
        String x = g.input("x", "N");
        g.output(g.op("Elu", x), "y", "N");
        return g.model(NriOnnxExporter.OPSET, Map.of());
    }

    private static float[] run(OnnxMl.ModelProto m, float[] x) throws Exception {
        return LargeStack.call(() -> {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession s = env.createSession(m.toByteArray(), new OrtSession.SessionOptions());
                    OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {x.length});
                    OrtSession.Result r = s.run(Map.of("x", t))) {
                FloatBuffer fb = ((OnnxTensor) r.get("y").get()).getFloatBuffer();
                float[] y = new float[fb.remaining()];
                fb.get(y);
                return y;
            }
        });
    }

    @Test
    void rewrittenGraphMatchesTheEluKernel() throws Exception {
        float[] x = new float[4001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((i - 2000) / 100.0);
        }
        x[0] = -1e-8f;
        x[1] = 1e-8f;
        x[2] = -88f;
        x[3] = 0f;
        OnnxMl.ModelProto old = eluGraph();
        assertThat(EluRewrite.count(old)).isEqualTo(1);
        OnnxMl.ModelProto rewritten = EluRewrite.apply(old);
        assertThat(EluRewrite.count(rewritten)).isZero();
        assertThat(rewritten.getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
                .doesNotContain("Elu").contains("Min", "Exp", "Sub", "Max");
        float[] a = run(old, x);
        float[] b = run(rewritten, x);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) b[i]).as("x = %s", x[i]).isCloseTo(a[i], org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(EluRewrite.apply(rewritten)).as("idempotent").isSameAs(rewritten);
    }
}
