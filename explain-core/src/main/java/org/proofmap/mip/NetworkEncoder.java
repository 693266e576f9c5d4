package org.proofmap.mip;

import java.util.Arrays;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.InputDomain;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.Activation;
import org.proofmap.model.ops.Arithmetic;
import org.proofmap.model.ops.BackwardStep;
import org.proofmap.model.ops.BatchNorm;
import org.proofmap.model.ops.Concat;
import org.proofmap.model.ops.Constants;
import org.proofmap.model.ops.Conv;
import org.proofmap.model.ops.Linear;
import org.proofmap.model.ops.Operator;
import org.proofmap.model.ops.Pooling;
import org.proofmap.model.ops.Reshape;
import org.proofmap.model.ops.Selection;
import org.proofmap.model.ops.Sigmoidal;
import org.proofmap.model.ops.Softmax;

/**
 * The exact mixed-integer encoding of a piecewise-linear network over a box of inputs (see the
 * package documentation for the encoding). {@link #encode} gives an {@link Encoding}: the
 * {@link MipModel} without an objective, and the map from model inputs and outputs to its
 * variables, from which any linear objective over the outputs is made.
 *
 * <p>Every element of every value is held as {@code coef·x_var + offset} over one MIP variable, as a
 * constant, or as a pending affine combination of several variables. A combination gets its own
 * variable and equality only when a consumer needs it as one variable (an unstable ReLU, a max pool,
 * another affine operator); one that feeds only stable-inactive ReLUs costs nothing, and the network
 * outputs go straight into the objective. Reshapes, selections, stable ReLUs and fixed inputs cost
 * nothing either.
 */
public final class NetworkEncoder {
    /**
     * Bounds taken from the bound engine are widened by this relative amount (at least this absolute
     * amount) before they become variable bounds and big-M constants: they are computed in floating
     * point, and an exact encoding needs bounds that are valid, not merely tight. The widening only
     * loosens the relaxation by a negligible amount; the encoding stays exact for any valid bounds.
     */
    public static final double BOUND_PADDING = 1e-9;

    /** Largest scratch block (doubles) for extracting an affine operator's matrix. */
    private static final int SCRATCH = 1 << 20;

    private NetworkEncoder() {}

    /**
     * Checks that every operator of {@code graph} has an exact MIP encoding.
     *
     * @throws UnsupportedOperationException saying which operator rules the exact MIP out
     */
    public static void checkSupported(Graph graph) {
        for (Node n : graph.nodes()) {
            String why = unsupportedReason(graph, n);
            if (why != null) {
                throw new UnsupportedOperationException("exact MIP is not available for networks with " + n.opType()
                        + ": node '" + n.name() + "' " + why + "; use a bound method (CROWN, alpha-CROWN) "
                        + "or an attack instead");
            }
        }
    }

    private static String unsupportedReason(Graph graph, Node n) {
        Operator op = n.op();
        if (op instanceof Sigmoidal) {
            return "is not piecewise linear (a MIP encodes only ReLU-family, max and affine operators)";
        }
        if (op instanceof Softmax) {
            return "is not piecewise linear (remove the final Softmax and state the property on the logits)";
        }
        if (op instanceof Activation || op instanceof Pooling || op instanceof Linear || op instanceof Conv
                || op instanceof BatchNorm || op instanceof Selection || op instanceof Concat
                || op instanceof Constants) {
            return null;
        }
        if (op instanceof Reshape) {
            return op.isLayoutPreserving() ? null : "truncates model-dependent data to integers";
        }
        if (op instanceof Arithmetic a) {
            boolean twoDynamic = n.inputs().length == 2;
            if (twoDynamic && a.kind() == Arithmetic.Kind.MUL) {
                return "is a product of two model-dependent tensors";
            }
            if (a.kind() == Arithmetic.Kind.DIV && (twoDynamic || !isAffine(graph, n))) {
                return "divides by a model-dependent tensor";
            }
            return null;
        }
        return "has no exact MIP encoding (supported: Gemm/MatMul, Conv, BatchNormalization, Add/Sub/Mul/Div "
                + "with a constant, Add/Sub of two tensors, reshapes, Transpose/Gather/Slice, Concat, "
                + "AveragePool, MaxPool, Relu, LeakyRelu)";
    }

