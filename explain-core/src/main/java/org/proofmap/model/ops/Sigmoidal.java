package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/**
 * S-shaped activations: Sigmoid and Tanh. One family because they share the shape of their
 * relaxation (convex below zero, concave above: tangent and chord bounds).
 */
public final class Sigmoidal implements Operator {
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
}
