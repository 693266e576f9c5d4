package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.gaussian;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** BatchNormalization (inference) against ONNX Runtime, on 4-D and 2-D inputs. */
class BatchNormTest {
    private static OnnxModels model(int opset, long seed, int c, int[] dims, double epsilon) {
        Random r = new Random(seed);
        double[] var = new double[c];
        for (int i = 0; i < c; i++) {
            var[i] = 0.1 + r.nextDouble() * 2;
        }
        return OnnxModels.builder(opset).input("x", dims).initializer("g", gaussian(r, c, 1), c)
                .initializer("b", gaussian(r, c, 1), c).initializer("m", gaussian(r, c, 1), c).initializer("v", var, c)
                .node("BatchNormalization", List.of("x", "g", "b", "m", "v"), "y", attr("epsilon", epsilon)).output("y");
    }

    @Test
    void fourDimensional() {
        OrtReference.assertMatchesOrt(model(9, 1, 3, new int[] {1, 3, 4, 5}, 1e-5).bytes(), 91, 5, -2, 2);
        OrtReference.assertMatchesOrt(model(15, 2, 4, new int[] {-1, 4, 3, 3}, 0.3).bytes(), 92, 5, -2, 2);
    }

    @Test
    void twoDimensional() {
        Graph g = OrtReference.assertMatchesOrt(model(14, 3, 6, new int[] {1, 6}, 1e-3).bytes(), 93, 5, -2, 2);
        assertEquals(4 * 6, g.parameterCount());
    }

    @Test
    void exactFormula() {
        // y = gamma (x - mean) / sqrt(var + eps) + beta, with values exact in float32.
        byte[] m = OnnxModels.builder(13).input("x", 1, 2, 1, 2).initializer("g", new double[] {2, -1}, 2)
                .initializer("b", new double[] {0.5, 1}, 2).initializer("m", new double[] {1, -2}, 2)
                .initializer("v", new double[] {3, 0.25}, 2)
                .node("BatchNormalization", List.of("x", "g", "b", "m", "v"), "y", attr("epsilon", 1.0)).output("y").bytes();
        double[] y = OnnxLoader.load(m, "t").forward(new double[] {3, 5, 0, -3});
        assertArrayEquals(new double[] {2 * 2 / 2.0 + 0.5, 2 * 4 / 2.0 + 0.5, -1 * 2 / Math.sqrt(1.25) + 1,
                -1 * -1 / Math.sqrt(1.25) + 1}, y, 1e-15);
    }
}
