package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** Relu and LeakyRelu against ONNX Runtime. */
class ActivationTest {
    private static Graph check(OnnxModels m, long seed) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, 6, -3, 3);
    }

    @Test
    void relu() {
        check(OnnxModels.builder(13).input("x", 1, 3, 4, 5).node("Relu", List.of("x"), "y").output("y"), 51);
        check(OnnxModels.builder(7).input("x", -1, 9).node("Relu", List.of("x"), "y").output("y"), 52);
    }

    @Test
    void leakyReluWithAlpha() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 8).node("LeakyRelu", List.of("x"), "y", attr("alpha", 0.2))
                .output("y"), 53);
        assertEquals((float) 0.2, ((Activation) g.nodes().get(0).op()).negativeSlope(), 0.0);
    }

    @Test
    void leakyReluDefaultAlpha() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 16).node("LeakyRelu", List.of("x"), "y").output("y"), 54);
        assertEquals(0.01, ((Activation) g.nodes().get(0).op()).negativeSlope(), 0.0);
        assertArrayEquals(new double[] {-0.03, 0, 2}, OnnxLoader.load(OnnxModels.builder(13).input("x", 1, 3)
                .node("LeakyRelu", List.of("x"), "y").output("y").bytes(), "t").forward(new double[] {-3, 0, 2}), 1e-15);
    }

    @Test
    void reluExactValues() {
        Graph g = OnnxLoader.load(OnnxModels.builder(13).input("x", 1, 4).node("Relu", List.of("x"), "y").output("y")
                .bytes(), "t");
        assertArrayEquals(new double[] {0, 0, 1e-300, 5}, g.forward(new double[] {-2, -0.0, 1e-300, 5}), 0.0);
    }
}
