package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/**
 * Softmax. Opset 13 and later normalise along {@code axis} (default -1); earlier opsets flatten the
 * input to 2-D at {@code axis} (default 1) and normalise each row. Computed with the maximum
 * subtracted first, so large logits do not overflow.
 */
public final class Softmax implements Operator {
    private final Shape shape;
    private final int outer;
    private final int length;
    private final int inner;

    private Softmax(Shape shape, int outer, int length, int inner) {
        this.shape = shape;
        this.outer = outer;
        this.length = length;
        this.inner = inner;
    }

    public static Softmax create(OperatorContext ctx) {
        ctx.requireInputs(1, 1);
        Shape x = ctx.shape(0);
        if (x.rank() == 0) {
            throw ctx.fail("input must have rank at least 1");
        }
        if (ctx.opset() >= 13) {
            int a;
            try {
                a = x.axis(ctx.attributes().getInt("axis", -1));
            } catch (IllegalArgumentException e) {
                throw ctx.fail(e.getMessage());
            }
            return new Softmax(x, x.sizeBetween(0, a), x.dim(a), x.sizeBetween(a + 1, x.rank()));
        }
        long axis = ctx.attributes().getInt("axis", 1);
        int a = (int) (axis < 0 ? axis + x.rank() : axis);
        if (a < 0 || a > x.rank()) {
            throw ctx.fail("axis " + axis + " is out of range for shape " + x);
        }
        return new Softmax(x, x.sizeBetween(0, a), x.sizeBetween(a, x.rank()), 1);
    }

    @Override
    public String opType() {
        return "Softmax";
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public void forward(double[][] in, double[] out, int batch) {
        double[] x = in[0];
        int groups = batch * outer;
        for (int g = 0; g < groups; g++) {
            int base = g * length * inner;
            for (int i = 0; i < inner; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < length; j++) {
                    max = Math.max(max, x[base + j * inner + i]);
                }
                double sum = 0;
                for (int j = 0; j < length; j++) {
                    double e = Math.exp(x[base + j * inner + i] - max);
                    out[base + j * inner + i] = e;
                    sum += e;
                }
                for (int j = 0; j < length; j++) {
                    out[base + j * inner + i] /= sum;
                }
            }
        }
    }

    // ----- bounds

    /** {@code exp(l_i) / (exp(l_i) + Σ_{j≠i} exp(u_j))} and symmetrically: sound, not tight. */
    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        double[] l = lo[0];
        double[] h = hi[0];
        for (int g = 0; g < outer; g++) {
            int base = g * length * inner;
            for (int i = 0; i < inner; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < length; j++) {
                    max = Math.max(max, h[base + j * inner + i]);
                }
                double sumHi = 0;
                double sumLo = 0;
                for (int j = 0; j < length; j++) {
                    sumHi += Math.exp(h[base + j * inner + i] - max);
                    sumLo += Math.exp(l[base + j * inner + i] - max);
                }
                for (int j = 0; j < length; j++) {
                    int k = base + j * inner + i;
                    double el = Math.exp(l[k] - max);
                    double eh = Math.exp(h[k] - max);
                    outLo[k] = el / (el + (sumHi - eh));
                    outHi[k] = eh / (eh + Math.max(0.0, sumLo - el));
                }
            }
        }
    }

    @Override
    public void backward(BackwardStep st) {
        throw Operator.noBoundRule("Softmax", "no linear relaxation; bound the logits instead (remove the final Softmax)");
    }

    /** {@code g_in_j = p_j·(g_j − Σ_k g_k·p_k)} along each normalised slice. */
    @Override
    public void vjp(double[][] in, double[] out, double[] gOut, double[][] gIn, int batch) {
        int groups = batch * outer;
        for (int g = 0; g < groups; g++) {
            int base = g * length * inner;
            for (int i = 0; i < inner; i++) {
                double dot = 0;
                for (int j = 0; j < length; j++) {
                    int k = base + j * inner + i;
                    dot += gOut[k] * out[k];
                }
                for (int j = 0; j < length; j++) {
                    int k = base + j * inner + i;
                    gIn[0][k] += out[k] * (gOut[k] - dot);
                }
            }
        }
    }
}
