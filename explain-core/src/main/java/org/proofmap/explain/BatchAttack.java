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
 * steps; every success is re-checked by {@link FeatureQuery#isCounterexample}. A sample may also
 * move the free set alone ({@link #lowest}): then the descent looks for the point of the free set's
 * box closest to breaking it, which the {@link BoundaryFalsifier} starts from.
 */
final class BatchAttack {
    private static final int MAX_BATCH = 256;

    private BatchAttack() {}

    /** Counterexamples found, by feature: each an input of the box of {@code free ∪ {feature}}. */
    static Map<Integer, double[]> run(ExplanationProblem p, BitSet free, int[] features, int steps) {
        return run(p, free, features, null, steps, FIRST_STEP);
    }

    /**
     * As {@link #run(ExplanationProblem, BitSet, int[], int)}, sample {@code s} starting from
     * {@code starts[s]} (clipped into its box) instead of the input; {@code starts} may be null. The
     * first step moves {@code firstStep} of each interval's width: starts already near the decision
     * boundary want a small one, lest the first step jump away from it.
     */
    static Map<Integer, double[]> run(ExplanationProblem p, BitSet free, int[] features, double[][] starts, int steps,
            double firstStep) {
        Map<Integer, double[]> found = new HashMap<>();
        descend(p, free, features, starts, steps, firstStep, found);
        return found;
    }

    /**
     * The point of lowest smallest margin that a descent on the box of {@code free} alone reaches
     * from any of {@code starts}, with that margin (double-precision forward values): a point near
     * the boundary of the free set's box, not a proof of anything.
     */
    static Lowest lowest(ExplanationProblem p, BitSet free, double[][] starts, int steps, double firstStep) {
        int[] none = new int[starts.length];
        java.util.Arrays.fill(none, NO_FEATURE);
        Lowest[] per = descend(p, free, none, starts, steps, firstStep, new HashMap<>());
        Lowest best = per[0];
        for (Lowest l : per) {
            if (l.margin() < best.margin()) {
                best = l;
            }
        }
        return best;
    }

    /** A point and its smallest margin. */
    record Lowest(double[] x, double margin) {}

    /** A sample that moves only the free set. */
    private static final int NO_FEATURE = -1;

    /** The first step of a descent from the input, half of each interval. */
    private static final double FIRST_STEP = 0.5;

    private static Lowest[] descend(ExplanationProblem p, BitSet free, int[] features, double[][] starts, int steps,
            double firstStep, Map<Integer, double[]> found) {
        Lowest[] lowest = new Lowest[features.length];
        for (int start = 0; start < features.length; start += MAX_BATCH) {
            int b = Math.min(MAX_BATCH, features.length - start);
            int[] chunk = new int[b];
            System.arraycopy(features, start, chunk, 0, b);
            double[][] st = null;
            if (starts != null) {
                st = new double[b][];
                System.arraycopy(starts, start, st, 0, b);
            }
            Lowest[] l = attack(p, free, chunk, st, steps, firstStep, found);
            System.arraycopy(l, 0, lowest, start, b);
        }
        return lowest;
    }

    private static Lowest[] attack(ExplanationProblem p, BitSet free, int[] features, double[][] starts, int steps,
            double firstStep, Map<Integer, double[]> found) {
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
        Lowest[] lowest = new Lowest[b];
        GradientPass gp = new GradientPass(p.graph(), b);
        ForwardPass fp = new ForwardPass(p.graph(), b);
        double step = firstStep;
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
                double margin = y[s * k + c] - y[s * k + j];
                if (lowest[s] == null || margin < lowest[s].margin()) {
                    lowest[s] = new Lowest(java.util.Arrays.copyOfRange(x, s * n, (s + 1) * n), margin);
                }
                if (!done[s] && features[s] != NO_FEATURE && margin <= 0) {
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
                if (f != NO_FEATURE) {
                    x[o + f] = move(x[o + f], g[o + f], step, ballLo[f], ballHi[f]);
                }
            }
        }
        return lowest;
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
