package org.proofmap.model;

import java.util.Arrays;
import java.util.List;

/**
 * Gradients of a weighted sum of the outputs with respect to the input, for a batch of inputs:
 * a forward pass that keeps every activation, then a reverse walk of vector-Jacobian products
 * (each operator owns its own). Used by attacks, saliency orders and training. Buffers are
 * allocated once; a pass is not thread-safe.
 */
public final class GradientPass {
    private final Graph graph;
    private final ForwardPass forward;
    private final double[][] grad;
    private final int capacity;

    public GradientPass(Graph graph, int capacity) {
        this.graph = graph;
        this.capacity = capacity;
        this.forward = new ForwardPass(graph, capacity);
        this.grad = new double[graph.valueCount()][];
        for (int v = 0; v < graph.valueCount(); v++) {
            grad[v] = new double[capacity * graph.valueShape(v).size()];
        }
    }

    public Graph graph() {
        return graph;
    }

    /**
     * For each sample {@code s}, the gradient of {@code Σ_j weights[s][j]·y_s[j]} with respect to
     * the input (batch × inputSize, owned by this pass and overwritten by the next call).
     * {@code weights} is batch × outputSize. {@link #output()} then holds the outputs.
     */
    public double[] gradient(double[] x, double[] weights, int batch) {
        double[] y = forward.run(x, batch);
        lastOutput = y;
        List<Node> nodes = graph.nodes();
        for (double[] g : grad) {
            Arrays.fill(g, 0, Math.min(g.length, batch * (g.length / capacity)), 0.0);
        }
        int outSize = graph.outputSize();
        System.arraycopy(weights, 0, grad[graph.outputValue()], 0, batch * outSize);
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            int[] in = n.inputs();
            double[][] inBuf = new double[in.length][];
            double[][] gIn = new double[in.length][];
            for (int j = 0; j < in.length; j++) {
                inBuf[j] = forward.valueBuffer(in[j]);
                gIn[j] = grad[in[j]];
            }
            n.op().vjp(inBuf, forward.valueBuffer(n.output()), grad[n.output()], gIn, batch);
        }
        return grad[0];
    }

    private double[] lastOutput;

    /** The outputs of the last {@link #gradient} call (batch × outputSize, owned by this pass). */
    public double[] output() {
        return lastOutput;
    }
}
