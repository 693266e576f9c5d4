package org.proofmap.bounds;

import java.util.Arrays;
import java.util.List;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.BackwardStep;
import org.proofmap.model.ops.ElementwiseNonlinear;
import org.proofmap.model.ops.Operator;

/**
 * Test helper: gradients (vector-Jacobian products) of a graph at a batch of points, computed by
 * back-propagating through the activations that a {@link ForwardPass} has just produced.
 *
 * <p>How each operator is differentiated:
 *
 * <ul>
 *   <li>elementwise nonlinearities (Relu, LeakyRelu, Sigmoid, Tanh): the upstream coefficient times
 *       {@link ElementwiseNonlinear#derivative} at the recorded input activation (for ReLU at 0 the
 *       negative-side slope);
 *   <li>affine operators (Gemm, MatMul, Conv, Add/Sub with two dynamic inputs, BatchNorm, pools that
 *       average, reshapes, Transpose, Concat...): their own backward coefficient propagation
 *       ({@link Operator#backward}) with the constant term thrown away. For an affine map that
 *       propagation <em>is</em> the transposed Jacobian, and it is batched over the samples (one
 *       coefficient row per sample);
 *   <li>other operators whose relaxation reads input bounds (MaxPool): their backward relaxation,
 *       sample by sample, with the degenerate box {@code l = u = x} at the recorded activation,
 *       which routes the coefficient to the window's arg-max (a subgradient).
 * </ul>
 *
 * <p>Only the search for bad points uses these gradients: the soundness verdict always comes from
 * the forward pass, so a wrong gradient can only make the search weaker, never hide a violation the
 * search found or invent one.
 */
final class GraphGradient {
    private final Graph graph;
    private final List<Node> nodes;

    GraphGradient(Graph graph) {
        this.graph = graph;
        this.nodes = graph.nodes();
    }

    /**
     * For {@code batch} samples the pass has just run, the gradient of {@code Σ_j seed[s][j]·f_j(x_s)}
     * with respect to {@code x_s}: {@code batch × inputSize}, sample after sample.
     *
     * @param seed {@code batch × outputSize} output coefficients, one row per sample
     */
    double[] vjp(ForwardPass fp, double[] seed, int batch) {
        int outSize = graph.outputSize();
        double[][] a = new double[graph.valueCount()][];
        a[graph.outputValue()] = Arrays.copyOf(seed, batch * outSize);
        BackwardStep st = new BackwardStep();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            double[] aOut = a[n.output()];
            if (aOut == null) {
                continue;
            }
            a[n.output()] = null;
            int[] in = n.inputs();
            double[][] aIn = new double[in.length][];
            for (int j = 0; j < in.length; j++) {
                if (a[in[j]] == null) {
                    a[in[j]] = new double[batch * graph.valueShape(in[j]).size()];
                }
                aIn[j] = a[in[j]];
            }
            Operator op = n.op();
            if (op instanceof ElementwiseNonlinear f) {
                double[] x = fp.valueBuffer(in[0]);
                double[] dst = aIn[0];
                for (int i = 0, len = aOut.length; i < len; i++) {
                    double c = aOut[i];
                    if (c != 0.0) {
                        dst[i] += c * f.derivative(x[i]);
                    }
                }
            } else if (op.backwardNeedsInputBounds()) {
                int size = n.outputShape().size();
                int[] inSize = new int[in.length];
                double[][] inBuf = new double[in.length][];
                for (int j = 0; j < in.length; j++) {
                    inSize[j] = graph.valueShape(in[j]).size();
                    inBuf[j] = fp.valueBuffer(in[j]);
                }
                for (int s = 0; s < batch; s++) {
                    st.a = Arrays.copyOfRange(aOut, s * size, (s + 1) * size);
                    st.rows = 1;
                    st.bias = new double[1];
                    st.aIn = new double[in.length][];
                    st.inLo = new double[in.length][];
                    for (int j = 0; j < in.length; j++) {
                        st.aIn[j] = new double[inSize[j]];
                        st.inLo[j] = Arrays.copyOfRange(inBuf[j], s * inSize[j], (s + 1) * inSize[j]);
                    }
                    st.inHi = st.inLo;
                    op.backward(st);
                    for (int j = 0; j < in.length; j++) {
                        double[] src = st.aIn[j];
                        int off = s * inSize[j];
                        for (int i = 0; i < inSize[j]; i++) {
                            aIn[j][off + i] += src[i];
                        }
                    }
                }
            } else {
                st.a = aOut;
                st.rows = batch;
                st.aIn = aIn;
                st.bias = new double[batch];
                st.inLo = null;
                st.inHi = null;
                op.backward(st);
            }
        }
        double[] g = a[0];
        return g != null ? g : new double[batch * graph.inputSize()];
    }
}
