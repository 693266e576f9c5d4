package org.proofmap.model.ops;

/**
 * A nonlinear scalar function applied element by element (Relu, LeakyRelu, Sigmoid, Tanh). The
 * operator owns its relaxation: for input bounds {@code [l, u]} it gives a lower line and an upper
 * line that enclose the function on that interval. The walker applies them (lower line where a
 * coefficient is positive, upper line where it is negative), and alpha-CROWN re-chooses the lower
 * line per row through {@link #lowerLine}.
 */
public interface ElementwiseNonlinear extends Operator {
    double apply(double x);

    /** Derivative, for gradients. */
    double derivative(double x);

    /**
     * CROWN's default relaxation of every element: {@code lo[i]·x + loB[i] <= f(x) <= up[i]·x + upB[i]}
     * for {@code x} in {@code [l[i], u[i]]}.
     */
    void relax(double[] l, double[] u, double[] lo, double[] loB, double[] up, double[] upB);

    /**
     * Whether the lower line of an element with bounds {@code [l, u]} has a free parameter that
     * alpha-CROWN may optimise (an unstable ReLU's slope, an S-curve's tangent point).
     */
    boolean isOptimisable(double l, double u);

    /** The range of the free parameter for an element with bounds {@code [l, u]}: {lo, hi}. */
    double[] parameterRange(double l, double u);

    /** The parameter value that reproduces {@link #relax}'s default lower line. */
    double defaultParameter(double l, double u);

    /**
     * The lower line for parameter {@code p}: writes {slope, intercept, d slope/dp, d intercept/dp}
     * into {@code out}. Must be a valid lower bound on {@code [l, u]} for every p in the range.
     */
    void lowerLine(double l, double u, double p, double[] out);

    /** Same for the upper line (used when a coefficient is negative). */
    void upperLine(double l, double u, double p, double[] out);

    /** The range of the upper line's parameter, or null when the upper line is fixed. */
    double[] upperParameterRange(double l, double u);

    /** The default upper-line parameter. */
    double defaultUpperParameter(double l, double u);

    /** Every supported elementwise activation is non-decreasing, so bounds map to bounds. */
    @Override
    default void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        for (int i = 0; i < outLo.length; i++) {
            outLo[i] = apply(lo[0][i]);
            outHi[i] = apply(hi[0][i]);
        }
    }

    @Override
    default boolean backwardNeedsInputBounds() {
        return true;
    }

    /** CROWN with the default relaxation: lower line where a coefficient is positive, upper where negative. */
    @Override
    default void backward(BackwardStep st) {
        double[] l = st.inLo[0];
        double[] u = st.inHi[0];
        int n = l.length;
        double[] lo = new double[n];
        double[] loB = new double[n];
        double[] up = new double[n];
        double[] upB = new double[n];
        relax(l, u, lo, loB, up, upB);
        double[] aIn = st.aIn[0];
        for (int r = 0; r < st.rows; r++) {
            int o = r * n;
            double b = 0;
            for (int i = 0; i < n; i++) {
                double coef = st.a[o + i];
                if (coef > 0) {
                    aIn[o + i] += coef * lo[i];
                    b += coef * loB[i];
                } else if (coef < 0) {
                    aIn[o + i] += coef * up[i];
                    b += coef * upB[i];
                }
            }
            st.bias[r] += b;
        }
    }

    @Override
    default void vjp(double[][] in, double[] out, double[] gOut, double[][] gIn, int batch) {
        double[] x = in[0];
        double[] g = gIn[0];
        for (int i = 0, n = batch * outputShape().size(); i < n; i++) {
            g[i] += gOut[i] * derivative(x[i]);
        }
    }
}
