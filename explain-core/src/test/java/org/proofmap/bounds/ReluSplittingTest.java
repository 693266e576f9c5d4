package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.Activation;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * Soundness of branch-and-bound subdomain bounds ({@link ReluSplitting}), with and without the
 * splits' input cuts ({@link SplitCuts}): on a 6-16-16-4 ReLU MLP, random subdomains (1–6 split
 * neurons in both hidden layers, mostly on the side of a reference point so that the subdomain is
 * seldom empty), and 20,000 uniform points per box, every point that satisfies the splits has spec
 * values at or above the lower bounds: CROWN with intermediate bounds recomputed under the splits,
 * the same with cuts, and cuts over the root's intermediate bounds with the split neurons clamped;
 * and every split cut {@code g·x + e <= 0} and every row's own linear lower bound hold at those
 * points too (the cut LP of input splitting relies on both). The cut bound is never looser than CROWN's, and strictly
 * tighter on some subdomains (otherwise the cuts would be dead weight). The same holds for the
 * alpha-beta-CROWN bound (lines and split multipliers optimised), over the root's and over
 * recomputed intermediate bounds, and for its rows' linear bounds.
 */
class ReluSplittingTest {
    private static final int SAMPLES = 20_000;

    @Test
    void subdomainBoundsHoldOnEverySampleThatSatisfiesTheSplits() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(21, 6, 16, 16, 4).bytes(), "mlp.onnx");
        List<Integer> preActivations = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof Activation) {
                preActivations.add(n.inputs()[0]);
            }
        }
        Random rng = new Random(3);
        ForwardPass fp = new ForwardPass(g, 1);
        Spec spec = Spec.margins(1, 4);
        int rows = spec.rows();
        double[] noCuts = new double[rows];
        Arrays.fill(noCuts, Double.NEGATIVE_INFINITY);
        double[] always = new double[rows];
        Arrays.fill(always, Double.POSITIVE_INFINITY);
        int tighter = 0;
        int betaTighter = 0;
        int checkedPoints = 0;
        long cutsChecked = 0;
        for (int trial = 0; trial < 40; trial++) {
            double[] lo = new double[6];
            double[] hi = new double[6];
            for (int i = 0; i < 6; i++) {
                double c = rng.nextGaussian();
                double r = 0.2 + rng.nextDouble();
                lo[i] = c - r;
                hi[i] = c + r;
            }
            Box box = new Box(lo, hi);
            ReluSplitting rs = new ReluSplitting(g, box);
            BoundPropagation root = new BoundPropagation(g, box);
            root.computeIntermediateBounds();
            double[] ref = sample(rng, lo, hi);
            fp.run(ref, 1);
            ReluSplitting.Splits s = rs.none();
            int wanted = 1 + rng.nextInt(6);
            for (int attempt = 0; attempt < 200 && s.count() < wanted; attempt++) {
                int v = preActivations.get(rng.nextInt(preActivations.size()));
                int i = rng.nextInt(root.lo[v].length);
                if (root.lo[v][i] < 0 && root.hi[v][i] > 0 && !s.isSplit(v, i)) {
                    boolean refSide = fp.valueBuffer(v)[i] >= 0;
                    s = s.with(g, v, i, rng.nextInt(8) == 0 ? !refSide : refSide);
                }
            }
            ReluSplitting.Result crown = rs.bound(s, spec, noCuts, l -> 0, true);
            ReluSplitting.Result cut = rs.bound(s, spec, always, l -> 0, true);
            ReluSplitting.Result cheap = rs.bound(s, spec, always, l -> 0, false);
            ReluSplitting.Result beta = rs.bound(s, spec, always, l -> 0, false, AlphaCrown.Options.defaults());
            ReluSplitting.Result betaRecomputed = rs.bound(s, spec, always, l -> 0, true, AlphaCrown.Options.defaults());
            if (crown.infeasible() || cheap.infeasible()) {
                continue;
            }
            ReluSplitting.Result cheapCrown = rs.bound(s, spec, noCuts, l -> 0, false);
            for (int r = 0; r < rows; r++) {
                assertTrue(beta.lower()[r] >= cheapCrown.lower()[r], "alpha-beta never loosens CROWN's bound");
                betaTighter += beta.lower()[r] > cheap.lower()[r] + 1e-9 ? 1 : 0; // beyond the cuts alone
            }
            for (int r = 0; r < rows; r++) {
                assertTrue(cut.lower()[r] >= crown.lower()[r], "cuts never loosen the bound");
                tighter += cut.lower()[r] > crown.lower()[r] + 1e-9 ? 1 : 0;
            }
            for (int k = 0; k < SAMPLES; k++) {
                double[] x = sample(rng, lo, hi);
                double[] y = fp.run(x, 1).clone();
                if (!satisfies(fp, s, preActivations)) {
                    continue;
                }
                checkedPoints++;
                double[] val = spec.apply(y);
                for (int r = 0; r < rows; r++) {
                    double tol = 1e-9 * Math.max(1, Math.abs(val[r]));
                    assertTrue(val[r] >= crown.lower()[r] - tol, "CROWN bound violated, trial " + trial);
                    assertTrue(val[r] >= cut.lower()[r] - tol, "cut bound violated, trial " + trial + " row " + r
                            + ": " + val[r] + " < " + cut.lower()[r]);
                    assertTrue(val[r] >= cheap.lower()[r] - tol, "bound with the root's intermediate bounds violated");
                    assertTrue(val[r] >= beta.lower()[r] - tol, "alpha-beta bound violated, trial " + trial);
                    assertTrue(val[r] >= linear(beta.rowCoefficients()[r], beta.rowConstants()[r], x) - tol,
                            "a row's alpha-beta linear bound violated, trial " + trial);
                    assertTrue(val[r] >= betaRecomputed.lower()[r] - tol, "alpha-beta bound with recomputed"
                            + " intermediate bounds and cuts violated, trial " + trial);
                    assertTrue(val[r] >= linear(cut.rowCoefficients()[r], cut.rowConstants()[r], x) - tol,
                            "a row's linear CROWN bound violated, trial " + trial);
                }
                for (int j = 0; j < cut.cutCoefficients().length; j++) {
                    assertTrue(linear(cut.cutCoefficients()[j], cut.cutConstants()[j], x) <= 1e-9,
                            "a split cut excludes a point of the subdomain, trial " + trial);
                }
                cutsChecked += cut.cutCoefficients().length;
            }
        }
        assertTrue(checkedPoints > 50_000, "too few samples inside the subdomains: " + checkedPoints);
        assertTrue(tighter > 0, "the cuts never tightened a bound");
        assertTrue(betaTighter > 0, "alpha-beta optimisation never tightened a bound");
        assertTrue(cutsChecked > 50_000, "too few cut evaluations: " + cutsChecked);
    }

    private static double linear(double[] a, double b, double[] x) {
        double v = b;
        for (int i = 0; i < x.length; i++) {
            v += a[i] * x[i];
        }
        return v;
    }

    private static double[] sample(Random rng, double[] lo, double[] hi) {
        double[] x = new double[lo.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = lo[i] + (hi[i] - lo[i]) * rng.nextDouble();
        }
        return x;
    }

    private static boolean satisfies(ForwardPass fp, ReluSplitting.Splits s, List<Integer> values) {
        for (int v : values) {
            double[] z = fp.valueBuffer(v);
            for (int i = 0; i < z.length; i++) {
                if (s.isSplit(v, i) && (s.signs[v][i] > 0 ? z[i] < 0 : z[i] > 0)) {
                    return false;
                }
            }
        }
        return true;
    }
}
