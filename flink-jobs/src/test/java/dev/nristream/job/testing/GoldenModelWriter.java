package dev.nristream.job.testing;

import ai.onnx.proto.OnnxMl;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.TensorNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the golden random-weight model in {@code src/test/resources/golden-model}: a small NRI-shaped encoder
 * (node MLP -> edge MLP over (sender, receiver) -> softmax over K) and decoder (edge messages gated by the edge
 * weights, summed at the receiver, a residual step), following the {@link TensorNames} contract with dynamic B and
 * N. It stands in for a trained model so the job's tests run without one; it was written once and committed.
 * Regenerate (same seed, same bytes) with:
 *
 * <pre>{@code
 * mvn -o -q test-compile -pl flink-jobs && java -cp "$(cat cp.txt):flink-jobs/target/test-classes:..." \
 *     dev.nristream.job.testing.GoldenModelWriter flink-jobs/src/test/resources/golden-model
 * }</pre>
 */
public final class GoldenModelWriter {

    static final int T = 49;
    static final int D = 4;
    static final int K = 2;
    static final int HIDDEN = 16;
    static final long SEED = 7;

    private GoldenModelWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "flink-jobs/src/test/resources/golden-model");
        write(dir);
        System.out.println("wrote " + dir.toAbsolutePath());
    }

    /** Writes model.json, encoder.onnx and decoder.onnx into {@code dir}. */
    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(SEED);
        Files.write(dir.resolve("encoder.onnx"), encoder(rnd).toByteArray());
        Files.write(dir.resolve("decoder.onnx"), decoder(rnd).toByteArray());
        ModelSpec spec = new ModelSpec("golden-random-springs", "springs", 5, true, T, List.of("x", "y", "vx", "vy"),
                2, 10.0, K, List.of("none", "spring"), 0, new ModelSpec.Normalisation(-5.0, 5.0, -2.0, 2.0),
                "encoder.onnx", "decoder.onnx",
                new ModelSpec.Provenance("GoldenModelWriter (random weights, not trained)", SEED, "none", null, null,
                        null),
                Map.of());
        spec.write(dir.resolve(ModelSpec.FILE_NAME));
    }

    static OnnxMl.ModelProto encoder(SplittableRandom rnd) {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("nri_encoder");
        g.addInput(input(TensorNames.TRAJECTORIES, "batch", "atoms", T, D));
        g.addInput(input(TensorNames.REL_REC, "edges", "atoms"));
        g.addInput(input(TensorNames.REL_SEND, "edges", "atoms"));
        g.addInitializer(longs("flat_shape", 0, 0, -1));
        g.addInitializer(weights("w1", rnd, T * D, HIDDEN));
        g.addInitializer(weights("w2", rnd, 2 * HIDDEN, HIDDEN));
        g.addInitializer(weights("w3", rnd, HIDDEN, K));
        g.addNode(node("Reshape", List.of(TensorNames.TRAJECTORIES, "flat_shape"), "x2"));
        g.addNode(node("MatMul", List.of("x2", "w1"), "h1"));
        g.addNode(node("Tanh", List.of("h1"), "emb"));
        g.addNode(node("MatMul", List.of(TensorNames.REL_SEND, "emb"), "send"));
        g.addNode(node("MatMul", List.of(TensorNames.REL_REC, "emb"), "recv"));
        g.addNode(node("Concat", List.of("send", "recv"), "pair").toBuilder().addAttribute(intAttr("axis", -1)));
        g.addNode(node("MatMul", List.of("pair", "w2"), "e1"));
        g.addNode(node("Tanh", List.of("e1"), "e2"));
        g.addNode(node("MatMul", List.of("e2", "w3"), TensorNames.EDGE_LOGITS));
        g.addNode(node("Softmax", List.of(TensorNames.EDGE_LOGITS), TensorNames.EDGE_PROBS).toBuilder()
                .addAttribute(intAttr("axis", -1)));
        g.addOutput(output(TensorNames.EDGE_LOGITS, "batch", "edges", K));
        g.addOutput(output(TensorNames.EDGE_PROBS, "batch", "edges", K));
        return model(g);
    }

    static OnnxMl.ModelProto decoder(SplittableRandom rnd) {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("nri_decoder");
        g.addInput(input(TensorNames.STATE, "batch", "atoms", D));
        g.addInput(input(TensorNames.REL_REC, "edges", "atoms"));
        g.addInput(input(TensorNames.REL_SEND, "edges", "atoms"));
        g.addInput(input(TensorNames.EDGE_WEIGHTS, "batch", "edges", K));
        g.addInitializer(weights("wm", rnd, 2 * D, HIDDEN));
        float[] gate = random(rnd, K * HIDDEN, 1.0);
        for (int m = 0; m < HIDDEN; m++) {
            gate[m] = 0f; // type 0 is "no edge": it carries no message, as in NRI's skip_first
        }
        g.addInitializer(floats("wk", gate, K, HIDDEN));
        g.addInitializer(weights("wo", rnd, HIDDEN, D, 0.05));
        g.addNode(node("MatMul", List.of(TensorNames.REL_SEND, TensorNames.STATE), "send"));
        g.addNode(node("MatMul", List.of(TensorNames.REL_REC, TensorNames.STATE), "recv"));
        g.addNode(node("Concat", List.of("send", "recv"), "pair").toBuilder().addAttribute(intAttr("axis", -1)));
        g.addNode(node("MatMul", List.of("pair", "wm"), "m1"));
        g.addNode(node("Tanh", List.of("m1"), "m2"));
        g.addNode(node("MatMul", List.of(TensorNames.EDGE_WEIGHTS, "wk"), "gate"));
        g.addNode(node("Mul", List.of("m2", "gate"), "msg"));
        g.addNode(node("Transpose", List.of(TensorNames.REL_REC), "rec_t"));
        g.addNode(node("MatMul", List.of("rec_t", "msg"), "agg"));
        g.addNode(node("MatMul", List.of("agg", "wo"), "delta"));
        g.addNode(node("Add", List.of(TensorNames.STATE, "delta"), TensorNames.NEXT_STATE));
        g.addOutput(output(TensorNames.NEXT_STATE, "batch", "atoms", D));
        return model(g);
    }

    private static OnnxMl.ModelProto model(OnnxMl.GraphProto.Builder g) {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("nri-stream GoldenModelWriter")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("model_id")
                        .setValue("golden-random-springs"))
                .setGraph(g)
                .build();
    }

    private static OnnxMl.NodeProto node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output + "_" + op).addAllInput(inputs)
                .addOutput(output).build();
    }

    private static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    private static OnnxMl.ValueInfoProto input(String name, Object... dims) {
        return valueInfo(name, dims);
    }

    private static OnnxMl.ValueInfoProto output(String name, Object... dims) {
        return valueInfo(name, dims);
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof Integer i) {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(i));
            } else {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(d.toString()));
            }
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    private static float[] random(SplittableRandom rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    private static OnnxMl.TensorProto weights(String name, SplittableRandom rnd, int rows, int cols) {
        return weights(name, rnd, rows, cols, 1.0);
    }

    private static OnnxMl.TensorProto weights(String name, SplittableRandom rnd, int rows, int cols, double gain) {
        return floats(name, random(rnd, rows * cols, gain * Math.sqrt(3.0 / rows)), rows, cols);
    }

    private static OnnxMl.TensorProto floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(com.google.protobuf.ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static OnnxMl.TensorProto longs(String name, long... v) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }
}
