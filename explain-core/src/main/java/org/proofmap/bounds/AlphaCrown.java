package org.proofmap.bounds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.ElementwiseNonlinear;

/**
 * alpha-CROWN: CROWN whose relaxation lines in the final backward pass are optimised per spec row
 * (an unstable ReLU's lower slope, an S-curve's tangent points) by projected gradient ascent with
 * Adam, as auto_LiRPA's {@code CROWN-Optimized} with {@code fix_interm_bounds}: intermediate bounds
 * are CROWN's and stay fixed. It starts from CROWN's lines and keeps the best bound of each row, so
 * it is never looser than CROWN; every bound it returns is evaluated with valid lines, so it is sound
 * whatever the optimiser does.
 *
 * <p>Gradients are exact almost everywhere: the bound of a row is linear in each line's slope and
 * intercept, with the coefficient reaching that element times the element's value in the relaxed
 * network (every nonlinearity replaced by the lines the row uses) at the box corner that attains the
 * row's minimum. The relaxed network runs batched over the rows through the operators' own forward
 * passes.
 *
 * <p>Two extensions use the same optimiser. {@code alpha-crown-full} optimises the intermediate
 * bounds as well: each unstable element's lower and upper bound is a row of its own, optimised over
 * the lines before it, layer by layer ({@link #optimiseValue}); on mnist-net_256x6 at eps 0.03 that
 * moves the worst margin of prop_7 from −10 to −0.2. And on a branch-and-bound subdomain (a
 * propagation with ReLU splits) every split element gets a beta-CROWN multiplier
 * ({@link BoundPropagation.Parameters#beta}), optimised with the lines, so the split constraints act
 * inside the backward pass instead of only through the clamped bounds.
 */
public final class AlphaCrown implements BoundMethod {
    /**
     * Optimisation settings.
     *
     * @param iterations gradient steps
     * @param learningRate Adam's step for the relaxation lines
     * @param betaLearningRate Adam's step for the split multipliers (subdomains only)
     * @param decay the factor applied to both steps after every iteration
     * @param beta1 Adam's first-moment decay
     * @param beta2 Adam's second-moment decay
     */
    public record Options(int iterations, double learningRate, double betaLearningRate, double decay, double beta1,
            double beta2) {
        /** auto_LiRPA's defaults for alpha-CROWN on a whole box. */
        public static Options defaults() {
            return new Options(20, 0.5, 0.05, 0.98, 0.9, 0.999);
        }

        /** With {@code n} iterations. */
        public Options withIterations(int n) {
            return new Options(n, learningRate, betaLearningRate, decay, beta1, beta2);
        }

        /** With learning rates {@code lines} and {@code multipliers}. */
        public Options withLearningRates(double lines, double multipliers) {
            return new Options(iterations, lines, multipliers, decay, beta1, beta2);
        }
    }

    private final Options options;
    private final boolean intermediates;

    public AlphaCrown() {
        this(Options.defaults());
    }

    public AlphaCrown(Options options) {
        this(options, false);
    }

    /**
     * @param intermediates optimise the intermediate bounds too ({@code alpha-crown-full}): every
     *     unstable element's bounds, layer by layer, before the final pass (see
     *     {@link BoundContext#optimised}); otherwise they are the context's (CROWN's)
     */
    public AlphaCrown(Options options, boolean intermediates) {
        this.options = options;
        this.intermediates = intermediates;
    }

    @Override
    public String name() {
        return intermediates ? "alpha-crown-full" : "alpha-crown";
    }

    @Override
    public Bounds compute(BoundContext context, Spec spec) {
        long t0 = System.nanoTime();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("domain", context.domain().describe());
        boolean optimised = intermediates || context.isOptimised();
        settings.put("intermediate", optimised ? "alpha-crown" : "crown");
        BoundPropagation p = intermediates ? context.optimisedIntermediates(options) : context.crownIntermediates();
        return optimise(p, spec, settings, t0);
    }

