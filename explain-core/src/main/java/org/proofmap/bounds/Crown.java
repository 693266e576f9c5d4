package org.proofmap.bounds;

import java.util.LinkedHashMap;
import java.util.Map;
import org.proofmap.model.Graph;

/**
 * CROWN: backward linear relaxation of the whole network for the spec rows. Intermediate bounds
 * (the input bounds of every nonlinear operator) come from CROWN itself ({@code crown}, auto_LiRPA's
 * {@code method="backward"}) or from interval propagation ({@code crown-ibp}).
 */
public final class Crown implements BoundMethod {
    private final boolean ibpIntermediate;

    /** @param ibpIntermediate true for CROWN-IBP (interval intermediate bounds) */
    public Crown(boolean ibpIntermediate) {
        this.ibpIntermediate = ibpIntermediate;
    }

    @Override
    public String name() {
        return ibpIntermediate ? "crown-ibp" : "crown";
    }

    @Override
    public Bounds compute(BoundContext context, Spec spec) {
        long t0 = System.nanoTime();
        Graph graph = context.graph();
        BoundPropagation p = ibpIntermediate ? context.intervals() : context.crownIntermediates();
        // Rows [C; -C], the upper-bound rows carried as differences where the graph allows it.
        BoundPropagation.Linear lin = p.pairedBackward(graph.outputValue(), specRows(spec, graph), spec.rows());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("domain", context.domain().describe());
        settings.put("intermediate", ibpIntermediate ? "ibp" : context.isOptimised() ? "alpha-crown" : "crown");
        return finish(lin, p, name(), settings, t0);
    }

    /** {@code [C; -C]} over the flattened model output: lower bounds of both give lower and upper bounds. */
    static double[] specMatrix(Spec spec, Graph graph) {
        double[] c = specRows(spec, graph);
        double[] both = new double[2 * c.length];
        for (int i = 0; i < c.length; i++) {
            both[i] = c[i];
            both[c.length + i] = -c[i];
        }
        return both;
    }

    /** {@code C} over the flattened model output, row-major. */
    static double[] specRows(Spec spec, Graph graph) {
        int out = graph.outputSize();
        if (spec.outputs() != out) {
            throw new IllegalArgumentException("the spec has " + spec.outputs() + " columns but the model has " + out
                    + " outputs");
        }
        int r = spec.rows();
        double[] c = new double[r * out];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < out; j++) {
                c[i * out + j] = spec.get(i, j);
            }
        }
        return c;
    }

    /** Bounds from linear functions over {@code [C; -C]}. */
    static Bounds finish(BoundPropagation.Linear lin, BoundPropagation p, String method, Map<String, Object> settings,
            long t0) {
        double[] m = lin.concretize(p.inLo, p.inHi);
        int r = lin.rows / 2;
        int n = lin.n;
        double[] lower = new double[r];
        double[] upper = new double[r];
        double[][] la = new double[r][];
        double[][] ua = new double[r][];
        double[] lb = new double[r];
        double[] ub = new double[r];
        for (int i = 0; i < r; i++) {
            lower[i] = m[i];
            upper[i] = -m[r + i];
            la[i] = java.util.Arrays.copyOfRange(lin.a, i * n, (i + 1) * n);
            ua[i] = new double[n];
            for (int k = 0; k < n; k++) {
                ua[i][k] = -lin.a[(r + i) * n + k];
            }
            lb[i] = lin.b[i];
            ub[i] = -lin.b[r + i];
        }
        return new Bounds(lower, upper, la, lb, ua, ub, method, settings, (System.nanoTime() - t0) / 1e9);
    }

    /** Interval-style bounds of the spec rows: {lower, upper}. */
    static double[][] specBounds(BoundPropagation p, Spec spec, boolean stopAtNonlinear) {
        BoundPropagation.Linear lin = p.backward(p.graph.outputValue(), specMatrix(spec, p.graph), 2 * spec.rows(), null,
                null, stopAtNonlinear);
        double[] m = lin.concretize(p.inLo, p.inHi);
        int r = spec.rows();
        double[] lower = new double[r];
        double[] upper = new double[r];
        for (int i = 0; i < r; i++) {
            lower[i] = m[i];
            upper[i] = -m[r + i];
        }
        return new double[][] {lower, upper};
    }
}
