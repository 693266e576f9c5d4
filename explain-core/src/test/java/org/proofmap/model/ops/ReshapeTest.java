package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.ints;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.ProofmapException;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/**
 * Flatten, Reshape, Squeeze, Unsqueeze, Identity, Dropout and Cast against ONNX Runtime. Each is
 * checked alone (the output then shares the input's buffer) and between two computing nodes (the
 * buffer sharing inside the graph).
 */
class ReshapeTest {
    private static Graph check(OnnxModels m, long seed) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, 4, -1, 1);
    }

    /** Relu, then {@code op}, then Sigmoid: the reshaping node sits between two computing nodes. */
    private static OnnxModels sandwich(int opset, int[] inDims, String op, List<String> extraInputs,
            org.proofmap.onnx.proto.OnnxProto.AttributeProto... attrs) {
        OnnxModels m = OnnxModels.builder(opset).input("x", inDims).node("Relu", List.of("x"), "r");
        List<String> in = new java.util.ArrayList<>(List.of("r"));
        in.addAll(extraInputs);
        return m.node(op, in, "s", attrs).node("Sigmoid", List.of("s"), "y").output("y");
    }

    @Test
    void flatten() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 3, 4).node("Flatten", List.of("x"), "y").output("y"), 101);
        assertEquals(Shape.of(1, 24), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 2, 3, 4).node("Flatten", List.of("x"), "y", attr("axis", 2L))
                .output("y"), 102);
        assertEquals(Shape.of(2, 12), g.outputShape());
        g = check(sandwich(9, new int[] {1, 2, 3, 4}, "Flatten", List.of(), attr("axis", 2L)), 103);
        assertEquals(Shape.of(2, 12), g.outputShape());
    }

    @Test
    void reshapeWithZeroAndMinusOne() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 3, 4).ints("s", new long[] {0, -1, 4}, 3)
                .node("Reshape", List.of("x", "s"), "y").output("y"), 104);
        assertEquals(Shape.of(1, 6, 4), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 2, 3, 4).ints("s", new long[] {0, 0, -1}, 3)
                .node("Reshape", List.of("x", "s"), "r").node("Relu", List.of("r"), "y").output("y"), 105);
        assertEquals(Shape.of(1, 2, 12), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 2, 3, 4).ints("s", new long[] {-1, 3}, 2).node("Relu", List.of("x"), "r")
                .node("Reshape", List.of("r", "s"), "q").node("Sigmoid", List.of("q"), "y").output("y"), 106);
        assertEquals(Shape.of(8, 3), g.outputShape());
    }

    @Test
    void squeezeAndUnsqueezeWithAttributeAxes() {
        Graph g = check(OnnxModels.builder(11).input("x", 1, 1, 5, 1).node("Squeeze", List.of("x"), "y", ints("axes", 1, 3))
                .output("y"), 107);
        assertEquals(Shape.of(1, 5), g.outputShape());
        g = check(OnnxModels.builder(11).input("x", 1, 1, 5, 1).node("Squeeze", List.of("x"), "y").output("y"), 108);
        assertEquals(Shape.of(5), g.outputShape());
        g = check(sandwich(11, new int[] {1, 5}, "Unsqueeze", List.of(), ints("axes", 0, 3)), 109);
        assertEquals(Shape.of(1, 1, 5, 1), g.outputShape());
        g = check(sandwich(11, new int[] {1, 5}, "Unsqueeze", List.of(), ints("axes", -1)), 110);
        assertEquals(Shape.of(1, 5, 1), g.outputShape());
    }

    @Test
    void squeezeAndUnsqueezeWithInputAxes() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 1, 5, 1).ints("a", new long[] {-1, 1}, 2)
                .node("Squeeze", List.of("x", "a"), "y").output("y"), 111);
        assertEquals(Shape.of(1, 5), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 5).ints("a", new long[] {1, -1}, 2).node("Relu", List.of("x"), "r")
                .node("Unsqueeze", List.of("r", "a"), "y").output("y"), 112);
        assertEquals(Shape.of(1, 1, 5, 1), g.outputShape());
        g = check(sandwich(13, new int[] {1, 3, 1}, "Squeeze", List.of()), 113);
        assertEquals(Shape.of(3), g.outputShape());
    }

    @Test
    void identityDropoutCast() {
        check(sandwich(13, new int[] {1, 6}, "Identity", List.of()), 114);
        check(OnnxModels.builder(13).input("x", 1, 6).node("Identity", List.of("x"), "y").output("y"), 115);
        check(sandwich(10, new int[] {1, 6}, "Dropout", List.of(), attr("ratio", 0.5)), 116);
        // Dropout at opset 13: ratio as an input, and a mask output nobody reads.
        check(OnnxModels.builder(13).input("x", 1, 6).initializer("ratio", new double[] {0.3}).node("Relu", List.of("x"), "r")
                .node("Dropout", List.of("r", "ratio"), List.of("d", "mask")).node("Tanh", List.of("d"), "y").output("y"), 117);
        check(sandwich(13, new int[] {1, 6}, "Cast", List.of(), attr("to", 1L)), 118);
    }

    @Test
    void reshapedInputMeetsTheInput() {
        // Identity and Flatten of the model input share its buffer; the Mul then reads it twice.
        check(OnnxModels.builder(13).input("x", 1, 6).node("Identity", List.of("x"), "i").node("Mul", List.of("i", "x"), "y")
                .output("y"), 119);
        check(OnnxModels.builder(13).input("x", -1, 2, 3).node("Flatten", List.of("x"), "f").ints("s", new long[] {1, 6}, 2)
                .node("Reshape", List.of("x", "s"), "r").node("Sub", List.of("f", "r"), "d").node("Add", List.of("d", "f"), "y")
                .output("y"), 120);
    }

    @Test
    void reshapingAlonePassesTheInputThrough() {
        Graph g = OnnxLoader.load(OnnxModels.builder(13).input("x", 1, 2, 3).node("Flatten", List.of("x"), "y").output("y")
                .bytes(), "t");
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] y = g.forward(x);
        assertTrue(y != x && java.util.Arrays.equals(x, y));
    }

    @Test
    void castOfDataToIntegerIsRejected() {
        // Casting model-dependent data to an integer type is not a continuous function: not supported.
        ProofmapException e = assertThrows(ProofmapException.class, () -> OnnxLoader.load(OnnxModels.builder(13)
                .input("x", 1, 4).node("Cast", List.of("x"), "y", attr("to", 7L)).output("y").bytes(), "t"));
        assertTrue(e.getMessage().contains("Cast") && e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void dropoutInTrainingModeIsRejected() {
        byte[] m = OnnxModels.builder(13).input("x", 1, 4)
                .initializer(org.proofmap.testing.OnnxModels.int64Tensor("t", new long[] {1}).toBuilder()
                        .setDataType(org.proofmap.onnx.proto.OnnxProto.TensorProto.DataType.BOOL_VALUE)
                        .clearInt64Data().addInt32Data(1).build())
                .node("Dropout", List.of("x", "", "t"), "y").output("y").bytes();
        ProofmapException e = assertThrows(ProofmapException.class, () -> OnnxLoader.load(m, "t"));
        assertTrue(e.getMessage().contains("training_mode"), e.getMessage());
    }
}
