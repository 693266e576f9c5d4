package org.proofmap.model.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.gaussian;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.OrtReference;

/** Add, Sub, Mul, Div and Neg against ONNX Runtime: constants on either side, broadcasting, two dynamic operands. */
class ArithmeticTest {
    private static final int SAMPLES = 6;

    private static Graph check(OnnxModels m, long seed, double lo, double hi) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, SAMPLES, lo, hi);
    }

    /** {@code op(x, c)} or {@code op(c, x)} with x of shape 1x3x4x4 and c of shape {@code cDims}. */
    private static OnnxModels withConstant(String op, boolean constantFirst, long seed, int... cDims) {
        int n = Shape.of(cDims).size();
        double[] c = gaussian(new Random(seed), n, 1);
        if (op.equals("Div") && !constantFirst) {
            for (int i = 0; i < n; i++) {
                c[i] = (c[i] >= 0 ? 0.5 : -0.5) + c[i]; // keep the divisor away from zero
            }
        }
        return OnnxModels.builder(13).input("x", 1, 3, 4, 4).initializer("c", c, cDims)
                .node(op, constantFirst ? List.of("c", "x") : List.of("x", "c"), "y").output("y");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Add", "Sub", "Mul", "Div"})
    void constantOnTheRight(String op) {
        check(withConstant(op, false, 1), 31, -1, 1); // scalar
        check(withConstant(op, false, 2, 3, 1, 1), 32, -1, 1); // per channel
        check(withConstant(op, false, 3, 4), 33, -1, 1); // along the last axis
        check(withConstant(op, false, 4, 1, 3, 4, 4), 34, -1, 1); // same shape
    }

    @ParameterizedTest
    @ValueSource(strings = {"Add", "Sub", "Mul", "Div"})
    void constantOnTheLeft(String op) {
        // For c / x, inputs in [0.5, 2] keep the divisor away from zero.
        double lo = op.equals("Div") ? 0.5 : -1;
        double hi = op.equals("Div") ? 2 : 1;
        check(withConstant(op, true, 5), 35, lo, hi);
        check(withConstant(op, true, 6, 3, 1, 1), 36, lo, hi);
        check(withConstant(op, true, 7, 1, 1, 4), 37, lo, hi);
    }

    @Test
    void constantBroadcastsTheDataToALargerShape() {
        // x 1x4 + c 3x1 -> 3x4: the output is larger than the data.
        Graph g = check(OnnxModels.builder(13).input("x", 1, 4).initializer("c", gaussian(new Random(8), 3, 1), 3, 1)
                .node("Sub", List.of("c", "x"), "y").output("y"), 38, -1, 1);
        assertEquals(Shape.of(3, 4), g.outputShape());
    }

    @Test
    void residualAdd() {
        // x + relu(x) and relu(x) - x: both operands depend on the input.
        check(OnnxModels.builder(13).input("x", 1, 3, 5).node("Relu", List.of("x"), "r")
                .node("Add", List.of("x", "r"), "y").output("y"), 39, -1, 1);
        check(OnnxModels.builder(13).input("x", -1, 3, 5).node("Relu", List.of("x"), "r")
                .node("Sub", List.of("r", "x"), "y").output("y"), 40, -1, 1);
    }

    @Test
    void productAndQuotientOfDynamicOperands() {
        check(OnnxModels.builder(13).input("x", 1, 7).node("Mul", List.of("x", "x"), "y").output("y"), 41, -2, 2);
        // x / (relu(x) + 1)
        check(OnnxModels.builder(13).input("x", 1, 7).initializer("one", new double[] {1}).node("Relu", List.of("x"), "r")
                .node("Add", List.of("r", "one"), "d").node("Div", List.of("x", "d"), "y").output("y"), 42, -2, 2);
    }

    @Test
    void dynamicOperandsWithBroadcasting() {
        // x (1x3x4) times its own first row (1x1x4, a Gather of x): broadcasting between two dynamic values.
        check(OnnxModels.builder(13).input("x", 1, 3, 4).ints("i", new long[] {0}, 1)
                .node("Gather", List.of("x", "i"), "row", attr("axis", 1L))
                .node("Mul", List.of("row", "x"), "p").node("Sub", List.of("x", "row"), "q")
                .node("Add", List.of("p", "q"), "y").output("y"), 43, -1, 1);
    }

    @Test
    void neg() {
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 3).node("Neg", List.of("x"), "y").output("y"), 44, -1, 1);
        assertEquals(Shape.of(1, 2, 3), g.outputShape());
    }

    @Test
    void olderOpset() {
        // Opset 7 introduced numpy broadcasting for the element-wise operators.
        check(OnnxModels.builder(7).input("x", 1, 3, 2, 2).initializer("c", gaussian(new Random(9), 3, 1), 3, 1, 1)
                .node("Mul", List.of("x", "c"), "y").output("y"), 45, -1, 1);
    }
}
