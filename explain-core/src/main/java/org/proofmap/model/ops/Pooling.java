package org.proofmap.model.ops;

import org.proofmap.model.Shape;

/**
 * Pooling over 2-D windows of NCHW data: AveragePool ({@code count_include_pad}, ceil_mode),
 * GlobalAveragePool (the whole plane), and MaxPool (padding never wins). Average pools are linear;
 * MaxPool is not, which its relaxation will reflect.
 */
public final class Pooling implements Operator {
    private final String opType;
    private final Window2d win;
    private final boolean max;
    private final boolean countIncludePad;
    private final Shape out;

    private Pooling(String opType, Window2d win, boolean max, boolean countIncludePad) {
        this.opType = opType;
        this.win = win;
        this.max = max;
        this.countIncludePad = countIncludePad;
        this.out = Shape.of(1, win.channels(), win.outH(), win.outW());
    }

    public static Pooling create(OperatorContext ctx) {
        ctx.requireInputs(1, 1);
        Shape x = ctx.shape(0);
        var at = ctx.attributes();
        if (ctx.opType().equals("GlobalAveragePool")) {
            if (x.rank() != 4) {
                throw ctx.fail("expects a 4-D NCHW input, found shape " + x);
            }
            Window2d w = new Window2d(x.dim(1), x.dim(2), x.dim(3), x.dim(2), x.dim(3), 1, 1, 1, 1, 0, 0, 0, 0, 1, 1);
            return new Pooling(ctx.opType(), w, false, true);
        }
        long[] ks = at.getInts("kernel_shape");
        if (ks == null || ks.length != 2) {
            throw ctx.fail("kernel_shape must have 2 values (only 2-D pooling is supported)");
        }
        if (at.getInt("storage_order", 0) != 0) {
            throw ctx.fail("storage_order=1 is not supported");
        }
        boolean isMax = ctx.opType().equals("MaxPool");
        if (!isMax && at.has("dilations")) {
            long[] d = at.getInts("dilations");
            if (d.length != 2 || d[0] != 1 || d[1] != 1) {
                throw ctx.fail("dilated AveragePool is not supported");
            }
        }
        Window2d w = Window2d.of(at, x, (int) ks[0], (int) ks[1], ctx.opset() >= 10);
        return new Pooling(ctx.opType(), w, isMax, at.getInt("count_include_pad", 0) != 0);
    }

    public boolean isMax() {
        return max;
    }

