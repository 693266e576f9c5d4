package org.proofmap.bounds;

/**
 * A set of model inputs, as a box {@code [lower, upper]} in flattened NCHW order. Implementations
 * say how the box was made (an L-inf ball, a VNNLIB box, a feature subset) for provenance.
 */
public interface InputDomain {
    /** Lower corner; callers must not modify the array. */
    double[] lower();

    /** Upper corner; callers must not modify the array. */
    double[] upper();

    /** A short description for provenance, e.g. {@code linf(eps=0.02, clip=[0,1])}. */
    String describe();

    default int size() {
        return lower().length;
    }

    /**
     * The corner of the box {@code [lo, hi]} where {@code a·x} is smallest: {@code x_i = lo_i} where
     * {@code a_i > 0}, else {@code hi_i}. Where a linear lower bound is nearly tight this corner is a
     * counterexample candidate for free.
     */
    static double[] minimisingCorner(double[] a, double[] lo, double[] hi) {
        double[] x = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            x[i] = a[i] > 0 ? lo[i] : hi[i];
        }
        return x;
    }

    /** Whether {@code x} lies in the box (with slack {@code tol}). */
    default boolean contains(double[] x, double tol) {
        double[] l = lower();
        double[] u = upper();
        for (int i = 0; i < l.length; i++) {
            if (x[i] < l[i] - tol || x[i] > u[i] + tol) {
                return false;
            }
        }
        return true;
    }
}
