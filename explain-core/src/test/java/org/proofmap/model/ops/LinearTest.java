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

/** Gemm and MatMul against ONNX Runtime: transposes, alpha/beta, bias shapes, operand ranks and sides. */
class LinearTest {
    private static final int SAMPLES = 6;

    private static Graph check(OnnxModels m, long seed) {
        return OrtReference.assertMatchesOrt(m.bytes(), seed, SAMPLES, -1, 1);
    }

    /** A model whose input {@code x} of shape 1 x size is reshaped to {@code dims} as value {@code xr}. */
    private static OnnxModels reshapedInput(int opset, int size, long... dims) {
        return OnnxModels.builder(opset).input("x", 1, size).ints("shape", dims, dims.length)
                .node("Reshape", List.of("x", "shape"), "xr");
    }

    @Test
    void gemmTransBWithVectorBias() {
        Random r = new Random(1);
        Graph g = check(OnnxModels.builder(13).input("x", 1, 6).initializer("W", gaussian(r, 24, 1), 4, 6)
                .initializer("b", gaussian(r, 4, 1), 4)
                .node("Gemm", List.of("x", "W", "b"), "y", attr("transB", 1L)).output("y"), 11);
        assertEquals(Shape.of(1, 4), g.outputShape());
        assertEquals(24 + 4, g.parameterCount());
    }

    @Test
    void gemmNoTransposeWithRowBias() {
        Random r = new Random(2);
        check(OnnxModels.builder(13).input("x", -1, 6).initializer("W", gaussian(r, 24, 1), 6, 4)
                .initializer("b", gaussian(r, 4, 1), 1, 4)
                .node("Gemm", List.of("x", "W", "b"), "y").output("y"), 12);
    }

    @Test
    void gemmAlphaBeta() {
        Random r = new Random(3);
        check(OnnxModels.builder(13).input("x", 1, 6).initializer("W", gaussian(r, 24, 1), 4, 6)
                .initializer("b", gaussian(r, 4, 1), 1, 4)
                .node("Gemm", List.of("x", "W", "b"), "y", attr("transB", 1L), attr("alpha", 0.7), attr("beta", -1.3))
                .output("y"), 13);
    }

    @Test
    void gemmWithoutBiasAtOpset9() {
        Random r = new Random(4);
        check(OnnxModels.builder(11).input("x", 1, 5).initializer("W", gaussian(r, 15, 1), 5, 3)
                .node("Gemm", List.of("x", "W"), "y", attr("alpha", 2.5)).output("y"), 14);
    }

    @Test
    void gemmManyRowsWithFullBiasAndColumnBias() {
        Random r = new Random(5);
        // x (1x12) -> 3x4; Gemm with B 4x5 and C of shape [M,N] = [3,5], then again with C [3,1].
        check(reshapedInput(13, 12, 3, 4).initializer("W", gaussian(r, 20, 1), 4, 5)
                .initializer("C", gaussian(r, 15, 1), 3, 5).node("Gemm", List.of("xr", "W", "C"), "y", attr("beta", 0.5))
                .output("y"), 15);
        check(reshapedInput(13, 12, 3, 4).initializer("W", gaussian(r, 20, 1), 4, 5)
                .initializer("C", gaussian(r, 3, 1), 3, 1).node("Gemm", List.of("xr", "W", "C"), "y")
                .output("y"), 16);
    }

    @Test
    void gemmTransA() {
        Random r = new Random(6);
        // A = x reshaped to 3x4, A' = 4x3; B' = (5x3)' with transB -> 3x5; C [4,5].
        Graph g = check(reshapedInput(13, 12, 3, 4).initializer("W", gaussian(r, 15, 1), 5, 3)
                .initializer("C", gaussian(r, 20, 1), 4, 5)
                .node("Gemm", List.of("xr", "W", "C"), "y", attr("transA", 1L), attr("transB", 1L), attr("alpha", -0.5))
                .output("y"), 17);
        assertEquals(Shape.of(4, 5), g.outputShape());
        // transA on a 1xK input: A' is Kx1, so B is 1xN and the output KxN.
        check(OnnxModels.builder(13).input("x", 1, 6).initializer("W", gaussian(r, 2, 1), 1, 2)
                .initializer("C", gaussian(r, 2, 1), 2)
                .node("Gemm", List.of("x", "W", "C"), "y", attr("transA", 1L)).output("y"), 18);
    }

    @Test
    void matMulConstantRightMatrixAndVector() {
        Random r = new Random(7);
        check(OnnxModels.builder(13).input("x", -1, 6).initializer("W", gaussian(r, 18, 1), 6, 3)
                .node("MatMul", List.of("x", "W"), "y").output("y"), 21);
        Graph g = check(OnnxModels.builder(13).input("x", 1, 6).initializer("w", gaussian(r, 6, 1), 6)
                .node("MatMul", List.of("x", "w"), "y").output("y"), 22);
        assertEquals(Shape.of(1), g.outputShape());
    }

