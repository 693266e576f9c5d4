package org.proofmap.testing;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.proofmap.onnx.proto.OnnxProto.AttributeProto;
import org.proofmap.onnx.proto.OnnxProto.GraphProto;
import org.proofmap.onnx.proto.OnnxProto.ModelProto;
import org.proofmap.onnx.proto.OnnxProto.NodeProto;
import org.proofmap.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.proofmap.onnx.proto.OnnxProto.TensorProto;
import org.proofmap.onnx.proto.OnnxProto.TensorShapeProto;
import org.proofmap.onnx.proto.OnnxProto.TypeProto;
import org.proofmap.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Builds small ONNX models in test code, so unit tests need no files from outside the repository.
 * Float initializers are stored as float32 (as exporters do) unless asked for as double.
 *
 * <pre>{@code
 * byte[] onnx = OnnxModels.builder(13).input("x", 1, 4)
 *     .initializer("W", new double[] {...}, 4, 3)
 *     .node("Gemm", List.of("x", "W"), "y", OnnxModels.attr("transB", 0))
 *     .output("y", 1, 3).bytes();
 * }</pre>
 */
public final class OnnxModels {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private final int opset;
    private int nodeCount;

    private OnnxModels(int opset) {
        this.opset = opset;
    }

    public static OnnxModels builder(int opset) {
        return new OnnxModels(opset);
    }

    /** A float32 input; a dimension of -1 is written as the symbol {@code batch}. */
    public OnnxModels input(String name, int... dims) {
        graph.addInput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims));
        return this;
    }

    /** A float32 output; an empty dims list writes no shape. */
    public OnnxModels output(String name, int... dims) {
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT_VALUE, dims));
        return this;
    }

    public OnnxModels initializer(String name, double[] values, int... dims) {
        graph.addInitializer(floatTensor(name, values, dims));
        return this;
    }

    public OnnxModels initializer(TensorProto t) {
        graph.addInitializer(t);
        return this;
    }

    /** An int64 initializer (shapes, axes, indices). */
    public OnnxModels ints(String name, long[] values, int... dims) {
        graph.addInitializer(int64Tensor(name, values, dims));
        return this;
    }

    public OnnxModels node(String opType, List<String> inputs, String output, AttributeProto... attrs) {
        return node(opType, inputs, List.of(output), attrs);
    }

    public OnnxModels node(String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType.toLowerCase() + "_" + nodeCount++)
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    public ModelProto model() {
        return ModelProto.newBuilder().setIrVersion(opset >= 13 ? 7 : 6).setProducerName("proofmap-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    public byte[] bytes() {
        return model().toByteArray();
    }

    public Path write(Path file) {
        try {
            Files.write(file, bytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ValueInfoProto valueInfo(String name, int elemType, int... dims) {
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder().setElemType(elemType);
        if (dims.length > 0) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (int d : dims) {
                s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                        : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            tt.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    /** float32 tensor stored as raw little-endian bytes. */
    public static TensorProto floatTensor(String name, double[] values, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putFloat((float) v);
        }
        b.flip();
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b));
        for (int d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** float32 tensor stored in the typed {@code float_data} field. */
    public static TensorProto floatTensorTyped(String name, double[] values, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (double v : values) {
            t.addFloatData((float) v);
        }
        for (int d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    public static TensorProto doubleTensor(String name, double[] values, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE_VALUE);
        for (double v : values) {
            t.addDoubleData(v);
        }
        for (int d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    public static TensorProto int64Tensor(String name, long[] values, int... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        for (long v : values) {
            t.addInt64Data(v);
        }
        for (int d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    public static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto attr(String name, double v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) v)
                .build();
    }

    public static AttributeProto attr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    public static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    public static AttributeProto tensorAttr(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    /** {@code n} values from N(0, scale^2), seeded. */
    public static double[] gaussian(Random rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian() * scale;
        }
        return v;
    }

    /**
     * A dense ReLU network {@code sizes[0] -> ... -> sizes[k]} of Gemm layers (transB=1, like PyTorch
     * exports), with weights ~ N(0, 2/fan_in) and biases ~ N(0, 0.1^2) from {@code seed}.
     */
    public static OnnxModels mlp(long seed, int... sizes) {
        Random rng = new Random(seed);
        OnnxModels m = builder(13).input("input", -1, sizes[0]);
        String prev = "input";
        for (int l = 0; l + 1 < sizes.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            m.initializer("W" + l, gaussian(rng, in * out, Math.sqrt(2.0 / in)), out, in);
            m.initializer("b" + l, gaussian(rng, out, 0.1), out);
            String z = l + 2 == sizes.length ? "output" : "z" + l;
            m.node("Gemm", List.of(prev, "W" + l, "b" + l), z, attr("transB", 1L));
            if (l + 2 < sizes.length) {
                m.node("Relu", List.of(z), "h" + l);
                prev = "h" + l;
            }
        }
        return m.output("output", -1, sizes[sizes.length - 1]);
    }

    /** Names of the nodes added so far (for tests that address nodes). */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (NodeProto n : graph.getNodeList()) {
            names.add(n.getName());
        }
        return names;
    }
}
