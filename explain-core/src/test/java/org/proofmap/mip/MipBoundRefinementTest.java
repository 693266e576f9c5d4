package org.proofmap.mip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.Spec;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * MIP-refined intermediate bounds on networks built here: they contain every sampled value of the
 * neurons they bound, never widen the bounds they start from, reach the exact range of the
 * refined layer on a small net (grid minimum and maximum), and leave the bounds alone with a
 * back-end that proves nothing (ojAlgo).
 */
class MipBoundRefinementTest {
    /** Three ReLU layers: the second one is refinable. */
    static Graph net() {
        return OnnxLoader.load(OnnxModels.mlp(7, 3, 16, 16, 16, 3).bytes(), "mlp_3_16_16_16_3.onnx");
    }

    static Box box() {
        double[] c = {0.2, -0.4, 0.1};
        double[] lo = new double[3];
        double[] hi = new double[3];
        for (int i = 0; i < 3; i++) {
            lo[i] = c[i] - 0.6;
            hi[i] = c[i] + 0.6;
        }
        return new Box(lo, hi);
    }

    @Test
    void refinableLayersAreTheMiddleOnes() {
        assertEquals(1, MipBoundRefinement.refinableLayers(net()));
        Graph two = OnnxLoader.load(OnnxModels.mlp(7, 3, 8, 8, 2).bytes(), "mlp_3_8_8_2.onnx");
        assertEquals(0, MipBoundRefinement.refinableLayers(two));
        assertEquals(1, MipBoundRefinement.refinableLayers(two, true));
    }

    @Test
    void theLoosestRelaxationsAreRefinedFirst() {
        double[] lo = {-1, -4, -1, -2, 3};
        double[] hi = {1, 4, 9, 2, 5};
        // Triangle heights -l*u/(u-l): 0.5, 2, 0.9, 1 (element 4 is stable and not listed).
        assertArrayEquals(new int[] {1, 3, 2, 0}, MipBoundRefinement.byLooseness(new int[] {0, 1, 2, 3}, lo, hi));
    }

    @Test
    void prefixEndsAtTheValueAndKeepsValueIds() {
        Graph g = net();
        assertSame(g, g.prefix(g.outputValue()));
        int v = MipBoundRefinement.reluInputs(g).get(1);
        Graph p = g.prefix(v);
        assertEquals(v, p.outputValue());
        assertEquals(g.valueShape(v).size(), p.outputSize());
        assertEquals(g.valueCount(), p.valueCount());
        assertTrue(p.nodes().size() < g.nodes().size());
        assertThrows(IllegalArgumentException.class, () -> g.prefix(0));
    }

    @Test
    void refinedBoundsAreSoundExactAndNeverWider() {
        checkRefinement(new MipBoundRefinement.Options(10, 120, 2, 1, false), 1);
    }

    @Test
    void theLastLayerIsRefinedOnlyWhenAsked() {
        assertEquals(2, MipBoundRefinement.refinableLayers(net(), true));
        MipBoundRefinement.Options all = MipBoundRefinement.Options.allLayers(120).withThreads(2);
        // The root node's cuts do not make the last layer exact here: soundness only (no grid check).
        BoundContext refined = checkRefinement(all, -1);
        BoundContext middleOnly = checkRefinement(new MipBoundRefinement.Options(10, 120, 2, 1, false), 1);
        int last = MipBoundRefinement.reluInputs(net()).get(2);
        double width = 0;
        double widthMiddleOnly = 0;
        for (int i = 0; i < refined.lower(last).length; i++) {
            width += refined.upper(last)[i] - refined.lower(last)[i];
            widthMiddleOnly += middleOnly.upper(last)[i] - middleOnly.lower(last)[i];
        }
        assertTrue(width < widthMiddleOnly, "refining the last layer did not narrow it: " + width + " against "
                + widthMiddleOnly);
    }

