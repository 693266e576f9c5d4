package org.proofmap.model.ops;

import java.util.Arrays;
import org.proofmap.model.Shape;
import org.proofmap.model.Tensor;

/**
 * Matrix products with a constant matrix: Gemm ({@code alpha·A'·B' + beta·C}) and MatMul.
 *
 * <p>The usual case, data times weights, is held as {@code out[r][n] = Σ_k x[r][k]·W[n][k] + bias[r][n]}
 * over the {@code R} rows of the data input, with {@code W} stored row by row per output (so the
 * inner loop is a contiguous dot product). MatMul with the constant on the left ({@code A·X}) is
 * held as {@code out[m][n] = Σ_k A[m][k]·x[k][n]}.
 */
public final class Linear implements Operator {
    private final String opType;
    private final Shape out;
    private final boolean leftConstant;
    private final int rows;
    private final int inner;
    private final int cols;
    /** Right-hand weights, {@code cols × inner}; or for left-constant, {@code A} as {@code rows × inner}. */
    private final double[] weights;
    /** {@code rows × cols} bias, or null. */
    private final double[] bias;
    /** For Gemm with transA: index of element (r,k) of A' in the data sample; null otherwise. */
    private final int[] dataIndex;
    private final int inputSize;
    private final long parameters;

    private Linear(String opType, Shape out, boolean leftConstant, int rows, int inner, int cols,
            double[] weights, double[] bias, int[] dataIndex, int inputSize, long parameters) {
        this.opType = opType;
        this.out = out;
        this.leftConstant = leftConstant;
        this.rows = rows;
        this.inner = inner;
        this.cols = cols;
        this.weights = weights;
        this.bias = bias;
        this.dataIndex = dataIndex;
        this.inputSize = inputSize;
        this.parameters = parameters;
    }

    public static Linear create(OperatorContext ctx) {
        return ctx.opType().equals("Gemm") ? gemm(ctx) : matMul(ctx);
    }

