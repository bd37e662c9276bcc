package dev.nristream.trainer.export;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the Elu nodes (alpha 1) of an exported graph into the vectorised form {@link OnnxGraph#elu} emits, so a
 * model exported before that form runs as fast as a new export. Node names and every other node stay as they are.
 *
 * <pre>{@code
 * OnnxMl.ModelProto faster = EluRewrite.apply(OnnxMl.ModelProto.parseFrom(bytes));
 * }</pre>
 */
final class EluRewrite {
    private static final String ZERO = "elu.zero";
    private static final String ONE = "elu.one";

    private EluRewrite() {
    }

    /** Number of Elu nodes {@link #apply} would rewrite. */
    static int count(OnnxMl.ModelProto model) {
        return (int) model.getGraph().getNodeList().stream().filter(EluRewrite::rewritable).count();
    }

    /** The model with every alpha-1 Elu node replaced by Max(x, Exp(Min(x, 0)) - 1). */
    static OnnxMl.ModelProto apply(OnnxMl.ModelProto model) {
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        List<OnnxMl.NodeProto> nodes = new ArrayList<>(g.getNodeList());
        if (nodes.stream().noneMatch(EluRewrite::rewritable)) {
            return model;
        }
        g.clearNode();
        if (g.getInitializerList().stream().noneMatch(t -> t.getName().equals(ZERO))) {
            g.addInitializer(scalar(ZERO, 0f));
            g.addInitializer(scalar(ONE, 1f));
        }
        int c = 0;
        for (OnnxMl.NodeProto n : nodes) {
            if (!rewritable(n)) {
                g.addNode(n);
                continue;
            }
            String x = n.getInput(0);
            String p = "elu_rewrite_" + c++ + "_";
            g.addNode(node("Min", p + "min", x, ZERO));
            g.addNode(node("Exp", p + "exp", p + "min"));
            g.addNode(node("Sub", p + "sub", p + "exp", ONE));
            g.addNode(node("Max", n.getOutput(0), x, p + "sub").toBuilder().setName(p + "max").build());
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static boolean rewritable(OnnxMl.NodeProto n) {
        if (!n.getOpType().equals("Elu") || !n.getDomain().isEmpty()) {
            return false;
        }
        return n.getAttributeList().stream().noneMatch(a -> a.getName().equals("alpha") && a.getF() != 1f);
    }

    private static OnnxMl.TensorProto scalar(String name, float v) {
        return OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addFloatData(v).build();
    }

    private static OnnxMl.NodeProto node(String op, String out, String... in) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (String i : in) {
            b.addInput(i);
        }
        return b.build();
    }
}