    @Test
    void matMulVectorTimesMatrix() {
        Random r = new Random(8);
        Graph g = check(reshapedInput(13, 5, 5).initializer("W", gaussian(r, 15, 1), 5, 3)
                .node("MatMul", List.of("xr", "W"), "y").output("y"), 23);
        assertEquals(Shape.of(3), g.outputShape());
    }

    @Test
    void matMulRank4DataLikeAcasXu() {
        Random r = new Random(9);
        Graph g = check(OnnxModels.builder(8).input("x", 1, 1, 1, 5).initializer("W", gaussian(r, 15, 1), 5, 3)
                .node("MatMul", List.of("x", "W"), "y").output("y"), 24);
        assertEquals(Shape.of(1, 1, 1, 3), g.outputShape());
    }

    @Test
    void matMulRank3DataWithSeveralRows() {
        Random r = new Random(10);
        Graph g = check(OnnxModels.builder(13).input("x", 1, 2, 5).initializer("W", gaussian(r, 15, 1), 5, 3)
                .node("MatMul", List.of("x", "W"), "y").output("y"), 25);
        assertEquals(Shape.of(1, 2, 3), g.outputShape());
        // Data of rank 2 times a constant of rank 3 with a leading 1: the output takes rank 3.
        g = check(reshapedInput(13, 10, 2, 5).initializer("W", gaussian(r, 15, 1), 1, 5, 3)
                .node("MatMul", List.of("xr", "W"), "y").output("y"), 26);
        assertEquals(Shape.of(1, 2, 3), g.outputShape());
    }

    @Test
    void gemmScalarBias() {
        Random r = new Random(12);
        check(OnnxModels.builder(13).input("x", 1, 5).initializer("W", gaussian(r, 10, 1), 5, 2)
                .initializer("c", new double[] {0.75}).node("Gemm", List.of("x", "W", "c"), "y", attr("beta", 2.0))
                .output("y"), 19);
    }

    @Test
    void matMulRank4DataWithSeveralRows() {
        Random r = new Random(13);
        Graph g = check(OnnxModels.builder(13).input("x", 1, 3, 2, 5).initializer("W", gaussian(r, 20, 1), 5, 4)
                .node("MatMul", List.of("x", "W"), "y").output("y"), 20);
        assertEquals(Shape.of(1, 3, 2, 4), g.outputShape());
    }

    @Test
    void matMulConstantLeft() {
        Random r = new Random(11);
        Graph g = check(reshapedInput(13, 20, 4, 5).initializer("A", gaussian(r, 12, 1), 3, 4)
                .node("MatMul", List.of("A", "xr"), "y").output("y"), 27);
        assertEquals(Shape.of(3, 5), g.outputShape());
        g = check(OnnxModels.builder(13).input("x", 1, 1, 4, 5).initializer("A", gaussian(r, 12, 1), 3, 4)
                .node("MatMul", List.of("A", "x"), "y").output("y"), 28);
        assertEquals(Shape.of(1, 1, 3, 5), g.outputShape());
    }

    @Test
    void layersChained() {
        // A dense ReLU network as PyTorch exports it, with a symbolic batch dimension.
        check(OnnxModels.mlp(12, 7, 16, 9, 4), 29);
    }

    /**
     * Batches of 4 rows and more take the outer-product kernel, single rows the dot-product one: the
     * outputs must agree bit for bit (same summation order), including the remainder rows of a batch
     * that is not a multiple of the block.
     */
    @Test
    void batchedRowsEqualSingleRowsBitForBit() {
        Graph g = org.proofmap.onnx.OnnxLoader.load(OnnxModels.mlp(17, 37, 23, 11, 5).bytes(), "mlp");
        int batch = 9;
        Random r = new Random(4);
        double[] x = gaussian(r, batch * 37, 1);
        org.proofmap.model.ForwardPass many = new org.proofmap.model.ForwardPass(g, batch);
        double[] y = many.run(x, batch).clone();
        org.proofmap.model.ForwardPass one = new org.proofmap.model.ForwardPass(g, 1);
        for (int s = 0; s < batch; s++) {
            double[] ys = one.run(java.util.Arrays.copyOfRange(x, s * 37, (s + 1) * 37), 1);
            for (int j = 0; j < 5; j++) {
                assertEquals(Double.doubleToRawLongBits(ys[j]), Double.doubleToRawLongBits(y[s * 5 + j]),
                        "sample " + s + " output " + j);
            }
        }
    }
}
