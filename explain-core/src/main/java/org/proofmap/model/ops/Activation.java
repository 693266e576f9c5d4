package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/**
 * Piecewise-linear activations: Relu and LeakyRelu ({@code alpha}, default 0.01). One family because
 * they share their relaxation: two linear pieces meeting at zero.
 */
public final class Activation implements ElementwiseNonlinear {
    private final String opType;
    private final Shape shape;
    private final double negativeSlope;

    private Activation(String opType, Shape shape, double negativeSlope) {
        this.opType = opType;
        this.shape = shape;
        this.negativeSlope = negativeSlope;
    }

    public static Activation create(OperatorContext ctx) {
        ctx.requireInputs(1, 1);
        double slope = ctx.opType().equals("LeakyRelu") ? ctx.attributes().getFloat("alpha", 0.01) : 0.0;
        if (slope < 0 || slope > 1) {
            throw ctx.fail("alpha must be in [0, 1] (a convex activation), found " + slope);
        }
        return new Activation(ctx.opType(), ctx.shape(0), slope);
    }

    /** Slope for negative inputs: 0 for Relu. */
    public double negativeSlope() {
        return negativeSlope;
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
        if (negativeSlope == 0.0) {
            for (int i = 0; i < n; i++) {
                double v = x[i];
                out[i] = v > 0 ? v : 0.0;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = x[i];
                out[i] = v > 0 ? v : negativeSlope * v;
            }
        }
    }

    // ----- relaxation

    @Override
    public double apply(double x) {
        return x > 0 ? x : negativeSlope * x;
    }

    @Override
    public double derivative(double x) {
        return x > 0 ? 1.0 : negativeSlope;
    }

    /**
     * Stable elements are exact. An unstable one ({@code l < 0 < u}) gets the chord from
     * {@code (l, f(l))} to {@code (u, u)} above and the line {@code αx} below, with CROWN's adaptive
     * choice {@code α = 1} when {@code u > -l} and the negative slope otherwise.
     */
    @Override
    public void relax(double[] l, double[] u, double[] lo, double[] loB, double[] up, double[] upB) {
        double[] line = new double[4];
        for (int i = 0; i < l.length; i++) {
            lowerLine(l[i], u[i], defaultParameter(l[i], u[i]), line);
            lo[i] = line[0];
            loB[i] = line[1];
            upperLine(l[i], u[i], 0, line);
            up[i] = line[0];
            upB[i] = line[1];
        }
    }

    @Override
    public boolean isOptimisable(double l, double u) {
        return l < 0 && u > 0;
    }

    @Override
    public double[] parameterRange(double l, double u) {
        return new double[] {negativeSlope, 1.0};
    }

    @Override
    public double defaultParameter(double l, double u) {
        return u > -l ? 1.0 : negativeSlope;
    }

    @Override
    public void lowerLine(double l, double u, double p, double[] out) {
        if (u <= 0) {
            set(out, negativeSlope, 0, 0, 0);
        } else if (l >= 0) {
            set(out, 1, 0, 0, 0);
        } else {
            set(out, p, 0, 1, 0);
        }
    }

    @Override
    public void upperLine(double l, double u, double p, double[] out) {
        if (u <= 0) {
            set(out, negativeSlope, 0, 0, 0);
        } else if (l >= 0) {
            set(out, 1, 0, 0, 0);
        } else {
            double s = (u - negativeSlope * l) / (u - l);
            set(out, s, l * (negativeSlope - s), 0, 0);
        }
    }

    @Override
    public double[] upperParameterRange(double l, double u) {
        return null;
    }

    @Override
    public double defaultUpperParameter(double l, double u) {
        return 0;
    }

    static void set(double[] out, double slope, double intercept, double dSlope, double dIntercept) {
        out[0] = slope;
        out[1] = intercept;
        out[2] = dSlope;
        out[3] = dIntercept;
    }
}
