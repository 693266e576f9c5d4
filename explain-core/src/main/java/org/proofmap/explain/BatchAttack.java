package org.proofmap.explain;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.proofmap.bounds.FeatureSubsetBox;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.GradientPass;

/**
 * One PGD run for many single-feature queries at once: sample {@code s} attacks the box of
 * {@code F ∪ {p_s}}, all samples advancing together through one batched gradient pass — the queries
 * of one explanation differ in a single feature, so one pass serves hundreds of them for little more
 * than the cost of one. Sign-gradient steps on the smallest margin, halving every quarter of the
 * steps; every success is re-checked by {@link FeatureQuery#isCounterexample}.
 */
final class BatchAttack {
    private static final int MAX_BATCH = 256;

    private BatchAttack() {}

    /** Counterexamples found, by feature: each an input of the box of {@code free ∪ {feature}}. */
    static Map<Integer, double[]> run(ExplanationProblem p, BitSet free, int[] features, int steps) {
        return run(p, free, features, null, steps);
    }

    /**
     * As {@link #run(ExplanationProblem, BitSet, int[], int)}, sample {@code s} starting from
     * {@code starts[s]} (clipped into its box) instead of the input; {@code starts} may be null.
     */
    static Map<Integer, double[]> run(ExplanationProblem p, BitSet free, int[] features, double[][] starts, int steps) {
        Map<Integer, double[]> found = new HashMap<>();
        for (int start = 0; start < features.length; start += MAX_BATCH) {
            int b = Math.min(MAX_BATCH, features.length - start);
            int[] chunk = new int[b];
            System.arraycopy(features, start, chunk, 0, b);
            double[][] st = null;
            if (starts != null) {
                st = new double[b][];
                System.arraycopy(starts, start, st, 0, b);
            }
            attack(p, free, chunk, st, steps, found);
        }
        return found;
    }

    private static void attack(ExplanationProblem p, BitSet free, int[] features, double[][] starts, int steps,
            Map<Integer, double[]> found) {
        int n = p.features();
        int k = p.classes();
        int c = p.label();
        int b = features.length;
        double[] x0 = p.inputView();
        // The boxes come from the queries' own domains: the free set's box, and for the one extra
        // feature of each sample its interval in the full ball (read-only views).
        FeatureSubsetBox box = p.query(free).domain();
        FeatureSubsetBox ball = p.fullBall().domain();
        double[] lo = box.lower();
        double[] hi = box.upper();
        double[] ballLo = ball.lower();
        double[] ballHi = ball.upper();
        double[] x = new double[b * n];
        for (int s = 0; s < b; s++) {
            System.arraycopy(x0, 0, x, s * n, n);
            if (starts != null && starts[s] != null) {
                int f = features[s];
                for (int i = 0; i < n; i++) {
                    boolean moves = free.get(i) || i == f;
                    double l = i == f ? ballLo[f] : lo[i];
                    double h = i == f ? ballHi[f] : hi[i];
                    x[s * n + i] = moves ? Math.min(h, Math.max(l, starts[s][i])) : x0[i];
                }
            }
        }
        double[] w = new double[b * k];
        boolean[] done = new boolean[b];
        GradientPass gp = new GradientPass(p.graph(), b);
        ForwardPass fp = new ForwardPass(p.graph(), b);
        double step = 0.5;
        for (int t = 0; t <= steps; t++) {
            // Gradient of y_c − y_j for the strongest other class j of each sample.
            double[] y = fp.run(x, b);
            java.util.Arrays.fill(w, 0);
            for (int s = 0; s < b; s++) {
                int j = -1;
                for (int q = 0; q < k; q++) {
                    if (q != c && (j < 0 || y[s * k + q] > y[s * k + j])) {
                        j = q;
                    }
                }
                if (!done[s] && y[s * k + c] - y[s * k + j] <= 0) {
                    double[] cand = java.util.Arrays.copyOfRange(x, s * n, (s + 1) * n);
                    BitSet q = (BitSet) free.clone();
                    q.set(features[s]);
                    if (p.query(q).isCounterexample(cand)) {
                        found.put(features[s], cand);
                        done[s] = true;
                    }
                }
                if (!done[s]) {
                    w[s * k + c] = 1;
                    w[s * k + j] = -1;
                }
            }
            if (t == steps) {
                break;
            }
            double[] g = gp.gradient(x, w, b);
            if (t > 0 && t % Math.max(1, steps / 4) == 0) {
                step /= 2;
            }
            for (int s = 0; s < b; s++) {
                if (done[s]) {
                    continue;
                }
                int f = features[s];
                int o = s * n;
                for (int i = free.nextSetBit(0); i >= 0; i = free.nextSetBit(i + 1)) {
                    x[o + i] = move(x[o + i], g[o + i], step, lo[i], hi[i]);
                }
                x[o + f] = move(x[o + f], g[o + f], step, ballLo[f], ballHi[f]);
            }
        }
    }

    /** A descent step on the margin: against the gradient's sign by {@code step} of the width, clipped. */
    private static double move(double v, double grad, double step, double lo, double hi) {
        if (grad == 0 || lo == hi) {
            return v;
        }
        double next = v - Math.signum(grad) * step * (hi - lo);
        return Math.min(hi, Math.max(lo, next));
    }
}
