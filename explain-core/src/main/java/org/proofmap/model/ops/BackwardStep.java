package org.proofmap.model.ops;

/**
 * One step of backward linear bound propagation (CROWN) through an operator, in the lower-bound
 * direction: the walker holds {@code rows} linear functions of this node's output,
 * {@code Σ_j a[r][j]·out_j + const}, each to be bounded from below over the input domain. The
 * operator rewrites them as functions of its inputs: it adds coefficients to {@code aIn} and constant
 * terms to {@code bias}, choosing for a nonlinear operator the lower relaxation where a coefficient is
 * positive and the upper one where it is negative. Upper bounds are lower bounds of negated rows.
 *
 * <p>All matrices are dense, row-major, one row per linear function.
 */
public final class BackwardStep {
    /** Coefficients on the node's output, {@code rows × outputSize}. */
    public double[] a;
    public int rows;
    /** Per dynamic input, {@code rows × inputSize}, zero-initialised by the walker; add into it. */
    public double[][] aIn;
    /** Per row, the constant term; add into it. */
    public double[] bias;
    /**
     * When not null, row {@code r} of {@link #a} has a single non-zero entry, at {@code hot[r]} (the
     * first step of an intermediate-bound pass, whose rows select single neurons). Operators may use
     * it to skip scanning zeros; ignoring it is always correct.
     */
    public int[] hot;
    /**
     * When not null, row {@code r} of {@link #a} is zero outside the element indices
     * {@code support[r]} (ascending). Operators may visit only those; ignoring it is always correct.
     */
    public int[][] support;
    /** Bounds of the dynamic inputs (one sample), for operators whose relaxation needs them. */
    public double[][] inLo;
    public double[][] inHi;
}
