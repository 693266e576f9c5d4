package org.proofmap.bounds;

import java.util.List;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.Activation;
import org.proofmap.model.ops.BackwardStep;
import org.proofmap.model.ops.Operator;

/**
 * Interval bounds, over a box, of the gradient of a linear function {@code w·y} of the model's
 * outputs with respect to its inputs: the interval Jacobian propagated backward. Through an affine
 * operator the gradient interval is multiplied by the operator's (constant) transposed Jacobian in
 * interval arithmetic; through a ReLU-family activation by the interval of its derivative over the
 * activation's input bounds: {1} where the neuron is stably active, {slope} where stably inactive,
 * and the hull of both where it is unstable. Every gradient of {@code w·y} at a point of the box
 * where it exists lies within the bounds.
 *
 * <p>For models of affine operators and {@link Activation}s (ACAS Xu, the MLPs that input splitting
 * suits). The operators' Jacobians are extracted once, on first use (so constructing one for a model
 * it does not support costs nothing until it is asked for bounds), and bounding a box costs one pass
 * of interval matrix-vector products. Thread-safe.
 */
public final class JacobianBounds {
    private final Graph graph;
    private final List<Node> nodes;
    /**
     * Per node and dynamic input, the operator's Jacobian {@code outputSize × inputSize} (row
     * {@code r} is the gradient of output element {@code r}); null for activations.
     */
    private double[][][] jacobians;

    public JacobianBounds(Graph graph) {
        this.graph = graph;
        this.nodes = graph.nodes();
    }

    /**
     * The Jacobians of the affine nodes, extracted on the first call.
     *
     * @throws IllegalArgumentException when the model has an operator other than affine ones and
     *     ReLU-family activations (its derivative range is not known here)
     */
    private synchronized double[][][] jacobians() {
        if (jacobians != null) {
            return jacobians;
        }
        double[][][] jac = new double[nodes.size()][][];
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            Operator op = n.op();
            if (op instanceof Activation) {
                continue;
            }
            if (op.backwardNeedsInputBounds()) {
                throw new IllegalArgumentException("interval gradients support affine operators and ReLU-family "
                        + "activations; node " + k + " is " + op.opType());
            }
            jac[k] = jacobian(n);
        }
        jacobians = jac;
        return jac;
    }

    /** The Jacobian of an affine node: its backward step applied to the identity rows. */
    private double[][] jacobian(Node n) {
        int m = n.outputShape().size();
        int[] in = n.inputs();
        BackwardStep st = new BackwardStep();
        st.a = new double[m * m];
        for (int r = 0; r < m; r++) {
            st.a[r * m + r] = 1.0;
        }
        st.rows = m;
        st.aIn = new double[in.length][];
        for (int j = 0; j < in.length; j++) {
            st.aIn[j] = new double[m * graph.valueShape(in[j]).size()];
        }
        st.bias = new double[m];
        n.op().backward(st);
        return st.aIn;
    }

    /**
     * Bounds {lower, upper} of {@code ∂(w·y)/∂x} over {@code context}'s domain, using the context's
     * CROWN bounds of the activations' inputs to tell stable neurons from unstable ones.
     *
     * @throws IllegalArgumentException when the model has an operator other than affine ones and
     *     ReLU-family activations (its derivative range is not known here)
     */
    public double[][] of(BoundContext context, double[] w) {
        if (context.graph() != graph) {
            throw new IllegalArgumentException("the context is over another model");
        }
        if (w.length != graph.outputSize()) {
            throw new IllegalArgumentException("w has " + w.length + " entries but the model has "
                    + graph.outputSize() + " outputs");
        }
        double[][][] jac = jacobians();
        BoundPropagation p = context.crownIntermediates();
        double[][] gl = new double[graph.valueCount()][];
        double[][] gu = new double[graph.valueCount()][];
        gl[graph.outputValue()] = w.clone();
        gu[graph.outputValue()] = w.clone();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            double[] ol = gl[n.output()];
            double[] ou = gu[n.output()];
            if (ol == null) {
                continue; // the output does not reach w·y
            }
            int[] in = n.inputs();
            if (n.op() instanceof Activation act) {
                int v = in[0];
                double[] il = accumulator(gl, v);
                double[] iu = accumulator(gu, v);
                double s = act.negativeSlope();
                for (int i = 0; i < ol.length; i++) {
                    // Derivative range over the neuron's input bounds.
                    double dl = p.lo[v][i] >= 0 ? 1.0 : p.hi[v][i] <= 0 ? s : Math.min(s, 1.0);
                    double du = p.lo[v][i] >= 0 ? 1.0 : p.hi[v][i] <= 0 ? s : Math.max(s, 1.0);
                    double a = ol[i] * dl;
                    double b = ol[i] * du;
                    double c = ou[i] * dl;
                    double d = ou[i] * du;
                    il[i] += Math.min(Math.min(a, b), Math.min(c, d));
                    iu[i] += Math.max(Math.max(a, b), Math.max(c, d));
                }
                continue;
            }
            for (int j = 0; j < in.length; j++) {
                double[] jk = jac[k][j];
                double[] il = accumulator(gl, in[j]);
                double[] iu = accumulator(gu, in[j]);
                int size = il.length;
                for (int r = 0; r < ol.length; r++) {
                    double lo = ol[r];
                    double hi = ou[r];
                    if (lo == 0.0 && hi == 0.0) {
                        continue;
                    }
                    int o = r * size;
                    for (int i = 0; i < size; i++) {
                        double c = jk[o + i];
                        if (c > 0) {
                            il[i] += c * lo;
                            iu[i] += c * hi;
                        } else if (c < 0) {
                            il[i] += c * hi;
                            iu[i] += c * lo;
                        }
                    }
                }
            }
        }
        double[] l = gl[0] == null ? new double[graph.inputSize()] : gl[0];
        double[] u = gu[0] == null ? new double[graph.inputSize()] : gu[0];
        return new double[][] {l, u};
    }

    /** The gradient bound of value {@code v}, zero until a consumer adds to it. */
    private double[] accumulator(double[][] g, int v) {
        if (g[v] == null) {
            g[v] = new double[graph.valueShape(v).size()];
        }
        return g[v];
    }
}
