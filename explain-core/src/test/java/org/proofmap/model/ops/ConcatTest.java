package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.gaussian;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** Concat of dynamic and constant inputs against ONNX Runtime. */
class ConcatTest {
    private static Graph check(OnnxModels m, long seed) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, 4, -1, 1);
    }

    @Test
    void dynamicAndConstantOnAxis1() {
        Random r = new Random(1);
        Graph g = check(OnnxModels.builder(13).input("x", 1, 3).initializer("c", gaussian(r, 2, 1), 1, 2)
                .node("Concat", List.of("x", "c"), "y", attr("axis", 1L)).output("y"), 141);
        assertEquals(Shape.of(1, 5), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 2, 3, 3).initializer("c", gaussian(r, 9, 1), 1, 1, 3, 3)
                .node("Concat", List.of("c", "x"), "y", attr("axis", 1L)).output("y"), 142);
        assertEquals(Shape.of(1, 3, 3, 3), g.outputShape());
    }

    @Test
    void innerAxisWithSeveralOuterSlices() {
        Random r = new Random(2);
        Graph g = check(OnnxModels.builder(11).input("x", 1, 2, 3, 2).initializer("c", gaussian(r, 8, 1), 1, 2, 2, 2)
                .node("Relu", List.of("x"), "rx").node("Concat", List.of("x", "c", "rx"), "y", attr("axis", -2L))
                .output("y"), 143);
        assertEquals(Shape.of(1, 2, 8, 2), g.outputShape());
    }

    @Test
    void twoDynamicInputs() {
        check(OnnxModels.builder(13).input("x", -1, 4).node("Relu", List.of("x"), "r").node("Neg", List.of("x"), "n")
                .node("Concat", List.of("r", "x", "n"), "y", attr("axis", 1L)).output("y"), 144);
        check(OnnxModels.builder(13).input("x", 1, 4).node("Concat", List.of("x", "x"), "y", attr("axis", 0L)).output("y"), 145);
    }
}
