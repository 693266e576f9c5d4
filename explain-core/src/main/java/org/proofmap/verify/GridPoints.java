package org.proofmap.verify;

import java.util.function.Predicate;

/**
 * The points of a regular grid over a box, for a cheap search for counterexamples before any bound
 * is computed: with {@code 2^d + 1} points per input, the corners and centres of every box that
 * {@code d} bisections of each input produce, each coordinate computed by the same midpoints as the
 * branch and bound computes them (so a point the search would try later is tried here bit for bit).
 * On ACAS Xu (5 inputs, {@code d = 2}: 3,125 points, a few milliseconds of forward passes) this finds
 * the prop_7 counterexample of net 1_9 at once, which PGD from 10,000 starts missed and ReCIPH's
 * search found after 38,000 boxes in one run and not within 116 s in another (width, splitting the
 * inputs in turn, hits it among its first 8 boxes).
 */
final class GridPoints {
    /** The most points visited. */
    static final int BUDGET = 4096;

    private GridPoints() {}

    /**
     * Visits the grid points of {@code [lo, hi]} with the finest {@code d >= 1} within
     * {@link #BUDGET} points, until {@code visit} returns true; true when it did. Visits nothing
     * when even {@code d = 1} ({@code 3^n} points) exceeds the budget.
     */
    static boolean search(double[] lo, double[] hi, Predicate<double[]> visit) {
        int n = lo.length;
        int d = 0;
        while (Math.pow((1 << (d + 1)) + 1, n) <= BUDGET) {
            d++;
        }
        if (d == 0) {
            return false;
        }
        double[][] coordinates = new double[n][];
        for (int i = 0; i < n; i++) {
            coordinates[i] = bisections(lo[i], hi[i], d);
        }
        int per = coordinates[0].length;
        int[] index = new int[n];
        double[] x = new double[n];
        while (true) {
            for (int i = 0; i < n; i++) {
                x[i] = coordinates[i][index[i]];
            }
            if (visit.test(x.clone())) {
                return true;
            }
            int i = 0;
            while (i < n && ++index[i] == per) {
                index[i++] = 0;
            }
            if (i == n) {
                return false;
            }
        }
    }

    /** {@code lo}, {@code hi} and the midpoints of {@code d} rounds of bisection, ascending. */
    static double[] bisections(double lo, double hi, int d) {
        double[] p = {lo, hi};
        for (int round = 0; round < d; round++) {
            double[] q = new double[2 * p.length - 1];
            for (int k = 0; k + 1 < p.length; k++) {
                q[2 * k] = p[k];
                q[2 * k + 1] = 0.5 * (p[k] + p[k + 1]);
            }
            q[q.length - 1] = p[p.length - 1];
            p = q;
        }
        return p;
    }
}
