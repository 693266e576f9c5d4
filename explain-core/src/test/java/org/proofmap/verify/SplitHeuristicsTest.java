package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.JacobianBounds;
import org.proofmap.bounds.Spec;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.VnnlibParser;

class SplitHeuristicsTest {
    /**
     * Around a box met by branch and bound on ACAS Xu prop_6 (net 1_1, first case), where ReCIPH had
     * halved inputs 0-3 down to a few ulps (split depth 13,978): inputs 0-3 are 2e-6 wide, input 4 is
     * the whole [0, 0.5], and CROWN's coefficient of input 4 in the worst row's bounds cancels to ~0
     * although the row's gap comes from unstable neurons that input 4 drives. The coefficient scores
     * alone pick one of the narrow inputs; every heuristic must split input 4.
     */
    @Test
    void everyHeuristicSplitsTheOnlyWideInputOfADegenerateBox() throws Exception {
        Path root = SharedData.resolve("benchmarks/acasxu");
        Graph g = OnnxLoader.load(root.resolve("onnx/ACASXU_run2a_1_1_batch_2000.onnx"));
        OutputConstraint unsafe = VnnlibParser.parse(root.resolve("vnnlib/prop_6.vnnlib")).cases().get(0)
                .disjuncts().get(0);
        double[] lo = {0.3004900, 0.2165305, -0.4993421, -0.4980579, 0.0};
        double[] hi = {0.3004920, 0.2165325, -0.4993401, -0.4980559, 0.5};
        BoundContext ctx = new BoundContext(g, new Box(lo, hi));
        Bounds b = BoundMethods.byName("crown").compute(ctx, Spec.rows(unsafe.c(), "prop_6"));
        assertTrue(b.lower(0) < unsafe.d(0), "the box is not proved by CROWN");
        double[] a = b.lowerCoefficients(0);
        double[] u = b.upperCoefficients(0);
        double[] coefficientScore = new double[5];
        for (int i = 0; i < 5; i++) {
            coefficientScore[i] = 0.5 * (Math.abs(a[i]) + Math.abs(u[i])) * (hi[i] - lo[i]);
        }
        assertTrue(SplitContext.argmax(coefficientScore, lo, hi) != 4, "the coefficients alone miss input 4: "
                + java.util.Arrays.toString(coefficientScore));
        SplitContext c = new SplitContext(lo, hi, b, unsafe.c(), 0, ctx, new JacobianBounds(g));
        for (String h : SplitHeuristics.NAMES) {
            assertEquals(4, SplitHeuristics.byName(h).choose(c), h);
        }
    }
}
