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
 */
public final class AlphaCrown implements BoundMethod {
    /** Optimisation settings (auto_LiRPA's defaults). */
    public record Options(int iterations, double learningRate, double decay, double beta1, double beta2) {
        public static Options defaults() {
            return new Options(20, 0.5, 0.98, 0.9, 0.999);
        }
    }

    private final Options options;

    public AlphaCrown() {
        this(Options.defaults());
    }

    public AlphaCrown(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "alpha-crown";
    }

    @Override
    public Bounds compute(BoundContext context, Spec spec) {
        long t0 = System.nanoTime();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("domain", context.domain().describe());
        settings.put("intermediate", "crown");
        return optimise(context.crownIntermediates(), spec, settings, t0);
    }

    /**
     * The optimisation over the intermediate bounds of {@code p} (CROWN's, or PT-LiRPA's estimated
     * ones); the optimiser settings are appended to {@code settings}.
     */
    Bounds optimise(BoundPropagation p, Spec spec, Map<String, Object> settings, long t0) {
        Graph graph = p.graph;
        double[] c = Crown.specMatrix(spec, graph);
        int rows = 2 * spec.rows();
        List<Node> nodes = p.nodes();
        int nodeCount = nodes.size();

        // Parameters, their ranges, and which are free.
        BoundPropagation.Parameters params = new BoundPropagation.Parameters(nodeCount);
        double[][] lowMin = new double[nodeCount][];
        double[][] lowMax = new double[nodeCount][];
        double[][] upMin = new double[nodeCount][];
        double[][] upMax = new double[nodeCount][];
        boolean any = false;
        for (int k = 0; k < nodeCount; k++) {
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

        double[][] record = new double[nodeCount][];
        BoundPropagation.Linear lin = p.backward(graph.outputValue(), c, rows, params, record);
        double[] best = lin.concretize(p.inLo, p.inHi);
        BoundPropagation.Linear bestLin = lin;
        double[] bestA = lin.a.clone();
        double[] bestB = lin.b.clone();
        int n0 = graph.inputSize();
        int iterations = any ? options.iterations() : 0;
        AdamState adam = new AdamState(params, options);
        double lr = options.learningRate();
        for (int it = 0; it < iterations; it++) {
            double[][] gLow = new double[nodeCount][];
            double[][] gUp = new double[nodeCount][];
            gradients(p, lin, params, record, gLow, gUp, rows);
            adam.step(params, gLow, gUp, lr, lowMin, lowMax, upMin, upMax, rows);
            lr *= options.decay();
            lin = p.backward(graph.outputValue(), c, rows, params, record);
            double[] m = lin.concretize(p.inLo, p.inHi);
            for (int r = 0; r < rows; r++) {
                if (m[r] > best[r]) {
                    best[r] = m[r];
                    System.arraycopy(lin.a, r * n0, bestA, r * n0, n0);
                    bestB[r] = lin.b[r];
                }
            }
        }
        bestLin = new BoundPropagation.Linear(bestA, bestB, rows, n0);
        settings.put("iterations", options.iterations());
        settings.put("lr", options.learningRate());
        settings.put("lr_decay", options.decay());
        settings.put("optimiser", "adam");
        return Crown.finish(bestLin, p, name(), settings, t0);
    }

    /**
     * d(row bound)/d(parameter) for every free parameter: the coefficient reaching the element times
     * (d slope · z + d intercept), with z the element's input in the relaxed network at the row's
     * minimising corner.
     */
    private static void gradients(BoundPropagation p, BoundPropagation.Linear lin, BoundPropagation.Parameters params,
            double[][] record, double[][] gLow, double[][] gUp, int rows) {
        List<Node> nodes = p.nodes();
        Graph g = p.graph;
        double[][] val = new double[g.valueCount()][];
        val[0] = lin.minimisers(p.inLo, p.inHi);
        double[] line = new double[4];
        for (int k = 0; k < nodes.size(); k++) {
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
        }
    }

    /** Adam moments per parameter (ascent), projected onto each parameter's range. */
    private static final class AdamState {
        private final double[][] mLow;
        private final double[][] vLow;
        private final double[][] mUp;
        private final double[][] vUp;
        private final Options o;
        private int t;

        AdamState(BoundPropagation.Parameters params, Options o) {
            int n = params.low.length;
            this.o = o;
            mLow = new double[n][];
            vLow = new double[n][];
            mUp = new double[n][];
            vUp = new double[n][];
            for (int k = 0; k < n; k++) {
                if (params.low[k] != null) {
                    mLow[k] = new double[params.low[k].length];
                    vLow[k] = new double[params.low[k].length];
                    mUp[k] = new double[params.up[k].length];
                    vUp[k] = new double[params.up[k].length];
                }
            }
        }

        void step(BoundPropagation.Parameters params, double[][] gLow, double[][] gUp, double lr, double[][] lowMin,
                double[][] lowMax, double[][] upMin, double[][] upMax, int rows) {
            t++;
            double c1 = 1 - Math.pow(o.beta1(), t);
            double c2 = 1 - Math.pow(o.beta2(), t);
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
