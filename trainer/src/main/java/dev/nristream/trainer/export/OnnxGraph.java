package dev.nristream.trainer.export;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A small builder over the ONNX protobuf classes (tribuo-util-onnx's {@code ai.onnx.proto.OnnxMl}): named inputs
 * with symbolic dimensions, float initializers, nodes with unique output names.
 *
 * <pre>{@code
 * OnnxGraph g = new OnnxGraph("encoder");
 * String x = g.input("x", "B", 4L);
 * String y = g.op("Relu", x);
 * g.output(y, "y", "B", 4L);
 * byte[] model = g.model(17, Map.of()).toByteArray();
 * }</pre>
 */
final class OnnxGraph {
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final String prefix;
    private final java.util.Set<String> constants = new java.util.HashSet<>();
    private int counter;

    OnnxGraph(String name) {
        this(name, "");
    }

    /**
     * A graph whose generated value names start with {@code prefix}: a subgraph (a Loop body) sees the values of
     * its outer graph, so their names must not collide.
     */
    OnnxGraph(String name, String prefix) {
        graph.setName(name);
        this.prefix = prefix;
    }

    /** A float input; each dimension is a Long (fixed) or a String (symbolic, e.g. "B"). */
    String input(String name, Object... dims) {
        return typedInput(name, FLOAT, dims);
    }

    /** An input of element type {@code elemType} (an {@code OnnxMl.TensorProto.DataType} number). */
    String typedInput(String name, int elemType, Object... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
        return name;
    }

    /** Marks {@code value} as a graph output called {@code name} (renaming it through Identity). */
    void output(String value, String name, Object... dims) {
        typedOutput(value, name, FLOAT, dims);
    }

    /** Marks {@code value} as an output of element type {@code elemType}. */
    void typedOutput(String value, String name, int elemType, Object... dims) {
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("out_" + name).addInput(value)
                .addOutput(name));
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    /** The graph built so far, e.g. to use as a Loop body attribute. */
    OnnxMl.GraphProto build() {
        return graph.build();
    }

    String floats(String name, float[] data, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float scalar (rank 0) named {@code name}, added once however often it is asked for. */
    String scalarFloat(String name, float value) {
        if (constants.add(name)) {
            graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT).addFloatData(value));
        }
        return name;
    }

    /**
     * ELU (alpha 1) as {@code Max(x, Exp(Min(x, 0)) - 1)}: equal to it (e^x - 1 >= x for x <= 0, and 0 < x for
     * x > 0), but four vectorised kernels in ONNX Runtime where its Elu kernel calls a scalar exp per element
     * (a third of the encoder's time on [B, E, H] edge tensors).
     */
    String elu(String x) {
        String zero = scalarFloat("elu.zero", 0f);
        String one = scalarFloat("elu.one", 1f);
        return op("Max", x, op("Sub", op("Exp", op("Min", x, zero)), one));
    }

    String longs(String name, long... data) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(data.length);
        for (long d : data) {
            t.addInt64Data(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A scalar int64 constant (rank 0). */
    String scalarLong(String name, long value) {
        graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addInt64Data(value));
        return name;
    }

    String op(String type, String... inputs) {
        return op(type, Map.of(), inputs);
    }

    /**
     * Adds a node; attribute values may be Integer/Long (int), Float/Double (float), long[] or int[] (ints).
     *
     * @return the node's (single) output name
     */
    String op(String type, Map<String, Object> attrs, String... inputs) {
        return ops(type, attrs, 1, inputs)[0];
    }

    /** Adds a node with {@code outputs} outputs (e.g. a Loop); an empty input name marks an omitted input. */
    String[] ops(String type, Map<String, Object> attrs, int outputs, String... inputs) {
        String out = prefix + type.toLowerCase(java.util.Locale.ROOT) + "_" + counter++;
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(type).setName(out);
        String[] names = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            names[i] = i == 0 ? out : out + "_" + i;
            n.addOutput(names[i]);
        }
        for (String in : inputs) {
            n.addInput(in);
        }
        for (Map.Entry<String, Object> a : attrs.entrySet()) {
            n.addAttribute(attribute(a.getKey(), a.getValue()));
        }
        graph.addNode(n);
        return names;
    }

    private static OnnxMl.AttributeProto attribute(String name, Object v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (v instanceof Integer || v instanceof Long) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
        } else if (v instanceof Float || v instanceof Double) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
        } else if (v instanceof long[] ls) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (v instanceof String str) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(str));
        } else if (v instanceof OnnxMl.GraphProto body) {
            a.setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(body);
        } else if (v instanceof int[] is) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (int i : is) {
                a.addInts(i);
            }
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + " = " + v);
        }
        return a.build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(elemType).setShape(shape)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** The model: IR version 8, the default ONNX domain at {@code opset}, metadata_props from {@code metadata}. */
    OnnxMl.ModelProto model(int opset, Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .setProducerName("nri-stream trainer").setProducerVersion(producerVersion())
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static String producerVersion() {
        String v = OnnxGraph.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
