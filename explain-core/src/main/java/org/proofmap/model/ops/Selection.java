package org.proofmap.model.ops;

import java.util.Arrays;
import org.proofmap.model.Shape;

/**
 * Operators whose every output element is one input element: Transpose, Gather (constant indices)
 * and Slice. They are held as one index map, {@code out[i] = in[map[i]]}, which is also what their
 * interval rule and their linear relaxation need.
 */
public final class Selection implements Operator {
    private final String opType;
    private final Shape out;
    private final int[] map;
    private final int inputSize;

    private Selection(String opType, Shape out, int[] map, int inputSize) {
        this.opType = opType;
        this.out = out;
        this.map = map;
        this.inputSize = inputSize;
    }

    public static Selection create(OperatorContext ctx) {
        Shape x = ctx.shape(0);
        return switch (ctx.opType()) {
            case "Transpose" -> transpose(ctx, x);
            case "Gather" -> gather(ctx, x);
            case "Slice" -> slice(ctx, x);
            default -> throw ctx.fail("not a selection operator");
        };
    }

    /** For each output element, the input element it copies (a copy of the map). */
    public int[] indexMap() {
        return map.clone();
    }

    private static Selection transpose(OperatorContext ctx, Shape x) {
        ctx.requireInputs(1, 1);
        int r = x.rank();
        long[] perm = ctx.attributes().getInts("perm");
        int[] p = new int[r];
        if (perm == null) {
            for (int i = 0; i < r; i++) {
                p[i] = r - 1 - i;
            }
        } else {
            if (perm.length != r) {
                throw ctx.fail("perm " + Arrays.toString(perm) + " does not match rank " + r);
            }
            boolean[] seen = new boolean[r];
            for (int i = 0; i < r; i++) {
                p[i] = Shape.normaliseAxis(perm[i], r);
                if (seen[p[i]]) {
                    throw ctx.fail("perm " + Arrays.toString(perm) + " is not a permutation");
                }
                seen[p[i]] = true;
            }
        }
        int[] od = new int[r];
        for (int i = 0; i < r; i++) {
            od[i] = x.dim(p[i]);
        }
        Shape out = Shape.of(od);
        int[] inStrides = x.strides();
        int[] map = new int[out.size()];
        int[] idx = new int[r];
        for (int flat = 0; flat < map.length; flat++) {
            int src = 0;
            for (int i = 0; i < r; i++) {
                src += idx[i] * inStrides[p[i]];
            }
            map[flat] = src;
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < od[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Selection("Transpose", out, map, x.size());
    }

    private static Selection gather(OperatorContext ctx, Shape x) {
        ctx.requireInputs(2, 2);
        var indices = ctx.constant(1);
        int axis = axisOf(ctx, x, ctx.attributes().getInt("axis", 0));
        int dimA = x.dim(axis);
        long[] idx = indices.toLongs();
        int outer = x.sizeBetween(0, axis);
        int inner = x.sizeBetween(axis + 1, x.rank());
        int[] od = new int[x.rank() - 1 + indices.shape().rank()];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            od[k++] = x.dim(i);
        }
        for (int d : indices.shape().dims()) {
            od[k++] = d;
        }
        for (int i = axis + 1; i < x.rank(); i++) {
            od[k++] = x.dim(i);
        }
        int[] map = new int[outer * idx.length * inner];
        int f = 0;
        for (int o = 0; o < outer; o++) {
            for (long j : idx) {
                long jj = j < 0 ? j + dimA : j;
                if (jj < 0 || jj >= dimA) {
                    throw ctx.fail("index " + j + " is out of range for axis " + axis + " of size " + dimA);
                }
                for (int i = 0; i < inner; i++) {
                    map[f++] = (o * dimA + (int) jj) * inner + i;
                }
            }
        }
        return new Selection("Gather", Shape.of(od), map, x.size());
    }

    private static Selection slice(OperatorContext ctx, Shape x) {
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (ctx.opset() < 10) {
            starts = ctx.attributes().getInts("starts");
            ends = ctx.attributes().getInts("ends");
            axes = ctx.attributes().getInts("axes");
        } else {
            ctx.requireInputs(3, 5);
            starts = ctx.constant(1).toLongs();
            ends = ctx.constant(2).toLongs();
            axes = ctx.hasInput(3) ? ctx.constant(3).toLongs() : null;
            steps = ctx.hasInput(4) ? ctx.constant(4).toLongs() : null;
        }
        if (starts == null || ends == null || starts.length != ends.length) {
            throw ctx.fail("starts and ends must be given with the same length");
        }
        int r = x.rank();
        int[] begin = new int[r];
        int[] step = new int[r];
        int[] od = x.dims();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int a = axes == null ? i : axisOf(ctx, x, axes[i]);
            long st = steps == null ? 1 : steps[i];
            if (st == 0) {
                throw ctx.fail("slice step 0");
            }
            long dim = x.dim(a);
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (st > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
            } else {
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
            }
            long len = st > 0 ? Math.max(0, (e - s + st - 1) / st) : Math.max(0, (s - e - st - 1) / (-st));
            begin[a] = (int) s;
            step[a] = (int) st;
            od[a] = (int) len;
        }
        Shape out = Shape.of(od);
        int[] inStrides = x.strides();
        int[] map = new int[out.size()];
        int[] idx = new int[r];
        for (int flat = 0; flat < map.length; flat++) {
            int src = 0;
            for (int i = 0; i < r; i++) {
                src += (begin[i] + idx[i] * step[i]) * inStrides[i];
            }
            map[flat] = src;
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < od[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Selection("Slice", out, map, x.size());
    }

    private static int axisOf(OperatorContext ctx, Shape x, long axis) {
        try {
            return x.axis(axis);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage() + " (input shape " + x + ")");
        }
    }

    @Override
    public String opType() {
        return opType;
    }

    @Override
    public Shape outputShape() {
        return out;
    }

    @Override
    public void forward(double[][] in, double[] o, int batch) {
        double[] x = in[0];
        int n = map.length;
        for (int s = 0; s < batch; s++) {
            int xOff = s * inputSize;
            int oOff = s * n;
            for (int i = 0; i < n; i++) {
                o[oOff + i] = x[xOff + map[i]];
            }
        }
    }

    // ----- bounds

    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        for (int i = 0; i < map.length; i++) {
            outLo[i] = lo[0][map[i]];
            outHi[i] = hi[0][map[i]];
        }
    }

    @Override
    public void backward(BackwardStep st) {
        int n = map.length;
        for (int r = 0; r < st.rows; r++) {
            int o = r * n;
            int in = r * inputSize;
            for (int i = 0; i < n; i++) {
                st.aIn[0][in + map[i]] += st.a[o + i];
            }
        }
    }
}
