package org.proofmap.model.ops;

import org.proofmap.model.Shape;
import org.proofmap.model.Tensor;

/**
 * One node's computation, with every shape resolved and every constant input (weights, shapes,
 * axes) captured at load time. An operator family is one class: it owns the forward pass here and,
 * as the bound engine grows, its interval rule and its linear relaxation.
 *
 * <p>Data layout: the forward pass runs on a batch of samples; each dynamic input is a buffer of
 * {@code batch * inputSize} doubles, sample after sample, each sample in row-major order of the
 * node's input shape (the model's batch dimension is 1 inside a sample).
 */
public interface Operator {
    /** The ONNX operator type this instance computes, e.g. {@code Gemm}. */
    String opType();

    /** Shape of one sample of the output. */
    Shape outputShape();

    /**
     * Computes {@code batch} samples.
     *
     * @param in the dynamic inputs in node-input order, each {@code batch * size} long (or longer)
     * @param out the output, {@code batch * outputShape().size()} long (or longer)
     */
    void forward(double[][] in, double[] out, int batch);

    /**
     * True when the output is the single dynamic input's data unchanged (a reshape): the forward pass
     * then shares the buffer instead of copying.
     */
    default boolean isLayoutPreserving() {
        return false;
    }

    /** The output when it is known without any input data (Constant, Shape); otherwise null. */
    default Tensor constantOutput() {
        return null;
    }

    /** Number of trainable parameters held by this operator (weights and biases). */
    default long parameterCount() {
        return 0;
    }

    /**
     * Interval rule for one sample: from bounds of the dynamic inputs, sound bounds of the output.
     */
    void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi);

    /**
     * Backward linear relaxation (see {@link BackwardStep}). Elementwise nonlinear operators
     * implement {@link ElementwiseNonlinear} instead and the walker applies their lines.
     */
    void backward(BackwardStep step);

    /** Whether {@link #backward} reads the bounds of the inputs ({@link BackwardStep#inLo}). */
    default boolean backwardNeedsInputBounds() {
        return false;
    }

    /**
     * Vector-Jacobian product for {@code batch} samples: adds {@code gOut·∂out/∂in_k} to
     * {@code gIn[k]} for every dynamic input. {@code in} and {@code out} are the forward pass's
     * buffers. The default serves operators that are affine in their dynamic inputs, whose Jacobian
     * is the same for every sample: it is their backward relaxation with one row per sample.
     */
    default void vjp(double[][] in, double[] out, double[] gOut, double[][] gIn, int batch) {
        BackwardStep st = new BackwardStep();
        st.a = gOut;
        st.rows = batch;
        st.aIn = gIn;
        st.bias = new double[batch];
        backward(st);
    }

    /** Thrown by operators that have no bound rule (for example a product of two model-dependent tensors). */
    static UnsupportedOperationException noBoundRule(String opType, String why) {
        return new UnsupportedOperationException("bound propagation through " + opType + " is not supported: " + why);
    }
}
