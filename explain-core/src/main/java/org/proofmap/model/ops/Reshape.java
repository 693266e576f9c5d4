package org.proofmap.model.ops;

import java.util.Arrays;
import org.proofmap.model.Shape;

/**
 * Operators that keep the data and change only its shape: Reshape, Flatten, Squeeze, Unsqueeze,
 * Identity, Dropout (inference) and Cast. The forward pass shares the input buffer instead of
 * copying. A Cast to an integer type truncates and is accepted only in constant chains (shape
 * arithmetic that exporters emit), which are folded at load time.
 */
public final class Reshape implements Operator {
    private final String opType;
    private final Shape out;
    private final boolean truncate;

    private Reshape(String opType, Shape out, boolean truncate) {
        this.opType = opType;
        this.out = out;
        this.truncate = truncate;
    }

    public static Reshape create(OperatorContext ctx) {
        Shape x = ctx.shape(0);
        Shape out = switch (ctx.opType()) {
            case "Reshape" -> reshape(ctx, x);
            case "Flatten" -> flatten(ctx, x);
            case "Squeeze" -> squeeze(ctx, x);
            case "Unsqueeze" -> unsqueeze(ctx, x);
            case "Identity" -> {
                ctx.requireInputs(1, 1);
                yield x;
            }
            case "Dropout" -> {
                ctx.requireInputs(1, 3);
                if (ctx.hasInput(2) && ctx.constant(2).get(0) != 0) {
                    throw ctx.fail("training_mode=true is not supported (inference only)");
                }
                yield x;
            }
            case "Cast" -> cast(ctx, x);
            default -> throw ctx.fail("not a reshaping operator");
        };
        if (out.size() != x.size()) {
            throw ctx.fail("cannot change shape " + x + " (" + x.size() + " values) to " + out + " (" + out.size()
                    + " values)");
        }
        boolean truncate = ctx.opType().equals("Cast") && !isFloating(ctx.attributes().getInt("to", 1));
        return new Reshape(ctx.opType(), out, truncate);
    }

    private static Shape reshape(OperatorContext ctx, Shape x) {
        long[] spec;
        if (ctx.opset() < 5 || ctx.inputCount() < 2) {
            spec = ctx.attributes().getInts("shape");
            if (spec == null) {
                throw ctx.fail("missing target shape");
            }
        } else {
            spec = ctx.constant(1).toLongs();
        }
        boolean allowZero = ctx.attributes().getInt("allowzero", 0) != 0;
        int[] d = new int[spec.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            long v = spec[i];
            if (v == 0 && !allowZero) {
                if (i >= x.rank()) {
                    throw ctx.fail("shape " + Arrays.toString(spec) + " copies dimension " + i + " that input " + x
                            + " does not have");
                }
                v = x.dim(i);
            }
            if (v == -1) {
                if (infer >= 0) {
                    throw ctx.fail("shape " + Arrays.toString(spec) + " has more than one -1");
                }
                infer = i;
                continue;
            }
            if (v < 0) {
                throw ctx.fail("invalid dimension " + v + " in shape " + Arrays.toString(spec));
            }
            d[i] = (int) v;
            known *= v;
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw ctx.fail("cannot reshape " + x + " to " + Arrays.toString(spec));
            }
            d[infer] = (int) (x.size() / known);
        }
        return Shape.of(d);
    }

    private static Shape flatten(OperatorContext ctx, Shape x) {
        ctx.requireInputs(1, 1);
        long axis = ctx.attributes().getInt("axis", 1);
        int a = axis < 0 ? (int) axis + x.rank() : (int) axis;
        if (a < 0 || a > x.rank()) {
            throw ctx.fail("axis " + axis + " is out of range for shape " + x);
        }
        return Shape.of(x.sizeBetween(0, a), x.sizeBetween(a, x.rank()));
    }

    private static long[] axes(OperatorContext ctx) {
        if (ctx.opset() >= 13) {
            return ctx.hasInput(1) ? ctx.constant(1).toLongs() : null;
        }
        return ctx.attributes().getInts("axes");
    }

    private static Shape squeeze(OperatorContext ctx, Shape x) {
        long[] axes = axes(ctx);
        boolean[] drop = new boolean[x.rank()];
        if (axes == null) {
            for (int i = 0; i < x.rank(); i++) {
                drop[i] = x.dim(i) == 1;
            }
        } else {
            for (long a : axes) {
                int i = x.axis(a);
                if (x.dim(i) != 1) {
                    throw ctx.fail("cannot squeeze axis " + a + " of shape " + x + ": its size is not 1");
                }
                drop[i] = true;
            }
        }
        return Shape.of(java.util.stream.IntStream.range(0, x.rank()).filter(i -> !drop[i]).map(x::dim).toArray());
    }

    private static Shape unsqueeze(OperatorContext ctx, Shape x) {
        long[] axes = axes(ctx);
        if (axes == null) {
            throw ctx.fail("missing axes");
        }
        int rank = x.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int i = Shape.normaliseAxis(a, rank);
            if (inserted[i]) {
                throw ctx.fail("axis " + a + " repeated");
            }
            inserted[i] = true;
        }
        int[] d = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            d[i] = inserted[i] ? 1 : x.dim(j++);
        }
        return Shape.of(d);
    }

    private static Shape cast(OperatorContext ctx, Shape x) {
        ctx.requireInputs(1, 1);
        long to = ctx.attributes().getInt("to", 1);
        if (!isFloating(to) && !ctx.isFolding() && !ctx.isConstant(0)) {
            throw ctx.fail("Cast of model-dependent data to a non-floating type (" + to + ") is not supported");
        }
        return x;
    }

    /** FLOAT=1, FLOAT16=10, DOUBLE=11, BFLOAT16=16: all computed in double here. */
    private static boolean isFloating(long onnxType) {
        return onnxType == 1 || onnxType == 10 || onnxType == 11 || onnxType == 16;
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
    public boolean isLayoutPreserving() {
        return !truncate;
    }

    @Override
    public void forward(double[][] in, double[] o, int batch) {
        int n = batch * out.size();
        if (truncate) {
            for (int i = 0; i < n; i++) {
                double v = in[0][i];
                o[i] = v < 0 ? Math.ceil(v) : Math.floor(v);
            }
        } else {
            System.arraycopy(in[0], 0, o, 0, n);
        }
    }

    // ----- bounds

    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        System.arraycopy(lo[0], 0, outLo, 0, out.size());
        System.arraycopy(hi[0], 0, outHi, 0, out.size());
    }

    /** The data is unchanged: coefficients pass through. */
    @Override
    public void backward(BackwardStep st) {
        double[] aIn = st.aIn[0];
        for (int i = 0, len = st.rows * out.size(); i < len; i++) {
            aIn[i] += st.a[i];
        }
    }
}
