package org.proofmap.model.ops;

import org.proofmap.model.Shape;
import org.proofmap.model.Tensor;

/**
 * BatchNormalization in inference mode, folded at load time to a per-channel affine map
 * {@code y = scale_c·x + shift_c} over axis 1.
 */
public final class BatchNorm implements Operator {
    private final Shape shape;
    private final double[] scale;
    private final double[] shift;
    private final int inner;

    private BatchNorm(Shape shape, double[] scale, double[] shift) {
        this.shape = shape;
        this.scale = scale;
        this.shift = shift;
        this.inner = shape.sizeBetween(2, shape.rank());
    }

    public static BatchNorm create(OperatorContext ctx) {
        ctx.requireInputs(5, 5);
        if (ctx.attributes().getInt("training_mode", 0) != 0) {
            throw ctx.fail("training_mode=1 is not supported (inference only)");
        }
        if (ctx.opset() < 9 && ctx.attributes().getInt("spatial", 1) == 0) {
            throw ctx.fail("spatial=0 is not supported");
        }
        Shape x = ctx.shape(0);
        if (x.rank() < 2) {
            throw ctx.fail("input must have a channel axis, found shape " + x);
        }
        int c = x.dim(1);
        double eps = ctx.attributes().getFloat("epsilon", 1e-5);
        Tensor gamma = ctx.constant(1);
        Tensor beta = ctx.constant(2);
        Tensor mean = ctx.constant(3);
        Tensor var = ctx.constant(4);
        for (Tensor t : new Tensor[] {gamma, beta, mean, var}) {
            if (t.size() != c) {
                throw ctx.fail("per-channel parameter of shape " + t.shape() + " does not match " + c + " channels");
            }
        }
        double[] scale = new double[c];
        double[] shift = new double[c];
        for (int i = 0; i < c; i++) {
            if (var.get(i) + eps <= 0) {
                throw ctx.fail("variance + epsilon is not positive for channel " + i);
            }
            scale[i] = gamma.get(i) / Math.sqrt(var.get(i) + eps);
            shift[i] = beta.get(i) - mean.get(i) * scale[i];
        }
        return new BatchNorm(x, scale, shift);
    }

    @Override
    public String opType() {
        return "BatchNormalization";
    }

    @Override
    public Shape outputShape() {
        return shape;
    }

    @Override
    public long parameterCount() {
        return 4L * scale.length;
    }

    @Override
    public void forward(double[][] in, double[] out, int batch) {
        double[] x = in[0];
        int rows = batch * shape.dim(0);
        int c = scale.length;
        int i = 0;
        for (int r = 0; r < rows; r++) {
            for (int ch = 0; ch < c; ch++) {
                double a = scale[ch];
                double b = shift[ch];
                for (int k = 0; k < inner; k++, i++) {
                    out[i] = a * x[i] + b;
                }
            }
        }
    }

    // ----- bounds

    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        int rows = shape.dim(0);
        int c = scale.length;
        int i = 0;
        for (int r = 0; r < rows; r++) {
            for (int ch = 0; ch < c; ch++) {
                double a = scale[ch];
                double b = shift[ch];
                for (int k = 0; k < inner; k++, i++) {
                    double x1 = a * lo[0][i] + b;
                    double x2 = a * hi[0][i] + b;
                    outLo[i] = Math.min(x1, x2);
                    outHi[i] = Math.max(x1, x2);
                }
            }
        }
    }

    @Override
    public void backward(BackwardStep st) {
        int n = shape.size();
        int c = scale.length;
        for (int r = 0; r < st.rows; r++) {
            int o = r * n;
            double b = 0;
            for (int i = 0; i < n; i++) {
                int ch = (i / inner) % c;
                double coef = st.a[o + i];
                st.aIn[0][o + i] += coef * scale[ch];
                b += coef * shift[ch];
            }
            st.bias[r] += b;
        }
    }
}
