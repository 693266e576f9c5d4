package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/** Concatenation along one axis of inputs that may be constants or depend on the model input. */
public final class Concat implements Operator {
    private final Shape out;
    private final int outer;
    /** Per input: elements per outer slice. */
    private final int[] chunk;
    private final double[][] constants;
    private final int[] sizes;

    private Concat(Shape out, int outer, int[] chunk, double[][] constants, int[] sizes) {
        this.out = out;
        this.outer = outer;
        this.chunk = chunk;
        this.constants = constants;
        this.sizes = sizes;
    }

    public static Concat create(OperatorContext ctx) {
        int n = ctx.inputCount();
        if (n < 1) {
            throw ctx.fail("needs at least one input");
        }
        Shape first = ctx.shape(0);
        int axis;
        try {
            axis = first.axis(ctx.attributes().getInt("axis", ctx.opset() < 4 ? 1 : Long.MIN_VALUE));
        } catch (IllegalArgumentException e) {
            throw ctx.fail("missing or invalid axis for input shape " + first);
        }
        int[] od = first.dims();
        od[axis] = 0;
        int[] chunk = new int[n];
        int[] sizes = new int[n];
        double[][] constants = new double[n][];
        for (int i = 0; i < n; i++) {
            Shape s = ctx.shape(i);
            if (s.rank() != first.rank()) {
                throw ctx.fail("input " + i + " has shape " + s + ", not the rank of " + first);
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != axis && s.dim(d) != first.dim(d)) {
                    throw ctx.fail("input " + i + " has shape " + s + ", which does not match " + first
                            + " outside axis " + axis);
                }
            }
            od[axis] += s.dim(axis);
            chunk[i] = s.sizeBetween(axis, s.rank());
            sizes[i] = s.size();
            constants[i] = ctx.isConstant(i) ? ctx.constant(i).data() : null;
        }
        return new Concat(Shape.of(od), first.sizeBetween(0, axis), chunk, constants, sizes);
    }

    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public Shape outputShape() {
        return out;
    }

    @Override
    public void forward(double[][] in, double[] o, int batch) {
        int outSize = out.size();
        for (int s = 0; s < batch; s++) {
            int pos = s * outSize;
            for (int q = 0; q < outer; q++) {
                int next = 0;
                for (int i = 0; i < chunk.length; i++) {
                    double[] src;
                    int off;
                    if (constants[i] != null) {
                        src = constants[i];
                        off = q * chunk[i];
                    } else {
                        src = in[next++];
                        off = s * sizes[i] + q * chunk[i];
                    }
                    System.arraycopy(src, off, o, pos, chunk[i]);
                    pos += chunk[i];
                }
            }
        }
    }

    // ----- bounds

    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        forward(lo, outLo, 1);
        forward(hi, outHi, 1);
    }

    @Override
    public void backward(BackwardStep st) {
        int outSize = out.size();
        for (int r = 0; r < st.rows; r++) {
            int pos = r * outSize;
            double b = 0;
            for (int q = 0; q < outer; q++) {
                int next = 0;
                for (int i = 0; i < chunk.length; i++) {
                    if (constants[i] != null) {
                        int off = q * chunk[i];
                        for (int k = 0; k < chunk[i]; k++) {
                            b += st.a[pos + k] * constants[i][off + k];
                        }
                    } else {
                        double[] dst = st.aIn[next++];
                        int off = r * sizes[i] + q * chunk[i];
                        for (int k = 0; k < chunk[i]; k++) {
                            dst[off + k] += st.a[pos + k];
                        }
                    }
                    pos += chunk[i];
                }
            }
            st.bias[r] += b;
        }
    }
}
