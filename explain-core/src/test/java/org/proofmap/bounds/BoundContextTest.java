package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

class BoundContextTest {
    @Test
    void sharedIntermediatesGiveTheSameBoundsAsFreshComputations() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(11, 6, 20, 20, 4).bytes(), "mlp.onnx");
        Random rng = new Random(5);
        double[] x = new double[6];
        for (int i = 0; i < 6; i++) {
            x[i] = rng.nextDouble();
        }
        InputDomain box = new LinfBall(x, 0.1);
        BoundContext ctx = new BoundContext(g, box);
        for (String m : BoundMethods.NAMES) {
            for (Spec spec : new Spec[] {Spec.identity(4), Spec.margins(2, 4)}) {
                Bounds shared = ctx.compute(BoundMethods.byName(m), spec);
                Bounds fresh = BoundMethods.byName(m).compute(g, box, spec);
                assertArrayEquals(fresh.lower(), shared.lower(), 0.0, m);
                assertArrayEquals(fresh.upper(), shared.upper(), 0.0, m);
            }
        }
        assertSame(ctx.crownIntermediates(), ctx.crownIntermediates());
    }

    /**
     * A context nested in another (branch and bound over the input box) starts from the enclosing
     * bounds: its bounds of every value are never looser than the enclosing ones, and still hold at
     * sampled points of the inner box.
     */
    @Test
    void nestedContextsAreTighterAndStillSound() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(4, 5, 30, 30, 30, 5).bytes(), "mlp.onnx");
        double[] lo = {-1, -1, -1, -1, -1};
        double[] hi = {1, 1, 1, 1, 1};
        BoundContext outer = new BoundContext(g, new Box(lo, hi));
        double[] midHi = {0, 1, 1, 1, 1};
        double[] quarterHi = {0, 0, 1, 1, 1};
        BoundContext half = new BoundContext(outer, new Box(lo, midHi));
        BoundContext quarter = new BoundContext(half, new Box(lo, quarterHi));
        Random rng = new Random(2);
        BoundContext[] chain = {outer, half, quarter};
        for (int v = 1; v < g.valueCount(); v++) {
            for (int c = 1; c < chain.length; c++) {
                double[] pl = chain[c - 1].lower(v);
                double[] ph = chain[c - 1].upper(v);
                double[] l = chain[c].lower(v);
                double[] h = chain[c].upper(v);
                for (int i = 0; i < l.length; i++) {
                    assertTrue(l[i] >= pl[i] && h[i] <= ph[i], "value " + v + " element " + i + " looser than the "
                            + "enclosing box's bounds");
                }
            }
        }
        Spec spec = Spec.identity(5);
        Bounds b = quarter.compute(BoundMethods.byName("crown"), spec);
        double[] x = new double[5];
        for (int s = 0; s < 5000; s++) {
            for (int i = 0; i < 5; i++) {
                x[i] = lo[i] + rng.nextDouble() * (quarterHi[i] - lo[i]);
            }
            double[] y = g.forward(x);
            for (int r = 0; r < 5; r++) {
                assertTrue(y[r] >= b.lower(r) - 1e-9 && y[r] <= b.upper(r) + 1e-9, "output " + r + " = " + y[r]
                        + " outside [" + b.lower(r) + ", " + b.upper(r) + "]");
            }
        }
    }

    /**
     * Alpha-optimised intermediate bounds ({@link BoundContext#optimised}) on a 5-30-30-30-30-5 MLP:
     * every pre-activation value of 20,000 sampled inputs lies within them, they are never looser
     * than CROWN's, and they are strictly tighter on most of the elements CROWN leaves unstable in the
     * deeper layers (otherwise the optimisation would be dead weight).
     */
    @Test
    void optimisedIntermediateBoundsAreSoundAndTighterThanCrowns() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(8, 5, 30, 30, 30, 30, 5).bytes(), "mlp.onnx");
        Random rng = new Random(7);
        int tighter = 0;
        int unstableDeep = 0;
        long checked = 0;
        for (int trial = 0; trial < 4; trial++) {
            double[] x = new double[5];
            for (int i = 0; i < 5; i++) {
                x[i] = rng.nextGaussian();
            }
            InputDomain box = new LinfBall(x, 0.3 + 0.3 * trial);
            BoundContext crown = new BoundContext(g, box);
            BoundContext opt = BoundContext.optimised(g, box, AlphaCrown.Options.defaults());
            java.util.List<Integer> pre = new java.util.ArrayList<>();
            for (org.proofmap.model.Node n : g.nodes()) {
                if (n.op() instanceof org.proofmap.model.ops.Activation) {
                    pre.add(n.inputs()[0]);
                }
            }
            for (int k = 0; k < pre.size(); k++) {
                int v = pre.get(k);
                double[] cl = crown.lower(v);
                double[] ch = crown.upper(v);
                double[] ol = opt.lower(v);
                double[] oh = opt.upper(v);
                for (int i = 0; i < cl.length; i++) {
                    assertTrue(ol[i] >= cl[i] && oh[i] <= ch[i], "value " + v + " element " + i + " looser than CROWN");
                    if (k > 0 && cl[i] < 0 && ch[i] > 0) {
                        unstableDeep++;
                        tighter += ol[i] > cl[i] + 1e-9 || oh[i] < ch[i] - 1e-9 ? 1 : 0;
                    }
                }
            }
            org.proofmap.model.ForwardPass fp = new org.proofmap.model.ForwardPass(g, 1);
            double[] lo = box.lower();
            double[] hi = box.upper();
            double[] p = new double[5];
            for (int s = 0; s < 5000; s++) {
                for (int i = 0; i < 5; i++) {
                    // Half the points on corners, where the extremes of a ReLU net's values often are.
                    p[i] = s % 2 == 0 ? (rng.nextBoolean() ? lo[i] : hi[i]) : lo[i] + rng.nextDouble() * (hi[i] - lo[i]);
                }
                fp.run(p, 1);
                for (int v : pre) {
                    double[] z = fp.valueBuffer(v);
                    double[] ol = opt.lower(v);
                    double[] oh = opt.upper(v);
                    for (int i = 0; i < z.length; i++) {
                        double tol = 1e-9 * (1 + Math.abs(z[i]));
                        assertTrue(z[i] >= ol[i] - tol && z[i] <= oh[i] + tol, "value " + v + " element " + i + " = "
                                + z[i] + " outside the optimised [" + ol[i] + ", " + oh[i] + "]");
                        checked++;
                    }
                }
            }
            Bounds full = crown.compute(BoundMethods.byName("alpha-crown-full"), Spec.identity(5));
            assertTrue(full.settings().get("intermediate").equals("alpha-crown"));
        }
        assertTrue(checked > 2_000_000, "too few checks: " + checked);
        assertTrue(unstableDeep > 100, "the fixture has too few unstable neurons: " + unstableDeep);
        assertTrue(tighter > unstableDeep / 2, "optimisation tightened only " + tighter + " of " + unstableDeep);
    }

    @Test
    void aNestedDomainMustLieInsideTheEnclosingOne() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(4, 2, 4, 2).bytes(), "mlp.onnx");
        BoundContext outer = new BoundContext(g, new Box(new double[] {0, 0}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new BoundContext(outer, new Box(new double[] {0, 0}, new double[] {1, 1.5})));
    }
}