    /**
     * The optimisation over the intermediate bounds of {@code p} (CROWN's, or PT-LiRPA's estimated
     * ones); the optimiser settings are appended to {@code settings}.
     */
    Bounds optimise(BoundPropagation p, Spec spec, Map<String, Object> settings, long t0) {
        Graph graph = p.graph;
        double[] c = Crown.specMatrix(spec, graph);
        BoundPropagation.Linear best = optimiseRows(p, graph.outputValue(), c, 2 * spec.rows(), options);
        settings.put("iterations", options.iterations());
        settings.put("lr", options.learningRate());
        settings.put("lr_decay", options.decay());
        settings.put("optimiser", "adam");
        return Crown.finish(best, p, name(), settings, t0);
    }

    /**
     * Linear lower bounds of the {@code rows} functions {@code c} (rows × size of value
     * {@code target}) over {@code p}'s input box, each row's relaxation lines optimised for that row
     * alone: per row, the best bound met (never worse than CROWN's, which it starts from).
     */
    static BoundPropagation.Linear optimiseRows(BoundPropagation p, int target, double[] c, int rows, Options options) {
        Graph graph = p.graph;
        List<Node> nodes = p.nodes();
        int nodeCount = nodes.size();
        int last = p.producerOf(target);

        // Parameters, their ranges, and which are free.
        BoundPropagation.Parameters params = new BoundPropagation.Parameters(nodeCount);
        double[][] lowMin = new double[nodeCount][];
        double[][] lowMax = new double[nodeCount][];
        double[][] upMin = new double[nodeCount][];
        double[][] upMax = new double[nodeCount][];
        boolean any = false;
        for (int k = 0; k <= last; k++) {
            if (!(nodes.get(k).op() instanceof ElementwiseNonlinear f)) {
                continue;
            }
            int v = nodes.get(k).inputs()[0];
            double[] l = p.lo[v];
            double[] u = p.hi[v];
            int n = l.length;
            params.low[k] = new double[rows * n];
            params.up[k] = new double[rows * n];
            lowMin[k] = new double[n];
            lowMax[k] = new double[n];
            upMin[k] = new double[n];
            upMax[k] = new double[n];
            for (int i = 0; i < n; i++) {
                double d = f.defaultParameter(l[i], u[i]);
                double du = f.defaultUpperParameter(l[i], u[i]);
                if (f.isOptimisable(l[i], u[i])) {
                    double[] range = f.parameterRange(l[i], u[i]);
                    lowMin[k][i] = range[0];
                    lowMax[k][i] = range[1];
                    any = true;
                } else {
                    lowMin[k][i] = d;
                    lowMax[k][i] = d;
                }
                double[] ur = f.upperParameterRange(l[i], u[i]);
                if (ur != null) {
                    upMin[k][i] = ur[0];
                    upMax[k][i] = ur[1];
                    any = true;
                } else {
                    upMin[k][i] = du;
                    upMax[k][i] = du;
                }
                for (int r = 0; r < rows; r++) {
                    params.low[k][r * n + i] = d;
                    params.up[k][r * n + i] = du;
                }
            }
        }

        double[][] betaMin = null;
        double[][] betaMax = null;
        if (p.splits != null) {
            // beta-CROWN: one multiplier per row and split element before the target, from 0 (alpha-CROWN),
            // in [0, inf) for split elements; the others are held at 0.
            params.beta = new double[graph.valueCount()][];
            betaMin = new double[graph.valueCount()][];
            betaMax = new double[graph.valueCount()][];
            for (int k = 0; k < last; k++) {
                int v = nodes.get(k).output();
                byte[] sg = p.splits[v];
                if (sg != null) {
                    params.beta[v] = new double[rows * sg.length];
                    betaMin[v] = new double[sg.length];
                    betaMax[v] = new double[sg.length];
                    for (int i = 0; i < sg.length; i++) {
                        betaMax[v][i] = sg[i] != 0 ? Double.POSITIVE_INFINITY : 0.0;
                    }
                    any = true;
                }
            }
        }
        double[][] record = new double[nodeCount][];
        BoundPropagation.Linear lin = p.backward(target, c, rows, params, record);
        double[] best = lin.concretize(p.inLo, p.inHi);
        double[] bestA = lin.a.clone();
        double[] bestB = lin.b.clone();
        int n0 = graph.inputSize();
        int iterations = any ? options.iterations() : 0;
        AdamState adam = new AdamState(params, options);
        double lr = options.learningRate();
        double lrBeta = options.betaLearningRate();
        for (int it = 0; it < iterations; it++) {
            double[][] gLow = new double[nodeCount][];
            double[][] gUp = new double[nodeCount][];
            double[][] gBeta = params.beta == null ? null : new double[params.beta.length][];
            gradients(p, lin, params, record, gLow, gUp, gBeta, rows, last);
            adam.step(params, gLow, gUp, gBeta, lr, lrBeta, lowMin, lowMax, upMin, upMax, betaMin, betaMax, rows);
            lr *= options.decay();
            lrBeta *= options.decay();
            lin = p.backward(target, c, rows, params, record);
            double[] m = lin.concretize(p.inLo, p.inHi);
            for (int r = 0; r < rows; r++) {
                if (m[r] > best[r]) {
                    best[r] = m[r];
                    System.arraycopy(lin.a, r * n0, bestA, r * n0, n0);
                    bestB[r] = lin.b[r];
                }
            }
        }
        return new BoundPropagation.Linear(bestA, bestB, rows, n0);
    }

