package org.proofmap.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.floatTensor;
import static org.proofmap.testing.OnnxModels.tensorAttr;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** The loader folds everything that does not depend on the input and drops nodes that do not reach the output. */
class OnnxLoaderFoldingTest {
    @Test
    void foldsArithmeticOnInitializers() {
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 3).initializer("a", new double[] {0.5, -1.25, 2}, 3)
                .initializer("b", new double[] {1, 0.25, -3}, 3).node("Add", List.of("a", "b"), "s")
                .node("Mul", List.of("s", "s"), "s2").node("Mul", List.of("x", "s2"), "y").output("y");
        Graph g = OrtReference.assertMatchesOrt(m.bytes(), 171, 4, -1, 1);
        assertEquals(List.of("Mul"), g.nodes().stream().map(n -> n.opType()).toList());
        assertEquals("2", g.metadata().get("folded_nodes"));
        assertEquals("3", g.metadata().get("onnx_nodes"));
        // (a+b)^2 = [2.25, 1, 1], exactly.
        assertArrayEquals(new double[] {2.25, -1, 3}, g.forward(new double[] {1, -1, 3}), 0.0);
    }

    @Test
    void foldsCastToIntegerByTruncation() {
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 4)
                .node("Constant", List.of(), "c", tensorAttr("value", floatTensor("cv", new double[] {2.7, -2.7, 0.5, -0.5}, 4)))
                .node("Cast", List.of("c"), "ci", attr("to", 7L)).node("Cast", List.of("ci"), "cf", attr("to", 1L))
                .node("Mul", List.of("x", "cf"), "y").output("y");
        Graph g = OrtReference.assertMatchesOrt(m.bytes(), 172, 4, -1, 1);
        assertArrayEquals(new double[] {2, -2, 0, 0}, g.forward(new double[] {1, 1, 1, 1}), 0.0);
        assertEquals("3", g.metadata().get("folded_nodes"));
    }

    @Test
    void prunesNodesThatDoNotReachTheOutput() {
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 5).node("Sigmoid", List.of("x"), "dead1")
                .node("Tanh", List.of("x"), "t").node("Neg", List.of("t"), "dead2").node("Relu", List.of("x"), "y")
                .output("y");
        Graph g = OrtReference.assertMatchesOrt(m.bytes(), 173, 4, -1, 1);
        assertEquals(List.of("Relu"), g.nodes().stream().map(n -> n.opType()).toList());
        assertEquals("3", g.metadata().get("pruned_nodes"));
        assertEquals("0", g.metadata().get("folded_nodes"));
    }

    @Test
    void keepsEverythingOnThePathToTheOutput() {
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 5).node("Tanh", List.of("x"), "t").node("Relu", List.of("x"), "r")
                .node("Add", List.of("t", "r"), "y").output("y");
        Graph g = OrtReference.assertMatchesOrt(m.bytes(), 174, 4, -1, 1);
        assertEquals(List.of("Tanh", "Relu", "Add"), g.nodes().stream().map(n -> n.opType()).toList());
        assertEquals("0", g.metadata().get("pruned_nodes"));
    }

    @Test
    void nodesInAnyOrderAreSorted() {
        // Nodes listed consumer first: the loader orders them.
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 5).node("Neg", List.of("r"), "y").node("Relu", List.of("x"), "r")
                .output("y");
        Graph g = OrtReference.assertMatchesOrt(m.bytes(), 175, 4, -1, 1);
        assertEquals(List.of("Relu", "Neg"), g.nodes().stream().map(n -> n.opType()).toList());
    }
}