    /**
     * Refines {@link #net()} over {@link #box()} with CBC and {@code options}, and checks the result:
     * never wider than CROWN's, sound at 20,000 samples on every layer, within 5% of CROWN's width of
     * a 61³ grid's extremes on ReLU layer {@code exactLayer} (unless negative), and CROWN's margins
     * over it never worse.
     */
    private static BoundContext checkRefinement(MipBoundRefinement.Options options, int exactLayer) {
        MipSolver cbc = MinimumObjectiveTest.cbcOrSkip();
        Graph g = net();
        Box box = box();
        BoundContext ctx = new BoundContext(g, box);
        MipBoundRefinement.Result r = MipBoundRefinement.refine(ctx, MipBoundRefinement.boundSolver(cbc), options,
                () -> false);
        assertTrue(r.complete());
        assertTrue(r.tightened() > 0, "the MIP should tighten some CROWN bound");
        assertTrue(r.unstableAfter() <= r.unstableBefore());
        BoundContext refined = r.context();
        List<Integer> values = MipBoundRefinement.reluInputs(g);
        for (int v : values) {
            double[] l0 = ctx.lower(v);
            double[] h0 = ctx.upper(v);
            double[] l1 = refined.lower(v);
            double[] h1 = refined.upper(v);
            for (int i = 0; i < l0.length; i++) {
                assertTrue(l1[i] >= l0[i] && h1[i] <= h0[i], "value " + v + " element " + i + " widened");
            }
        }
        // Sound: every sampled value of every ReLU input lies inside its refined bounds.
        int samples = 20_000;
        double[] x = new double[samples * 3];
        Random rng = new Random(3);
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < 3; i++) {
                x[s * 3 + i] = box.lower()[i] + rng.nextDouble() * (box.upper()[i] - box.lower()[i]);
            }
        }
        for (int v : values) {
            Graph p = g.prefix(v);
            double[] y = new ForwardPass(p, samples).run(x, samples);
            int size = p.outputSize();
            double[] lo = refined.lower(v);
            double[] hi = refined.upper(v);
            for (int s = 0; s < samples; s++) {
                for (int i = 0; i < size; i++) {
                    double z = y[s * size + i];
                    assertTrue(z >= lo[i] - 1e-9 && z <= hi[i] + 1e-9,
                            "value " + v + " element " + i + ": " + z + " outside [" + lo[i] + ", " + hi[i] + "]");
                }
            }
        }
        if (exactLayer >= 0) {
            // Exact on the refined layer: the bounds meet the extremes of a fine grid within its resolution.
            int v2 = values.get(exactLayer);
            double[][] extremes = gridExtremes(g.prefix(v2), box, 60);
            double[] l0 = ctx.lower(v2);
            double[] h0 = ctx.upper(v2);
            double[] lo = refined.lower(v2);
            double[] hi = refined.upper(v2);
            for (int i = 0; i < lo.length; i++) {
                if (!(l0[i] < 0 && h0[i] > 0)) {
                    continue; // stable: not refined
                }
                double slack = 0.05 * (h0[i] - l0[i]);
                assertTrue(lo[i] <= extremes[0][i] + 1e-9 && extremes[0][i] - lo[i] <= slack,
                        "element " + i + ": refined lower " + lo[i] + ", grid minimum " + extremes[0][i]);
                assertTrue(hi[i] >= extremes[1][i] - 1e-9 && hi[i] - extremes[1][i] <= slack,
                        "element " + i + ": refined upper " + hi[i] + ", grid maximum " + extremes[1][i]);
            }
        }
        // The output bound from the refined context is never worse than the original one's.
        Spec spec = Spec.rows(new double[][] {{1, -1, 0}, {1, 0, -1}}, "margins");
        double[] before = ctx.compute(BoundMethods.byName("crown"), spec).lower();
        double[] after = refined.compute(BoundMethods.byName("crown"), spec).lower();
        for (int k = 0; k < before.length; k++) {
            assertTrue(after[k] >= before[k] - 1e-9, "row " + k + ": " + after[k] + " < " + before[k]);
        }
        return refined;
    }

    /** Refinement of {@link #net()} over {@code ctx} with ojAlgo, 0.2 s per bound, one thread. */
    static MipBoundRefinement.Result ojAlgoRefinement(BoundContext ctx, java.util.function.BooleanSupplier stop) {
        return MipBoundRefinement.refine(ctx, new OjAlgoSolver(), new MipBoundRefinement.Options(0.2, 60, 1, 1, false), stop);
    }

    @Test
    void aBackEndThatProvesNoBoundChangesNothing() {
        Graph g = net();
        BoundContext ctx = new BoundContext(g, box());
        MipBoundRefinement.Result r = ojAlgoRefinement(ctx, () -> false);
        assertEquals(0, r.tightened());
        int v = MipBoundRefinement.reluInputs(g).get(2);
        assertTrue(java.util.Arrays.equals(ctx.lower(v), r.context().lower(v)));
    }

    @Test
    void aStopRequestEndsTheRefinementIncomplete() {
        MipBoundRefinement.Result r = ojAlgoRefinement(new BoundContext(net(), box()), () -> true);
        assertEquals(0, r.solves());
        assertTrue(!r.complete());
    }

    /** {min, max} per element of {@code prefix}'s output over a grid of {@code steps+1} points per input. */
    static double[][] gridExtremes(Graph prefix, Box box, int steps) {
        int n = prefix.inputSize();
        int points = (int) Math.pow(steps + 1, n);
        double[] x = new double[points * n];
        for (int p = 0; p < points; p++) {
            int rest = p;
            for (int i = 0; i < n; i++) {
                int k = rest % (steps + 1);
                rest /= steps + 1;
                x[p * n + i] = box.lower()[i] + (box.upper()[i] - box.lower()[i]) * k / steps;
            }
        }
        double[] y = new ForwardPass(prefix, points).run(x, points);
        int m = prefix.outputSize();
        double[][] e = new double[2][m];
        java.util.Arrays.fill(e[0], Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(e[1], Double.NEGATIVE_INFINITY);
        for (int p = 0; p < points; p++) {
            for (int i = 0; i < m; i++) {
                e[0][i] = Math.min(e[0][i], y[p * m + i]);
                e[1][i] = Math.max(e[1][i], y[p * m + i]);
            }
        }
        return e;
    }
}
