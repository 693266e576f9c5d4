package org.proofmap.bounds;

/**
 * The input-space consequences of the ReLU splits of a branch-and-bound subdomain, and a bound that
 * uses them.
 *
 * <p>Clamping a split neuron's bounds makes its relaxation exact, but the final concretisation
 * still ranges over the whole input box, including inputs that violate the split. Each split
 * {@code s·z >= 0} ({@code s = ±1}) implies a linear cut on the input: CROWN's lower linear bound
 * {@code h(x) <= −s·z(x)} of the row {@code −s·z}, valid on the subdomain, gives {@code h(x) <= 0}
 * for every input of the subdomain (exact for a first-layer neuron, whose pre-activation is affine
 * in the input). A linear lower bound {@code f(x)} of a spec row then has, for every {@code beta >= 0},
 * the valid lower bound {@code min over the box of f(x) + sum_j beta_j·h_j(x)} on the subdomain
 * (weak Lagrangian duality: the added terms are {@code <= 0} there). This is the concretisation-level
 * part of beta-CROWN: the multipliers are chosen by projected supergradient ascent (Adam), the
 * supergradient of cut {@code j} being {@code h_j} at the box corner that attains the minimum.
 * Any {@code beta >= 0} gives a sound bound, so the ascent needs no convergence to be correct, and
 * the best value seen is kept. An empty subdomain (contradictory cuts) makes the dual unbounded, so
 * its bound grows past any target: also correct, since an empty set satisfies every property.
 */
final class SplitCuts {
    /** Ascent steps per row (the bound is sound after any number). */
    static final int ITERATIONS = 40;
    /** Adam's step size for the multipliers. */
    static final double LEARNING_RATE = 0.1;

    private final double[][] g;
    private final double[] e;
    private final int n;

    private SplitCuts(double[][] g, double[] e, int n) {
        this.g = g;
        this.e = e;
        this.n = n;
    }

    /** The cuts of every split of {@code p} (one backward pass per split pre-activation value). */
    static SplitCuts of(BoundPropagation p, byte[][] signs) {
        int n = p.inLo.length;
        int total = 0;
        for (byte[] s : signs) {
            if (s != null) {
                for (byte b : s) {
                    total += b != 0 ? 1 : 0;
                }
            }
        }
        double[][] g = new double[total][];
        double[] e = new double[total];
        int j = 0;
        for (int v = 0; v < signs.length; v++) {
            byte[] s = signs[v];
            if (s == null) {
                continue;
            }
            int size = s.length;
            int rows = 0;
            for (byte b : s) {
                rows += b != 0 ? 1 : 0;
            }
            if (rows == 0) {
                continue;
            }
            double[] c = new double[rows * size];
            int r = 0;
            for (int i = 0; i < size; i++) {
                if (s[i] != 0) {
                    c[r * size + i] = -s[i];
                    r++;
                }
            }
            BoundPropagation.Linear lin = p.backward(v, c, rows, null, null);
            for (int q = 0; q < rows; q++) {
                g[j] = java.util.Arrays.copyOfRange(lin.a, q * n, (q + 1) * n);
                e[j] = lin.b[q];
                j++;
            }
        }
        return new SplitCuts(g, e, n);
    }

    int count() {
        return g.length;
    }

    /** No cuts (the root of the tree). */
    static SplitCuts none(int inputs) {
        return new SplitCuts(new double[0][], new double[0], inputs);
    }

    /** The cuts' input coefficients: cut {@code j} is {@code g[j]·x + e[j] <= 0} (shared, not copied). */
    double[][] coefficients() {
        return g;
    }

    /** The cuts' constants. */
    double[] constants() {
        return e;
    }

    /**
     * A linear lower bound of one row on the subdomain: {@code coefficients·x + constant}, whose
     * minimum over the box is {@code bound}.
     */
    record Tightened(double[] coefficients, double constant, double bound) {}

    /**
     * Tightens the linear lower bound {@code a·x + b} of one row over the box {@code [lo, hi]} with
     * the cuts: the combined function with the best bound found (the row's own when no multiplier
     * helps). Stops early once the bound exceeds {@code target}.
     */
    Tightened tighten(double[] a, double b, double[] lo, double[] hi, double target) {
        int k = g.length;
        double[] best = a;
        double[] beta = new double[k];
        double[] m = new double[k];
        double[] v = new double[k];
        double[] c = a.clone();
        double[] x = new double[n];
        double bestBound = Double.NEGATIVE_INFINITY;
        double bestConst = b;
        for (int t = 1; t <= ITERATIONS + 1; t++) {
            double constant = b;
            for (int j = 0; j < k; j++) {
                constant += beta[j] * e[j];
            }
            double bound = constant;
            for (int i = 0; i < n; i++) {
                double ci = c[i];
                x[i] = ci > 0 ? lo[i] : hi[i];
                bound += ci * x[i];
            }
            if (bound > bestBound) {
                bestBound = bound;
                bestConst = constant;
                best = c.clone();
            }
            if (bestBound > target || t > ITERATIONS) {
                break;
            }
            // Adam ascent on beta, projected on beta >= 0; the supergradient is each cut at x.
            double b1t = 1 - Math.pow(0.9, t);
            double b2t = 1 - Math.pow(0.999, t);
            boolean moved = false;
            for (int j = 0; j < k; j++) {
                double[] gj = g[j];
                double grad = e[j];
                for (int i = 0; i < n; i++) {
                    grad += gj[i] * x[i];
                }
                m[j] = 0.9 * m[j] + 0.1 * grad;
                v[j] = 0.999 * v[j] + 0.001 * grad * grad;
                double next = Math.max(0, beta[j] + LEARNING_RATE * (m[j] / b1t) / (Math.sqrt(v[j] / b2t) + 1e-12));
                moved |= next != beta[j];
                beta[j] = next;
            }
            if (!moved) {
                break;
            }
            System.arraycopy(a, 0, c, 0, n);
            for (int j = 0; j < k; j++) {
                double bj = beta[j];
                if (bj != 0) {
                    double[] gj = g[j];
                    for (int i = 0; i < n; i++) {
                        c[i] += bj * gj[i];
                    }
                }
            }
        }
        return new Tightened(best, bestConst, bestBound);
    }
}