    /**
     * Read-only view for exact encodings (the MIP encoder): for each output element (flattened
     * NCHW), the flattened input elements of its window, padding excluded. A new array each call.
     */
    public int[][] windowIndices() {
        final Window2d g = win;
        final int inPlane = g.inH() * g.inW();
        final int outPlane = g.outH() * g.outW();
        int[][] result = new int[g.channels() * outPlane][];
        int[] buf = new int[g.kH() * g.kW()];
        for (int c = 0; c < g.channels(); c++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int n = window(oh, ow, buf);
                    int[] w = new int[n];
                    for (int k = 0; k < n; k++) {
                        w[k] = c * inPlane + buf[k];
                    }
                    result[c * outPlane + oh * g.outW() + ow] = w;
                }
            }
        }
        return result;
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
        final Window2d g = win;
        final int inPlane = g.inH() * g.inW();
        final int outPlane = g.outH() * g.outW();
        for (int s = 0; s < batch; s++) {
            for (int c = 0; c < g.channels(); c++) {
                int xc = (s * g.channels() + c) * inPlane;
                int oc = (s * g.channels() + c) * outPlane;
                for (int oh = 0; oh < g.outH(); oh++) {
                    int h0 = g.rowStart(oh);
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int w0 = g.colStart(ow);
                        o[oc + oh * g.outW() + ow] = max ? maxWindow(x, xc, h0, w0) : averageWindow(x, xc, h0, w0);
                    }
                }
            }
        }
    }

    private double maxWindow(double[] x, int xc, int h0, int w0) {
        final Window2d g = win;
        double best = Double.NEGATIVE_INFINITY;
        for (int kh = 0; kh < g.kH(); kh++) {
            int ih = h0 + kh * g.dilH();
            if (ih < 0 || ih >= g.inH()) {
                continue;
            }
            for (int kw = 0; kw < g.kW(); kw++) {
                int iw = w0 + kw * g.dilW();
                if (iw >= 0 && iw < g.inW()) {
                    best = Math.max(best, x[xc + ih * g.inW() + iw]);
                }
            }
        }
        return best;
    }

    private double averageWindow(double[] x, int xc, int h0, int w0) {
        final Window2d g = win;
        // Window clipped to the padded plane (count_include_pad counts pads, never the overhang that
        // ceil_mode adds beyond them), and to the real plane.
        int hEndPad = Math.min(h0 + g.kH(), g.inH() + g.padBottom());
        int wEndPad = Math.min(w0 + g.kW(), g.inW() + g.padRight());
        int hs = Math.max(h0, 0);
        int ws = Math.max(w0, 0);
        int he = Math.min(h0 + g.kH(), g.inH());
        int we = Math.min(w0 + g.kW(), g.inW());
        double sum = 0;
        for (int ih = hs; ih < he; ih++) {
            for (int iw = ws; iw < we; iw++) {
                sum += x[xc + ih * g.inW() + iw];
            }
        }
        int count = countIncludePad ? (hEndPad - h0) * (wEndPad - w0) : (he - hs) * (we - ws);
        return sum / count;
    }

    // ----- bounds

    /** Plane offsets of the input elements in the window of output (oh, ow); returns their count. */
    private int window(int oh, int ow, int[] buf) {
        final Window2d g = win;
        int h0 = g.rowStart(oh);
        int w0 = g.colStart(ow);
        int n = 0;
        for (int kh = 0; kh < g.kH(); kh++) {
            int ih = h0 + kh * g.dilH();
            if (ih < 0 || ih >= g.inH()) {
                continue;
            }
            for (int kw = 0; kw < g.kW(); kw++) {
                int iw = w0 + kw * g.dilW();
                if (iw >= 0 && iw < g.inW()) {
                    buf[n++] = ih * g.inW() + iw;
                }
            }
        }
        return n;
    }

    /** Average pools are monotone and linear; max pools are monotone. */
    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        forward(lo, outLo, 1);
        forward(hi, outHi, 1);
    }

    @Override
    public boolean backwardNeedsInputBounds() {
        return max;
    }

    /**
     * Average: each output spreads its coefficient over its window (divided by the divisor). Max
     * (DeepPoly): when one input's lower bound beats every other input's upper bound the output is
     * that input; otherwise {@code y >= x_k} for the input with the largest lower bound and
     * {@code y <= max_k u_k}.
     */
    @Override
    public void backward(BackwardStep st) {
        final Window2d g = win;
        final int inPlane = g.inH() * g.inW();
        final int outPlane = g.outH() * g.outW();
        final int inSize = g.channels() * inPlane;
        final int outSize = g.channels() * outPlane;
        int[] buf = new int[g.kH() * g.kW()];
        for (int c = 0; c < g.channels(); c++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int o = c * outPlane + oh * g.outW() + ow;
                    int n = window(oh, ow, buf);
                    if (!max) {
                        double div = countIncludePad ? divisor(oh, ow) : n;
                        for (int r = 0; r < st.rows; r++) {
                            double coef = st.a[r * outSize + o];
                            if (coef != 0.0) {
                                int base = r * inSize + c * inPlane;
                                for (int k = 0; k < n; k++) {
                                    st.aIn[0][base + buf[k]] += coef / div;
                                }
                            }
                        }
                        continue;
                    }
                    double[] l = st.inLo[0];
                    double[] u = st.inHi[0];
                    int best = -1;
                    double bestLo = Double.NEGATIVE_INFINITY;
                    double maxHi = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < n; k++) {
                        int idx = c * inPlane + buf[k];
                        if (best < 0 || l[idx] > bestLo) {
                            best = idx;
                            bestLo = l[idx];
                        }
                        maxHi = Math.max(maxHi, u[idx]);
                    }
                    double otherHi = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < n; k++) {
                        int idx = c * inPlane + buf[k];
                        if (idx != best) {
                            otherHi = Math.max(otherHi, u[idx]);
                        }
                    }
                    boolean exact = bestLo >= otherHi;
                    for (int r = 0; r < st.rows; r++) {
                        double coef = st.a[r * outSize + o];
                        if (coef > 0.0 || (coef < 0.0 && exact)) {
                            st.aIn[0][r * inSize + best] += coef;
                        } else if (coef < 0.0) {
                            st.bias[r] += coef * maxHi;
                        }
                    }
                }
            }
        }
    }

    /** The divisor of an average window that counts pads (never the ceil_mode overhang). */
    private int divisor(int oh, int ow) {
        final Window2d g = win;
        int h0 = g.rowStart(oh);
        int w0 = g.colStart(ow);
        int hEnd = Math.min(h0 + g.kH(), g.inH() + g.padBottom());
        int wEnd = Math.min(w0 + g.kW(), g.inW() + g.padRight());
        return (hEnd - h0) * (wEnd - w0);
    }

    /** Average pools are linear (the default); a max pool routes each gradient to its window's maximum. */
    @Override
    public void vjp(double[][] in, double[] out, double[] gOut, double[][] gIn, int batch) {
        if (!max) {
            Operator.super.vjp(in, out, gOut, gIn, batch);
            return;
        }
        final Window2d g = win;
        final int inPlane = g.inH() * g.inW();
        final int outPlane = g.outH() * g.outW();
        int[] buf = new int[g.kH() * g.kW()];
        for (int s = 0; s < batch; s++) {
            for (int c = 0; c < g.channels(); c++) {
                int xc = (s * g.channels() + c) * inPlane;
                int oc = (s * g.channels() + c) * outPlane;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int n = window(oh, ow, buf);
                        int best = -1;
                        for (int k = 0; k < n; k++) {
                            if (best < 0 || in[0][xc + buf[k]] > in[0][xc + best]) {
                                best = buf[k];
                            }
                        }
                        if (best >= 0) {
                            gIn[0][xc + best] += gOut[oc + oh * g.outW() + ow];
                        }
                    }
                }
            }
        }
    }
}