    /** Rows per independent optimisation of intermediate bounds (a task for one core). */
    private static final int INTERMEDIATE_CHUNK = 64;

    /**
     * Tightens the bounds of value {@code v} of {@code p} (CROWN's, already computed) by optimising
     * the relaxation of every nonlinear operator before it, separately for the lower and the upper
     * bound of each unstable element: the intermediate-bound half of alpha-CROWN, which CROWN's
     * fixed lines leave loose on deep networks. Rows are independent, so chunks of them run on all
     * cores. Returns {lower, upper} of the chosen elements, or null when {@code v} has no unstable
     * element or no optimisable relaxation precedes it.
     */
    static double[][] optimiseValue(BoundPropagation p, int v, int[] elements, Options options) {
        int size = p.lo[v].length;
        int m = elements.length;
        boolean relaxed = false;
        for (int k = 0; k < p.producerOf(v); k++) {
            relaxed |= p.nodes().get(k).op() instanceof ElementwiseNonlinear;
        }
        if (m == 0 || !relaxed) {
            return null;
        }
        double[] lower = new double[m];
        double[] upper = new double[m];
        int chunks = (m + INTERMEDIATE_CHUNK - 1) / INTERMEDIATE_CHUNK;
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, chunks);
        if (chunks > 1 && BoundPropagation.PARALLEL) {
            range = range.parallel();
        }
        range.forEach(ch -> {
            int from = ch * INTERMEDIATE_CHUNK;
            int r = Math.min(m, from + INTERMEDIATE_CHUNK) - from;
            double[] c = new double[2 * r * size];
            for (int j = 0; j < r; j++) {
                c[j * size + elements[from + j]] = 1;
                c[(r + j) * size + elements[from + j]] = -1;
            }
            BoundPropagation.Linear lin = optimiseRows(p, v, c, 2 * r, options);
            double[] b = lin.concretize(p.inLo, p.inHi);
            for (int j = 0; j < r; j++) {
                lower[from + j] = b[j];
                upper[from + j] = -b[r + j];
            }
        });
        return new double[][] {lower, upper};
    }

    /**
     * d(row bound)/d(parameter) for every free parameter: the coefficient reaching the element times
     * (d slope · z + d intercept), with z the element's input in the relaxed network at the row's
     * minimising corner.
     */
    private static void gradients(BoundPropagation p, BoundPropagation.Linear lin, BoundPropagation.Parameters params,
            double[][] record, double[][] gLow, double[][] gUp, double[][] gBeta, int rows, int last) {
        List<Node> nodes = p.nodes();
        Graph g = p.graph;
        double[][] val = new double[g.valueCount()][];
        val[0] = lin.minimisers(p.inLo, p.inHi);
        double[] line = new double[4];
        for (int k = 0; k <= last; k++) {
            Node node = nodes.get(k);
            int[] in = node.inputs();
            int size = node.outputShape().size();
            double[] out = new double[rows * size];
            if (node.op() instanceof ElementwiseNonlinear f) {
                double[] z = val[in[0]];
                double[] l = p.lo[in[0]];
                double[] u = p.hi[in[0]];
                double[] coef = record[k];
                gLow[k] = new double[rows * size];
                gUp[k] = new double[rows * size];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < size; i++) {
                        int idx = r * size + i;
                        double cf = coef == null ? 0 : coef[idx];
                        if (cf < 0) {
                            f.upperLine(l[i], u[i], params.up[k][idx], line);
                            gUp[k][idx] = cf * (line[2] * z[idx] + line[3]);
                        } else {
                            f.lowerLine(l[i], u[i], params.low[k][idx], line);
                            gLow[k][idx] = cf * (line[2] * z[idx] + line[3]);
                        }
                        out[idx] = line[0] * z[idx] + line[1];
                    }
                }
            } else {
                double[][] ins = new double[in.length][];
                for (int j = 0; j < in.length; j++) {
                    ins[j] = val[in[j]];
                }
                // Affine operators are their own relaxation; others (max pooling) are evaluated exactly,
                // which only approximates the gradient and never affects soundness.
                node.op().forward(ins, out, rows);
            }
            val[node.output()] = out;
            int v = node.output();
            if (gBeta != null && params.beta[v] != null) {
                // d/d beta of (− beta·s·z) at the minimiser: − s · z in the relaxed network.
                byte[] sg = p.splits[v];
                double[] gb = new double[rows * size];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < size; i++) {
                        if (sg[i] != 0) {
                            gb[r * size + i] = -sg[i] * out[r * size + i];
                        }
                    }
                }
                gBeta[v] = gb;
            }
        }
    }

    /** Adam moments per parameter (ascent), projected onto each parameter's range. */
    private static final class AdamState {
        private final double[][] mLow;
        private final double[][] vLow;
        private final double[][] mUp;
        private final double[][] vUp;
        private final double[][] mBeta;
        private final double[][] vBeta;
        private final Options o;
        private int t;

        AdamState(BoundPropagation.Parameters params, Options o) {
            this.o = o;
            mLow = zerosLike(params.low);
            vLow = zerosLike(params.low);
            mUp = zerosLike(params.up);
            vUp = zerosLike(params.up);
            mBeta = zerosLike(params.beta);
            vBeta = zerosLike(params.beta);
        }

        /** Zero arrays shaped as {@code a} (null entries stay null; a null {@code a} has none). */
        private static double[][] zerosLike(double[][] a) {
            if (a == null) {
                return new double[0][];
            }
            double[][] z = new double[a.length][];
            for (int k = 0; k < a.length; k++) {
                z[k] = a[k] == null ? null : new double[a[k].length];
            }
            return z;
        }

        void step(BoundPropagation.Parameters params, double[][] gLow, double[][] gUp, double[][] gBeta, double lr,
                double lrBeta, double[][] lowMin, double[][] lowMax, double[][] upMin, double[][] upMax,
                double[][] betaMin, double[][] betaMax, int rows) {
            t++;
            double c1 = 1 - Math.pow(o.beta1(), t);
            double c2 = 1 - Math.pow(o.beta2(), t);
            for (int v = 0; v < mBeta.length; v++) {
                if (mBeta[v] != null && gBeta[v] != null) {
                    update(params.beta[v], gBeta[v], mBeta[v], vBeta[v], lrBeta, c1, c2, betaMin[v], betaMax[v], rows);
                }
            }
            for (int k = 0; k < params.low.length; k++) {
                if (params.low[k] == null) {
                    continue;
                }
                update(params.low[k], gLow[k], mLow[k], vLow[k], lr, c1, c2, lowMin[k], lowMax[k], rows);
                update(params.up[k], gUp[k], mUp[k], vUp[k], lr, c1, c2, upMin[k], upMax[k], rows);
            }
        }

        private void update(double[] p, double[] g, double[] m, double[] v, double lr, double c1, double c2,
                double[] min, double[] max, int rows) {
            int n = min.length;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    if (min[i] == max[i]) {
                        continue;
                    }
                    int idx = r * n + i;
                    double gi = g[idx];
                    m[idx] = o.beta1() * m[idx] + (1 - o.beta1()) * gi;
                    v[idx] = o.beta2() * v[idx] + (1 - o.beta2()) * gi * gi;
                    double step = lr * (m[idx] / c1) / (Math.sqrt(v[idx] / c2) + 1e-8);
                    p[idx] = Math.min(max[i], Math.max(min[i], p[idx] + step));
                }
            }
        }
    }
}
