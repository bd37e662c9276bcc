package dev.nristream.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.onnx.proto.OnnxMl;
import dev.nristream.model.OnnxContract;
import dev.nristream.model.ReflectingWalls;
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
    private final ReflectingWalls.Normalised walls;

    public NriOnnxExporter(NriModel model) {
        this.cfg = model.config();
        this.store = model.store();
        // The decoder holds its walls on the normalised scale it works in.
        this.walls = cfg.walls() == null ? null : model.decoder().walls();
    }

    /**
     * Writes encoder.onnx, decoder.onnx, model.json and, for the MLP decoder, the sparse rollout.onnx (built from
     * the decoder; the recurrent decoder has none). The spec's encoder and decoder kinds are set from the model.
     */
    public void write(java.nio.file.Path dir, dev.nristream.model.ModelSpec spec, Map<String, String> metadata)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(dir.resolve(spec.encoderFileOrDefault()), encoder(metadata).toByteArray());
        OnnxMl.ModelProto dec = decoder(metadata);
        java.nio.file.Files.write(dir.resolve(spec.decoderFileOrDefault()), dec.toByteArray());
        if (cfg.decoder() == NriConfig.DecoderKind.MLP) {
            java.nio.file.Files.write(dir.resolve(dev.nristream.model.ModelSpec.ROLLOUT_FILE),
                    rollout(dec, metadata).toByteArray());
        }
        withArchitecture(spec, cfg).write(dir.resolve(dev.nristream.model.ModelSpec.FILE_NAME));
    }

    /**
     * {@code spec} with the encoder and decoder kinds of {@code cfg} (absent for MLP ones, so MLP models write the
     * model.json they always did) and its walls (absent when none); the recurrent decoder burns in on the whole
     * window.
     */
    public static dev.nristream.model.ModelSpec withArchitecture(dev.nristream.model.ModelSpec spec, NriConfig cfg) {
        boolean cnn = cfg.encoder() == NriConfig.EncoderKind.CNN;
        boolean rnn = cfg.decoder() == NriConfig.DecoderKind.RECURRENT;
        return spec.withArchitecture(cnn ? dev.nristream.model.ModelSpec.ENCODER_CNN : null,
                rnn ? dev.nristream.model.ModelSpec.DECODER_RECURRENT : null, rnn ? cfg.decoderHidden() : null,
                null).withWalls(cfg.walls());
    }

    /** The sparse rollout graph built from this model's MLP decoder graph {@code dec}, walls included. */
    public OnnxMl.ModelProto rollout(OnnxMl.ModelProto dec, Map<String, String> metadata) {
        return new SparseRolloutExporter(DecoderWeights.fromDenseDecoder(dec, cfg.edgeTypes()), cfg.walls(), walls)
                .rollout(metadata);
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
        return bnNamed(prefix + "bn.");
    }

    /** As {@link #bn} for the parameters {@code <p>gamma}, {@code <p>beta}, {@code <p>mean}, {@code <p>var}. */
    private float[][] bnNamed(String p) {
        float[] g = w(p + "gamma");
        float[] b = w(p + "beta");
        float[] m = w(p + "mean");
        float[] v = w(p + "var");
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

    /**
     * The encoder graph: trajectories [B, N, T, D], rel_rec, rel_send -> edge_logits, edge_probs [B, E, K] (the
     * CNN encoder's T is dynamic).
     */
    public OnnxMl.ModelProto encoder(Map<String, String> metadata) {
        return cfg.encoder() == NriConfig.EncoderKind.CNN ? cnnEncoder(metadata) : mlpEncoder(metadata);
    }

    /** The decoder graph of the model's kind: {@link #mlpDecoder} or {@link #recurrentDecoder}. */
    public OnnxMl.ModelProto decoder(Map<String, String> metadata) {
        return cfg.decoder() == NriConfig.DecoderKind.RECURRENT ? recurrentDecoder(metadata) : mlpDecoder(metadata);
    }

    /**
     * Batch norm {@code <p>gamma} ... {@code <p>var} as x * scale + shift per channel; {@code dims} shape the
     * constants for broadcasting (e.g. [H, 1, 1] for channels first).
     */
    private String batchNorm(OnnxGraph g, String p, String x, long... dims) {
        float[][] sc = bnNamed(p);
        return g.op("Add", g.op("Mul", x, g.floats(p + "scale", sc[0], dims)), g.floats(p + "shift", sc[1], dims));
    }

    /** An encoder MlpBlock under {@code prefix} (e.g. "cnn.mlp1."): linear-ELU-linear-ELU-batch norm. */
    private String mlpBlock(OnnxGraph g, String prefix, String x) {
        long[] s1 = shape(prefix + "fc1.w");
        long[] s2 = shape(prefix + "fc2.w");
        String h = g.elu(linear(g, x, prefix + "fc1.w", w(prefix + "fc1.w"), s1[0], s1[1], prefix + "fc1.b",
                w(prefix + "fc1.b")));
        h = g.elu(linear(g, h, prefix + "fc2.w", w(prefix + "fc2.w"), s2[0], s2[1], prefix + "fc2.b",
                w(prefix + "fc2.b")));
        return batchNorm(g, prefix + "bn.", h, s2[1]);
    }

    /** A 1-d convolution stored [out, in, kernel] as a Conv over [B, C, E, T] with kernel [1, kernel]. */
    private String conv(OnnxGraph g, String name, String x) {
        long[] s = shape(name + ".w");
        String wt = g.floats(name + ".w", w(name + ".w"), s[0], s[1], 1, s[2]);
        return g.op("Conv", Map.of("kernel_shape", new long[] {1, s[2]}), x, wt,
                g.floats(name + ".b", w(name + ".b"), s[0]));
    }

    /**
     * The CNN encoder ({@code CnnEncoder}): each edge's [receiver, sender] trajectories as 2D channels, laid out
     * [B, 2D, E, T] so the per-edge 1-d convolutions over time are one 2-d Conv with a [1, k] kernel (no reshape
     * through B * E, and T stays a dynamic axis); attention pooling over T, then the factor-graph rounds.
     */
    public OnnxMl.ModelProto cnnEncoder(Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph("nri_cnn_encoder");
        int d = cfg.dims();
        int h = cfg.encoderHidden();
        int k = cfg.edgeTypes();
        String x = g.input(TensorNames.TRAJECTORIES, "B", "N", "T", (long) d);
        String[] idx = graphInputs(g);
        String n = g.op("Cast", Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()),
                g.op("Gather", Map.of("axis", 0), g.op("Shape", x), g.scalarLong("atoms_axis", 1)));
        String pair = g.op("Concat", Map.of("axis", 3), gather(g, x, idx[0]), gather(g, x, idx[1]));
        String c = g.op("Transpose", Map.of("perm", new long[] {0, 3, 1, 2}), pair); // [B, 2D, E, T]
        c = batchNorm(g, "cnn.bn1.", g.op("Relu", conv(g, "cnn.conv1", c)), h, 1, 1);
        c = g.op("MaxPool", Map.of("kernel_shape", new long[] {1, 2}, "strides", new long[] {1, 2}), c);
        c = batchNorm(g, "cnn.bn2.", g.op("Relu", conv(g, "cnn.conv2", c)), h, 1, 1);
        String pred = conv(g, "cnn.predict", c);
        String att = g.op("Softmax", Map.of("axis", 3), conv(g, "cnn.attention", c));
        String pooled = g.op("ReduceMean", Map.of("axes", new long[] {3}, "keepdims", 0), g.op("Mul", pred, att));
        String edges = g.op("Transpose", Map.of("perm", new long[] {0, 2, 1}), pooled); // [B, E, H]
        String skip = mlpBlock(g, "cnn.mlp1.", edges);
        String v = g.op("Div", g.op("MatMul", idx[2], skip), n);
        v = mlpBlock(g, "cnn.mlp2.", v);
        // mlp3 sees [v_receiver, v_sender, skip]: the node parts on nodes, gathered to edges.
        float[] w3 = w("cnn.mlp3.fc1.w");
        String pre = g.op("Add", g.op("Add",
                gather(g, g.op("MatMul", v, g.floats("cnn.mlp3.fc1.w_receiver", rows(w3, h, 0, h, null), h, h)),
                        idx[0]),
                gather(g, g.op("MatMul", v, g.floats("cnn.mlp3.fc1.w_sender", rows(w3, h, h, h, null), h, h)),
                        idx[1])),
                g.op("MatMul", skip, g.floats("cnn.mlp3.fc1.w_skip", rows(w3, h, 2 * h, h, null), h, h)));
        String h3 = g.elu(g.op("Add", pre, g.floats("cnn.mlp3.fc1.b", w("cnn.mlp3.fc1.b"), h)));
        h3 = g.elu(linear(g, h3, "cnn.mlp3.fc2.w", w("cnn.mlp3.fc2.w"), h, h, "cnn.mlp3.fc2.b",
                w("cnn.mlp3.fc2.b")));
        h3 = batchNorm(g, "cnn.mlp3.bn.", h3, h);
        String logits = linear(g, h3, "cnn.out.w", w("cnn.out.w"), h, k, "cnn.out.b", w("cnn.out.b"));
        g.output(logits, TensorNames.EDGE_LOGITS, "B", "E", (long) k);
        g.output(g.op("Softmax", Map.of("axis", -1), logits), TensorNames.EDGE_PROBS, "B", "E", (long) k);
        return g.model(OPSET, metadata);
    }

    /**
     * The recurrent decoder's one step ({@code RecurrentDecoder.step}, Eqs. 13-17): state x_t [B, N, D], hidden
     * [B, N, H], rel_rec, rel_send, edge_weights [B, E, K] -> next_state [B, N, D], next_hidden [B, N, H]. The
     * first message layer runs on nodes and is gathered to edges, as in the MLP decoder.
     */
    public OnnxMl.ModelProto recurrentDecoder(Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph("nri_recurrent_decoder");
        int d = cfg.dims();
        int h = cfg.decoderHidden();
        int k = cfg.edgeTypes();
        int first = cfg.skipFirst() ? 1 : 0;
        int kk = k - first;
        String state = g.input(TensorNames.STATE, "B", "N", (long) d);
        String[] idx = graphInputs(g);
        String weights = g.input(TensorNames.EDGE_WEIGHTS, "B", "E", (long) k);
        String hidden = g.input(TensorNames.HIDDEN, "B", "N", (long) h);

        float[] w1 = w("rdec.msg1.w"); // [K', 2H, H]
        float[] wr = new float[h * kk * h];
        float[] ws = new float[h * kk * h];
        for (int t = 0; t < kk; t++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < h; j++) {
                    wr[i * kk * h + t * h + j] = w1[(t * 2 * h + i) * h + j];
                    ws[i * kk * h + t * h + j] = w1[(t * 2 * h + h + i) * h + j];
                }
            }
        }
        String pr = g.op("MatMul", hidden, g.floats("rdec.msg1.w_receiver", wr, h, (long) kk * h));
        String ps = g.op("MatMul", hidden, g.floats("rdec.msg1.w_sender", ws, h, (long) kk * h));
        String m1 = g.op("Tanh", g.op("Add", g.op("Add", gather(g, pr, idx[0]), gather(g, ps, idx[1])),
                g.floats("rdec.msg1.b", w("rdec.msg1.b"), (long) kk * h)));
        m1 = g.op("Reshape", m1, g.longs("bekh", 0, 0, kk, h));
        m1 = g.op("Transpose", Map.of("perm", new long[] {2, 0, 1, 3}), m1);
        m1 = g.op("Reshape", m1, g.longs("k_rows_h", kk, -1, h));
        String m2 = g.op("Tanh", g.op("Add", g.op("MatMul", m1, g.floats("rdec.msg2.w", w("rdec.msg2.w"), kk, h, h)),
                g.floats("rdec.msg2.b", w("rdec.msg2.b"), kk, 1, h)));
        String z = first == 0 ? weights
                : g.op("Slice", weights, g.longs("z_start", first), g.longs("z_end", k), g.longs("z_axis", 2));
        z = g.op("Transpose", Map.of("perm", new long[] {2, 0, 1}), z);
        z = g.op("Reshape", z, g.longs("k_rows_1", kk, -1, 1));
        // The reference averages over the sending types and divides the receivers' sums by D (RecurrentDecoder).
        String msg = g.op("ReduceSum", Map.of("keepdims", 0), g.op("Mul", m2, z), g.longs("type_axis", 0));
        String be = g.op("Slice", g.op("Shape", weights), g.longs("be_start", 0), g.longs("be_end", 2),
                g.longs("be_axis", 0));
        msg = g.op("Reshape", msg, g.op("Concat", Map.of("axis", 0), be, g.longs("hidden_dim", h)));
        String agg = g.op("Mul", g.op("MatMul", idx[2], msg), g.scalarFloat("agg_scale", 1f / ((float) kk * d)));
        String r = g.op("Sigmoid", g.op("Add", linear(g, state, "rdec.input_r.w", w("rdec.input_r.w"), d, h,
                "rdec.input_r.b", w("rdec.input_r.b")),
                g.op("MatMul", agg, g.floats("rdec.hidden_r.w", w("rdec.hidden_r.w"), h, h))));
        String i = g.op("Sigmoid", g.op("Add", linear(g, state, "rdec.input_i.w", w("rdec.input_i.w"), d, h,
                "rdec.input_i.b", w("rdec.input_i.b")),
                g.op("MatMul", agg, g.floats("rdec.hidden_i.w", w("rdec.hidden_i.w"), h, h))));
        String cand = g.op("Tanh", g.op("Add", linear(g, state, "rdec.input_n.w", w("rdec.input_n.w"), d, h,
                "rdec.input_n.b", w("rdec.input_n.b")),
                g.op("Mul", r, g.op("MatMul", agg, g.floats("rdec.hidden_h.w", w("rdec.hidden_h.w"), h, h)))));
        // (1 - i) * n + i * h = n + i * (h - n)
        String next = g.op("Add", cand, g.op("Mul", i, g.op("Sub", hidden, cand)));
        String p = g.op("Relu", linear(g, next, "rdec.out1.w", w("rdec.out1.w"), h, h, "rdec.out1.b",
                w("rdec.out1.b")));
        p = g.op("Relu", linear(g, p, "rdec.out2.w", w("rdec.out2.w"), h, h, "rdec.out2.b", w("rdec.out2.b")));
        p = linear(g, p, "rdec.out3.w", w("rdec.out3.w"), h, d, "rdec.out3.b", w("rdec.out3.b"));
        g.output(g.op("Add", state, p), TensorNames.NEXT_STATE, "B", "N", (long) d);
        g.output(next, TensorNames.NEXT_HIDDEN, "B", "N", (long) h);
        return g.model(OPSET, metadata);
    }

    /** The MLP encoder graph: trajectories [B, N, T, D], rel_rec, rel_send -> edge_logits, edge_probs [B, E, K]. */
    public OnnxMl.ModelProto mlpEncoder(Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph("nri_encoder");
        int t = cfg.encoderWindow();
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

    /** The MLP decoder graph: state [B, N, D], rel_rec, rel_send, edge_weights [B, E, K] -> next_state [B, N, D]. */
    public OnnxMl.ModelProto mlpDecoder(Map<String, String> metadata) {
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
        String next = g.op("Add", state, p);
        Map<String, String> meta = metadata;
        if (walls != null) {
            next = WallsGraph.reflect(g, g, next, walls, d, "dec.walls");
            meta = new java.util.LinkedHashMap<>(metadata);
            meta.put(OnnxContract.WALLS_HALF_WIDTH, OnnxContract.wallsValue(cfg.walls()));
        }
        g.output(next, TensorNames.NEXT_STATE, "B", "N", (long) d);
        return g.model(OPSET, meta);
    }
}
