package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.ints;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** Transpose, Gather and Slice against ONNX Runtime. */
class SelectionTest {
    private static Graph check(OnnxModels m, long seed) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, 4, -1, 1);
    }

    @Test
    void transpose() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 3, 4).node("Transpose", List.of("x"), "y",
                ints("perm", 0, 3, 1, 2)).output("y"), 121);
        assertEquals(Shape.of(1, 4, 2, 3), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 3, 4).node("Transpose", List.of("x"), "y").output("y"), 122);
        assertEquals(Shape.of(4, 3, 1), g.outputShape());
        g = check(OnnxModels.builder(9).input("x", -1, 2, 5).node("Relu", List.of("x"), "r")
                .node("Transpose", List.of("r"), "y", ints("perm", 2, 0, 1)).output("y"), 123);
        assertEquals(Shape.of(5, 1, 2), g.outputShape());
    }

    @Test
    void transposeIndexMap() {
        Graph g = org.proofmap.onnx.OnnxLoader.load(OnnxModels.builder(13).input("x", 1, 2, 3)
                .node("Transpose", List.of("x"), "y", ints("perm", 0, 2, 1)).output("y").bytes(), "t");
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, ((Selection) g.nodes().get(0).op()).indexMap());
    }

    @Test
    void gatherAxis0WithNegativeIndices() {
        // x (1x12) reshaped to 4x3, rows -1, 0, 2 (and 2 again).
        Graph g = check(OnnxModels.builder(13).input("x", 1, 12).ints("s", new long[] {4, 3}, 2).ints("i", new long[] {-1, 0, 2, 2}, 4)
                .node("Reshape", List.of("x", "s"), "r").node("Gather", List.of("r", "i"), "y").output("y"), 124);
        assertEquals(Shape.of(4, 3), g.outputShape());
    }

    @Test
    void gatherAxis1() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 5, 2).ints("i", new long[] {3, -5, 1, 1}, 2, 2)
                .node("Gather", List.of("x", "i"), "y", attr("axis", 1L)).output("y"), 125);
        assertEquals(Shape.of(1, 2, 2, 2), g.outputShape());
        // A scalar index drops the axis.
        g = check(OnnxModels.builder(13).input("x", 1, 5, 2).initializer(OnnxModels.int64Tensor("i", new long[] {-2}))
                .node("Gather", List.of("x", "i"), "y", attr("axis", 1L)).output("y"), 126);
        assertEquals(Shape.of(1, 2), g.outputShape());
        g = check(OnnxModels.builder(11).input("x", 1, 5, 2).ints("i", new long[] {1, 0}, 2)
                .node("Gather", List.of("x", "i"), "y", attr("axis", -1L)).output("y"), 127);
        assertEquals(Shape.of(1, 5, 2), g.outputShape());
    }

    @Test
    void sliceAttributeFormOpset9() {
        Graph g = check(OnnxModels.builder(9).input("x", 1, 6, 5).node("Slice", List.of("x"), "y", ints("starts", -4, 1),
                ints("ends", 100, -1), ints("axes", 1, 2)).output("y"), 128);
        assertEquals(Shape.of(1, 4, 3), g.outputShape());
        g = check(OnnxModels.builder(9).input("x", 1, 6).node("Slice", List.of("x"), "y", ints("starts", 0, 2),
                ints("ends", 1, 5)).output("y"), 129);
        assertEquals(Shape.of(1, 3), g.outputShape());
    }

    @Test
    void sliceInputFormWithSteps() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 7, 6).ints("st", new long[] {-6, 1}, 2)
                .ints("en", new long[] {7, 1000}, 2).ints("ax", new long[] {1, -1}, 2).ints("sp", new long[] {2, 2}, 2)
                .node("Slice", List.of("x", "st", "en", "ax", "sp"), "y").output("y"), 130);
        assertEquals(Shape.of(1, 3, 3), g.outputShape());
        // Reversal: step -1 from the end to before the start (ends = INT64_MIN, as exporters write).
        g = check(OnnxModels.builder(13).input("x", 1, 7).ints("st", new long[] {-1}, 1).ints("en", new long[] {Long.MIN_VALUE}, 1)
                .ints("ax", new long[] {1}, 1).ints("sp", new long[] {-1}, 1)
                .node("Slice", List.of("x", "st", "en", "ax", "sp"), "y").output("y"), 131);
        assertEquals(Shape.of(1, 7), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 9).ints("st", new long[] {7}, 1).ints("en", new long[] {-9}, 1)
                .ints("ax", new long[] {1}, 1).ints("sp", new long[] {-3}, 1)
                .node("Slice", List.of("x", "st", "en", "ax", "sp"), "y").output("y"), 132);
        assertEquals(Shape.of(1, 3), g.outputShape());
        // Without axes and steps: the leading axes, step 1.
        g = check(OnnxModels.builder(10).input("x", 1, 4, 5).ints("st", new long[] {0, 1}, 2).ints("en", new long[] {1, -1}, 2)
                .node("Slice", List.of("x", "st", "en"), "y").output("y"), 133);
        assertEquals(Shape.of(1, 2, 5), g.outputShape());
    }
}
