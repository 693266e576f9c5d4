package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/**
 * S-shaped activations: Sigmoid and Tanh. One family because they share the shape of their
 * relaxation (convex below zero, concave above: tangent and chord bounds).
 */
public final class Sigmoidal implements ElementwiseNonlinear {
    private final String opType;
    private final Shape shape;
    private final boolean tanh;

    private Sigmoidal(String opType, Shape shape) {
        this.opType = opType;
        this.shape = shape;
        this.tanh = opType.equals("Tanh");
    }

    public static Sigmoidal create(OperatorContext ctx) {
        ctx.requireInputs(1, 1);
        return new Sigmoidal(ctx.opType(), ctx.shape(0));
    }

    /** The activation at {@code x}. */
    @Override
    public double apply(double x) {
        return tanh ? Math.tanh(x) : sigmoid(x);
    }

    static double sigmoid(double x) {
        // Written to avoid overflow of exp for large |x|.
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    public String opType() {
        return opType;
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public void forward(double[][] in, double[] out, int batch) {
        double[] x = in[0];
        int n = batch * shape.size();
        if (tanh) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.tanh(x[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = sigmoid(x[i]);
            }
        }
    }

    // ----- relaxation (convex below 0, concave above; both functions are symmetric about (0, f(0)))

    /** Below this width an element is bounded by constant lines f(l) and f(u) (monotone). */
    private static final double TINY = 1e-9;

    @Override
    public double derivative(double x) {
        if (tanh) {
            double t = Math.tanh(x);
            return 1 - t * t;
        }
        double s = sigmoid(x);
        return s * (1 - s);
    }

    private double second(double x) {
        if (tanh) {
            double t = Math.tanh(x);
            return -2 * t * (1 - t * t);
        }
        double s = sigmoid(x);
        return s * (1 - s) * (1 - 2 * s);
    }

    /**
     * CROWN's relaxation: on a convex piece ({@code u <= 0}) the chord above and the tangent at the
     * midpoint below; on a concave piece ({@code l >= 0}) the reverse; across 0, below the tangent
     * that passes through {@code (u, f(u))} (or the chord when that tangent touches left of l), and
     * above the tangent through {@code (l, f(l))} (or the chord). Tangent points are found by
     * bisection to full precision, erring on the sound side.
     */
    @Override
    public void relax(double[] l, double[] u, double[] lo, double[] loB, double[] up, double[] upB) {
        double[] line = new double[4];
        for (int i = 0; i < l.length; i++) {
            lowerLine(l[i], u[i], defaultParameter(l[i], u[i]), line);
            lo[i] = line[0];
            loB[i] = line[1];
            upperLine(l[i], u[i], defaultUpperParameter(l[i], u[i]), line);
            up[i] = line[0];
            upB[i] = line[1];
        }
    }

    @Override
    public boolean isOptimisable(double l, double u) {
        return u - l >= TINY && (u <= 0 || (l < 0 && lowerTangentLimit(u) >= l));
    }

    @Override
    public double[] parameterRange(double l, double u) {
        return u <= 0 ? new double[] {l, u} : new double[] {l, Math.min(u, lowerTangentLimit(u))};
    }

    @Override
    public double defaultParameter(double l, double u) {
        if (u <= 0) {
            return 0.5 * (l + u);
        }
        return l < 0 ? lowerTangentLimit(u) : 0;
    }

    @Override
    public double[] upperParameterRange(double l, double u) {
        if (u - l < TINY) {
            return null;
        }
        if (l >= 0) {
            return new double[] {l, u};
        }
        if (u > 0) {
            double d = upperTangentLimit(l);
            return d <= u ? new double[] {d, u} : null;
        }
        return null;
    }

    @Override
    public double defaultUpperParameter(double l, double u) {
        if (l >= 0) {
            return 0.5 * (l + u);
        }
        return u > 0 ? upperTangentLimit(l) : 0;
    }

    @Override
    public void lowerLine(double l, double u, double p, double[] out) {
        if (u - l < TINY) {
            Activation.set(out, 0, apply(l), 0, 0);
        } else if (u <= 0 || (l < 0 && lowerTangentLimit(u) >= l)) {
            tangent(p, out);
        } else {
            chord(l, u, out);
        }
    }

    @Override
    public void upperLine(double l, double u, double p, double[] out) {
        if (u - l < TINY) {
            Activation.set(out, 0, apply(u), 0, 0);
        } else if (l >= 0 || (u > 0 && upperTangentLimit(l) <= u)) {
            tangent(p, out);
        } else {
            chord(l, u, out);
        }
    }

    private void tangent(double d, double[] out) {
        double k = derivative(d);
        double f2 = second(d);
        Activation.set(out, k, apply(d) - k * d, f2, -f2 * d);
    }

    private void chord(double l, double u, double[] out) {
        double fl = apply(l);
        double k = (apply(u) - fl) / (u - l);
        Activation.set(out, k, fl - k * l, 0, 0);
    }

    /**
     * The tangent point {@code d <= 0} whose tangent passes through {@code (u, f(u))} ({@code u > 0});
     * every tangent at a point at or left of it lies below f up to u. Returns the sound side.
     */
    double lowerTangentLimit(double u) {
        double fu = apply(u);
        double lo = -50;
        double hi = 0;
        for (int it = 0; it < 200 && hi - lo > 0; it++) {
            double m = 0.5 * (lo + hi);
            if (m == lo || m == hi) {
                break;
            }
            double g = apply(m) + derivative(m) * (u - m) - fu;
            if (g > 0) {
                hi = m;
            } else {
                lo = m;
            }
        }
        return lo;
    }

    /** The tangent point {@code d >= 0} whose tangent passes through {@code (l, f(l))} ({@code l < 0}). */
    double upperTangentLimit(double l) {
        double fl = apply(l);
        double lo = 0;
        double hi = 50;
        for (int it = 0; it < 200 && hi - lo > 0; it++) {
            double m = 0.5 * (lo + hi);
            if (m == lo || m == hi) {
                break;
            }
            double h = apply(m) + derivative(m) * (l - m) - fl;
            if (h < 0) {
                lo = m;
            } else {
                hi = m;
            }
        }
        return hi;
    }
}
