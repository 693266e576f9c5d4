package org.proofmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.gaussian;
import static org.proofmap.testing.OnnxModels.ints;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * {@link GradientPass} against central finite differences of {@link Graph#forward}: for random
 * inputs and random output weights {@code w}, the analytic gradient of {@code Σ_j w_j·y_j} must match
 * {@code (f(x + h·e_i) − f(x − h·e_i)) / 2h} with {@code h = 1e-6} to a relative tolerance of
 * {@code 1e-5}. Samples within {@code 1e-4} of a kink (a ReLU input near zero, two MaxPool window
 * entries near a tie) are skipped, and each fixture must keep most of its samples.
 */
class GradientPassTest {
    private static final double H = 1e-6;
    private static final double REL_TOL = 1e-5;
    /** Absolute floor of the tolerance: rounding noise of the difference quotient, ~1e-16·|f|/h. */
    private static final double ABS_TOL = 1e-8;
    private static final double KINK = 1e-4;
    private static final int BATCH = 6;

    private static Graph load(OnnxModels m) {
        return OnnxLoader.load(m.bytes(), "gradient-test");
    }

    // ------------------------------------------------------------------ fixtures

    @Test
    void reluMlp() {
        check(load(OnnxModels.mlp(1, 6, 16, 12, 4)), 11, -1, 1);
    }

    @Test
    void smoothAndLeakyMlp() {
        Random r = new Random(2);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 5)
                .initializer("W0", gaussian(r, 8 * 5, 0.7), 8, 5).initializer("b0", gaussian(r, 8, 0.2), 8)
                .initializer("W1", gaussian(r, 7 * 8, 0.7), 7, 8).initializer("b1", gaussian(r, 7, 0.2), 7)
                .initializer("W2", gaussian(r, 6 * 7, 0.7), 6, 7).initializer("b2", gaussian(r, 6, 0.2), 6)
                .initializer("W3", gaussian(r, 3 * 6, 0.7), 3, 6).initializer("b3", gaussian(r, 3, 0.2), 3)
                .node("Gemm", List.of("x", "W0", "b0"), "z0", attr("transB", 1L))
                .node("Tanh", List.of("z0"), "h0")
                .node("Gemm", List.of("h0", "W1", "b1"), "z1", attr("transB", 1L))
                .node("Sigmoid", List.of("z1"), "h1")
                .node("Gemm", List.of("h1", "W2", "b2"), "z2", attr("transB", 1L))
                .node("LeakyRelu", List.of("z2"), "h2", attr("alpha", 0.1))
                .node("Gemm", List.of("h2", "W3", "b3"), "y", attr("transB", 1L))
                .output("y", 1, 3);
        check(load(m), 12, -2, 2);
    }

    /**
     * Conv (pads, strides) → BatchNormalization → Relu → MaxPool → Conv (asymmetric pads) → Relu, then
     * two heads added together: AveragePool → Flatten → Gemm, and GlobalAveragePool → Flatten → Gemm.
     */
    @Test
    void convNet() {
        Random r = new Random(3);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 2, 8, 8)
                .initializer("K1", gaussian(r, 4 * 2 * 3 * 3, 0.4), 4, 2, 3, 3)
                .initializer("c1", gaussian(r, 4, 0.1), 4)
                .initializer("gamma", new double[] {1.2, 0.8, -0.5, 1.0}, 4)
                .initializer("beta", new double[] {0.1, -0.2, 0.05, 0.0}, 4)
                .initializer("mean", new double[] {0.05, -0.1, 0.2, 0.0}, 4)
                .initializer("var", new double[] {0.9, 1.5, 0.6, 1.1}, 4)
                .initializer("K2", gaussian(r, 3 * 4 * 2 * 2, 0.4), 3, 4, 2, 2)
                .initializer("c2", gaussian(r, 3, 0.1), 3)
                .initializer("Wa", gaussian(r, 5 * 27, 0.5), 5, 27).initializer("ba", gaussian(r, 5, 0.1), 5)
                .initializer("Wg", gaussian(r, 5 * 3, 0.5), 5, 3).initializer("bg", gaussian(r, 5, 0.1), 5)
                // 1x2x8x8 -> 1x4x9x9 (kernel 3, pads top/left 1, bottom/right 2)
                .node("Conv", List.of("x", "K1", "c1"), "a1", ints("pads", 1, 1, 2, 2), ints("strides", 1, 1))
                .node("BatchNormalization", List.of("a1", "gamma", "beta", "mean", "var"), "a2")
                .node("Relu", List.of("a2"), "a3")
                // 1x4x9x9 -> 1x4x5x5 (padding never wins)
                .node("MaxPool", List.of("a3"), "a4", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                        ints("pads", 1, 1, 1, 1))
                // 1x4x5x5 -> 1x3x3x3 (kernel 2, stride 2, pads [1,1,1,1])
                .node("Conv", List.of("a4", "K2", "c2"), "a5", ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .node("Relu", List.of("a5"), "a6")
                // 1x3x3x3 -> 1x3x3x3 (pads top/left, counted in the divisor)
                .node("AveragePool", List.of("a6"), "p1", ints("kernel_shape", 2, 2), ints("strides", 1, 1),
                        ints("pads", 1, 1, 0, 0), attr("count_include_pad", 1L))
                .node("Flatten", List.of("p1"), "f1")
                .node("Gemm", List.of("f1", "Wa", "ba"), "ya", attr("transB", 1L))
                .node("GlobalAveragePool", List.of("a6"), "p2")
                .node("Flatten", List.of("p2"), "f2")
                .node("Gemm", List.of("f2", "Wg", "bg"), "yg", attr("transB", 1L))
                .node("Add", List.of("ya", "yg"), "y")
                .output("y", 1, 5);
        Graph g = load(m);
        assertTrue(g.operatorCounts().keySet().containsAll(List.of("Conv", "BatchNormalization", "Relu", "MaxPool",
                "AveragePool", "GlobalAveragePool", "Flatten", "Gemm", "Add")), g.operatorCounts().toString());
        check(g, 13, -1, 1);
    }

    /** {@code h + relu(W·h)}: the residual Add of two branches that both depend on the input. */
    @Test
    void residualAdd() {
        Random r = new Random(4);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 6)
                .initializer("W0", gaussian(r, 8 * 6, 0.6), 8, 6).initializer("b0", gaussian(r, 8, 0.1), 8)
                .initializer("W1", gaussian(r, 8 * 8, 0.6), 8, 8).initializer("b1", gaussian(r, 8, 0.1), 8)
                .node("Gemm", List.of("x", "W0", "b0"), "z0", attr("transB", 1L))
                .node("Tanh", List.of("z0"), "h")
                .node("Gemm", List.of("h", "W1", "b1"), "z1", attr("transB", 1L))
                .node("Relu", List.of("z1"), "a")
                .node("Add", List.of("h", "a"), "s")
                .node("Sub", List.of("s", "z0"), "t")
                .node("Neg", List.of("t"), "nt")
                .node("MatMul", List.of("nt", "W2T"), "y")
                .initializer("W2T", transpose(gaussian(r, 3 * 8, 0.6), 3, 8), 8, 3)
                .output("y", 1, 3);
        check(load(m), 14, -1, 1);
    }

    /** Products and quotients of two model-dependent tensors (with broadcasting), and c / x. */
    @Test
    void mulAndDivOfTwoDynamicTensors() {
        Random r = new Random(5);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 4)
                .initializer("W0", gaussian(r, 6 * 4, 0.6), 6, 4).initializer("b0", gaussian(r, 6, 0.1), 6)
                .initializer("W1", gaussian(r, 6 * 4, 0.6), 6, 4)
                .initializer("W2", gaussian(r, 4, 0.6), 1, 4)
                .initializer("half", new double[] {0.5}, 1)
                .initializer("num", gaussian(r, 6, 1.0), 6)
                .node("Gemm", List.of("x", "W0", "b0"), "u", attr("transB", 1L))
                .node("Gemm", List.of("x", "W1"), "z", attr("transB", 1L))
                .node("Sigmoid", List.of("z"), "sg")
                .node("Add", List.of("sg", "half"), "v") // v in (0.5, 1.5): a safe divisor
                .node("Mul", List.of("u", "v"), "p")
                .node("Div", List.of("u", "v"), "q")
                .node("Gemm", List.of("x", "W2"), "k", attr("transB", 1L)) // 1x1: broadcasts against 1x6
                .node("Mul", List.of("p", "k"), "pk")
                .node("Div", List.of("num", "v"), "cv") // constant / dynamic
                .node("Add", List.of("pk", "q"), "s")
                .node("Add", List.of("s", "cv"), "y")
                .output("y", 1, 6);
        check(load(m), 15, -1, 1);
    }

    @Test
    void softmaxAtTheEnd() {
        Graph g = softmaxMlp(6, 5, 10, 4);
        assertEquals("Softmax", g.nodes().get(g.nodes().size() - 1).opType());
        check(g, 16, -1, 1);
    }

    /** Concat of two dynamic branches and a constant, along the feature axis. */
    @Test
    void concat() {
        Random r = new Random(7);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 4)
                .initializer("W0", gaussian(r, 5 * 4, 0.6), 5, 4)
                .initializer("W1", gaussian(r, 3 * 4, 0.6), 3, 4)
                .initializer("c", gaussian(r, 2, 1.0), 1, 2)
                .initializer("W2", gaussian(r, 3 * 10, 0.6), 3, 10)
                .node("Gemm", List.of("x", "W0"), "a", attr("transB", 1L))
                .node("Tanh", List.of("a"), "ta")
                .node("Gemm", List.of("x", "W1"), "b", attr("transB", 1L))
                .node("Concat", List.of("ta", "c", "b"), "cat", attr("axis", 1L))
                .node("Sigmoid", List.of("cat"), "s")
                .node("Gemm", List.of("s", "W2"), "y", attr("transB", 1L))
                .output("y", 1, 3);
        check(load(m), 17, -1, 1);
    }

    /** Reshape 1x12 → 1x3x4, Transpose → 1x4x3, MatMul by a constant on the right, Flatten, Gemm. */
    @Test
    void transposeAndReshape() {
        Random r = new Random(8);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 12)
                .ints("shape", new long[] {1, 3, 4}, 3)
                .initializer("B", gaussian(r, 3 * 5, 0.6), 3, 5)
                .initializer("W", gaussian(r, 2 * 20, 0.6), 2, 20)
                .node("Reshape", List.of("x", "shape"), "r")
                .node("Transpose", List.of("r"), "t", ints("perm", 0, 2, 1))
                .node("MatMul", List.of("t", "B"), "mm") // 1x4x5
                .node("Tanh", List.of("mm"), "h")
                .node("Flatten", List.of("h"), "f")
                .node("Gemm", List.of("f", "W"), "y", attr("transB", 1L))
                .output("y", 1, 2);
        check(load(m), 18, -1, 1);
    }

    /** Gemm with {@code transA=1} (data read transposed) after a Reshape to 3x4, then Squeeze/Unsqueeze. */
    @Test
    void gemmWithTransposedData() {
        Random r = new Random(10);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 12)
                .ints("shape", new long[] {3, 4}, 2)
                .ints("axes", new long[] {0}, 1)
                .initializer("B", gaussian(r, 3 * 5, 0.6), 3, 5)
                .initializer("c", gaussian(r, 5, 0.2), 5)
                .ints("flat", new long[] {1, 20}, 2)
                .initializer("W", gaussian(r, 2 * 20, 0.6), 2, 20)
                .node("Reshape", List.of("x", "shape"), "r")
                .node("Gemm", List.of("r", "B", "c"), "g", attr("transA", 1L), attr("alpha", 0.7)) // 4x5
                .node("Tanh", List.of("g"), "h")
                .node("Unsqueeze", List.of("h", "axes"), "u") // 1x4x5
                .node("Squeeze", List.of("u", "axes"), "sq") // 4x5
                .node("Reshape", List.of("sq", "flat"), "f")
                .node("Gemm", List.of("f", "W"), "y", attr("transB", 1L))
                .output("y", 1, 2);
        check(load(m), 20, -1, 1);
    }

    /** {@code A·X} with the constant on the left, on input 1x4x3. */
    @Test
    void matMulWithTheConstantOnTheLeft() {
        Random r = new Random(9);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 4, 3)
                .initializer("A", gaussian(r, 5 * 4, 0.6), 5, 4)
                .initializer("W", gaussian(r, 3 * 15, 0.6), 3, 15)
                .node("MatMul", List.of("A", "x"), "ax") // 1x5x3
                .node("Sigmoid", List.of("ax"), "s")
                .node("Flatten", List.of("s"), "f")
                .node("Gemm", List.of("f", "W"), "y", attr("transB", 1L))
                .output("y", 1, 3);
        Graph g = load(m);
        check(g, 19, -1, 1);
    }

    /** Gemm → Relu → Gemm → Softmax (sizes {@code in -> hidden -> out}). */
    private static Graph softmaxMlp(long seed, int in, int hidden, int out) {
        Random r = new Random(seed);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, in)
                .initializer("W0", gaussian(r, hidden * in, 0.8), hidden, in)
                .initializer("b0", gaussian(r, hidden, 0.1), hidden)
                .initializer("W1", gaussian(r, out * hidden, 0.8), out, hidden)
                .node("Gemm", List.of("x", "W0", "b0"), "z", attr("transB", 1L))
                .node("Relu", List.of("z"), "h")
                .node("Gemm", List.of("h", "W1"), "logits", attr("transB", 1L))
                .node("Softmax", List.of("logits"), "p", attr("axis", -1L))
                .output("p", 1, out);
        return load(m);
    }

    // ------------------------------------------------------------------ batching

    /**
     * One batched call equals per-sample calls, and a smaller batch after a larger one sees no stale
     * gradient (buffers are cleared only up to the batch in use).
     */
    @Test
    void batchedGradientsEqualPerSampleGradients() {
        Graph[] graphs = {
            load(OnnxModels.mlp(21, 7, 9, 9, 3)),
            softmaxMlp(22, 4, 6, 5),
        };
        for (Graph g : graphs) {
            Random rng = new Random(23);
            int n = g.inputSize();
            int m = g.outputSize();
            double[] x = uniform(rng, BATCH * n, -1, 1);
            double[] w = gaussian(rng, BATCH * m, 1);
            GradientPass batched = new GradientPass(g, BATCH);
            double[] gb = batched.gradient(x, w, BATCH).clone();
            double[] yb = batched.output().clone();
            GradientPass single = new GradientPass(g, 1);
            for (int s = 0; s < BATCH; s++) {
                double[] xs = java.util.Arrays.copyOfRange(x, s * n, (s + 1) * n);
                double[] ws = java.util.Arrays.copyOfRange(w, s * m, (s + 1) * m);
                double[] gs = single.gradient(xs, ws, 1);
                for (int i = 0; i < n; i++) {
                    assertEquals(gs[i], gb[s * n + i], 1e-12 * (1 + Math.abs(gs[i])), "sample " + s + " input " + i);
                }
                double[] ys = g.forward(xs);
                for (int j = 0; j < m; j++) {
                    assertEquals(ys[j], yb[s * m + j], 1e-12 * (1 + Math.abs(ys[j])), "output " + j);
                }
            }
            // A smaller batch on the same pass after the full one: the same gradients as a fresh pass.
            double[] g2 = batched.gradient(x, w, 2).clone();
            for (int i = 0; i < 2 * n; i++) {
                assertEquals(gb[i], g2[i], 1e-12 * (1 + Math.abs(gb[i])), "re-used pass, element " + i);
            }
        }
    }

    // ------------------------------------------------------------------ the check

    private static double[] uniform(Random rng, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return v;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static double weighted(Graph g, double[] x, double[] w) {
        double[] y = g.forward(x);
        double s = 0;
        for (int j = 0; j < y.length; j++) {
            s += w[j] * y[j];
        }
        return s;
    }

    /**
     * Compares analytic and finite-difference gradients on {@code 3·BATCH} random samples (batches of
     * {@code BATCH}), skipping samples near a kink; at least half must be checked.
     */
    private static void check(Graph g, long seed, double lo, double hi) {
        Random rng = new Random(seed);
        int n = g.inputSize();
        int m = g.outputSize();
        GradientPass pass = new GradientPass(g, BATCH);
        ForwardPass probe = new ForwardPass(g, 1);
        int checked = 0;
        int total = 0;
        for (int round = 0; round < 3; round++) {
            double[] x = uniform(rng, BATCH * n, lo, hi);
            double[] w = gaussian(rng, BATCH * m, 1);
            double[] grad = pass.gradient(x, w, BATCH).clone();
            for (int s = 0; s < BATCH; s++) {
                total++;
                double[] xs = java.util.Arrays.copyOfRange(x, s * n, (s + 1) * n);
                double[] ws = java.util.Arrays.copyOfRange(w, s * m, (s + 1) * m);
                if (nearKink(g, probe, xs)) {
                    continue;
                }
                checked++;
                for (int i = 0; i < n; i++) {
                    double keep = xs[i];
                    xs[i] = keep + H;
                    double fp = weighted(g, xs, ws);
                    xs[i] = keep - H;
                    double fm = weighted(g, xs, ws);
                    xs[i] = keep;
                    double fd = (fp - fm) / (2 * H);
                    double an = grad[s * n + i];
                    double tol = REL_TOL * Math.max(Math.abs(an), Math.abs(fd)) + ABS_TOL;
                    assertEquals(fd, an, tol, g.source() + ": sample " + s + " of round " + round + ", input " + i);
                }
            }
        }
        assertTrue(2 * checked >= total, "only " + checked + " of " + total + " samples away from kinks");
    }

    /**
     * Whether {@code x} is within {@link #KINK} of a kink: a Relu/LeakyRelu input near zero, or a
     * MaxPool output that another element of its channel plane nearly ties (conservative: any
     * element of the plane, not only of the window).
     */
    private static boolean nearKink(Graph g, ForwardPass fp, double[] x) {
        fp.run(x, 1);
        for (Node node : g.nodes()) {
            String op = node.opType();
            if (op.equals("Relu") || op.equals("LeakyRelu")) {
                double[] in = fp.valueBuffer(node.inputs()[0]);
                for (int i = 0, len = g.valueShape(node.inputs()[0]).size(); i < len; i++) {
                    if (Math.abs(in[i]) < KINK) {
                        return true;
                    }
                }
            } else if (op.equals("MaxPool")) {
                Shape is = g.valueShape(node.inputs()[0]);
                Shape os = node.outputShape();
                double[] in = fp.valueBuffer(node.inputs()[0]);
                double[] out = fp.valueBuffer(node.output());
                int inPlane = is.dim(2) * is.dim(3);
                int outPlane = os.dim(2) * os.dim(3);
                for (int c = 0; c < is.dim(1); c++) {
                    for (int o = 0; o < outPlane; o++) {
                        double v = out[c * outPlane + o];
                        if (v == 0.0) {
                            continue; // zeros come from a ReLU, whose kinks are checked at its input
                        }
                        int close = 0;
                        for (int k = 0; k < inPlane; k++) {
                            if (Math.abs(in[c * inPlane + k] - v) < KINK) {
                                close++;
                            }
                        }
                        if (close > 1) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
