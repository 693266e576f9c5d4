package org.proofmap.mip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.FeatureSubsetBox;
import org.proofmap.bounds.InputDomain;
import org.proofmap.bounds.LinfBall;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/** Exact minima on networks built in the test (no ../shared needed), against brute force. */
class ExactMinimizerFixtureTest {
    static final double[] CENTER = {0.3, -0.2, 0.5};
    static final double EPS = 0.5;

    static Graph tinyMlp() {
        return OnnxLoader.load(OnnxModels.mlp(42, 3, 8, 8, 2).bytes(), "mlp_3_8_8_2.onnx");
    }

    /** Minimum of each row over a regular grid of {@code steps+1} points per input (corners included). */
    static double[] gridMin(Graph g, InputDomain box, double[][] rows, int steps) {
        int n = g.inputSize();
        double[] lo = box.lower();
        double[] hi = box.upper();
        int points = 1;
        for (int i = 0; i < n; i++) {
            points *= lo[i] == hi[i] ? 1 : steps + 1;
        }
        int batch = 4096;
        ForwardPass pass = new ForwardPass(g, batch);
        double[] buf = new double[batch * n];
        double[] min = new double[rows.length];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        int[] idx = new int[n];
        int filled = 0;
        for (int p = 0; p < points; p++) {
            for (int i = 0; i < n; i++) {
                buf[filled * n + i] = lo[i] == hi[i] ? lo[i] : lo[i] + (hi[i] - lo[i]) * idx[i] / steps;
            }
            filled++;
            for (int i = n - 1; i >= 0; i--) {
                if (lo[i] == hi[i]) {
                    continue;
                }
                if (++idx[i] <= steps) {
                    break;
                }
                idx[i] = 0;
            }
            if (filled == batch || p == points - 1) {
                double[] y = pass.run(buf, filled);
                int m = g.outputSize();
                for (int s = 0; s < filled; s++) {
                    for (int r = 0; r < rows.length; r++) {
                        double v = 0;
                        for (int j = 0; j < m; j++) {
                            v += rows[r][j] * y[s * m + j];
                        }
                        min[r] = Math.min(min[r], v);
                    }
                }
                filled = 0;
            }
        }
        return min;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The checks every exact result must pass. */
    static void assertExact(String name, ExactMinimizer.Result r, InputDomain box, Graph g, double[] row) {
        assertEquals(ExactMinimizer.State.OPTIMAL, r.state(), name + ": " + r);
        assertTrue(r.witnessConfirmed(), name);
        assertTrue(box.contains(r.witness(), 0.0), name + ": witness outside the box");
        double atWitness = dot(row, g.forward(r.witness()));
        assertEquals(atWitness, r.optimum(), 0.0, name + ": optimum is the value at the witness");
        assertTrue(Math.abs(r.mipObjective() - atWitness) <= 1e-6 * Math.max(1, Math.abs(atWitness)),
                name + ": mip " + r.mipObjective() + " vs forward " + atWitness);
        assertTrue(r.lowerBound() <= r.optimum(), name);
        assertTrue(r.lowerBound() >= r.crownLowerBound(), name);
        if (r.solver().equals("cbc")) {
            assertTrue(r.optimumProven(), name + ": CBC proves its optima");
            assertEquals(r.optimum(), r.lowerBound(), 1e-6 * Math.max(1, Math.abs(r.optimum())), name);
        } else {
            assertTrue(!r.optimumProven(), name + ": ojAlgo's optima are not proofs");
        }
    }

    @Test
    void tinyMlpOptimumMatchesBruteForceAndBothBackEndsAgree() {
        Graph g = tinyMlp();
        InputDomain box = new LinfBall(CENTER, EPS);
        BoundContext ctx = new BoundContext(g, box);
        double[][] rows = {{1, 0}, {0, 1}, {1, -1}, {-1, 1}, {-0.5, 2}};
        double[] grid = gridMin(g, box, rows, 60);
        ExactMinimizer exact = new ExactMinimizer(g, box, ctx);
        System.out.println("tiny MLP encoding: " + exact.encoding());
        assertTrue(exact.encoding().binaryCount() > 0, "the fixture should have unstable neurons");
        for (MipSolver s : MipSolversTest.solvers()) {
            for (int k = 0; k < rows.length; k++) {
                String name = s.name() + " row " + k;
                ExactMinimizer.Result r = exact.minimise(rows[k], s, 30);
                assertExact(name, r, box, g, rows[k]);
                assertTrue(r.optimum() <= grid[k] + 1e-9, name + ": optimum " + r.optimum() + " above grid " + grid[k]);
                assertTrue(r.optimum() >= r.crownLowerBound() - 1e-9, name);
                System.out.printf("  %s: optimum %.12f grid %.12f crown %.6f (%d binaries, %.3f s)%n", name,
                        r.optimum(), grid[k], r.crownLowerBound(), r.binaries(), r.solverSeconds());
            }
        }
        if (MipSolvers.isCbcAvailable()) {
            for (double[] row : rows) {
                double a = exact.minimise(row, new OjAlgoSolver(), 30).optimum();
                double b = exact.minimise(row, new CbcSolver(), 30).optimum();
                assertEquals(a, b, 1e-6 * Math.max(1, Math.abs(a)), "ojAlgo and CBC disagree");
            }
        }
    }

    @Test
    void fixedFeaturesOfTheWitnessEqualTheCentreExactly() {
        Graph g = tinyMlp();
        BitSet free = new BitSet();
        free.set(1);
        double[] center = {0.1234567890123, -0.2, 0.987654321};
        FeatureSubsetBox box = new FeatureSubsetBox(center, free, 0.6, -1, 1);
        double[] row = {1, -1};
        ExactMinimizer exact = new ExactMinimizer(g, box, new BoundContext(g, box));
        assertEquals(-1, exact.encoding().inputVariables()[0]);
        assertEquals(-1, exact.encoding().inputVariables()[2]);
        double grid = gridMin(g, box, new double[][] {row}, 20000)[0];
        for (MipSolver s : MipSolversTest.solvers()) {
            ExactMinimizer.Result r = exact.minimise(row, s, 30);
            assertExact(s.name(), r, box, g, row);
            double[] w = r.witness();
            assertEquals(Double.doubleToLongBits(center[0]), Double.doubleToLongBits(w[0]));
            assertEquals(Double.doubleToLongBits(center[2]), Double.doubleToLongBits(w[2]));
            assertTrue(r.optimum() <= grid + 1e-9, s.name() + ": " + r.optimum() + " vs grid " + grid);
        }
    }

    @Test
    void leakyReluMaxPoolAndAffineFamiliesAreExact() {
        // x(1x1x4x4) -> Conv(2 ch, 2x2) -> BatchNorm -> LeakyRelu -> MaxPool 2x2 s1 -> Flatten -> Sub(const)
        //   -> Gemm(.,3) -> Relu -> Add residual(Gemm from flatten) -> output
        java.util.Random rng = new java.util.Random(3);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 1, 4, 4)
                .initializer("W", OnnxModels.gaussian(rng, 8, 0.7), 2, 1, 2, 2)
                .initializer("B", OnnxModels.gaussian(rng, 2, 0.1), 2)
                .node("Conv", List.of("x", "W", "B"), "c")
                .initializer("g", new double[] {1.2, 0.8}, 2).initializer("be", new double[] {0.1, -0.1}, 2)
                .initializer("mu", new double[] {0.05, -0.02}, 2).initializer("var", new double[] {0.9, 1.1}, 2)
                .node("BatchNormalization", List.of("c", "g", "be", "mu", "var"), "bn")
                .node("LeakyRelu", List.of("bn"), "lr", OnnxModels.attr("alpha", 0.1))
                .node("MaxPool", List.of("lr"), "mp", OnnxModels.ints("kernel_shape", 2, 2))
                .node("Flatten", List.of("mp"), "f")
                .initializer("k", OnnxModels.gaussian(rng, 8, 0.05), 1, 8)
                .node("Sub", List.of("f", "k"), "fs")
                .initializer("W1", OnnxModels.gaussian(rng, 24, 0.5), 3, 8)
                .initializer("b1", OnnxModels.gaussian(rng, 3, 0.1), 3)
                .node("Gemm", List.of("fs", "W1", "b1"), "h", OnnxModels.attr("transB", 1L))
                .node("Relu", List.of("h"), "hr")
                .initializer("W2", OnnxModels.gaussian(rng, 24, 0.5), 3, 8)
                .node("Gemm", List.of("f", "W2"), "r", OnnxModels.attr("transB", 1L))
                .node("Add", List.of("hr", "r"), "y")
                .output("y", 1, 3);
        Graph g = OnnxLoader.load(m.bytes(), "mixed.onnx");
        double[] center = new double[16];
        for (int i = 0; i < 16; i++) {
            center[i] = rng.nextDouble();
        }
        BitSet free = new BitSet();
        free.set(5);
        free.set(6);
        free.set(10);
        FeatureSubsetBox box = new FeatureSubsetBox(center, free, 0.4, 0, 1);
        ExactMinimizer exact = new ExactMinimizer(g, box, null);
        System.out.println("mixed network encoding: " + exact.encoding());
        double[][] rows = {{1, 0, 0}, {0, -1, 0}, {1, 0, -1}};
        double[] grid = gridMin(g, box, rows, 40);
        for (MipSolver s : MipSolversTest.solvers()) {
            for (int k = 0; k < rows.length; k++) {
                ExactMinimizer.Result r = exact.minimise(rows[k], s, 30);
                assertExact(s.name() + " row " + k, r, box, g, rows[k]);
                assertTrue(r.optimum() <= grid[k] + 1e-9, s.name() + " row " + k + ": " + r.optimum() + " vs " + grid[k]);
            }
        }
    }

