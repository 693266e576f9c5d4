package org.proofmap.verify;

import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.JacobianBounds;

/**
 * What a split heuristic may look at: the box, the bounds just computed on it (with the input
 * coefficients of the linear bounds), the spec rows, and the row being refined (the worst row of the
 * worst unproven disjunct).
 */
public final class SplitContext {
    private final double[] lo;
    private final double[] hi;
    private final Bounds bounds;
    private final double[][] rows;
    private final int worstRow;
    private final BoundContext context;
    private final JacobianBounds jacobian;

    SplitContext(double[] lo, double[] hi, Bounds bounds, double[][] rows, int worstRow, BoundContext context,
            JacobianBounds jacobian) {
        this.lo = lo;
        this.hi = hi;
        this.bounds = bounds;
        this.rows = rows;
        this.worstRow = worstRow;
        this.context = context;
        this.jacobian = jacobian;
    }

    public double[] lower() {
        return lo;
    }

    public double[] upper() {
        return hi;
    }

    public Bounds bounds() {
        return bounds;
    }

    /** Spec rows over the model outputs (one per bound row). */
    public double[][] rows() {
        return rows;
    }

    public int worstRow() {
        return worstRow;
    }

    /**
     * Bounds {lower, upper} of the gradient of spec row {@code r} with respect to the input over the
     * whole box (see {@link JacobianBounds}).
     */
    public double[][] gradientBounds(int r) {
        return jacobian.of(context, rows[r]);
    }

    /** Index of the largest score among splittable dimensions (ties: the lowest index). */
    static int argmax(double[] score, double[] lo, double[] hi) {
        int best = -1;
        for (int i = 0; i < score.length; i++) {
            if (hi[i] > lo[i] && (best < 0 || score[i] > score[best])) {
                best = i;
            }
        }
        return best;
    }
}
