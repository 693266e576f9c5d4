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