    private static Linear gemm(OperatorContext ctx) {
        ctx.requireInputs(2, 3);
        var at = ctx.attributes();
        double alpha = at.getFloat("alpha", 1.0);
        double beta = at.getFloat("beta", 1.0);
        boolean transA = at.getInt("transA", 0) != 0;
        boolean transB = at.getInt("transB", 0) != 0;
        Shape a = ctx.shape(0);
        if (a.rank() != 2) {
            throw ctx.fail("input A must be 2-D, found shape " + a);
        }
        if (!ctx.isConstant(1)) {
            throw ctx.fail("input B must be a constant (a product of two model-dependent tensors is not supported)");
        }
        Tensor b = ctx.constant(1);
        if (b.shape().rank() != 2) {
            throw ctx.fail("input B must be 2-D, found shape " + b.shape());
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.shape().dim(1) : b.shape().dim(0);
        int n = transB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) {
            throw ctx.fail("inner dimensions differ: A' is " + m + "x" + k + " but B' is " + kb + "x" + n);
        }
        double[] w = new double[n * k];
        double[] bd = b.data();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < k; i++) {
                w[j * k + i] = alpha * (transB ? bd[j * k + i] : bd[i * n + j]);
            }
        }
        Shape out = Shape.of(m, n);
        double[] bias = null;
        long params = (long) n * k;
        if (ctx.hasInput(2)) {
            Tensor c = ctx.constant(2);
            int[] map;
            try {
                Shape bs = Broadcast.shape(c.shape(), out);
                if (!bs.equals(out)) {
                    throw ctx.fail("bias C of shape " + c.shape() + " does not broadcast to " + out);
                }
                map = Broadcast.indexMap(c.shape(), out);
            } catch (org.proofmap.model.ModelException e) {
                throw ctx.fail("bias C of shape " + c.shape() + " does not broadcast to " + out);
            }
            bias = new double[m * n];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = beta * c.data()[map == null ? i : map[i]];
            }
            params += c.size();
        }
        int[] index = null;
        if (transA) {
            index = new int[m * k];
            for (int r = 0; r < m; r++) {
                for (int i = 0; i < k; i++) {
                    index[r * k + i] = i * m + r;
                }
            }
        }
        return new Linear("Gemm", out, false, m, k, n, w, bias, index, a.size(), params);
    }

    private static Linear matMul(OperatorContext ctx) {
        ctx.requireInputs(2, 2);
        Shape a = ctx.shape(0);
        Shape b = ctx.shape(1);
        if (!ctx.isConstant(1)) {
            if (!ctx.isConstant(0)) {
                throw ctx.fail("a product of two model-dependent tensors is not supported");
            }
            return leftMatMul(ctx, ctx.constant(0), b);
        }
        Tensor w = ctx.constant(1);
        for (int i = 0; i < b.rank() - 2; i++) {
            if (b.dim(i) != 1) {
                throw ctx.fail("batched constant operand of shape " + b + " is not supported");
            }
        }
        if (a.rank() == 0 || b.rank() == 0) {
            throw ctx.fail("MatMul operands must have rank at least 1");
        }
        int k = a.dim(-1);
        boolean bVector = b.rank() == 1;
        int kb = bVector ? b.dim(0) : b.dim(-2);
        int n = bVector ? 1 : b.dim(-1);
        if (k != kb) {
            throw ctx.fail("inner dimensions differ: " + a + " times " + b);
        }
        int[] outDims;
        int[] ad = a.dims();
        if (bVector) {
            outDims = Arrays.copyOf(ad, ad.length - 1);
        } else if (ad.length == 1) {
            // A vector times a matrix: the K dimension disappears from B's shape.
            int[] bd = b.dims();
            outDims = Arrays.copyOf(bd, bd.length - 1);
            outDims[outDims.length - 1] = n;
        } else {
            outDims = Arrays.copyOf(ad, Math.max(ad.length, b.rank()));
            if (ad.length < b.rank()) {
                // Leading 1s of B broadcast into the output rank.
                int extra = b.rank() - ad.length;
                int[] d = new int[b.rank()];
                Arrays.fill(d, 0, extra, 1);
                System.arraycopy(ad, 0, d, extra, ad.length);
                outDims = d;
            }
            outDims[outDims.length - 1] = n;
        }
        double[] wd = w.data();
        double[] wt = new double[n * k];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < k; i++) {
                wt[j * k + i] = wd[i * n + j];
            }
        }
        int rows = a.size() / k;
        return new Linear("MatMul", Shape.of(outDims), false, rows, k, n, wt, null, null, a.size(), w.size());
    }

    private static Linear leftMatMul(OperatorContext ctx, Tensor a, Shape b) {
        if (a.shape().rank() != 2 || b.rank() < 2) {
            throw ctx.fail("constant-times-data MatMul needs a 2-D constant and data of rank >= 2, found "
                    + a.shape() + " times " + b);
        }
        for (int i = 0; i < b.rank() - 2; i++) {
            if (b.dim(i) != 1) {
                throw ctx.fail("batched data operand of shape " + b + " is not supported");
            }
        }
        int m = a.shape().dim(0);
        int k = a.shape().dim(1);
        if (b.dim(-2) != k) {
            throw ctx.fail("inner dimensions differ: " + a.shape() + " times " + b);
        }
        int n = b.dim(-1);
        int[] outDims = b.dims();
        outDims[outDims.length - 2] = m;
        return new Linear("MatMul", Shape.of(outDims), true, m, k, n, a.data().clone(), null, null, b.size(),
                a.size());
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
    public long parameterCount() {
        return parameters;
    }

    @Override
    public void forward(double[][] in, double[] o, int batch) {
        double[] x = in[0];
        if (!leftConstant && dataIndex == null) {
            // Rows of all samples are contiguous: one product over batch*rows rows.
            if (batch * rows >= ROW_BLOCK) {
                forwardRowBlocks(x, o, batch * rows);
            } else {
                forwardRows(x, o, batch * rows);
            }
            return;
        }
        int outSize = out.size();
        for (int s = 0; s < batch; s++) {
            int xOff = s * inputSize;
            int oOff = s * outSize;
            if (leftConstant) {
                forwardLeft(x, xOff, o, oOff);
            } else {
                forwardIndexed(x, xOff, o, oOff);
            }
        }
    }

    /**
     * {@code o[r][j] = Σ_i x[r][i]·W[j][i] + bias}, blocked 2 rows × 4 columns for instruction-level
     * parallelism. Every output is summed in the same order (i ascending, one accumulator) in every
     * block shape, so results do not depend on the batch size.
     */
    private void forwardRows(double[] x, double[] o, int totalRows) {
        final int k = inner;
        final int n = cols;
        final double[] w = weights;
        int r = 0;
        for (; r + 1 < totalRows; r += 2) {
            final int xa = r * k;
            final int xb = xa + k;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                final int w0 = j * k;
                final int w1 = w0 + k;
                final int w2 = w1 + k;
                final int w3 = w2 + k;
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
                for (int i = 0; i < k; i++) {
                    double xi = x[xa + i];
                    double yi = x[xb + i];
                    double v0 = w[w0 + i];
                    double v1 = w[w1 + i];
                    double v2 = w[w2 + i];
                    double v3 = w[w3 + i];
                    a0 += xi * v0;
                    a1 += xi * v1;
                    a2 += xi * v2;
                    a3 += xi * v3;
                    b0 += yi * v0;
                    b1 += yi * v1;
                    b2 += yi * v2;
                    b3 += yi * v3;
                }
                store(o, r, j, a0, a1, a2, a3);
                store(o, r + 1, j, b0, b1, b2, b3);
            }
            for (; j < n; j++) {
                final int w0 = j * k;
                double a = 0;
                double b = 0;
                for (int i = 0; i < k; i++) {
                    a += x[xa + i] * w[w0 + i];
                    b += x[xb + i] * w[w0 + i];
                }
                store1(o, r, j, a);
                store1(o, r + 1, j, b);
            }
        }
        for (; r < totalRows; r++) {
            final int xa = r * k;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                final int w0 = j * k;
                final int w1 = w0 + k;
                final int w2 = w1 + k;
                final int w3 = w2 + k;
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                for (int i = 0; i < k; i++) {
                    double xi = x[xa + i];
                    a0 += xi * w[w0 + i];
                    a1 += xi * w[w1 + i];
                    a2 += xi * w[w2 + i];
                    a3 += xi * w[w3 + i];
                }
                store(o, r, j, a0, a1, a2, a3);
            }
            for (; j < n; j++) {
                final int w0 = j * k;
                double a = 0;
                for (int i = 0; i < k; i++) {
                    a += x[xa + i] * w[w0 + i];
                }
                store1(o, r, j, a);
            }
        }
    }

    /** Rows of the data input that {@link #forwardRowBlocks} multiplies together. */
    private static final int ROW_BLOCK = 4;

    /** Per thread, {@link #ROW_BLOCK} reusable output rows for {@link #forwardRowBlocks}. */
    private static final ThreadLocal<double[][]> ROW_SCRATCH = new ThreadLocal<>();

    /**
     * The weights by input ({@code weightsByInput[i][j] = W[j][i]}), built on first use by batched
     * forward passes (see {@link #forwardRowBlocks}).
     */
    private volatile double[][] weightsByInput;

    private double[][] weightsByInput() {
        double[][] wi = weightsByInput;
        if (wi == null) {
            wi = new double[inner][cols];
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < inner; i++) {
                    wi[i][j] = weights[j * inner + i];
                }
            }
            weightsByInput = wi;
        }
        return wi;
    }

    /**
     * {@link #forwardRows} for many rows (sampling, batched attacks) as a matrix–matrix product in
     * outer-product form: for each block of {@link #ROW_BLOCK} rows and each input {@code i}, every
     * output row gains {@code x[r][i]·W[·][i]}. The inner loop runs over the output columns of one
     * weight row and the block's accumulator rows, all separate arrays indexed by the same variable
     * from 0, which C2 vectorises (see {@link #weightRows}); one weight row is loaded once for the
     * whole block. Each output is still summed from 0 over {@code i} ascending and then gets its
     * bias, so the results equal {@link #forwardRows}' bit for bit.
     */
    private void forwardRowBlocks(double[] x, double[] o, int totalRows) {
        final int k = inner;
        final int n = cols;
        final double[][] wi = weightsByInput();
        double[][] acc = ROW_SCRATCH.get();
        if (acc == null || acc[0].length < n) {
            acc = new double[ROW_BLOCK][n];
            ROW_SCRATCH.set(acc);
        }
        final double[] a0 = acc[0];
        final double[] a1 = acc[1];
        final double[] a2 = acc[2];
        final double[] a3 = acc[3];
        int r = 0;
        for (; r + ROW_BLOCK <= totalRows; r += ROW_BLOCK) {
            Arrays.fill(a0, 0, n, 0.0);
            Arrays.fill(a1, 0, n, 0.0);
            Arrays.fill(a2, 0, n, 0.0);
            Arrays.fill(a3, 0, n, 0.0);
            final int x0 = r * k;
            int i = 0;
            // Two inputs per sweep: ((a + x_i·w_i) + x_{i+1}·w_{i+1}) is the sequential order, and
            // each accumulator is loaded and stored once for two products.
            for (; i + 1 < k; i += 2) {
                final double[] w = wi[i];
                final double[] u = wi[i + 1];
                final double c0 = x[x0 + i];
                final double c1 = x[x0 + k + i];
                final double c2 = x[x0 + 2 * k + i];
                final double c3 = x[x0 + 3 * k + i];
                final double d0 = x[x0 + i + 1];
                final double d1 = x[x0 + k + i + 1];
                final double d2 = x[x0 + 2 * k + i + 1];
                final double d3 = x[x0 + 3 * k + i + 1];
                for (int j = 0; j < n; j++) {
                    final double v = w[j];
                    final double t = u[j];
                    a0[j] = a0[j] + c0 * v + d0 * t;
                    a1[j] = a1[j] + c1 * v + d1 * t;
                    a2[j] = a2[j] + c2 * v + d2 * t;
                    a3[j] = a3[j] + c3 * v + d3 * t;
                }
            }
            for (; i < k; i++) {
                final double[] w = wi[i];
                final double c0 = x[x0 + i];
                final double c1 = x[x0 + k + i];
                final double c2 = x[x0 + 2 * k + i];
                final double c3 = x[x0 + 3 * k + i];
                for (int j = 0; j < n; j++) {
                    final double v = w[j];
                    a0[j] += c0 * v;
                    a1[j] += c1 * v;
                    a2[j] += c2 * v;
                    a3[j] += c3 * v;
                }
            }
            storeRow(o, r, a0);
            storeRow(o, r + 1, a1);
            storeRow(o, r + 2, a2);
            storeRow(o, r + 3, a3);
        }
        for (; r < totalRows; r++) {
            Arrays.fill(a0, 0, n, 0.0);
            final int x0 = r * k;
            for (int i = 0; i < k; i++) {
                final double[] w = wi[i];
                final double c0 = x[x0 + i];
                for (int j = 0; j < n; j++) {
                    a0[j] += c0 * w[j];
                }
            }
            storeRow(o, r, a0);
        }
    }

    /** Output row {@code r} from its accumulated sums, plus the bias. */
    private void storeRow(double[] o, int r, double[] sums) {
        int base = r * cols;
        if (bias == null) {
            System.arraycopy(sums, 0, o, base, cols);
            return;
        }
        int b = (r % rows) * cols;
        for (int j = 0; j < cols; j++) {
            o[base + j] = sums[j] + bias[b + j];
        }
    }

    private void store(double[] o, int r, int j, double v0, double v1, double v2, double v3) {
        int base = r * cols + j;
        if (bias == null) {
            o[base] = v0;
            o[base + 1] = v1;
            o[base + 2] = v2;
            o[base + 3] = v3;
        } else {
            int b = (r % rows) * cols + j;
            o[base] = v0 + bias[b];
            o[base + 1] = v1 + bias[b + 1];
            o[base + 2] = v2 + bias[b + 2];
            o[base + 3] = v3 + bias[b + 3];
        }
    }

    private void store1(double[] o, int r, int j, double v) {
        o[r * cols + j] = bias == null ? v : v + bias[(r % rows) * cols + j];
    }

    private void forwardIndexed(double[] x, int xOff, double[] o, int oOff) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double v = 0;
                for (int i = 0; i < inner; i++) {
                    v += x[xOff + dataIndex[r * inner + i]] * weights[j * inner + i];
                }
                o[oOff + r * cols + j] = bias == null ? v : v + bias[r * cols + j];
            }
        }
    }

    private void forwardLeft(double[] x, int xOff, double[] o, int oOff) {
        for (int m = 0; m < rows; m++) {
            for (int j = 0; j < cols; j++) {
                double v = 0;
                for (int i = 0; i < inner; i++) {
                    v += weights[m * inner + i] * x[xOff + i * cols + j];
                }
                o[oOff + m * cols + j] = v;
            }
        }
    }

    // ----- bounds

    /** Columns of the input per block in {@link #backwardBlocked}: a block of weights stays in cache. */
    private static final int K_BLOCK = 256;

    /**
     * The weights again, one array per output column ({@code weightRows[j][i] = W[j][i]}), built on
     * first use by backward passes. Their kernels index the weight row and the coefficient row by
     * the same loop variable, which C2 (JDK 17) needs before it vectorises a loop: with two
     * different offsets into arrays of one type it keeps the loop scalar.
     */
    private volatile double[][] weightRows;

    private double[][] weightRows() {
        double[][] wr = weightRows;
        if (wr == null) {
            wr = new double[cols][];
            for (int j = 0; j < cols; j++) {
                wr[j] = Arrays.copyOfRange(weights, j * inner, (j + 1) * inner);
            }
            weightRows = wr;
        }
        return wr;
    }

    /** Per thread, a reusable row for {@link #backwardBlocked}: gradient steps (PGD) call it often. */
    private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

    /** A scratch row of at least {@code n} values (contents arbitrary). */
    private static double[] scratchRow(int n) {
        double[] s = SCRATCH.get();
        if (s == null || s.length < n) {
            s = new double[n];
            SCRATCH.set(s);
        }
        return s;
    }

    /**
     * {@code acc[i] = fma(c3, w3[i], fma(c2, w2[i], fma(c1, w1[i], fma(c0, w0[i], acc[i]))))} for
     * {@code i} in {@code [from, to)}: one rounding per term, terms in column order.
     */
    static void fma4(double[] acc, double[] w0, double[] w1, double[] w2, double[] w3, double c0, double c1,
            double c2, double c3, int from, int to) {
        for (int i = from; i < to; i++) {
            acc[i] = Math.fma(c3, w3[i], Math.fma(c2, w2[i], Math.fma(c1, w1[i], Math.fma(c0, w0[i], acc[i]))));
        }
    }

    /** {@code acc[i] = fma(c, w[i], acc[i])} for {@code i} in {@code [from, to)}. */
    static void fma1(double[] acc, double[] w, double c, int from, int to) {
        for (int i = from; i < to; i++) {
            acc[i] = Math.fma(c, w[i], acc[i]);
        }
    }

    /**
     * The common case (data times weights) as a blocked matrix product {@code aIn += a·W}: for each
     * block of input columns, every row adds its non-zero columns' weight rows over that block, four
     * weight rows per pass over the row, with fused multiply-adds in ascending column order. Each
     * row is accumulated in a scratch array (see {@link #weightRows}) and copied back.
     */
    private void backwardBlocked(BackwardStep st) {
        final double[] a = st.a;
        final double[] aIn = st.aIn[0];
        final double[][] wr = weightRows();
        final int outSize = out.size();
        final int k = inner;
        final int n = st.rows;
        if (bias != null) {
            for (int r = 0; r < n; r++) {
                double b = 0;
                int ao = r * outSize;
                for (int o = 0; o < outSize; o++) {
                    b += a[ao + o] * bias[o];
                }
                st.bias[r] += b;
            }
        }
        // Per row and data row q, the columns with a non-zero coefficient.
        final int[] nz = new int[n * outSize];
        final int[] cnt = new int[n * rows];
        for (int r = 0; r < n; r++) {
            int ao = r * outSize;
            for (int q = 0; q < rows; q++) {
                int base = ao + q * cols;
                int c = 0;
                for (int j = 0; j < cols; j++) {
                    if (a[base + j] != 0.0) {
                        nz[base + c++] = j;
                    }
                }
                cnt[r * rows + q] = c;
            }
        }
        final double[] acc = scratchRow(k);
        for (int kb = 0; kb < k; kb += K_BLOCK) {
            final int ke = Math.min(k, kb + K_BLOCK);
            for (int r = 0; r < n; r++) {
                int ao = r * outSize;
                for (int q = 0; q < rows; q++) {
                    final int base = ao + q * cols;
                    final int count = cnt[r * rows + q];
                    if (count == 0) {
                        continue;
                    }
                    final int xo = r * inputSize + q * k;
                    System.arraycopy(aIn, xo + kb, acc, kb, ke - kb);
                    int t = 0;
                    for (; t + 3 < count; t += 4) {
                        final int j0 = nz[base + t];
                        final int j1 = nz[base + t + 1];
                        final int j2 = nz[base + t + 2];
                        final int j3 = nz[base + t + 3];
                        fma4(acc, wr[j0], wr[j1], wr[j2], wr[j3], a[base + j0], a[base + j1], a[base + j2],
                                a[base + j3], kb, ke);
                    }
                    for (; t < count; t++) {
                        final int j = nz[base + t];
                        fma1(acc, wr[j], a[base + j], kb, ke);
                    }
                    System.arraycopy(acc, kb, aIn, xo + kb, ke - kb);
                }
            }
        }
    }

    private double[] absWeights;

    private double[] absWeights() {
        double[] aw = absWeights;
        if (aw == null) {
            aw = new double[weights.length];
            for (int i = 0; i < aw.length; i++) {
                aw[i] = Math.abs(weights[i]);
            }
            absWeights = aw;
        }
        return aw;
    }

    /** Centre-radius form: {@code W·mid + b ± |W|·rad}. */
    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        double[] l = lo[0];
        double[] h = hi[0];
        int n = inputSize;
        double[] mid = new double[n];
        double[] rad = new double[n];
        for (int i = 0; i < n; i++) {
            mid[i] = 0.5 * (l[i] + h[i]);
            rad[i] = 0.5 * (h[i] - l[i]);
        }
        int outSize = out.size();
        double[] c = new double[outSize];
        double[] r = new double[outSize];
        forward(new double[][] {mid}, c, 1);
        double[] aw = absWeights();
        for (int q = 0; q < rows; q++) {
            for (int j = 0; j < cols; j++) {
                double v = 0;
                for (int i = 0; i < inner; i++) {
                    if (leftConstant) {
                        v += aw[q * inner + i] * rad[i * cols + j];
                    } else {
                        int xi = dataIndex == null ? q * inner + i : dataIndex[q * inner + i];
                        v += rad[xi] * aw[j * inner + i];
                    }
                }
                r[q * cols + j] = v;
            }
        }
        for (int i = 0; i < outSize; i++) {
            outLo[i] = c[i] - r[i];
            outHi[i] = c[i] + r[i];
        }
    }

    /** Whether {@link #backwardHot} applies (data times weights). */
    public boolean supportsHot() {
        return !leftConstant && dataIndex == null;
    }

    /**
     * As {@link #backward} for one-hot rows given compactly: {@code st.a[r]} is the coefficient of
     * output element {@code st.hot[r]} (the only non-zero of row r). Needs {@link #supportsHot}.
     */
    public void backwardHot(BackwardStep st) {
        double[] aIn = st.aIn[0];
        for (int r = 0; r < st.rows; r++) {
            int o = st.hot[r];
            double coef = st.a[r];
            int q = o / cols;
            int j = o % cols;
            if (bias != null) {
                st.bias[r] += coef * bias[o];
            }
            int xo = r * inputSize + q * inner;
            int wo = j * inner;
            for (int i = 0; i < inner; i++) {
                aIn[xo + i] += coef * weights[wo + i];
            }
        }
    }

    @Override
    public void backward(BackwardStep st) {
        double[] a = st.a;
        double[] aIn = st.aIn[0];
        int outSize = out.size();
        if (!leftConstant && dataIndex == null) {
            if (st.hot != null) {
                // One non-zero coefficient per row: one weight row each.
                for (int r = 0; r < st.rows; r++) {
                    int o = st.hot[r];
                    double coef = a[r * outSize + o];
                    int q = o / cols;
                    int j = o % cols;
                    if (bias != null) {
                        st.bias[r] += coef * bias[o];
                    }
                    int xo = r * inputSize + q * inner;
                    int wo = j * inner;
                    for (int i = 0; i < inner; i++) {
                        aIn[xo + i] += coef * weights[wo + i];
                    }
                }
                return;
            }
            backwardBlocked(st);
            return;
        }
        for (int r = 0; r < st.rows; r++) {
            int ao = r * outSize;
            int ai = r * inputSize;
            double b = 0;
            for (int q = 0; q < rows; q++) {
                for (int j = 0; j < cols; j++) {
                    double coef = a[ao + q * cols + j];
                    if (coef == 0.0) {
                        continue;
                    }
                    if (bias != null) {
                        b += coef * bias[q * cols + j];
                    }
                    if (leftConstant) {
                        // out[q][j] = Σ_i A[q][i]·x[i][j]
                        for (int i = 0; i < inner; i++) {
                            aIn[ai + i * cols + j] += coef * weights[q * inner + i];
                        }
                    } else if (dataIndex == null) {
                        int xo = ai + q * inner;
                        int wo = j * inner;
                        for (int i = 0; i < inner; i++) {
                            aIn[xo + i] += coef * weights[wo + i];
                        }
                    } else {
                        int wo = j * inner;
                        for (int i = 0; i < inner; i++) {
                            aIn[ai + dataIndex[q * inner + i]] += coef * weights[wo + i];
                        }
                    }
                }
            }
            st.bias[r] += b;
        }
    }
}
