package dev.nristream.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.onnx.proto.OnnxMl;
import dev.nristream.model.TensorNames;
import dev.nristream.trainer.model.NriConfig;
import dev.nristream.trainer.model.NriModel;
import dev.nristream.trainer.model.ParameterStore;
import java.util.Map;

/**
 * Builds the encoder and decoder ONNX graphs (opset 17) from a model's weights, with the tensor names of
 * {@link TensorNames}. Both graphs take dynamic B and N.
 *
 * <p>Inference form: batch norm uses the running statistics and is folded into the next linear layer where that is
 * exact (a node-level scale and shift followed by a linear map), and kept as one multiply-add otherwise. The first
 * layer of each edge MLP is evaluated on nodes and gathered to edges ([x_i, x_j] W = x_i W_top + x_j W_bottom),
 * which divides its cost by N - 1. Edges are gathered with the indices of the one-hot rows of {@code rel_rec} and
 * {@code rel_send} (ArgMax), so those inputs must be one-hot as the contract says; edge-to-node sums use
 * {@code rel_rec} transposed, and the encoder's mean divides by N read from the input's shape.
 */
public final class NriOnnxExporter {
    public static final int OPSET = 17;
    private static final float BN_EPS = 1e-5f;

    private final NriConfig cfg;
    private final ParameterStore store;

    public NriOnnxExporter(NriModel model) {
        this.cfg = model.config();
        this.store = model.store();
    }

