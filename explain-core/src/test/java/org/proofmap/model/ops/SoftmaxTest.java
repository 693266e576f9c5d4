package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.proofmap.testing.OnnxModels.attr;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.onnx.proto.OnnxProto.AttributeProto;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** Softmax against ONNX Runtime: the opset 11 (coerced to 2-D) and opset 13 (one axis) semantics. */
class SoftmaxTest {
    private static OnnxModels model(int opset, AttributeProto... attrs) {
        return OnnxModels.builder(opset).input("x", 1, 2, 3).node("Softmax", List.of("x"), "y", attrs).output("y");
    }

    @Test
    void opset11CoercesTo2d() {
        OrtReference.assertMatchesOrt(model(11).bytes(), 151, 5, -2, 2); // axis 1: rows of 6
        OrtReference.assertMatchesOrt(model(11, attr("axis", 2L)).bytes(), 152, 5, -2, 2); // rows of 3
        OrtReference.assertMatchesOrt(model(11, attr("axis", 0L)).bytes(), 153, 5, -2, 2); // one row of 6
    }

    @Test
    void opset13OneAxis() {
        OrtReference.assertMatchesOrt(model(13).bytes(), 154, 5, -2, 2); // axis -1
        OrtReference.assertMatchesOrt(model(13, attr("axis", 1L)).bytes(), 155, 5, -2, 2); // columns of 2
        OrtReference.assertMatchesOrt(model(13, attr("axis", -3L)).bytes(), 156, 5, -2, 2);
    }

    @Test
    void largeLogits() {
        OrtReference.assertMatchesOrt(model(13).bytes(), 157, 5, -500, 500);
        Graph g = OnnxLoader.load(model(13).bytes(), "t");
        double e = Math.exp(-1);
        assertArrayEquals(new double[] {1 / (1 + e + e * e), e / (1 + e + e * e), e * e / (1 + e + e * e), 0.5, 0.5, 0},
                g.forward(new double[] {1000, 999, 998, -1e4, -1e4, -2e4}), 1e-15);
    }

    @Test
    void semanticsDifferBetweenOpsets() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] old = OnnxLoader.load(model(11).bytes(), "t").forward(x);
        double[] now = OnnxLoader.load(model(13).bytes(), "t").forward(x);
        double s6 = 0;
        double s3a = 0;
        for (int i = 0; i < 6; i++) {
            s6 += Math.exp(x[i]);
            s3a += i < 3 ? Math.exp(x[i]) : 0;
        }
        assertArrayEquals(new double[] {Math.exp(1) / s6, Math.exp(6) / s6}, new double[] {old[0], old[5]}, 1e-15);
        assertArrayEquals(new double[] {Math.exp(1) / s3a, Math.exp(3) / s3a}, new double[] {now[0], now[2]}, 1e-15);
    }
}