    @Test
    void selectionConcatAndAveragePoolingAreExact() {
        // x(1,6) -> Gemm(8) -> Relu -> h; Slice h[:, 0:4] and Gather h[:, {7,5,3,1}] -> Concat -> Mul(const)
        //   -> Reshape(1,2,2,2) -> r; Transpose(r) -> Flatten -> Gemm(4) -> Relu -> Div(2) -> Gemm(3) -> a
        //   GlobalAveragePool(r) -> Flatten -> p (1,2); output Concat(a, p) (1,5)
        java.util.Random rng = new java.util.Random(11);
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 6)
                .initializer("W0", OnnxModels.gaussian(rng, 48, 0.6), 8, 6)
                .initializer("b0", OnnxModels.gaussian(rng, 8, 0.1), 8)
                .node("Gemm", List.of("x", "W0", "b0"), "z0", OnnxModels.attr("transB", 1L))
                .node("Relu", List.of("z0"), "h")
                .ints("st", new long[] {0}, 1).ints("en", new long[] {4}, 1).ints("ax", new long[] {1}, 1)
                .node("Slice", List.of("h", "st", "en", "ax"), "s")
                .ints("gi", new long[] {7, 5, 3, 1}, 4)
                .node("Gather", List.of("h", "gi"), "gt", OnnxModels.attr("axis", 1L))
                .node("Concat", List.of("s", "gt"), "cc", OnnxModels.attr("axis", 1L))
                .initializer("k", new double[] {1.5, -0.5, 2, 1, 0.25, -1, 3, 0.5}, 1, 8)
                .node("Mul", List.of("cc", "k"), "mk")
                .ints("shape", new long[] {1, 2, 2, 2}, 4)
                .node("Reshape", List.of("mk", "shape"), "r")
                .node("Transpose", List.of("r"), "t", OnnxModels.ints("perm", 0, 2, 3, 1))
                .node("Flatten", List.of("t"), "tf")
                .initializer("W1", OnnxModels.gaussian(rng, 32, 0.5), 4, 8)
                .initializer("b1", OnnxModels.gaussian(rng, 4, 0.1), 4)
                .node("Gemm", List.of("tf", "W1", "b1"), "z1", OnnxModels.attr("transB", 1L))
                .node("Relu", List.of("z1"), "h1")
                .initializer("two", new double[] {2.0}, 1)
                .node("Div", List.of("h1", "two"), "hd")
                .initializer("W2", OnnxModels.gaussian(rng, 12, 0.5), 3, 4)
                .node("Gemm", List.of("hd", "W2"), "a", OnnxModels.attr("transB", 1L))
                .node("GlobalAveragePool", List.of("r"), "gp")
                .node("Flatten", List.of("gp"), "p")
                .node("Concat", List.of("a", "p"), "y", OnnxModels.attr("axis", 1L))
                .output("y", 1, 5);
        Graph g = OnnxLoader.load(m.bytes(), "selection.onnx");
        double[] center = {0.2, -0.4, 0.9, 0.1, -0.3, 0.6};
        BitSet free = new BitSet();
        free.set(0);
        free.set(2);
        free.set(5);
        FeatureSubsetBox box = new FeatureSubsetBox(center, free, 0.5, -1, 1);
        ExactMinimizer exact = new ExactMinimizer(g, box, null);
        System.out.println("selection network encoding: " + exact.encoding());
        double[][] rows = {{1, 0, 0, 0, 0}, {0, 0, -1, 0, 0}, {0, 0, 0, 1, -1}, {0, 1, 0, 0, -1}};
        double[] grid = gridMin(g, box, rows, 40);
        for (MipSolver s : MipSolversTest.solvers()) {
            for (int k = 0; k < rows.length; k++) {
                ExactMinimizer.Result r = exact.minimise(rows[k], s, 30);
                assertExact(s.name() + " row " + k, r, box, g, rows[k]);
                assertTrue(r.optimum() <= grid[k] + 1e-9, s.name() + " row " + k + ": " + r.optimum() + " vs " + grid[k]);
            }
        }
    }

    /** A back-end that misreports its objective by {@code shift}, or claims infeasibility. */
    record LyingSolver(MipSolver inner, double shift, boolean infeasible) implements MipSolver {
        @Override
        public String name() {
            return "liar";
        }

        @Override
        public Result solve(MipModel model, double timeLimitSeconds) {
            Result r = inner.solve(model, timeLimitSeconds);
            if (infeasible) {
                return Result.withoutSolution(State.INFEASIBLE, Double.NaN, r.seconds(), name(), "");
            }
            return new Result(r.state(), r.objective() + shift, r.objective() + shift, r.values(), r.seconds(), name(),
                    "");
        }
    }

    @Test
    void aWitnessThatDisagreesWithTheSolverIsNeverOptimal() {
        Graph g = tinyMlp();
        InputDomain box = new LinfBall(CENTER, EPS);
        ExactMinimizer exact = new ExactMinimizer(g, box, null);
        double[] row = {1, -1};
        ExactMinimizer.Result honest = exact.minimise(row, new LyingSolver(new OjAlgoSolver(), 0.0, false), 30);
        assertEquals(ExactMinimizer.State.OPTIMAL, honest.state());
        ExactMinimizer.Result off = exact.minimise(row, new LyingSolver(new OjAlgoSolver(), -1e-3, false), 30);
        assertEquals(ExactMinimizer.State.INEXACT, off.state(), off.toString());
        assertTrue(!off.witnessConfirmed() && Double.isNaN(off.optimum()) && !off.optimumProven());
        assertEquals(honest.witnessValue(), off.witnessValue(), 0.0);
        assertEquals(off.crownLowerBound(), off.lowerBound(), 0.0, "an untrusted solver bound is not used");
        assertTrue(off.message().contains("evaluates to"), off.message());
        ExactMinimizer.Result tiny = exact.minimise(row, new LyingSolver(new OjAlgoSolver(), 1e-9, false), 30);
        assertEquals(ExactMinimizer.State.OPTIMAL, tiny.state(), "within tolerance");
        ExactMinimizer.Result inf = exact.minimise(row, new LyingSolver(new OjAlgoSolver(), 0, true), 30);
        assertEquals(ExactMinimizer.State.INFEASIBLE, inf.state());
        assertTrue(inf.witness() == null && Double.isNaN(inf.optimum()));
        assertThrows(IllegalArgumentException.class, () -> exact.minimise(new double[] {1, 0, 0}, new OjAlgoSolver(), 1));
    }

    @Test
    void everyFeatureFixedNeedsNoSolver() {
        Graph g = tinyMlp();
        FeatureSubsetBox box = new FeatureSubsetBox(CENTER, new BitSet(), 0.3, -1, 1);
        ExactMinimizer exact = new ExactMinimizer(g, box, null);
        assertEquals(0, exact.encoding().model().variableCount());
        double[] y = g.forward(CENTER);
        for (MipSolver s : MipSolversTest.solvers()) {
            ExactMinimizer.Result r = exact.minimise(new double[] {1, -1}, s, 5);
            assertEquals(ExactMinimizer.State.OPTIMAL, r.state(), r.toString());
            assertEquals(y[0] - y[1], r.optimum(), 1e-12);
            assertEquals(0, r.binaries());
        }
    }

    @Test
    void tanhNetworksHaveNoExactMip() {
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 2)
                .initializer("W", new double[] {1, 2, 3, 4}, 2, 2)
                .node("Gemm", List.of("x", "W"), "h").node("Tanh", List.of("h"), "y").output("y", 1, 2);
        Graph g = OnnxLoader.load(m.bytes(), "tanh.onnx");
        InputDomain box = new LinfBall(new double[] {0, 0}, 0.1);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> ExactMinimizer.minimise(g, box, new double[] {1, 0}, null, new OjAlgoSolver(), 5));
        assertTrue(e.getMessage().startsWith("exact MIP is not available for networks with Tanh"), e.getMessage());
    }

    @Test
    void productOfTwoDynamicTensorsHasNoExactMip() {
        OnnxModels m = OnnxModels.builder(13).input("x", 1, 2)
                .node("Mul", List.of("x", "x"), "y").output("y", 1, 2);
        Graph g = OnnxLoader.load(m.bytes(), "mul.onnx");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> NetworkEncoder.checkSupported(g));
        assertTrue(e.getMessage().contains("not available") && e.getMessage().contains("product"), e.getMessage());
    }

    /** A wide network at a large radius: too hard for a 0.3 s limit. The solve must stop quickly. */
    @Test
    void timeLimitIsRespected() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(5, 30, 120, 120, 10).bytes(), "wide.onnx");
        double[] c = new double[30];
        InputDomain box = new LinfBall(c, 1.0);
        ExactMinimizer exact = new ExactMinimizer(g, box, null);
        System.out.println("wide network encoding: " + exact.encoding());
        double[] row = new double[10];
        row[0] = 1;
        row[3] = -1;
        for (MipSolver s : MipSolversTest.solvers()) {
            long t0 = System.nanoTime();
            ExactMinimizer.Result r = exact.minimise(row, s, 0.3);
            double sec = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  time limit 0.3 s, %s: %s after %.2f s%n", s.name(), r.state(), sec);
            assertNotEquals(ExactMinimizer.State.OPTIMAL, r.state(), s.name() + ": " + r);
            assertNotEquals(ExactMinimizer.State.INFEASIBLE, r.state(), s.name() + ": " + r);
            assertTrue(sec < 5.0, s.name() + " took " + sec + " s for a 0.3 s limit");
            if (r.witness() != null) {
                assertTrue(r.lowerBound() <= r.witnessValue(), s.name());
            }
            assertNotNull(r.solver());
        }
    }
}