    /** Writes encoder.onnx, decoder.onnx, the sparse rollout.onnx (built from the decoder) and model.json. */
    public void write(java.nio.file.Path dir, dev.nristream.model.ModelSpec spec, Map<String, String> metadata)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve(spec.encoderFileOrDefault()), encoder(metadata).toByteArray());
        OnnxMl.ModelProto dec = decoder(metadata);
        java.nio.file.Files.write(dir.resolve(spec.decoderFileOrDefault()), dec.toByteArray());
        java.nio.file.Files.write(dir.resolve(dev.nristream.model.ModelSpec.ROLLOUT_FILE),
                new SparseRolloutExporter(DecoderWeights.fromDenseDecoder(dec, cfg.edgeTypes())).rollout(metadata)
                        .toByteArray());
        spec.write(dir.resolve(dev.nristream.model.ModelSpec.FILE_NAME));
    }

    private float[] w(String name) {
        return store.get(name).toFloatArray();
    }

    private long[] shape(String name) {
        NDArray a = store.get(name);
        return a.getShape().getShape();
    }

    /** Batch norm in inference form: y = x * scale + shift. */
    private float[][] bn(String prefix) {
        float[] g = w(prefix + "bn.gamma");
        float[] b = w(prefix + "bn.beta");
        float[] m = w(prefix + "bn.mean");
        float[] v = w(prefix + "bn.var");
        float[] s = new float[g.length];
        float[] t = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            double sc = g[i] / Math.sqrt(v[i] + (double) BN_EPS);
            s[i] = (float) sc;
            t[i] = (float) (b[i] - m[i] * sc);
        }
        return new float[][] {s, t};
    }

    /** Rows [from, from + rows) of a row-major [*, cols] matrix, each row i scaled by scale[i] (null: 1). */
    static float[] rows(float[] m, int cols, int from, int rows, float[] scale) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            double s = scale == null ? 1 : scale[i];
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (m[(from + i) * cols + j] * s);
            }
        }
        return out;
    }

    /** v @ rows [from, from + len) of m: a [cols] vector. */
    static double[] vecTimesRows(float[] v, float[] m, int cols, int from) {
        double[] out = new double[cols];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < cols; j++) {
                out[j] += (double) v[i] * m[(from + i) * cols + j];
            }
        }
        return out;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Adds the edge-gather helpers shared by both graphs: receiver/sender indices and rel_rec transposed. */
    private static String[] graphInputs(OnnxGraph g) {
        String rec = g.input(TensorNames.REL_REC, "E", "N");
        String send = g.input(TensorNames.REL_SEND, "E", "N");
        Map<String, Object> argmax = Map.of("axis", 1, "keepdims", 0);
        String recIdx = g.op("ArgMax", argmax, rec);
        String sendIdx = g.op("ArgMax", argmax, send);
        String recT = g.op("Transpose", Map.of("perm", new long[] {1, 0}), rec);
        return new String[] {recIdx, sendIdx, recT};
    }

    private static String gather(OnnxGraph g, String nodes, String idx) {
        return g.op("Gather", Map.of("axis", 1), nodes, idx);
    }

    private String linear(OnnxGraph g, String x, String wName, float[] weights, long in, long out, String bName,
            float[] bias) {
        String y = g.op("MatMul", x, g.floats(wName, weights, in, out));
        return bias == null ? y : g.op("Add", y, g.floats(bName, bias, out));
    }

    /** linear-ELU-linear-ELU of encoder MLP {@code name} (batch norm left to the caller). */
    private String mlpBody(OnnxGraph g, String name, String x) {
        String p = "enc." + name + ".";
        long[] s1 = shape(p + "fc1.w");
        long[] s2 = shape(p + "fc2.w");
        String h = g.elu(linear(g, x, p + "fc1.w", w(p + "fc1.w"), s1[0], s1[1], p + "fc1.b", w(p + "fc1.b")));
        return g.elu(linear(g, h, p + "fc2.w", w(p + "fc2.w"), s2[0], s2[1], p + "fc2.b", w(p + "fc2.b")));
    }

    /**
     * First layer of an edge MLP whose input starts with [bn(x)_receiver, bn(x)_sender], with the node-level batch
     * norm (scale s, shift t) folded in; returns the pre-activation [B, E, H] without the rest of the input.
     */
    private String edgeFirstLayer(OnnxGraph g, String mlp, String nodes, float[][] bn, String recIdx,
            String sendIdx, double[] extraBias) {
        String p = "enc." + mlp + ".";
        float[] w1 = w(p + "fc1.w");
        float[] b1 = w(p + "fc1.b");
        int h = cfg.encoderHidden();
        int out = Math.toIntExact(shape(p + "fc1.w")[1]);
        float[] wr = rows(w1, out, 0, h, bn[0]);
        float[] ws = rows(w1, out, h, h, bn[0]);
        double[] c = vecTimesRows(bn[1], w1, out, 0);
        double[] c2 = vecTimesRows(bn[1], w1, out, h);
        for (int j = 0; j < out; j++) {
            c[j] += c2[j] + b1[j] + (extraBias == null ? 0 : extraBias[j]);
        }
        String pr = g.op("MatMul", nodes, g.floats(p + "fc1.w_receiver", wr, h, out));
        String ps = g.op("MatMul", nodes, g.floats(p + "fc1.w_sender", ws, h, out));
        String sum = g.op("Add", gather(g, pr, recIdx), gather(g, ps, sendIdx));
        return g.op("Add", sum, g.floats(p + "fc1.b_folded", toFloat(c), out));
    }

    /** The encoder graph: trajectories [B, N, T, D], rel_rec, rel_send -> edge_logits, edge_probs [B, E, K]. */
    public OnnxMl.ModelProto encoder(Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph("nri_encoder");
        int t = cfg.timesteps();
        int d = cfg.dims();
        int h = cfg.encoderHidden();
        int k = cfg.edgeTypes();
        String x = g.input(TensorNames.TRAJECTORIES, "B", "N", (long) t, (long) d);
        String[] idx = graphInputs(g);
        String recIdx = idx[0];
        String sendIdx = idx[1];
        String recT = idx[2];
        String n = g.op("Cast", Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()),
                g.op("Gather", Map.of("axis", 0), g.op("Shape", x), g.scalarLong("atoms_axis", 1)));

        String flat = g.op("Reshape", x, g.longs("flat_shape", 0, 0, -1));
        String h1 = mlpBody(g, "mlp1", flat);
        float[][] bn1 = bn("enc.mlp1.");
        String pre2 = edgeFirstLayer(g, "mlp2", h1, bn1, recIdx, sendIdx, null);
        long[] s22 = shape("enc.mlp2.fc2.w");
        String h2 = g.elu(linear(g, g.elu(pre2), "enc.mlp2.fc2.w", w("enc.mlp2.fc2.w"), s22[0], s22[1],
                "enc.mlp2.fc2.b", w("enc.mlp2.fc2.b")));
        float[][] bn2 = bn("enc.mlp2.");
        String skip = g.op("Add", g.op("Mul", h2, g.floats("enc.mlp2.bn.scale", bn2[0], h)),
                g.floats("enc.mlp2.bn.shift", bn2[1], h));
        String v = g.op("Div", g.op("MatMul", recT, skip), n);
        String h3 = mlpBody(g, "mlp3", v);
        float[][] bn3 = bn("enc.mlp3.");
        // mlp4's input is [receiver, sender, skip]: the skip part is an edge-level product.
        float[] w41 = w("enc.mlp4.fc1.w");
        String skipPart = g.op("MatMul", skip, g.floats("enc.mlp4.fc1.w_skip", rows(w41, h, 2 * h, h, null), h, h));
        String pre4 = g.op("Add", edgeFirstLayer(g, "mlp4", h3, bn3, recIdx, sendIdx, null), skipPart);
        long[] s42 = shape("enc.mlp4.fc2.w");
        String h4 = g.elu(linear(g, g.elu(pre4), "enc.mlp4.fc2.w", w("enc.mlp4.fc2.w"), s42[0], s42[1],
                "enc.mlp4.fc2.b", w("enc.mlp4.fc2.b")));
        float[][] bn4 = bn("enc.mlp4.");
        float[] wo = w("enc.out.w");
        float[] bo = w("enc.out.b");
        double[] co = vecTimesRows(bn4[1], wo, k, 0);
        for (int j = 0; j < k; j++) {
            co[j] += bo[j];
        }
        String logits = linear(g, h4, "enc.out.w_folded", rows(wo, k, 0, h, bn4[0]), h, k, "enc.out.b_folded",
                toFloat(co));
        String probs = g.op("Softmax", Map.of("axis", -1), logits);
        g.output(logits, TensorNames.EDGE_LOGITS, "B", "E", (long) k);
        g.output(probs, TensorNames.EDGE_PROBS, "B", "E", (long) k);
        return g.model(OPSET, metadata);
    }

    /** The decoder graph: state [B, N, D], rel_rec, rel_send, edge_weights [B, E, K] -> next_state [B, N, D]. */
    public OnnxMl.ModelProto decoder(Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph("nri_decoder");
        int d = cfg.dims();
        int h = cfg.decoderHidden();
        int k = cfg.edgeTypes();
        int first = cfg.skipFirst() ? 1 : 0;
        int kk = k - first;
        String state = g.input(TensorNames.STATE, "B", "N", (long) d);
        String[] idx = graphInputs(g);
        String weights = g.input(TensorNames.EDGE_WEIGHTS, "B", "E", (long) k);

        // First message layer of every type at once, on nodes: columns are type-major [K' * H].
        float[] w1 = w("dec.msg1.w"); // [K', 2D, H]
        float[] b1 = w("dec.msg1.b"); // [K', 1, H]
        float[] wr = new float[d * kk * h];
        float[] ws = new float[d * kk * h];
        for (int t = 0; t < kk; t++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < h; j++) {
                    wr[i * kk * h + t * h + j] = w1[(t * 2 * d + i) * h + j];
                    ws[i * kk * h + t * h + j] = w1[(t * 2 * d + d + i) * h + j];
                }
            }
        }
        String pr = g.op("MatMul", state, g.floats("dec.msg1.w_receiver", wr, d, (long) kk * h));
        String ps = g.op("MatMul", state, g.floats("dec.msg1.w_sender", ws, d, (long) kk * h));
        String pre = g.op("Add", g.op("Add", gather(g, pr, idx[0]), gather(g, ps, idx[1])),
                g.floats("dec.msg1.b", b1, (long) kk * h));
        String m1 = g.op("Relu", pre);
        // [B, E, K'*H] -> [K', B*E, H] so each type's second layer is one matrix product.
        m1 = g.op("Reshape", m1, g.longs("bekh", 0, 0, kk, h));
        m1 = g.op("Transpose", Map.of("perm", new long[] {2, 0, 1, 3}), m1);
        m1 = g.op("Reshape", m1, g.longs("k_rows_h", kk, -1, h));
        String m2 = g.op("MatMul", m1, g.floats("dec.msg2.w", w("dec.msg2.w"), kk, h, h));
        m2 = g.op("Relu", g.op("Add", m2, g.floats("dec.msg2.b", w("dec.msg2.b"), kk, 1, h)));
        String z = first == 0 ? weights
                : g.op("Slice", weights, g.longs("z_start", first), g.longs("z_end", k), g.longs("z_axis", 2));
        z = g.op("Transpose", Map.of("perm", new long[] {2, 0, 1}), z);
        z = g.op("Reshape", z, g.longs("k_rows_1", kk, -1, 1));
        String msg = g.op("ReduceSum", Map.of("keepdims", 0), g.op("Mul", m2, z), g.longs("type_axis", 0));
        String be = g.op("Slice", g.op("Shape", weights), g.longs("be_start", 0), g.longs("be_end", 2),
                g.longs("be_axis", 0));
        String beh = g.op("Concat", Map.of("axis", 0), be, g.longs("hidden", h));
        msg = g.op("Reshape", msg, beh);
        String agg = g.op("MatMul", idx[2], msg);
        String aug = g.op("Concat", Map.of("axis", 2), state, agg);
        String p = g.op("Relu", linear(g, aug, "dec.out1.w", w("dec.out1.w"), d + h, h, "dec.out1.b", w("dec.out1.b")));
        p = g.op("Relu", linear(g, p, "dec.out2.w", w("dec.out2.w"), h, h, "dec.out2.b", w("dec.out2.b")));
        p = linear(g, p, "dec.out3.w", w("dec.out3.w"), h, d, "dec.out3.b", w("dec.out3.b"));
        g.output(g.op("Add", state, p), TensorNames.NEXT_STATE, "B", "N", (long) d);
        return g.model(OPSET, metadata);
    }
}
