package org.proofmap.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.ReluSplitting;
import org.proofmap.bounds.Spec;
import org.proofmap.vnnlib.OutputConstraint;

/**
 * The rows of a set of still-unproven disjuncts of an unsafe region, stacked into one spec, and
 * the bookkeeping of which are proved by a set of lower bounds. A disjunct {@code C·y <= d} is
 * proved on a subdomain when one of its rows has a positive lower margin {@code C_r·y − d_r > 0}
 * everywhere in it.
 */
final class OpenDisjuncts {
    final int[] open;
    final double[][] rows;
    final double[] rhs;
    private final int[] firstRow;

    OpenDisjuncts(List<OutputConstraint> disjuncts, int[] open) {
        this.open = open;
        List<double[]> r = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        firstRow = new int[open.length + 1];
        for (int k = 0; k < open.length; k++) {
            OutputConstraint oc = disjuncts.get(open[k]);
            firstRow[k] = r.size();
            double[][] c = oc.c();
            double[] dd = oc.d();
            for (int i = 0; i < c.length; i++) {
                r.add(c[i]);
                d.add(dd[i]);
            }
        }
        firstRow[open.length] = r.size();
        rows = r.toArray(new double[0][]);
        rhs = d.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    Spec spec() {
        return Spec.rows(rows, "property");
    }

    /** What the lower bounds of the stacked rows prove. */
    record Outcome(int[] stillOpen, double worstMargin, int worstRow) {
        boolean proved() {
            return stillOpen.length == 0;
        }
    }

    Outcome evaluate(double[] lower) {
        return evaluate(lower, k -> false);
    }

    /**
     * As {@link #evaluate(double[])}, and a disjunct that no single row proves is still proved on the
     * box {@code [lo, hi]} when a convex combination of its rows' linear lower bounds is positive on
     * all of it ({@link ConjunctionCertificate}).
     */
    Outcome evaluate(Bounds b, double[] lo, double[] hi) {
        if (!b.hasLinearBounds()) {
            return evaluate(b.lower());
        }
        return evaluate(b.lower(), k -> jointlyProved(k, b::lowerCoefficients, b::lowerConstant, new double[0][],
                new double[0], lo, hi));
    }

    /**
     * Inputs up to which the cut LP is tried: its dense simplex grows with the input dimension (ACAS
     * Xu's 5 inputs cost well under a millisecond; MNIST's 784 would cost seconds per subdomain).
     */
    static final int CUT_LP_MAX_INPUTS = 32;

    /**
     * What a ReLU-branching subdomain's bounds prove on the box {@code [lo, hi]}: a row's tightened
     * lower bound, or else (up to {@link #CUT_LP_MAX_INPUTS} inputs) a combination of the disjunct's
     * rows' CROWN bounds and the splits' cuts whose weights an LP picks ({@link ConjunctionCertificate}).
     */
    Outcome evaluate(ReluSplitting.Result res, double[] lo, double[] hi) {
        if (lo.length > CUT_LP_MAX_INPUTS) {
            return evaluate(res.lower());
        }
        return evaluate(res.lower(), k -> jointlyProved(k, r -> res.rowCoefficients()[r], r -> res.rowConstants()[r],
                res.cutCoefficients(), res.cutConstants(), lo, hi));
    }

    /**
     * Whether disjunct {@code k} (by position in {@link #open}) is proved on {@code [lo, hi]} by a
     * combination of its rows' linear lower bounds {@code coefficients(r)·x + constant(r)} and the
     * cuts {@code g·x + e <= 0} ({@link ConjunctionCertificate}).
     */
    private boolean jointlyProved(int k, IntFunction<double[]> coefficients, IntToDoubleFunction constant,
            double[][] g, double[] e, double[] lo, double[] hi) {
        int rows = firstRow[k + 1] - firstRow[k];
        if (rows < 2 && g.length == 0) {
            return false; // one row without cuts: its own bound already said no
        }
        double[][] a = new double[rows][];
        double[] c = new double[rows];
        for (int j = 0; j < rows; j++) {
            int r = firstRow[k] + j;
            a[j] = coefficients.apply(r);
            c[j] = constant.applyAsDouble(r) - rhs[r];
        }
        return ConjunctionCertificate.proves(a, c, g, e, lo, hi);
    }

    /** {@code jointlyProved} is asked only about disjuncts (by position in {@link #open}) no row proves. */
    private Outcome evaluate(double[] lower, IntPredicate jointlyProved) {
        List<Integer> still = new ArrayList<>();
        double worst = Double.POSITIVE_INFINITY;
        int worstRow = 0;
        for (int k = 0; k < open.length; k++) {
            double best = Double.NEGATIVE_INFINITY;
            int bestRow = firstRow[k];
            for (int r = firstRow[k]; r < firstRow[k + 1]; r++) {
                double m = lower[r] - rhs[r];
                if (m > best) {
                    best = m;
                    bestRow = r;
                }
            }
            if (!(best > 0) && !jointlyProved.test(k)) {
                still.add(open[k]);
                if (best < worst) {
                    worst = best;
                    worstRow = bestRow;
                }
            }
        }
        return new Outcome(still.stream().mapToInt(Integer::intValue).toArray(), worst, worstRow);
    }
}
