package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** Sigmoid and Tanh against ONNX Runtime, including saturated inputs. */
class SigmoidalTest {
    private static OnnxModels model(String op, int... dims) {
        return OnnxModels.builder(13).input("x", dims).node(op, List.of("x"), "y").output("y");
    }

    @Test
    void sigmoid() {
        OrtReference.assertMatchesOrt(model("Sigmoid", 1, 3, 7).bytes(), 61, 6, -4, 4);
    }

    @Test
    void tanh() {
        OrtReference.assertMatchesOrt(model("Tanh", -1, 3, 7).bytes(), 62, 6, -4, 4);
    }

    @Test
    void largeMagnitudes() {
        OrtReference.assertMatchesOrt(model("Sigmoid", 1, 40).bytes(), 63, 6, -100, 100);
        OrtReference.assertMatchesOrt(model("Tanh", 1, 40).bytes(), 64, 6, -100, 100);
    }

    @Test
    void saturationIsFiniteAndExact() {
        Graph s = OnnxLoader.load(model("Sigmoid", 1, 4).bytes(), "t");
        double[] y = s.forward(new double[] {-800, -40, 40, 800});
        assertEquals(0.0, y[0], 0.0);
        assertTrue(y[1] > 0 && Math.abs(y[1] / Math.exp(-40) - 1) < 1e-12, "sigmoid(-40) = " + y[1]);
        assertEquals(1.0, y[2], 1e-17);
        assertEquals(1.0, y[3], 0.0);
        Graph t = OnnxLoader.load(model("Tanh", 1, 3).bytes(), "t");
        double[] z = t.forward(new double[] {-1000, 0.5, 1000});
        assertEquals(-1.0, z[0], 0.0);
        assertEquals(Math.tanh(0.5), z[1], 0.0);
        assertEquals(1.0, z[2], 0.0);
    }
}
