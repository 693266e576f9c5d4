package org.proofmap.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * Proves a conjunction {@code m_1(x) <= 0 ∧ … ∧ m_k(x) <= 0} unreachable on a box when no single
 * row does, from linear lower bounds {@code L_j(x) <= m_j(x)}: if a convex combination
 * {@code Σ λ_j L_j} is positive on the whole box, then at every point some {@code m_j >= L_j > 0}.
 * Per-row bounds need one row positive everywhere; near a boundary where the row that keeps the
 * output safe changes (ACAS Xu prop_2: which advisory beats clear-of-conflict), each row fails on
 * part of the box and only the combination proves it.
 *
 * <p>On a subdomain of ReLU branching, the splits add linear cuts {@code h_i(x) <= 0} that every
 * input of the subdomain satisfies ({@link org.proofmap.bounds.ReluSplitting}); then
 * {@code Σ λ_j L_j + Σ β_i h_i} with {@code β >= 0} positive on the box proves the conjunction on the
 * subdomain (the added terms are {@code <= 0} there). When every neuron is decided, the {@code L_j}
 * and {@code h_i} are exact and this is the exact LP dual of {@code min max_j m_j} over the
 * subdomain: a positive minimum always has a certificate.
 *
 * <p>The weights come from a small LP (maximise {@code Σ λ_j L_j(c) + Σ β_i h_i(c) − Σ_n r_n·|Σ_j
 * λ_j a_jn + Σ_i β_i g_in|} over {@code λ} in the simplex and {@code β >= 0}, {@code c} the box's
 * centre and {@code r} its half-widths), but the LP only proposes them: the proof is the
 * combination's minimum over the box, recomputed from the coefficients and required to exceed the
 * rounding of that sum.
 */
final class ConjunctionCertificate {
    /** Relative size of the rounding allowed for in the recomputed minimum. */
    private static final double ROUNDING = 1e-12;

    private ConjunctionCertificate() {}

    /**
     * Whether some convex combination of the linear lower bounds {@code a[j]·x + b[j]} (one per row
     * of the conjunction) is positive everywhere on {@code [lo, hi]}.
     */
    static boolean proves(double[][] a, double[] b, double[] lo, double[] hi) {
        return proves(a, b, new double[0][], new double[0], lo, hi);
    }

    /**
     * Whether some convex combination of the rows' linear lower bounds {@code a[j]·x + b[j]} plus a
     * non-negative combination of the cuts {@code g[i]·x + e[i]} (each {@code <= 0} on the subdomain)
     * is positive everywhere on {@code [lo, hi]}.
     */
    static boolean proves(double[][] a, double[] b, double[][] g, double[] e, double[] lo, double[] hi) {
        int k = a.length;
        int n = lo.length;
        double[] atCentre = centreValues(a, b, lo, hi);
        double best = Double.NEGATIVE_INFINITY;
        for (double v : atCentre) {
            best = Math.max(best, v);
        }
        if (g.length == 0 && !(best > 0)) {
            return false; // the combination is at most max_j L_j(centre) there: no certificate exists
        }
        double[] w = weights(a, atCentre, g, centreValues(g, e, lo, hi), lo, hi);
        return w != null && positiveOnBox(w, a, b, g, e, lo, hi);
    }

    private static double[] centreValues(double[][] a, double[] b, double[] lo, double[] hi) {
        double[] v = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            double s = b[j];
            for (int i = 0; i < lo.length; i++) {
                s += a[j][i] * 0.5 * (lo[i] + hi[i]);
            }
            v[j] = s;
        }
        return v;
    }

    /**
     * Cap on the sum of the cut multipliers: keeps the LP bounded when the cuts contradict each other
     * (an empty subdomain, whose dual is unbounded); any cap is sound.
     */
    private static final double CUT_WEIGHT_CAP = 1e6;

    /**
     * The LP's weights (λ_1..λ_k for the rows, then β_1..β_m for the cuts; auxiliary s_1..s_n with
     * s_i >= |Σ_j λ_j a_ji + Σ_q β_q g_qi|), or null when the LP finds no positive combination.
     */
    private static double[] weights(double[][] a, double[] rowsAtCentre, double[][] g, double[] cutsAtCentre,
            double[] lo, double[] hi) {
        int k = a.length;
        int m = g.length;
        int n = lo.length;
        int vars = k + m + n;
        double[] objective = new double[vars];
        System.arraycopy(rowsAtCentre, 0, objective, 0, k);
        System.arraycopy(cutsAtCentre, 0, objective, k, m);
        for (int i = 0; i < n; i++) {
            objective[k + m + i] = -0.5 * (hi[i] - lo[i]);
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        double[] simplex = new double[vars];
        Arrays.fill(simplex, 0, k, 1.0);
        constraints.add(new LinearConstraint(simplex, Relationship.EQ, 1.0));
        if (m > 0) {
            double[] cap = new double[vars];
            Arrays.fill(cap, k, k + m, 1.0);
            constraints.add(new LinearConstraint(cap, Relationship.LEQ, CUT_WEIGHT_CAP));
        }
        for (int i = 0; i < n; i++) {
            double[] plus = new double[vars];
            double[] minus = new double[vars];
            for (int j = 0; j < k; j++) {
                plus[j] = -a[j][i];
                minus[j] = a[j][i];
            }
            for (int q = 0; q < m; q++) {
                plus[k + q] = -g[q][i];
                minus[k + q] = g[q][i];
            }
            plus[k + m + i] = 1.0;
            minus[k + m + i] = 1.0;
            constraints.add(new LinearConstraint(plus, Relationship.GEQ, 0.0));
            constraints.add(new LinearConstraint(minus, Relationship.GEQ, 0.0));
        }
        try {
            PointValuePair p = new SimplexSolver().optimize(new MaxIter(1000), new LinearObjectiveFunction(objective, 0),
                    new LinearConstraintSet(constraints), GoalType.MAXIMIZE, new NonNegativeConstraint(true));
            return p.getValue() > 0 ? Arrays.copyOf(p.getPoint(), k + m) : null;
        } catch (NoFeasibleSolutionException | UnboundedSolutionException | TooManyIterationsException e) {
            return null; // the LP is always feasible and bounded; a solver failure just means no certificate
        }
    }

    /**
     * Whether {@code Σ_j w_j (a_j·x + b_j) + Σ_q w_{k+q} (g_q·x + e_q)} is positive on the whole box,
     * beyond its rounding.
     */
    private static boolean positiveOnBox(double[] w, double[][] a, double[] b, double[][] g, double[] e, double[] lo,
            double[] hi) {
        int k = a.length;
        double[][] rows = new double[k + g.length][];
        double[] consts = new double[k + g.length];
        for (int j = 0; j < rows.length; j++) {
            rows[j] = j < k ? a[j] : g[j - k];
            consts[j] = j < k ? b[j] : e[j - k];
        }
        double min = 0;
        double magnitude = 0;
        for (int j = 0; j < rows.length; j++) {
            if (!(w[j] >= 0) || Double.isInfinite(w[j])) {
                return false; // weights must be non-negative for the argument to hold
            }
            min += w[j] * consts[j];
            magnitude += Math.abs(w[j] * consts[j]);
        }
        for (int i = 0; i < lo.length; i++) {
            double c = 0;
            for (int j = 0; j < rows.length; j++) {
                c += w[j] * rows[j][i];
                magnitude += Math.abs(w[j] * rows[j][i]) * Math.max(Math.abs(lo[i]), Math.abs(hi[i]));
            }
            min += Math.min(c * lo[i], c * hi[i]);
        }
        return min > ROUNDING * magnitude;
    }
}
