package dev.nristream.trainer.export;

import ai.onnx.proto.OnnxMl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * The weights of the MLP decoder, read back from a dense {@code decoder.onnx} (the form
 * {@link NriOnnxExporter#decoder} writes), so the sparse rollout can be built from an exported model without its
 * training checkpoint.
 *
 * <pre>{@code
 * DecoderWeights w = DecoderWeights.fromDenseDecoder(OnnxMl.ModelProto.parseFrom(bytes), spec.edgeTypes());
 * }</pre>
 *
 * @param d features per atom D
 * @param h hidden width H
 * @param edgeTypes K
 * @param messageTypes the edge types that send messages, ascending (all K, or K minus the skipped first type)
 * @param wr per message type: first message layer, receiver half, [D, H]
 * @param ws per message type: first message layer, sender half, [D, H]
 * @param b1 per message type: first message layer bias [H]
 * @param w2 per message type: second message layer [H, H]
 * @param b2 per message type: second message layer bias [H]
 * @param out the output MLP, in order out1.w [D+H, H], out1.b, out2.w [H, H], out2.b, out3.w [H, D], out3.b
 */
public record DecoderWeights(int d, int h, int edgeTypes, int[] messageTypes, float[][] wr, float[][] ws,
        float[][] b1, float[][] w2, float[][] b2, float[][] out) {

    /** The edge types that send no messages (the skipped "no edge" type of a skip-first model), ascending. */
    public int[] silentTypes() {
        int[] s = new int[edgeTypes - messageTypes.length];
        int n = 0;
        for (int t = 0, m = 0; t < edgeTypes; t++) {
            if (m < messageTypes.length && messageTypes[m] == t) {
                m++;
            } else {
                s[n++] = t;
            }
        }
        return s;
    }

    /**
     * Reads the decoder's initializers.
     *
     * @param edgeTypes K from model.json; the decoder's first message layer has K or K - 1 (skip-first) types
     * @throws IllegalArgumentException naming a missing initializer or a shape that does not fit
     */
    public static DecoderWeights fromDenseDecoder(OnnxMl.ModelProto decoder, int edgeTypes) {
        Map<String, OnnxMl.TensorProto> init = new HashMap<>();
        for (OnnxMl.TensorProto t : decoder.getGraph().getInitializerList()) {
            init.put(t.getName(), t);
        }
        long[] rShape = dims(init, "dec.msg1.w_receiver");
        int d = Math.toIntExact(rShape[0]);
        long[] w2Shape = dims(init, "dec.msg2.w");
        int kk = Math.toIntExact(w2Shape[0]);
        int h = Math.toIntExact(w2Shape[1]);
        if (rShape[1] != (long) kk * h) {
            throw new IllegalArgumentException("dec.msg1.w_receiver is " + rShape[0] + " x " + rShape[1]
                    + ", expected " + d + " x " + kk * h);
        }
        if (kk != edgeTypes && kk != edgeTypes - 1) {
            throw new IllegalArgumentException("the decoder has " + kk + " message types but model.json says "
                    + edgeTypes + " edge types (expected " + edgeTypes + ", or " + (edgeTypes - 1) + " with skip-first)");
        }
        int first = edgeTypes - kk;
        int[] types = new int[kk];
        float[] wrAll = floats(init, "dec.msg1.w_receiver");
        float[] wsAll = floats(init, "dec.msg1.w_sender");
        float[] b1All = floats(init, "dec.msg1.b");
        float[] w2All = floats(init, "dec.msg2.w");
        float[] b2All = floats(init, "dec.msg2.b");
        float[][] wr = new float[kk][d * h];
        float[][] ws = new float[kk][d * h];
        float[][] b1 = new float[kk][h];
        float[][] w2 = new float[kk][h * h];
        float[][] b2 = new float[kk][h];
        for (int t = 0; t < kk; t++) {
            types[t] = first + t;
            // the dense graph's first-layer columns are type-major: [D, K' * H]
            for (int i = 0; i < d; i++) {
                System.arraycopy(wrAll, i * kk * h + t * h, wr[t], i * h, h);
                System.arraycopy(wsAll, i * kk * h + t * h, ws[t], i * h, h);
            }
            System.arraycopy(b1All, t * h, b1[t], 0, h);
            System.arraycopy(w2All, t * h * h, w2[t], 0, h * h);
            System.arraycopy(b2All, t * h, b2[t], 0, h);
        }
        String[] outNames = {"dec.out1.w", "dec.out1.b", "dec.out2.w", "dec.out2.b", "dec.out3.w", "dec.out3.b"};
        float[][] out = new float[outNames.length][];
        for (int i = 0; i < outNames.length; i++) {
            out[i] = floats(init, outNames[i]);
        }
        if (out[0].length != (d + h) * h || out[4].length != h * d) {
            throw new IllegalArgumentException("the decoder's output MLP does not fit D=" + d + ", H=" + h);
        }
        return new DecoderWeights(d, h, edgeTypes, types, wr, ws, b1, w2, b2, out);
    }

    private static OnnxMl.TensorProto tensor(Map<String, OnnxMl.TensorProto> init, String name) {
        OnnxMl.TensorProto t = init.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the decoder has no initializer '" + name
                    + "' (not an MLP decoder exported by this project's NriOnnxExporter?)");
        }
        return t;
    }

    private static long[] dims(Map<String, OnnxMl.TensorProto> init, String name) {
        return tensor(init, name).getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(Map<String, OnnxMl.TensorProto> init, String name) {
        OnnxMl.TensorProto t = tensor(init, name);
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException("initializer '" + name + "' is not float32");
        }
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return f;
        }
        float[] f = new float[t.getFloatDataCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = t.getFloatData(i);
        }
        return f;
    }
}
