package org.proofmap.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Spec;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

class NormalizationTest {
    /** A 2-channel 4x4 conv net. */
    static Graph convNet() {
        Random rng = new Random(3);
        byte[] onnx = OnnxModels.builder(13).input("x", 1, 2, 4, 4)
                .initializer("W", OnnxModels.gaussian(rng, 3 * 2 * 9, 0.5), 3, 2, 3, 3)
                .initializer("b", OnnxModels.gaussian(rng, 3, 0.1), 3)
                .initializer("G", OnnxModels.gaussian(rng, 4 * 48, 0.3), 4, 48)
                .node("Conv", List.of("x", "W", "b"), "c", OnnxModels.ints("pads", 1, 1, 1, 1))
                .node("Relu", List.of("c"), "r")
                .node("Flatten", List.of("r"), "f")
                .node("Gemm", List.of("f", "G"), "y", OnnxModels.attr("transB", 1L))
                .output("y", 1, 4).bytes();
        return OnnxLoader.load(onnx, "conv.onnx");
    }

    @Test
    void forwardEqualsNormalisingFirst() {
        Graph g = convNet();
        double[] mean = {0.4, 0.6};
        double[] std = {0.2, 0.5};
        Graph n = Normalization.prepend(g, mean, std);
        assertEquals(g.inputShape(), n.inputShape());
        Random rng = new Random(1);
        for (int t = 0; t < 10; t++) {
            double[] x = new double[32];
            double[] z = new double[32];
            for (int i = 0; i < 32; i++) {
                x[i] = rng.nextDouble();
                int c = i / 16;
                z[i] = (x[i] - mean[c]) / std[c];
            }
            assertArrayEquals(g.forward(z), n.forward(x), 1e-12);
        }
    }

    @Test
    void boundsEqualBoundsOfTheMappedBox() {
        Graph g = convNet();
        double[] mean = {0.4, 0.6};
        double[] std = {0.2, 0.5};
        Graph n = Normalization.prepend(g, mean, std);
        double[] lo = new double[32];
        double[] hi = new double[32];
        double[] zlo = new double[32];
        double[] zhi = new double[32];
        Random rng = new Random(2);
        for (int i = 0; i < 32; i++) {
            double c = rng.nextDouble();
            lo[i] = Math.max(0, c - 0.05);
            hi[i] = Math.min(1, c + 0.05);
            zlo[i] = (lo[i] - mean[i / 16]) / std[i / 16];
            zhi[i] = (hi[i] - mean[i / 16]) / std[i / 16];
        }
        for (String m : BoundMethods.NAMES) {
            Bounds a = BoundMethods.byName(m).compute(n, new Box(lo, hi), Spec.identity(4));
            Bounds b = BoundMethods.byName(m).compute(g, new Box(zlo, zhi), Spec.identity(4));
            assertArrayEquals(b.lower(), a.lower(), 1e-9, m);
            assertArrayEquals(b.upper(), a.upper(), 1e-9, m);
        }
    }

    @Test
    void rejectsBadConstants() {
        Graph g = convNet();
        assertThrows(IllegalArgumentException.class, () -> Normalization.prepend(g, new double[] {0, 0, 0},
                new double[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.prepend(g, new double[] {0}, new double[] {0}));
    }
}
