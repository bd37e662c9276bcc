package dev.nristream.trainer.export;

import ai.onnx.proto.OnnxMl;
import dev.nristream.model.ModelSpec;
import dev.nristream.model.OnnxContract;
import dev.nristream.model.ReflectingWalls;
import dev.nristream.model.TensorNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the sparse rollout graph ({@code rollout.onnx}, opset 17): the whole H-step decoder rollout in one ONNX
 * Loop, with messages computed only for the active (edge, type) pairs the caller lists, and summed onto receivers
 * by ScatterND (reduction add). Same weights and same outputs (to float rounding) as H runs of the dense decoder.
 *
 * <p>Why this form: with hard edge samples a skip-first model's "no edge" type sends nothing, so about half the
 * edges of a springs graph need no message at all; the first message layer runs on nodes and is gathered to
 * edges; and one session run per rollout instead of one per step removes the per-run overhead (input tensors,
 * JNI, graph set-up) that dominates small batches.
 *
 * <p>Inputs ({@link TensorNames}): {@code state} [B, N, D]; {@code msg_receivers}, {@code msg_senders} int64 [A]
 * (flat node index b * N + i of each active pair's receiver and sender); {@code msg_weights} [A] (the pair's edge
 * weight); {@code msg_types} int64 [A] (only when more than one type sends messages); {@code horizon} int64
 * scalar. Output {@code forecast} [H, B, N, D]. The metadata adds {@link OnnxContract#SILENT_EDGE_TYPES} and
 * {@link OnnxContract#MESSAGE_AGGREGATION}.
 *
 * <pre>{@code
 * OnnxMl.ModelProto rollout = new SparseRolloutExporter(DecoderWeights.fromDenseDecoder(dense, k)).rollout(meta);
 * }</pre>
 */
public final class SparseRolloutExporter {
    private static final int INT64 = OnnxMl.TensorProto.DataType.INT64.getNumber();
    private static final int BOOL = OnnxMl.TensorProto.DataType.BOOL.getNumber();
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

    private final DecoderWeights w;
    private final ReflectingWalls walls;
    private final ReflectingWalls.Normalised scaledWalls;

    /** The rollout of a decoder without walls. */
    public SparseRolloutExporter(DecoderWeights weights) {
        this(weights, null, null);
    }

    /**
     * @param walls the box the dense decoder reflects its predictions at (each step of the loop then does), or null
     * @param scaledWalls the same walls on the decoder's normalised scale; null without walls
     */
    public SparseRolloutExporter(DecoderWeights weights, ReflectingWalls walls,
            ReflectingWalls.Normalised scaledWalls) {
        this.w = weights;
        this.walls = walls;
        this.scaledWalls = scaledWalls;
    }

    /** The rollout of a model directory's decoder, with the walls its {@code model.json} declares. */
    public static SparseRolloutExporter forModel(DecoderWeights weights, ModelSpec spec) {
        ReflectingWalls walls = spec.walls();
        return new SparseRolloutExporter(weights, walls, walls == null ? null : walls.normalised(spec.normalisation()));
    }

    /** The rollout graph; {@code metadata} (model id, edge order, feature layout) is copied into it. */
    public OnnxMl.ModelProto rollout(Map<String, String> metadata) {
        int d = w.d();
        int h = w.h();
        int kk = w.messageTypes().length;
        OnnxGraph g = new OnnxGraph("nri_sparse_rollout");
        String state = g.input(TensorNames.STATE, "B", "N", (long) d);
        String rec = g.typedInput(TensorNames.MSG_RECEIVERS, INT64, "A");
        String send = g.typedInput(TensorNames.MSG_SENDERS, INT64, "A");
        String weights = g.typedInput(TensorNames.MSG_WEIGHTS, FLOAT, "A");
        String types = kk > 1 ? g.typedInput(TensorNames.MSG_TYPES, INT64, "A") : null;
        String horizon = g.typedInput(TensorNames.HORIZON, INT64);
        String axis1 = g.longs("r.axis1", 1);

        // Per message type, outside the loop (the graph does not change during a rollout): its pairs' receivers,
        // senders, the receivers as ScatterND indices [A_t, 1], and the weights as a column [A_t, 1].
        String[][] pairs = new String[kk][];
        for (int t = 0; t < kk; t++) {
            String r = rec;
            String s = send;
            String z = weights;
            if (types != null) {
                String is = g.op("Equal", types, g.longs("r.type" + t, w.messageTypes()[t]));
                Map<String, Object> ax0 = Map.of("axis", 0);
                r = g.op("Compress", ax0, rec, is);
                s = g.op("Compress", ax0, send, is);
                z = g.op("Compress", ax0, weights, is);
            }
            pairs[t] = new String[] {r, s, g.op("Unsqueeze", r, axis1), g.op("Unsqueeze", z, axis1)};
        }
        String[] wr = new String[kk];
        String[] ws = new String[kk];
        String[] b1 = new String[kk];
        String[] w2 = new String[kk];
        String[] b2 = new String[kk];
        for (int t = 0; t < kk; t++) {
            wr[t] = g.floats("r.msg1.w_receiver." + t, w.wr()[t], d, h);
            ws[t] = g.floats("r.msg1.w_sender." + t, w.ws()[t], d, h);
            b1[t] = g.floats("r.msg1.b." + t, w.b1()[t], h);
            w2[t] = g.floats("r.msg2.w." + t, w.w2()[t], h, h);
            b2[t] = g.floats("r.msg2.b." + t, w.b2()[t], h);
        }
        String o1w = g.floats("r.out1.w", w.out()[0], d + h, h);
        String o1b = g.floats("r.out1.b", w.out()[1], h);
        String o2w = g.floats("r.out2.w", w.out()[2], h, h);
        String o2b = g.floats("r.out2.b", w.out()[3], h);
        String o3w = g.floats("r.out3.w", w.out()[4], h, d);
        String o3b = g.floats("r.out3.b", w.out()[5], d);
        String hidden = g.longs("r.hidden", h);
        String zero = g.longs("r.zero", 0);
        String one = g.longs("r.one", 1);
        // The loop carries the state as a [B * N, D] matrix: every product is then 2-D, which ONNX Runtime fuses
        // with its bias and ReLU into one Gemm, and the message sums need no reshape per step.
        String flat0 = g.op("Reshape", state, g.longs("r.flat_shape", -1, d));
        String zeros = g.op("ConstantOfShape", g.op("Concat", Map.of("axis", 0),
                g.op("Slice", g.op("Shape", flat0), zero, one), hidden));

        OnnxGraph b = new OnnxGraph("nri_sparse_rollout_step", "step_");
        b.typedInput("step_iter", INT64);
        String condIn = b.typedInput("step_cond_in", BOOL);
        String flat = b.typedInput("step_state", FLOAT, "BN", (long) d);
        String agg = zeros;
        Map<String, Object> ax0 = Map.of("axis", 0);
        for (int t = 0; t < kk; t++) {
            // b1 is added on nodes, before the gather: N rows instead of A.
            String pr = b.op("Add", b.op("MatMul", flat, wr[t]), b1[t]);
            String ps = b.op("MatMul", flat, ws[t]);
            String pre = b.op("Add", b.op("Gather", ax0, pr, pairs[t][0]), b.op("Gather", ax0, ps, pairs[t][1]));
            String m = b.op("Relu", b.op("Add", b.op("MatMul", b.op("Relu", pre), w2[t]), b2[t]));
            m = b.op("Mul", m, pairs[t][3]);
            agg = b.op("ScatterND", Map.of("reduction", "add"), agg, pairs[t][2], m);
        }
        String aug = b.op("Concat", Map.of("axis", 1), flat, agg);
        String p = b.op("Relu", b.op("Add", b.op("MatMul", aug, o1w), o1b));
        p = b.op("Relu", b.op("Add", b.op("MatMul", p, o2w), o2b));
        p = b.op("Add", b.op("MatMul", p, o3w), o3b);
        String next = b.op("Add", flat, p);
        if (scaledWalls != null) {
            next = WallsGraph.reflect(g, b, next, scaledWalls, d, "r.walls");
        }
        b.typedOutput(condIn, "step_cond_out", BOOL);
        b.typedOutput(next, "step_next", FLOAT, "BN", (long) d);
        b.typedOutput(next, "step_forecast", FLOAT, "BN", (long) d);

        String[] loop = g.ops("Loop", Map.of("body", b.build()), 2, horizon, "", flat0);
        String hbnd = g.op("Concat", Map.of("axis", 0), g.longs("r.minus_one", -1), g.op("Shape", state));
        g.output(g.op("Reshape", loop[1], hbnd), TensorNames.FORECAST, "H", "B", "N", (long) d);
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(OnnxContract.SILENT_EDGE_TYPES, OnnxContract.typeList(w.silentTypes()));
        meta.put(OnnxContract.MESSAGE_AGGREGATION, OnnxContract.AGGREGATION_SCATTER_ADD);
        if (walls != null) {
            meta.put(OnnxContract.WALLS_HALF_WIDTH, OnnxContract.wallsValue(walls));
        } else {
            meta.remove(OnnxContract.WALLS_HALF_WIDTH);
        }
        return g.model(NriOnnxExporter.OPSET, meta);
    }
}
