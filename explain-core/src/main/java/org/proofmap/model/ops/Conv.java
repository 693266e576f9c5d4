package org.proofmap.model.ops;

import org.proofmap.model.Shape;
import org.proofmap.model.Tensor;

/**
 * 2-D convolution on NCHW data with strides, pads (or auto_pad), dilations and groups. The weight
 * tensor is {@code M x C/groups x kH x kW}; the optional bias has {@code M} values.
 */
public final class Conv implements Operator {
    private final Window2d win;
    private final int outChannels;
    private final int groups;
    private final double[] weights;
    private final double[] bias;
    private final Shape out;
    private final long parameters;

    private Conv(Window2d win, int outChannels, int groups, double[] weights, double[] bias, long parameters) {
        this.win = win;
        this.outChannels = outChannels;
        this.groups = groups;
        this.weights = weights;
        this.bias = bias;
        this.parameters = parameters;
        this.out = Shape.of(1, outChannels, win.outH(), win.outW());
    }

    public static Conv create(OperatorContext ctx) {
        ctx.requireInputs(2, 3);
        Shape x = ctx.shape(0);
        if (!ctx.isConstant(1)) {
            throw ctx.fail("the weight input must be a constant");
        }
        Tensor w = ctx.constant(1);
        if (w.shape().rank() != 4) {
            throw ctx.fail("weights must be 4-D (M x C/group x kH x kW), found " + w.shape()
                    + " (only 2-D convolution is supported)");
        }
        long[] ks = ctx.attributes().getInts("kernel_shape");
        int kH = w.shape().dim(2);
        int kW = w.shape().dim(3);
        if (ks != null && (ks.length != 2 || ks[0] != kH || ks[1] != kW)) {
            throw ctx.fail("kernel_shape " + java.util.Arrays.toString(ks) + " does not match weights " + w.shape());
        }
        Window2d win = Window2d.of(ctx.attributes(), x, kH, kW, false);
        int groups = (int) ctx.attributes().getInt("group", 1);
        int m = w.shape().dim(0);
        if (groups < 1 || win.channels() % groups != 0 || m % groups != 0
                || w.shape().dim(1) * groups != win.channels()) {
            throw ctx.fail("input has " + win.channels() + " channels but weights " + w.shape()
                    + " with group=" + groups + " expect " + (w.shape().dim(1) * groups));
        }
        double[] b = new double[m];
        long params = w.size();
        if (ctx.hasInput(2)) {
            Tensor bt = ctx.constant(2);
            if (bt.size() != m) {
                throw ctx.fail("bias has " + bt.size() + " values but there are " + m + " output channels");
            }
            b = bt.toArray();
            params += bt.size();
        }
        return new Conv(win, m, groups, w.data(), b, params);
    }

    @Override
    public String opType() {
        return "Conv";
    }

    @Override
    public Shape outputShape() {
        return out;
    }

    @Override
    public long parameterCount() {
        return parameters;
    }

    @Override
    public void forward(double[][] in, double[] o, int batch) {
        int inSize = win.channels() * win.inH() * win.inW();
        int outSize = out.size();
        for (int s = 0; s < batch; s++) {
            convolve(in[0], s * inSize, o, s * outSize, weights, bias);
        }
    }

