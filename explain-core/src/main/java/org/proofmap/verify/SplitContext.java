package org.proofmap.verify;

import org.proofmap.bounds.Bounds;
import org.proofmap.model.GradientPass;

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
    private final GradientPass gradients;

    SplitContext(double[] lo, double[] hi, Bounds bounds, double[][] rows, int worstRow, GradientPass gradients) {
        this.lo = lo;
        this.hi = hi;
        this.bounds = bounds;
        this.rows = rows;
        this.worstRow = worstRow;
        this.gradients = gradients;
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

    /** Gradient of spec row {@code r} at the box centre (a new array). */
    public double[] gradientAtCentre(int r) {
        int n = lo.length;
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = 0.5 * (lo[i] + hi[i]);
        }
        synchronized (gradients) {
            return gradients.gradient(c, rows[r], 1).clone();
        }
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
