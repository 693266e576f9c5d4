package org.proofmap.bounds;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * Order-statistics tools behind {@link PtLirpa}: how far the largest of {@code n} i.i.d. samples of
 * a bounded random variable {@code Y} (one neuron's value at a uniform point of the input box) must be
 * pushed to cover the whole range of {@code Y} with a stated probability.
 *
 * <p><b>Wilks.</b> With {@code F} the distribution function of {@code Y} and {@code M_n} the sample
 * maximum, {@code F(M_n) ~ Beta(n, 1)}, so {@code P(F(M_n) >= q) = 1 - q^n} whatever {@code F} is:
 * {@link #wilksCoverage} gives the {@code q} that holds with probability {@code 1 - delta}. This is
 * distribution-free but only about mass: the part of the box above {@code M_n} is small, not empty.
 *
 * <p><b>Endpoint.</b> To cover the true maximum {@code x*} (the right endpoint of {@code Y}) we assume
 * a Weibull-type (bounded, GPD shape {@code xi = -1/alpha < 0}) power tail on the top {@code k+1}
 * order statistics: {@code P(Y > x* - t) = c·t^alpha} for {@code x* - t >= X(k+1)}. Then the
 * {@code U = c·(x* - X)^alpha} of the top {@code k+1} samples are the {@code k+1} smallest of
 * {@code n} uniforms, and {@code V = U(1)/U(k+1)} is the minimum of {@code k} uniforms, {@code
 * Beta(1, k)}, whatever {@code c} and {@code x*} are (a pivot). With {@code D = x* - X(1)} and
 * {@code R = X(1) - X(k+1)}, {@code D/(D+R) = V^(1/alpha)}, so with {@code v} the {@code 1 - delta}
 * quantile of {@code Beta(1, k)} and {@code w = v^(1/alpha)}:
 *
 * <pre>   P( x* <= X(1) + R·w/(1-w) ) >= 1 - delta      (exact under the power-tail model)</pre>
 *
 * <p>The factor grows with {@code alpha}, so the bound computed with an assumed maximal tail index
 * {@code alphaMax} holds for every tail with {@code alpha <= alphaMax}: PT-LiRPA uses it for every
 * neuron (one factor for all). Estimating {@code alpha} per neuron from the few top exceedances
 * instead was tried and rejected: the probability-weighted-moments fit of a generalised Pareto
 * distribution ({@link #gpdShape}, Hosking and Wallis, 1987) from 10-30 exceedances under-estimates
 * {@code alpha} often enough that 16% of the one-sided bounds of a 5-input network failed at a
 * nominal rate of 0.25% (n = 100, k = 10). The fit is kept as a diagnostic: a
 * {@link #fittedTailIndex} above {@code alphaMax} flags a bound whose top samples look like a larger
 * tail index than assumed (typical of the Gaussian-like bulk of a sum of many inputs), where the
 * endpoint may lie beyond the bound and the stated confidence is doubtful.
 *
 * <p>All arithmetic is in double precision: the widening multiplies small spacings of order
 * statistics by factors of 10-100, and the estimates are compared against exact sound bounds.
 */
public final class ToleranceLimits {
    private ToleranceLimits() {}

    /** Wilks: the coverage {@code q} with {@code P(F(M_n) >= q) = 1 - delta} ({@code q = delta^(1/n)}). */
    public static double wilksCoverage(int n, double delta) {
        checkDelta(delta);
        // F(M_n) ~ Beta(n, 1): its delta-quantile.
        return new BetaDistribution(null, n, 1, 1e-15).inverseCumulativeProbability(delta);
    }

    /** {@code k = ceil(n^gamma)}, kept within {@code [2, n - 1]}. */
    public static int topCount(int n, double gamma) {
        if (n < 3) {
            throw new IllegalArgumentException("at least 3 samples are needed, found " + n);
        }
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma must lie in (0, 1), found " + gamma);
        }
        int k = (int) Math.ceil(Math.pow(n, gamma));
        return Math.max(2, Math.min(n - 1, k));
    }

    /**
     * The {@code 1 - delta} quantile {@code v} of {@code V ~ Beta(1, k)}: computed as one minus the
     * {@code delta} quantile of {@code 1 - V ~ Beta(k, 1)}, which keeps full precision for tiny
     * {@code delta} (where {@code 1 - delta} rounds).
     */
    public static double pivotQuantile(int k, double delta) {
        checkDelta(delta);
        double lower = new BetaDistribution(null, k, 1, 1e-15).inverseCumulativeProbability(delta);
        return 1 - lower;
    }

    /**
     * The GPD shape {@code xi} of the exceedances {@code y[0..k)} (sorted ascending, >= 0) by
     * probability-weighted moments: {@code xi = 2 - a0/(a0 - 2 a1)} with {@code a0} the mean and
     * {@code a1 = mean(y_j (1 - p_j))}, plotting positions {@code p_j = (j + 0.65)/k}. Returns
     * {@code +inf} when the moments admit no finite-endpoint fit and NaN when all exceedances are 0.
     */
    public static double gpdShape(double[] y, int k) {
        double a0 = 0;
        double a1 = 0;
        for (int j = 0; j < k; j++) {
            a0 += y[j];
            a1 += y[j] * (1 - (j + 0.65) / k);
        }
        a0 /= k;
        a1 /= k;
        if (a0 == 0) {
            return Double.NaN;
        }
        double den = a0 - 2 * a1;
        if (!(den > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        return 2 - a0 / den;
    }

    /**
     * The tail index {@code alpha = -1/xi} of the GPD fit of the top {@code k} exceedances over
     * {@code top[k]} ({@code top} sorted descending), {@code +inf} when the fit has no finite endpoint
     * and NaN when they are all zero. {@code scratch} holds at least {@code k} values.
     */
    public static double fittedTailIndex(double[] top, int k, double[] scratch) {
        for (int j = 0; j < k; j++) {
            scratch[j] = top[k - 1 - j] - top[k]; // ascending exceedances over X(k+1)
        }
        double xi = gpdShape(scratch, k);
        if (Double.isNaN(xi)) {
            return Double.NaN;
        }
        return xi < 0 ? -1 / xi : Double.POSITIVE_INFINITY;
    }

    /**
     * The widening factor {@code w/(1-w)}, {@code w = v^(1/alpha)}: the bound is
     * {@code X(1) + factor·(X(1) - X(k+1))}.
     */
    public static double wideningFactor(double v, double alpha) {
        // w = exp(ln v / alpha); 1 - w = -expm1(ln v / alpha) without cancellation.
        double t = Math.log(v) / alpha;
        return Math.exp(t) / -Math.expm1(t);
    }

    /**
     * Upper confidence bound of the endpoint from the top {@code k + 1} values {@code top} sorted
     * descending ({@code top[0]} the sample maximum): {@code X(1) + factor·(X(1) - X(k+1))} with
     * {@code factor} from {@link #wideningFactor}.
     */
    public static double upperEndpoint(double[] top, int k, double factor) {
        double r = top[0] - top[k];
        // r = 0: the top k+1 samples coincide (an atom at the maximum, e.g. a constant element).
        return r > 0 ? top[0] + r * factor : top[0];
    }

    private static void checkDelta(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("the failure probability must lie in (0, 1), found " + delta);
        }
    }
}
