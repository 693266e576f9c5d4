package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/**
 * Piecewise-linear activations: Relu and LeakyRelu ({@code alpha}, default 0.01). One family because
 * they share their relaxation: two linear pieces meeting at zero.
 */
public final class Activation implements Operator {
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
}
