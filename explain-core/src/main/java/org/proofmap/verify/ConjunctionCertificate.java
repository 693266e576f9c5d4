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
 * <p>The weights come from a small LP (the dual of {@code min_x max_j L_j(x)} over the box: maximise
 * {@code Σ λ_j L_j(centre) − Σ_i r_i·|Σ_j λ_j a_ji|} over the simplex, {@code r} the half-widths),
 * but the LP only proposes them: the proof is the combination's minimum over the box, recomputed
 * from the bounds' coefficients and required to exceed the rounding of that sum.
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
        int k = a.length;
        int n = lo.length;
        double[] atCentre = new double[k];
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double v = b[j];
            for (int i = 0; i < n; i++) {
                v += a[j][i] * 0.5 * (lo[i] + hi[i]);
            }
            atCentre[j] = v;
            best = Math.max(best, v);
        }
        if (!(best > 0)) {
            return false; // the combination is at most max_j L_j(centre) there: no certificate exists
        }
        double[] lambda = weights(a, atCentre, lo, hi);
        return lambda != null && positiveOnBox(lambda, a, b, lo, hi);
    }

    /** The LP's weights λ (variables λ_1..λ_k, then s_1..s_n with s_i >= |Σ_j λ_j a_ji|), or null. */
    private static double[] weights(double[][] a, double[] atCentre, double[] lo, double[] hi) {
        int k = a.length;
        int n = lo.length;
        double[] objective = new double[k + n];
        System.arraycopy(atCentre, 0, objective, 0, k);
        for (int i = 0; i < n; i++) {
            objective[k + i] = -0.5 * (hi[i] - lo[i]);
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        double[] simplex = new double[k + n];
        Arrays.fill(simplex, 0, k, 1.0);
        constraints.add(new LinearConstraint(simplex, Relationship.EQ, 1.0));
        for (int i = 0; i < n; i++) {
            double[] plus = new double[k + n];
            double[] minus = new double[k + n];
            for (int j = 0; j < k; j++) {
                plus[j] = -a[j][i];
                minus[j] = a[j][i];
            }
            plus[k + i] = 1.0;
            minus[k + i] = 1.0;
            constraints.add(new LinearConstraint(plus, Relationship.GEQ, 0.0));
            constraints.add(new LinearConstraint(minus, Relationship.GEQ, 0.0));
        }
        try {
            PointValuePair p = new SimplexSolver().optimize(new MaxIter(200), new LinearObjectiveFunction(objective, 0),
                    new LinearConstraintSet(constraints), GoalType.MAXIMIZE, new NonNegativeConstraint(true));
            return p.getValue() > 0 ? Arrays.copyOf(p.getPoint(), k) : null;
        } catch (NoFeasibleSolutionException | UnboundedSolutionException | TooManyIterationsException e) {
            return null; // the LP is always feasible and bounded; a solver failure just means no certificate
        }
    }

    /** Whether {@code Σ λ_j (a_j·x + b_j)} is positive on the whole box, beyond its rounding. */
    private static boolean positiveOnBox(double[] lambda, double[][] a, double[] b, double[] lo, double[] hi) {
        double min = 0;
        double magnitude = 0;
        for (int j = 0; j < lambda.length; j++) {
            if (!(lambda[j] >= 0)) {
                return false; // weights must be non-negative for the argument to hold
            }
            min += lambda[j] * b[j];
            magnitude += Math.abs(lambda[j] * b[j]);
        }
        for (int i = 0; i < lo.length; i++) {
            double c = 0;
            for (int j = 0; j < lambda.length; j++) {
                c += lambda[j] * a[j][i];
                magnitude += Math.abs(lambda[j] * a[j][i]) * Math.max(Math.abs(lo[i]), Math.abs(hi[i]));
            }
            min += Math.min(c * lo[i], c * hi[i]);
        }
        return min > ROUNDING * magnitude;
    }
}
