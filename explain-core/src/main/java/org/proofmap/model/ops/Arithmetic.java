package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/**
 * Element-wise arithmetic with broadcasting: Add, Sub, Mul, Div (two inputs, either may be constant
 * or depend on the model input) and Neg (one input). With one operand constant these are affine
 * maps; with both dynamic, Add and Sub stay linear (residual connections) while Mul and Div do not.
 */
public final class Arithmetic implements Operator {
    /** The arithmetic operation. */
    public enum Kind { ADD, SUB, MUL, DIV, NEG }

    private final String opType;
    private final Kind kind;
    private final Shape out;
    private final int[] mapA;
    private final int[] mapB;
    private final double[] constA;
    private final double[] constB;
    private final int sizeA;
    private final int sizeB;

    private Arithmetic(String opType, Kind kind, Shape out, int[] mapA, int[] mapB, double[] constA,
            double[] constB, int sizeA, int sizeB) {
        this.opType = opType;
        this.kind = kind;
        this.out = out;
        this.mapA = mapA;
        this.mapB = mapB;
        this.constA = constA;
        this.constB = constB;
        this.sizeA = sizeA;
        this.sizeB = sizeB;
    }

    public static Arithmetic create(OperatorContext ctx) {
        Kind kind = Kind.valueOf(ctx.opType().toUpperCase(java.util.Locale.ROOT));
        if (kind == Kind.NEG) {
            ctx.requireInputs(1, 1);
            Shape s = ctx.shape(0);
            return new Arithmetic(ctx.opType(), kind, s, null, null, null, null, s.size(), 0);
        }
        ctx.requireInputs(2, 2);
        if (ctx.opset() < 7 && ctx.attributes().getInt("broadcast", 0) != 0) {
            throw ctx.fail("legacy broadcast attribute (opset < 7) is not supported");
        }
        Shape a = ctx.shape(0);
        Shape b = ctx.shape(1);
        Shape out = Broadcast.shape(a, b);
        return new Arithmetic(ctx.opType(), kind, out, Broadcast.indexMap(a, out), Broadcast.indexMap(b, out),
                ctx.isConstant(0) ? ctx.constant(0).data() : null,
                ctx.isConstant(1) ? ctx.constant(1).data() : null, a.size(), b.size());
    }

    public Kind kind() {
        return kind;
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
        int n = out.size();
        if (kind == Kind.NEG) {
            double[] x = in[0];
            for (int i = 0, len = batch * n; i < len; i++) {
                o[i] = -x[i];
            }
            return;
        }
        int next = 0;
        double[] bufA = constA != null ? constA : in[next++];
        double[] bufB = constB != null ? constB : in[next];
        for (int s = 0; s < batch; s++) {
            int offA = constA != null ? 0 : s * sizeA;
            int offB = constB != null ? 0 : s * sizeB;
            int offO = s * n;
            for (int i = 0; i < n; i++) {
                double av = bufA[offA + (mapA == null ? i : mapA[i])];
                double bv = bufB[offB + (mapB == null ? i : mapB[i])];
                double r;
                switch (kind) {
                    case ADD -> r = av + bv;
                    case SUB -> r = av - bv;
                    case MUL -> r = av * bv;
                    default -> r = av / bv;
                }
                o[offO + i] = r;
            }
        }
    }
}