    /** Whether the operator's backward step accepts a coefficient row (it refuses non-affine cases). */
    private static boolean isAffine(Graph graph, Node n) {
        Operator op = n.op();
        int out = op.outputShape().size();
        BackwardStep st = new BackwardStep();
        st.rows = 1;
        st.a = new double[out];
        st.a[0] = 1;
        st.hot = new int[] {0};
        st.bias = new double[1];
        st.aIn = new double[n.inputs().length][];
        for (int j = 0; j < st.aIn.length; j++) {
            st.aIn[j] = new double[graph.valueShape(n.inputs()[j]).size()];
        }
        try {
            op.backward(st);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Encodes {@code graph} over {@code domain} with the bounds of {@code ctx} (CROWN at every
     * nonlinear operator's input, interval bounds elsewhere); {@code ctx} null makes a fresh context.
     *
     * @throws UnsupportedOperationException when the network is not piecewise linear
     * @throws IllegalArgumentException when the context belongs to another domain or model, or an
     *     unstable ReLU has an infinite bound (no big-M constant exists)
     */
    public static Encoding encode(Graph graph, InputDomain domain, BoundContext ctx) {
        long t0 = System.nanoTime();
        checkSupported(graph);
        if (ctx == null) {
            ctx = new BoundContext(graph, domain);
        } else if (ctx.graph() != graph || !Arrays.equals(ctx.domain().lower(), domain.lower())
                || !Arrays.equals(ctx.domain().upper(), domain.upper())) {
            throw new IllegalArgumentException("the bound context was made for another model or input domain");
        }
        return new Builder(graph, domain, ctx).run(t0);
    }

    /** The result of an encoding: the model (zero objective) and where inputs and outputs live in it. */
    public static final class Encoding {
        private final Graph graph;
        private final InputDomain domain;
        private final MipModel model;
        private final int[] inputVar;
        private final double[] inputLo;
        private final double[] inputHi;
        /** Output j is {@code outConst[j] + Σ_k outCoef[j][k]·x[outVars[j][k]]}. */
        private final int[][] outVars;
        private final double[][] outCoef;
        private final double[] outConst;
        private final int unstable;
        private final int stableActive;
        private final int stableInactive;
        private final int maxPoolBinaries;
        private final double seconds;

        Encoding(Graph graph, InputDomain domain, MipModel model, int[] inputVar, int[][] outVars, double[][] outCoef,
                double[] outConst, int unstable, int stableActive, int stableInactive, int maxPoolBinaries,
                double seconds) {
            this.graph = graph;
            this.domain = domain;
            this.model = model;
            this.inputVar = inputVar;
            this.inputLo = domain.lower().clone();
            this.inputHi = domain.upper().clone();
            this.outVars = outVars;
            this.outCoef = outCoef;
            this.outConst = outConst;
            this.unstable = unstable;
            this.stableActive = stableActive;
            this.stableInactive = stableInactive;
            this.maxPoolBinaries = maxPoolBinaries;
            this.seconds = seconds;
        }

        public Graph graph() {
            return graph;
        }

        public InputDomain domain() {
            return domain;
        }

        /** The constraints, with a zero objective. */
        public MipModel model() {
            return model;
        }

        /**
         * The model with objective {@code Σ_j specRow[j]·y_j} over the network outputs {@code y}
         * (flattened), to be minimised.
         */
        public MipModel withObjective(double[] specRow) {
            double[] c = new double[model.variableCount()];
            double constant = affineOf(specRow, c);
            return model.withObjective(c, constant);
        }

        /**
         * The model that minimises {@code min_k specRows[k]·y} (the smallest of several linear functions
         * of the outputs, e.g. the margins against every class a bound method could not rule out) in
         * one MIP. One row is that row's objective, as {@link #withObjective}. For several rows a new
         * variable {@code z} (the objective, the last variable) and one binary {@code s_k} per row
         * (the variables just before {@code z}) are added, with {@code Σ s_k = 1} and
         * {@code z >= r_k(x) − M_k(1 − s_k)}, {@code M_k = U_k − min_k L_k}: the row picked by
         * {@code s} bounds {@code z} from below, the others are slack, so the minimum of {@code z} is
         * the minimum over rows and inputs.
         *
         * @param rowLower a valid lower bound of each row over the domain (CROWN's)
         * @param rowUpper a valid upper bound of each row over the domain
         */
        public MipModel withMinimumObjective(double[][] specRows, double[] rowLower, double[] rowUpper) {
            if (specRows.length == 0) {
                throw new IllegalArgumentException("need at least one row");
            }
            if (specRows.length == 1) {
                return withObjective(specRows[0]);
            }
            double lowest = Double.POSITIVE_INFINITY;
            double smallestUpper = Double.POSITIVE_INFINITY;
            for (int k = 0; k < specRows.length; k++) {
                if (!Double.isFinite(rowLower[k]) || !Double.isFinite(rowUpper[k]) || rowLower[k] > rowUpper[k]) {
                    throw new IllegalArgumentException("row " + k + " needs finite bounds, found [" + rowLower[k] + ", "
                            + rowUpper[k] + "]");
                }
                lowest = Math.min(lowest, rowLower[k]);
                smallestUpper = Math.min(smallestUpper, rowUpper[k]);
            }
            double zLo = Builder.padDown(lowest);
            MipModel.Builder b = model.toBuilder();
            int[] s = new int[specRows.length];
            for (int k = 0; k < s.length; k++) {
                s[k] = b.addBinary();
            }
            int z = b.addContinuous(zLo, Builder.padUp(smallestUpper));
            double[] ones = new double[s.length];
            Arrays.fill(ones, 1.0);
            b.addConstraint(s, ones, MipModel.Sense.EQ, 1.0);
            int vars = model.variableCount();
            for (int k = 0; k < s.length; k++) {
                double[] c = new double[vars];
                double constant = affineOf(specRows[k], c);
                double big = Builder.padUp(rowUpper[k]) - zLo;
                int nz = 0;
                for (double v : c) {
                    if (v != 0.0) {
                        nz++;
                    }
                }
                int[] idx = new int[nz + 2];
                double[] w = new double[nz + 2];
                int t = 0;
                for (int v = 0; v < vars; v++) {
                    if (c[v] != 0.0) {
                        idx[t] = v;
                        w[t++] = -c[v];
                    }
                }
                // z − Σ c x − M s_k >= constant − M
                idx[t] = z;
                w[t++] = 1.0;
                idx[t] = s[k];
                w[t] = -big;
                b.addConstraint(idx, w, MipModel.Sense.GE, constant - big);
            }
            b.objective(z, 1.0);
            return b.build();
        }

        /**
         * Writes {@code specRow·y} as {@code Σ c_v x_v + constant} over the model's variables: fills
         * {@code c} (length {@code model().variableCount()}) and returns the constant.
         */
        private double affineOf(double[] specRow, double[] c) {
            if (specRow.length != outConst.length) {
                throw new IllegalArgumentException("the objective row has " + specRow.length
                        + " entries but the model has " + outConst.length + " outputs");
            }
            double constant = 0;
            for (int j = 0; j < specRow.length; j++) {
                double w = specRow[j];
                if (!Double.isFinite(w)) {
                    throw new IllegalArgumentException("objective row entry " + j + " is not finite");
                }
                if (w == 0.0) {
                    continue;
                }
                constant += w * outConst[j];
                for (int k = 0; k < outVars[j].length; k++) {
                    c[outVars[j][k]] += w * outCoef[j][k];
                }
            }
            return constant;
        }

        /** The MIP variable of each input feature, -1 for a fixed feature (lower == upper). */
        public int[] inputVariables() {
            return inputVar.clone();
        }

        /**
         * The model input a MIP solution stands for: free features from their variables, clamped into
         * the domain (solvers may overshoot a bound by their tolerance), fixed features exactly at
         * their fixed value.
         */
        public double[] inputOf(double[] solution) {
            double[] x = new double[inputVar.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = inputVar[i] < 0 ? inputLo[i] : Math.min(inputHi[i], Math.max(inputLo[i], solution[inputVar[i]]));
            }
            return x;
        }

        /** The network outputs as the MIP solution has them. */
        public double[] outputsOf(double[] solution) {
            double[] y = new double[outConst.length];
            for (int j = 0; j < y.length; j++) {
                double s = outConst[j];
                for (int k = 0; k < outVars[j].length; k++) {
                    s += outCoef[j][k] * solution[outVars[j][k]];
                }
                y[j] = s;
            }
            return y;
        }

        /** Binary variables: one per unstable ReLU plus those of max pools. */
        public int binaryCount() {
            return model.binaryCount();
        }

        /** ReLU-family elements whose bounds straddle zero (each costs a binary). */
        public int unstableCount() {
            return unstable;
        }

        /** ReLU-family elements with lower bound >= 0: encoded as the identity. */
        public int stableActiveCount() {
            return stableActive;
        }

        /** ReLU-family elements with upper bound <= 0: encoded as zero (or the negative slope). */
        public int stableInactiveCount() {
            return stableInactive;
        }

        public int maxPoolBinaryCount() {
            return maxPoolBinaries;
        }

        /** Wall time of the encoding (bounds included when they were computed here), in seconds. */
        public double seconds() {
            return seconds;
        }

        @Override
        public String toString() {
            return "Encoding[" + model + ", relu: " + unstable + " unstable, " + stableActive + " active, "
                    + stableInactive + " inactive; " + maxPoolBinaries + " max-pool binaries]";
        }
    }

    /**
     * An affine combination of two or more variables that has not been given a variable yet: it gets
     * one (with an equality) only when a consumer needs it as a single variable, so values that feed
     * only inactive ReLUs or the objective add no rows.
     */
    private static final class Pending {
        final int[] vars;
        final double[] weights;
        final double constant;
        final double lo;
        final double hi;
        int variable = -1;

        Pending(int[] vars, double[] weights, double constant, double lo, double hi) {
            this.vars = vars;
            this.weights = weights;
            this.constant = constant;
            this.lo = lo;
            this.hi = hi;
        }
    }

    /** Marks an element held as {@code coef·pending + off}. */
    private static final int PENDING = -2;
    /** Marks a constant element ({@code off}). */
    private static final int CONSTANT = -1;

    /** One encoding run. */
    private static final class Builder {
        private final Graph graph;
        private final InputDomain domain;
        private final BoundContext ctx;
        private final MipModel.Builder mip = MipModel.builder();
        /**
         * Per value, each element as {@code coef·x_var + off}; {@code var} {@link #CONSTANT}: the constant
         * {@code off}; {@code var} {@link #PENDING}: {@code coef·pend + off} for a pending combination.
         */
        private final int[][] var;
        private final double[][] coef;
        private final double[][] off;
        private final Pending[][] pend;
        private int unstable;
        private int stableActive;
        private int stableInactive;
        private int maxPoolBinaries;
        /** Scratch for summing terms: coefficient per MIP variable and the list of variables touched. */
        private double[] acc = new double[1024];
        private boolean[] marked = new boolean[1024];
        private int[] touched = new int[64];
        private int touchedCount;

        Builder(Graph graph, InputDomain domain, BoundContext ctx) {
            this.graph = graph;
            this.domain = domain;
            this.ctx = ctx;
            int values = graph.valueCount();
            var = new int[values][];
            coef = new double[values][];
            off = new double[values][];
            pend = new Pending[values][];
        }

        Encoding run(long t0) {
            double[] lo = domain.lower();
            double[] hi = domain.upper();
            int n = lo.length;
            int[] inputVar = new int[n];
            allocate(0, n);
            for (int i = 0; i < n; i++) {
                if (lo[i] == hi[i]) {
                    inputVar[i] = -1;
                    var[0][i] = CONSTANT;
                    off[0][i] = lo[i];
                } else {
                    int v = mip.addContinuous(lo[i], hi[i]);
                    inputVar[i] = v;
                    var[0][i] = v;
                    coef[0][i] = 1.0;
                }
            }
            for (Node node : graph.nodes()) {
                Operator op = node.op();
                int size = node.outputShape().size();
                int out = node.output();
                if (op.constantOutput() != null && node.inputs().length == 0) {
                    allocate(out, size);
                    double[] d = op.constantOutput().data();
                    Arrays.fill(var[out], CONSTANT);
                    System.arraycopy(d, 0, off[out], 0, size);
                } else if (op.isLayoutPreserving() && node.inputs().length == 1) {
                    int in = node.inputs()[0];
                    var[out] = var[in];
                    coef[out] = coef[in];
                    off[out] = off[in];
                    pend[out] = pend[in];
                } else if (op instanceof Activation a) {
                    relu(node, a.negativeSlope());
                } else if (op instanceof Pooling p && p.isMax()) {
                    maxPool(node, p.windowIndices());
                } else {
                    affine(node);
                }
            }
            int ov = graph.outputValue();
            int m = graph.outputSize();
            int[][] outVars = new int[m][];
            double[][] outCoef = new double[m][];
            double[] outConst = new double[m];
            for (int j = 0; j < m; j++) {
                int v = var[ov][j];
                double c = coef[ov][j];
                outConst[j] = off[ov][j];
                if (v == CONSTANT) {
                    outVars[j] = new int[0];
                    outCoef[j] = new double[0];
                } else if (v == PENDING) {
                    // The objective takes the combination directly: no variable for the outputs.
                    Pending p = pend[ov][j];
                    outVars[j] = p.vars.clone();
                    outCoef[j] = new double[p.vars.length];
                    for (int k = 0; k < p.vars.length; k++) {
                        outCoef[j][k] = c * p.weights[k];
                    }
                    outConst[j] += c * p.constant;
                } else {
                    outVars[j] = new int[] {v};
                    outCoef[j] = new double[] {c};
                }
            }
            MipModel model = mip.build();
            return new Encoding(graph, domain, model, inputVar, outVars, outCoef, outConst, unstable, stableActive,
                    stableInactive, maxPoolBinaries, (System.nanoTime() - t0) / 1e9);
        }

        private void allocate(int value, int size) {
            var[value] = new int[size];
            coef[value] = new double[size];
            off[value] = new double[size];
            pend[value] = new Pending[size];
        }

        /**
         * The MIP variable of element {@code e} of {@code value} (the element is then
         * {@code coef·x + off}): a pending combination gets its variable and equality now. -1 for a
         * constant element.
         */
        private int variableOf(int value, int e) {
            int v = var[value][e];
            if (v != PENDING) {
                return v;
            }
            Pending p = pend[value][e];
            if (p.variable < 0) {
                int z = mip.addContinuous(padDown(p.lo), padUp(Math.max(p.lo, p.hi)));
                int t = p.vars.length;
                int[] idx = Arrays.copyOf(p.vars, t + 1);
                double[] w = new double[t + 1];
                for (int k = 0; k < t; k++) {
                    w[k] = -p.weights[k];
                }
                idx[t] = z;
                w[t] = 1.0;
                mip.addConstraint(idx, w, MipModel.Sense.EQ, p.constant); // z - Σ w x = constant
                p.variable = z;
            }
            return p.variable;
        }

        /** Bounds {lower, upper} of element {@code e} of {@code value} from its own representation. */
        private double[] ownBounds(int value, int e) {
            int v = var[value][e];
            double c = coef[value][e];
            double f = off[value][e];
            double l;
            double h;
            if (v == CONSTANT) {
                return new double[] {f, f};
            } else if (v == PENDING) {
                l = pend[value][e].lo;
                h = pend[value][e].hi;
            } else {
                l = mip.lower(v);
                h = mip.upper(v);
            }
            double a = c * l + f;
            double b = c * h + f;
            return c >= 0 ? new double[] {a, b} : new double[] {b, a};
        }

        // ----- affine operators: the operator's own backward step gives its exact matrix

        /**
         * An affine operator's output elements as sums over its input elements. Rather than reading
         * each family's weights, this runs the operator's backward step (which for an affine operator
         * is exact: the rows of its Jacobian and its constant term, as the bound engine and
         * {@code Operator.vjp} rely on) on unit rows, a block of output elements at a time.
         */
        private void affine(Node node) {
            Operator op = node.op();
            int[] in = node.inputs();
            int outSize = node.outputShape().size();
            int out = node.output();
            int[] inSize = new int[in.length];
            int total = 0;
            for (int j = 0; j < in.length; j++) {
                inSize[j] = graph.valueShape(in[j]).size();
                total += inSize[j];
            }
            allocate(out, outSize);
            double[] lo = ctx.lower(out);
            double[] hi = ctx.upper(out);
            int block = Math.max(1, Math.min(outSize, SCRATCH / Math.max(1, Math.max(outSize, total))));
            BackwardStep st = new BackwardStep();
            for (int o0 = 0; o0 < outSize; o0 += block) {
                int r = Math.min(block, outSize - o0);
                st.rows = r;
                st.a = new double[r * outSize];
                st.hot = new int[r];
                for (int i = 0; i < r; i++) {
                    st.a[i * outSize + o0 + i] = 1.0;
                    st.hot[i] = o0 + i;
                }
                st.bias = new double[r];
                st.aIn = new double[in.length][];
                for (int j = 0; j < in.length; j++) {
                    st.aIn[j] = new double[r * inSize[j]];
                }
                try {
                    op.backward(st);
                } catch (UnsupportedOperationException e) {
                    throw new UnsupportedOperationException("exact MIP is not available for networks with "
                            + node.opType() + ": node '" + node.name() + "' is not affine here (" + e.getMessage()
                            + ")", e);
                }
                for (int i = 0; i < r; i++) {
                    double constant = st.bias[i];
                    for (int j = 0; j < in.length; j++) {
                        int src = in[j];
                        double[] c = coef[src];
                        double[] f = off[src];
                        double[] row = st.aIn[j];
                        int base = i * inSize[j];
                        for (int k = 0; k < inSize[j]; k++) {
                            double w = row[base + k];
                            if (w == 0.0) {
                                continue;
                            }
                            constant += w * f[k];
                            int v = variableOf(src, k);
                            if (v >= 0) {
                                add(v, w * c[k]);
                            }
                        }
                    }
                    finish(out, o0 + i, constant, lo[o0 + i], hi[o0 + i]);
                }
            }
        }

        private void add(int v, double w) {
            if (v >= acc.length) {
                int cap = Math.max(v + 1, 2 * acc.length);
                acc = Arrays.copyOf(acc, cap);
                marked = Arrays.copyOf(marked, cap);
            }
            if (!marked[v]) {
                marked[v] = true;
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, 2 * touchedCount);
                }
                touched[touchedCount++] = v;
            }
            acc[v] += w;
        }

        /** Turns the accumulated sum into element {@code e} of value {@code out}, and clears it. */
        private void finish(int out, int e, double constant, double lo, double hi) {
            int terms = 0;
            int[] live = new int[touchedCount];
            for (int t = 0; t < touchedCount; t++) {
                int v = touched[t];
                if (acc[v] != 0.0) {
                    live[terms++] = v; // terms that cancel exactly are dropped
                }
            }
            if (terms == 0) {
                var[out][e] = CONSTANT;
                coef[out][e] = 0.0;
                off[out][e] = constant;
            } else if (terms == 1) {
                int v = live[0];
                var[out][e] = v;
                coef[out][e] = acc[v];
                off[out][e] = constant;
            } else {
                int[] idx = Arrays.copyOf(live, terms);
                double[] w = new double[terms];
                for (int t = 0; t < terms; t++) {
                    w[t] = acc[idx[t]];
                }
                var[out][e] = PENDING;
                coef[out][e] = 1.0;
                off[out][e] = 0.0;
                pend[out][e] = new Pending(idx, w, constant, lo, hi);
            }
            for (int t = 0; t < touchedCount; t++) {
                acc[touched[t]] = 0.0;
                marked[touched[t]] = false;
            }
            touchedCount = 0;
        }

        // ----- ReLU family

        /**
         * {@code y = max(x, a·x)} ({@code a} = 0 for ReLU). Stable elements need no binary: identity when
         * {@code l >= 0}, {@code a·x} when {@code u <= 0}. An unstable one gets a binary {@code δ}
         * (1: active) and {@code y >= x}, {@code y >= a·x}, {@code y <= x - (1-a)·l·(1-δ)},
         * {@code y <= a·x + (1-a)·u·δ}: with δ = 1 these force {@code y = x >= 0}, with δ = 0
         * {@code y = a·x}, {@code x <= 0}.
         */
        private void relu(Node node, double a) {
            int in = node.inputs()[0];
            int out = node.output();
            int size = node.outputShape().size();
            allocate(out, size);
            double[] lo = ctx.lower(in);
            double[] hi = ctx.upper(in);
            for (int e = 0; e < size; e++) {
                double c = coef[in][e];
                double f = off[in][e];
                if (var[in][e] == CONSTANT) {
                    var[out][e] = CONSTANT;
                    off[out][e] = f > 0 ? f : a * f;
                    continue;
                }
                if (a == 1.0) {
                    copy(in, e, out, e, 1.0);
                    continue;
                }
                // The tighter of the bound engine's bounds and the element's own bounds.
                double[] own = ownBounds(in, e);
                double l = Math.max(lo[e], own[0]);
                double u = Math.min(hi[e], own[1]);
                if (u < l) {
                    u = l; // bounds that cross by rounding: a (numerically) fixed element
                }
                if (l >= 0) {
                    stableActive++;
                    copy(in, e, out, e, 1.0);
                } else if (u <= 0) {
                    stableInactive++;
                    if (a == 0.0) {
                        var[out][e] = CONSTANT;
                        off[out][e] = 0.0;
                    } else {
                        copy(in, e, out, e, a);
                    }
                } else {
                    if (!Double.isFinite(l) || !Double.isFinite(u)) {
                        throw new IllegalArgumentException("element " + e + " of the input of node '" + node.name()
                                + "' has an infinite bound [" + l + ", " + u + "]: no big-M encoding exists");
                    }
                    unstable++;
                    int v = variableOf(in, e);
                    double lp = padDown(l);
                    double up = padUp(u);
                    int y = mip.addContinuous(a * lp, up);
                    int d = mip.addBinary();
                    // x = c·v + f
                    // y >= x:              y - c v >= f
                    mip.addConstraint(new int[] {y, v}, new double[] {1, -c}, MipModel.Sense.GE, f);
                    if (a > 0) {
                        // y >= a x:        y - a c v >= a f
                        mip.addConstraint(new int[] {y, v}, new double[] {1, -a * c}, MipModel.Sense.GE, a * f);
                    }
                    // y <= x - (1-a) l (1-δ):  y - c v - (1-a) l δ <= f - (1-a) l
                    mip.addConstraint(new int[] {y, v, d}, new double[] {1, -c, -(1 - a) * lp}, MipModel.Sense.LE,
                            f - (1 - a) * lp);
                    // y <= a x + (1-a) u δ:    y - a c v - (1-a) u δ <= a f
                    mip.addConstraint(new int[] {y, v, d}, new double[] {1, -a * c, -(1 - a) * up}, MipModel.Sense.LE,
                            a * f);
                    var[out][e] = y;
                    coef[out][e] = 1.0;
                    off[out][e] = 0.0;
                }
            }
        }

        /** Element {@code eo} of {@code out} := {@code scale} × element {@code ei} of {@code in}. */
        private void copy(int in, int ei, int out, int eo, double scale) {
            var[out][eo] = var[in][ei];
            coef[out][eo] = scale * coef[in][ei];
            off[out][eo] = scale * off[in][ei];
            pend[out][eo] = pend[in][ei];
        }

        // ----- max pooling

        /**
         * {@code y = max_k x_k} over each window. Inputs whose upper bound is below the largest lower
         * bound can never be the maximum and are dropped; when one input remains it is the output.
         * Otherwise binaries {@code δ_k} with {@code Σ δ_k = 1}, {@code y >= x_k} and
         * {@code y <= x_k + (U - l_k)(1 - δ_k)} with {@code U} the largest upper bound.
         */
        private void maxPool(Node node, int[][] windows) {
            int in = node.inputs()[0];
            int out = node.output();
            int size = node.outputShape().size();
            allocate(out, size);
            double[] lo = ctx.lower(in);
            double[] hi = ctx.upper(in);
            for (int e = 0; e < size; e++) {
                int[] w = windows[e];
                int n = w.length;
                double[] l = new double[n];
                double[] u = new double[n];
                double bestLo = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int k = 0; k < n; k++) {
                    int i = w[k];
                    double[] own = ownBounds(in, i);
                    l[k] = Math.max(lo[i], own[0]);
                    u[k] = Math.max(l[k], Math.min(hi[i], own[1]));
                    if (l[k] > bestLo) {
                        bestLo = l[k];
                        best = k;
                    }
                }
                int[] cand = new int[n];
                int m = 0;
                double top = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    if (k == best || u[k] > bestLo) {
                        cand[m++] = k;
                        top = Math.max(top, u[k]);
                    }
                }
                if (m == 1) {
                    copy(in, w[cand[0]], out, e, 1.0);
                    continue;
                }
                if (!Double.isFinite(top) || !Double.isFinite(bestLo)) {
                    throw new IllegalArgumentException("max-pool window " + e + " of node '" + node.name()
                            + "' has an infinite bound: no big-M encoding exists");
                }
                double topP = padUp(top);
                int y = mip.addContinuous(padDown(bestLo), topP);
                int[] ds = new int[m];
                double[] ones = new double[m];
                for (int q = 0; q < m; q++) {
                    int k = cand[q];
                    int i = w[k];
                    int v = variableOf(in, i);
                    double c = coef[in][i];
                    double f = off[in][i];
                    int d = mip.addBinary();
                    maxPoolBinaries++;
                    ds[q] = d;
                    ones[q] = 1.0;
                    double big = topP - padDown(l[k]);
                    if (v < 0) {
                        // y >= f ; y + big δ <= f + big
                        mip.addConstraint(new int[] {y}, new double[] {1}, MipModel.Sense.GE, f);
                        mip.addConstraint(new int[] {y, d}, new double[] {1, big}, MipModel.Sense.LE, f + big);
                    } else {
                        // y - c v >= f ; y - c v + big δ <= f + big
                        mip.addConstraint(new int[] {y, v}, new double[] {1, -c}, MipModel.Sense.GE, f);
                        mip.addConstraint(new int[] {y, v, d}, new double[] {1, -c, big}, MipModel.Sense.LE, f + big);
                    }
                }
                mip.addConstraint(ds, ones, MipModel.Sense.EQ, 1.0);
                var[out][e] = y;
                coef[out][e] = 1.0;
                off[out][e] = 0.0;
            }
        }

        private static double padDown(double b) {
            return b - BOUND_PADDING * Math.max(1.0, Math.abs(b));
        }

        private static double padUp(double b) {
            return b + BOUND_PADDING * Math.max(1.0, Math.abs(b));
        }
    }
}
