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

    // ----- bounds

    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        int n = out.size();
        if (kind == Kind.NEG) {
            for (int i = 0; i < n; i++) {
                outLo[i] = -hi[0][i];
                outHi[i] = -lo[0][i];
            }
            return;
        }
        int next = 0;
        double[] aLo = constA != null ? constA : lo[next];
        double[] aHi = constA != null ? constA : hi[next++];
        double[] bLo = constB != null ? constB : lo[next];
        double[] bHi = constB != null ? constB : hi[next];
        for (int i = 0; i < n; i++) {
            int ia = mapA == null ? i : mapA[i];
            int ib = mapB == null ? i : mapB[i];
            double al = aLo[ia];
            double ah = aHi[ia];
            double bl = bLo[ib];
            double bh = bHi[ib];
            switch (kind) {
                case ADD -> {
                    outLo[i] = al + bl;
                    outHi[i] = ah + bh;
                }
                case SUB -> {
                    outLo[i] = al - bh;
                    outHi[i] = ah - bl;
                }
                case MUL -> {
                    double p1 = al * bl;
                    double p2 = al * bh;
                    double p3 = ah * bl;
                    double p4 = ah * bh;
                    outLo[i] = Math.min(Math.min(p1, p2), Math.min(p3, p4));
                    outHi[i] = Math.max(Math.max(p1, p2), Math.max(p3, p4));
                }
                default -> {
                    if (bl <= 0 && bh >= 0) {
                        outLo[i] = Double.NEGATIVE_INFINITY;
                        outHi[i] = Double.POSITIVE_INFINITY;
                    } else {
                        double p1 = al / bl;
                        double p2 = al / bh;
                        double p3 = ah / bl;
                        double p4 = ah / bh;
                        outLo[i] = Math.min(Math.min(p1, p2), Math.min(p3, p4));
                        outHi[i] = Math.max(Math.max(p1, p2), Math.max(p3, p4));
                    }
                }
            }
        }
    }

    /**
     * Exact for every case but a product or quotient of two model-dependent tensors, which has no
     * linear relaxation here.
     */
    @Override
    public void backward(BackwardStep st) {
        int n = out.size();
        if (kind == Kind.NEG) {
            double[] aIn = st.aIn[0];
            for (int i = 0, len = st.rows * n; i < len; i++) {
                aIn[i] -= st.a[i];
            }
            return;
        }
        boolean dynA = constA == null;
        boolean dynB = constB == null;
        if (dynA && dynB && (kind == Kind.MUL || kind == Kind.DIV)) {
            throw Operator.noBoundRule(opType, "both operands depend on the model input");
        }
        double[] inA = dynA ? st.aIn[0] : null;
        double[] inB = dynB ? st.aIn[dynA ? 1 : 0] : null;
        for (int r = 0; r < st.rows; r++) {
            int ao = r * n;
            double b = 0;
            for (int i = 0; i < n; i++) {
                double coef = st.a[ao + i];
                if (coef == 0.0) {
                    continue;
                }
                int ia = mapA == null ? i : mapA[i];
                int ib = mapB == null ? i : mapB[i];
                switch (kind) {
                    case ADD, SUB -> {
                        double sign = kind == Kind.SUB ? -1.0 : 1.0;
                        if (dynA) {
                            inA[r * sizeA + ia] += coef;
                        } else {
                            b += coef * constA[ia];
                        }
                        if (dynB) {
                            inB[r * sizeB + ib] += sign * coef;
                        } else {
                            b += sign * coef * constB[ib];
                        }
                    }
                    case MUL -> {
                        if (dynA) {
                            inA[r * sizeA + ia] += coef * constB[ib];
                        } else {
                            inB[r * sizeB + ib] += coef * constA[ia];
                        }
                    }
                    default -> {
                        if (!dynA) {
                            throw Operator.noBoundRule(opType, "division by a model-dependent tensor");
                        }
                        inA[r * sizeA + ia] += coef / constB[ib];
                    }
                }
            }
            st.bias[r] += b;
        }
    }

    /**
     * Affine cases use the default; a product or quotient of two dynamic tensors, and a constant
     * divided by a dynamic tensor (not affine, so the default's backward relaxation refuses it), use
     * the product and quotient rules.
     */
    @Override
    public void vjp(double[][] in, double[] o, double[] gOut, double[][] gIn, int batch) {
        boolean dividedByDynamic = kind == Kind.DIV && constB == null;
        if (!dividedByDynamic
                && (constA != null || constB != null || kind == Kind.ADD || kind == Kind.SUB || kind == Kind.NEG)) {
            Operator.super.vjp(in, o, gOut, gIn, batch);
            return;
        }
        int n = out.size();
        boolean dynA = constA == null;
        double[] bufB = in[dynA ? 1 : 0];
        double[] gB = gIn[dynA ? 1 : 0];
        for (int s = 0; s < batch; s++) {
            for (int i = 0; i < n; i++) {
                int ja = mapA == null ? i : mapA[i];
                int ia = dynA ? s * sizeA + ja : ja;
                int ib = s * sizeB + (mapB == null ? i : mapB[i]);
                double g = gOut[s * n + i];
                double a = dynA ? in[0][ia] : constA[ia];
                double b = bufB[ib];
                if (kind == Kind.MUL) {
                    gIn[0][ia] += g * b;
                    gB[ib] += g * a;
                } else {
                    if (dynA) {
                        gIn[0][ia] += g / b;
                    }
                    gB[ib] -= g * a / (b * b);
                }
            }
        }
    }
}
