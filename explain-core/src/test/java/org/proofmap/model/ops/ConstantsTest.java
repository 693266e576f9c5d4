package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.floatTensor;
import static org.proofmap.testing.OnnxModels.ints;
import static org.proofmap.testing.OnnxModels.tensorAttr;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/**
 * Constant, ConstantOfShape and Shape, and the shape arithmetic exporters build from them, against
 * ONNX Runtime. All of it must fold at load time: only the nodes on the data path remain.
 */
class ConstantsTest {
    private static Graph check(OnnxModels m, long seed) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, 4, -1, 1);
    }

    private static int folded(Graph g) {
        return Integer.parseInt(g.metadata().get("folded_nodes"));
    }

    private static List<String> ops(Graph g) {
        return g.nodes().stream().map(n -> n.opType()).toList();
    }

    /** x -> Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): PyTorch's x.view(x.size(0), -1). */
    @Test
    void exporterShapeChainFoldsAtOpset13() {
        Graph g = check(OnnxModels.builder(13).input("x", -1, 2, 3).initializer(OnnxModels.int64Tensor("zero", new long[] {0}))
                .ints("ax", new long[] {0}, 1).ints("minus1", new long[] {-1}, 1)
                .node("Shape", List.of("x"), "s").node("Gather", List.of("s", "zero"), "n", attr("axis", 0L))
                .node("Unsqueeze", List.of("n", "ax"), "n1").node("Concat", List.of("n1", "minus1"), "spec", attr("axis", 0L))
                .node("Reshape", List.of("x", "spec"), "y").output("y"), 161);
        assertEquals(List.of("Reshape"), ops(g));
        assertEquals(4, folded(g));
        assertEquals(org.proofmap.model.Shape.of(1, 6), g.outputShape());
    }

    @Test
    void exporterShapeChainFoldsAtOpset11() {
        Graph g = check(OnnxModels.builder(11).input("x", 1, 2, 3).initializer(OnnxModels.int64Tensor("zero", new long[] {0}))
                .ints("minus1", new long[] {-1}, 1).node("Relu", List.of("x"), "r")
                .node("Shape", List.of("r"), "s").node("Gather", List.of("s", "zero"), "n")
                .node("Unsqueeze", List.of("n"), "n1", ints("axes", 0)).node("Concat", List.of("n1", "minus1"), "spec", attr("axis", 0L))
                .node("Reshape", List.of("r", "spec"), "q").node("Sigmoid", List.of("q"), "y").output("y"), 162);
        assertEquals(List.of("Relu", "Reshape", "Sigmoid"), ops(g));
        assertTrue(folded(g) > 0);
    }

    @Test
    void shapeThroughCastIntoArithmetic() {
        // y = x / (number of columns), the count read with Shape(start=-1) and cast to float.
        Graph g = check(OnnxModels.builder(15).input("x", 1, 2, 4).node("Shape", List.of("x"), "s", attr("start", -1L))
                .node("Cast", List.of("s"), "f", attr("to", 1L)).node("Div", List.of("x", "f"), "y").output("y"), 163);
        assertEquals(List.of("Div"), ops(g));
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, -0.25, 0, 0, 2},
                g.forward(new double[] {1, 2, 3, 4, -1, 0, 0, 8}), 0.0);
    }

    @Test
    void constantNodeFeedingAdd() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 3)
                .node("Constant", List.of(), "c", tensorAttr("value", floatTensor("cv", new double[] {1, -2, 3}, 3)))
                .node("Add", List.of("x", "c"), "y").output("y"), 164);
        assertEquals(List.of("Add"), ops(g));
        assertEquals(1, folded(g));
        assertArrayEquals(new double[] {1, -2, 3, 2, -1, 4}, g.forward(new double[] {0, 0, 0, 1, 1, 1}), 0.0);
        check(OnnxModels.builder(13).input("x", 1, 3).node("Constant", List.of(), "c", attr("value_float", 2.5))
                .node("Mul", List.of("c", "x"), "y").output("y"), 165);
    }

    @Test
    void constantOfShapeFeedingAdd() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 3).ints("shape", new long[] {2, 1}, 2)
                .node("ConstantOfShape", List.of("shape"), "c", tensorAttr("value", floatTensor("v", new double[] {0.5}, 1)))
                .node("Add", List.of("x", "c"), "y").output("y"), 166);
        assertEquals(List.of("Add"), ops(g));
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 1.5, 1.5, 1.5}, g.forward(new double[] {0, 0, 0, 1, 1, 1}), 0.0);
        // The shape read from the data (as exporters do for zeros_like), and the default value 0.
        g = check(OnnxModels.builder(13).input("x", 1, 3).node("Shape", List.of("x"), "s")
                .node("ConstantOfShape", List.of("s"), "z").node("Sub", List.of("z", "x"), "y").output("y"), 167);
        assertEquals(List.of("Sub"), ops(g));
    }

    @Test
    void constantIntsAsReshapeTarget() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 3).node("Constant", List.of(), "s", ints("value_ints", 3, -1))
                .node("Reshape", List.of("x", "s"), "y").output("y"), 168);
        assertEquals(org.proofmap.model.Shape.of(3, 2), g.outputShape());
    }

    @Test
    void shapeIsOfOneSample() {
        // Shape sees the batch dimension as 1 whatever the declared symbol.
        Graph g = OnnxLoader.load(OnnxModels.builder(13).input("x", -1, 2).node("Shape", List.of("x"), "s")
                .node("Cast", List.of("s"), "f", attr("to", 1L)).node("Mul", List.of("x", "f"), "y").output("y").bytes(), "t");
        assertArrayEquals(new double[] {3, 10}, g.forward(new double[] {3, 5}), 0.0);
    }
}