    /** One sample: {@code o = w * x + bias} ({@code bias} null for none). */
    private void convolve(double[] x, int xOff, double[] o, int oOff, double[] w, double[] bias) {
        final Window2d g = win;
        final int inPlane = g.inH() * g.inW();
        final int outW = g.outW();
        final int outPlane = g.outH() * outW;
        final int cPerGroup = g.channels() / groups;
        final int mPerGroup = outChannels / groups;
        final int kSize = g.kH() * g.kW();
        final int sw = g.strideW();
        // For each kernel column, the output columns whose input column is inside the image.
        final int[] owFrom = new int[g.kW()];
        final int[] owTo = new int[g.kW()];
        for (int kw = 0; kw < g.kW(); kw++) {
            int shift = kw * g.dilW() - g.padLeft();
            owFrom[kw] = Math.max(0, ceilDiv(-shift, sw));
            owTo[kw] = Math.min(outW, ceilDiv(g.inW() - shift, sw));
        }
        for (int m = 0; m < outChannels; m++) {
            int c0 = (m / mPerGroup) * cPerGroup;
            int wOff = m * cPerGroup * kSize;
            int om = oOff + m * outPlane;
            java.util.Arrays.fill(o, om, om + outPlane, bias == null ? 0.0 : bias[m]);
            // Each output sums its terms in (c, kh, kw) order, as a direct convolution would.
            for (int oh = 0; oh < g.outH(); oh++) {
                int ih0 = g.rowStart(oh);
                int orow = om + oh * outW;
                for (int c = 0; c < cPerGroup; c++) {
                    int xc = xOff + (c0 + c) * inPlane;
                    int wc = wOff + c * kSize;
                    for (int kh = 0; kh < g.kH(); kh++) {
                        int ih = ih0 + kh * g.dilH();
                        if (ih < 0 || ih >= g.inH()) {
                            continue;
                        }
                        int xr = xc + ih * g.inW();
                        for (int kw = 0; kw < g.kW(); kw++) {
                            double wv = w[wc + kh * g.kW() + kw];
                            int xi = xr + kw * g.dilW() - g.padLeft();
                            for (int ow = owFrom[kw], end = owTo[kw]; ow < end; ow++) {
                                o[orow + ow] += wv * x[xi + ow * sw];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }

    // ----- bounds

    private double[] absWeights;

    /** Centre-radius form: {@code conv(mid) ± |W| * rad}. */
    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        int n = lo[0].length;
        double[] mid = new double[n];
        double[] rad = new double[n];
        for (int i = 0; i < n; i++) {
            mid[i] = 0.5 * (lo[0][i] + hi[0][i]);
            rad[i] = 0.5 * (hi[0][i] - lo[0][i]);
        }
        int outSize = out.size();
        double[] c = new double[outSize];
        forward(new double[][] {mid}, c, 1);
        if (absWeights == null) {
            double[] aw = new double[weights.length];
            for (int i = 0; i < aw.length; i++) {
                aw[i] = Math.abs(weights[i]);
            }
            absWeights = aw;
        }
        double[] r = new double[outSize];
        convolve(rad, 0, r, 0, absWeights, null);
        for (int i = 0; i < outSize; i++) {
            outLo[i] = c[i] - r[i];
            outHi[i] = c[i] + r[i];
        }
    }

    /** Largest number of (output, input) weight entries kept as a sparse matrix for backward passes. */
    private static final long SPARSE_LIMIT = 4_000_000;

    /**
     * The convolution as a sparse matrix, row per output: {@code start[o]..start[o+1]} index
     * {@code index} (input element) and {@code weight}. Built on first use when small enough;
     * backward passes then scatter without index arithmetic or bounds checks.
     */
    private volatile int[] sparseStart;
    private int[] sparseIndex;
    private double[] sparseWeight;
    /** Per output element, the bias of its channel (saves a division per coefficient). */
    private double[] sparseBias;
    private volatile boolean sparseTooLarge;

    private boolean buildSparse() {
        if (sparseStart != null) {
            return true;
        }
        return !sparseTooLarge && buildSparseLocked();
    }

    private synchronized boolean buildSparseLocked() {
        if (sparseStart != null) {
            return true;
        }
        final Window2d g = win;
        final int inPlane = g.inH() * g.inW();
        final int outPlane = g.outH() * g.outW();
        final int cPerGroup = g.channels() / groups;
        final int mPerGroup = outChannels / groups;
        final int kSize = g.kH() * g.kW();
        long entries = (long) outChannels * outPlane * cPerGroup * kSize;
        if (entries > SPARSE_LIMIT) {
            sparseTooLarge = true;
            return false;
        }
        int[] start = new int[outChannels * outPlane + 1];
        int[] index = new int[(int) entries];
        double[] weight = new double[(int) entries];
        int e = 0;
        for (int m = 0; m < outChannels; m++) {
            int c0 = (m / mPerGroup) * cPerGroup;
            int wOff = m * cPerGroup * kSize;
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    start[m * outPlane + oh * g.outW() + ow] = e;
                    for (int c = 0; c < cPerGroup; c++) {
                        for (int kh = 0; kh < g.kH(); kh++) {
                            int ih = g.rowStart(oh) + kh * g.dilH();
                            if (ih < 0 || ih >= g.inH()) {
                                continue;
                            }
                            for (int kw = 0; kw < g.kW(); kw++) {
                                int iw = g.colStart(ow) + kw * g.dilW();
                                if (iw >= 0 && iw < g.inW()) {
                                    index[e] = (c0 + c) * inPlane + ih * g.inW() + iw;
                                    weight[e++] = weights[wOff + c * kSize + kh * g.kW() + kw];
                                }
                            }
                        }
                    }
                }
            }
        }
        start[outChannels * outPlane] = e;
        double[] outBias = new double[outChannels * outPlane];
        for (int o = 0; o < outBias.length; o++) {
            outBias[o] = bias[o / outPlane];
        }
        sparseBias = outBias;
        sparseIndex = index;
        sparseWeight = weight;
        sparseStart = start;
        return true;
    }

    /** Transposed convolution of each row of coefficients; the bias contributes Σ coef·bias[m]. */
    @Override
    public void backward(BackwardStep st) {
        if (buildSparse()) {
            if (st.support != null && st.hot == null) {
                backwardSupport(st);
            } else {
                backwardSparse(st);
            }
            return;
        }
        backwardDirect(st);
    }

    /**
     * The input elements that output element {@code o} reads, ascending: where {@link #backwardHot}
     * writes for a row whose coefficient sits at {@code o}. Null when the sparse form is not built.
     */
    public int[] hotSupport(int o) {
        if (!buildSparse()) {
            return null;
        }
        return java.util.Arrays.copyOfRange(sparseIndex, sparseStart[o], sparseStart[o + 1]);
    }

    /** {@link #backwardSparse} visiting only each row's {@link BackwardStep#support}. */
    private void backwardSupport(BackwardStep st) {
        final int outSize = out.size();
        final int inSize = win.channels() * win.inH() * win.inW();
        final int[] start = sparseStart;
        final int[] index = sparseIndex;
        final double[] weight = sparseWeight;
        final double[] outBias = sparseBias;
        final double[] aIn = st.aIn[0];
        final double[] a = st.a;
        for (int r = 0; r < st.rows; r++) {
            int ao = r * outSize;
            int ai = r * inSize;
            double b = 0;
            for (int o : st.support[r]) {
                double coef = a[ao + o];
                if (coef == 0.0) {
                    continue;
                }
                b += coef * outBias[o];
                for (int e = start[o], end = start[o + 1]; e < end; e++) {
                    aIn[ai + index[e]] += coef * weight[e];
                }
            }
            st.bias[r] += b;
        }
    }

    /**
     * As {@link #backward} for one-hot rows given compactly: {@code st.a[r]} is the coefficient of
     * output element {@code st.hot[r]} (the only non-zero of row r).
     */
    public void backwardHot(BackwardStep st) {
        final int outSize = outChannels * win.outH() * win.outW();
        if (!buildSparse()) {
            double[] dense = new double[st.rows * outSize];
            for (int r = 0; r < st.rows; r++) {
                dense[r * outSize + st.hot[r]] = st.a[r];
            }
            st.a = dense;
            backwardDirect(st);
            return;
        }
        final int inSize = win.channels() * win.inH() * win.inW();
        final int[] start = sparseStart;
        final int[] index = sparseIndex;
        final double[] weight = sparseWeight;
        final double[] aIn = st.aIn[0];
        for (int r = 0; r < st.rows; r++) {
            int ai = r * inSize;
            int o = st.hot[r];
            double coef = st.a[r];
            if (coef == 0.0) {
                continue;
            }
            st.bias[r] += coef * sparseBias[o];
            for (int e = start[o], end = start[o + 1]; e < end; e++) {
                aIn[ai + index[e]] += coef * weight[e];
            }
        }
    }

    private void backwardSparse(BackwardStep st) {
        final int outPlane = win.outH() * win.outW();
        final int outSize = outChannels * outPlane;
        final int inSize = win.channels() * win.inH() * win.inW();
        final int[] start = sparseStart;
        final int[] index = sparseIndex;
        final double[] weight = sparseWeight;
        final double[] outBias = sparseBias;
        final double[] aIn = st.aIn[0];
        final double[] a = st.a;
        int r0 = 0;
        if (st.hot == null) {
            // Four rows at a time: an output whose four coefficients are all non-zero (dense rows)
            // scatters its entries into the four rows with one load of each index and weight. Each
            // row still sums in the same order as alone.
            for (; r0 + 3 < st.rows; r0 += 4) {
                final int a0 = r0 * outSize;
                final int a1 = a0 + outSize;
                final int a2 = a1 + outSize;
                final int a3 = a2 + outSize;
                final int i0 = r0 * inSize;
                final int i1 = i0 + inSize;
                final int i2 = i1 + inSize;
                final int i3 = i2 + inSize;
                double b0 = 0;
                double b1 = 0;
                double b2 = 0;
                double b3 = 0;
                for (int o = 0; o < outSize; o++) {
                    if ((o & 7) == 0 && o + 8 <= outSize && zero8(a, a0 + o) && zero8(a, a1 + o)
                            && zero8(a, a2 + o) && zero8(a, a3 + o)) {
                        o += 7;
                        continue;
                    }
                    final double c0 = a[a0 + o];
                    final double c1 = a[a1 + o];
                    final double c2 = a[a2 + o];
                    final double c3 = a[a3 + o];
                    final double bo = outBias[o];
                    final int s = start[o];
                    final int end = start[o + 1];
                    if (c0 != 0.0 && c1 != 0.0 && c2 != 0.0 && c3 != 0.0) {
                        b0 += c0 * bo;
                        b1 += c1 * bo;
                        b2 += c2 * bo;
                        b3 += c3 * bo;
                        for (int e = s; e < end; e++) {
                            final int x = index[e];
                            final double w = weight[e];
                            aIn[i0 + x] += c0 * w;
                            aIn[i1 + x] += c1 * w;
                            aIn[i2 + x] += c2 * w;
                            aIn[i3 + x] += c3 * w;
                        }
                        continue;
                    }
                    if (c0 != 0.0) {
                        b0 += c0 * bo;
                        for (int e = s; e < end; e++) {
                            aIn[i0 + index[e]] += c0 * weight[e];
                        }
                    }
                    if (c1 != 0.0) {
                        b1 += c1 * bo;
                        for (int e = s; e < end; e++) {
                            aIn[i1 + index[e]] += c1 * weight[e];
                        }
                    }
                    if (c2 != 0.0) {
                        b2 += c2 * bo;
                        for (int e = s; e < end; e++) {
                            aIn[i2 + index[e]] += c2 * weight[e];
                        }
                    }
                    if (c3 != 0.0) {
                        b3 += c3 * bo;
                        for (int e = s; e < end; e++) {
                            aIn[i3 + index[e]] += c3 * weight[e];
                        }
                    }
                }
                st.bias[r0] += b0;
                st.bias[r0 + 1] += b1;
                st.bias[r0 + 2] += b2;
                st.bias[r0 + 3] += b3;
            }
        }
        for (int r = r0; r < st.rows; r++) {
            int ao = r * outSize;
            int ai = r * inSize;
            int from = st.hot != null ? st.hot[r] : 0;
            int to = st.hot != null ? from + 1 : outSize;
            double b = 0;
            for (int o = from; o < to; o++) {
                if (((o - from) & 7) == 0 && o + 8 <= to && zero8(st.a, ao + o)) {
                    o += 7; // a block of zeros (rows are often sparse)
                    continue;
                }
                double coef = st.a[ao + o];
                if (coef == 0.0) {
                    continue;
                }
                b += coef * outBias[o];
                for (int e = start[o], end = start[o + 1]; e < end; e++) {
                    aIn[ai + index[e]] += coef * weight[e];
                }
            }
            st.bias[r] += b;
        }
    }

    /** Whether {@code x[o..o+7]} are all zero. */
    private static boolean zero8(double[] x, int o) {
        return x[o] == 0.0 & x[o + 1] == 0.0 & x[o + 2] == 0.0 & x[o + 3] == 0.0 & x[o + 4] == 0.0
                & x[o + 5] == 0.0 & x[o + 6] == 0.0 & x[o + 7] == 0.0;
    }

    private void backwardDirect(BackwardStep st) {
        final Window2d g = win;
        final int inPlane = g.inH() * g.inW();
        final int inSize = g.channels() * inPlane;
        final int outW = g.outW();
        final int outPlane = g.outH() * outW;
        final int outSize = outChannels * outPlane;
        final int cPerGroup = g.channels() / groups;
        final int mPerGroup = outChannels / groups;
        final int kSize = g.kH() * g.kW();
        for (int r = 0; r < st.rows; r++) {
            int ao = r * outSize;
            int ai = r * inSize;
            double b = 0;
            int mFrom = 0;
            int mTo = outChannels;
            int ohFrom = 0;
            int ohTo = g.outH();
            int owFrom = 0;
            int owTo = outW;
            if (st.hot != null) {
                // A single non-zero coefficient: visit only its output position.
                int o = st.hot[r];
                mFrom = o / outPlane;
                mTo = mFrom + 1;
                ohFrom = (o % outPlane) / outW;
                ohTo = ohFrom + 1;
                owFrom = o % outW;
                owTo = owFrom + 1;
            }
            for (int m = mFrom; m < mTo; m++) {
                int c0 = (m / mPerGroup) * cPerGroup;
                int wOff = m * cPerGroup * kSize;
                for (int oh = ohFrom; oh < ohTo; oh++) {
                    int ih0 = g.rowStart(oh);
                    for (int ow = owFrom; ow < owTo; ow++) {
                        double coef = st.a[ao + m * outPlane + oh * outW + ow];
                        if (coef == 0.0) {
                            continue;
                        }
                        b += coef * bias[m];
                        int iw0 = g.colStart(ow);
                        for (int c = 0; c < cPerGroup; c++) {
                            int xc = ai + (c0 + c) * inPlane;
                            int wc = wOff + c * kSize;
                            for (int kh = 0; kh < g.kH(); kh++) {
                                int ih = ih0 + kh * g.dilH();
                                if (ih < 0 || ih >= g.inH()) {
                                    continue;
                                }
                                int xr = xc + ih * g.inW();
                                int wr = wc + kh * g.kW();
                                for (int kw = 0; kw < g.kW(); kw++) {
                                    int iw = iw0 + kw * g.dilW();
                                    if (iw >= 0 && iw < g.inW()) {
                                        st.aIn[0][xr + iw] += coef * weights[wr + kw];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            st.bias[r] += b;
        }
    }
}
