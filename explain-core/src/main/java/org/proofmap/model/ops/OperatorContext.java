package org.proofmap.model.ops;

import java.util.List;
import org.proofmap.model.Attributes;
import org.proofmap.model.ModelException;
import org.proofmap.model.Shape;
import org.proofmap.model.Tensor;
import org.proofmap.model.Value;

/**
 * What an operator is built from: its type, the default-domain opset the model imports, its
 * attributes and its inputs (each a shape, and a constant when known at load time). Absent optional
 * inputs are {@code null}.
 */
public final class OperatorContext {
    private final String opType;
    private final int opset;
    private final Attributes attributes;
    private final List<Value> inputs;
    private final boolean folding;

    /**
     * @param folding true when the node's inputs are all constants and the operator is built only to
     *     fold it: the first input is then presented as dynamic and evaluated once
     */
    public OperatorContext(String opType, int opset, Attributes attributes, List<Value> inputs, boolean folding) {
        this.opType = opType;
        this.opset = opset;
        this.attributes = attributes;
        this.inputs = inputs;
        this.folding = folding;
    }

    /** True when the operator is built only to fold constants (see the constructor). */
    public boolean isFolding() {
        return folding;
    }

    public String opType() {
        return opType;
    }

    public int opset() {
        return opset;
    }

    public Attributes attributes() {
        return attributes;
    }

    public int inputCount() {
        return inputs.size();
    }

    /** Whether optional input {@code i} is given. */
    public boolean hasInput(int i) {
        return i < inputs.size() && inputs.get(i) != null;
    }

    public Value input(int i) {
        if (!hasInput(i)) {
            throw fail("input " + i + " is missing");
        }
        return inputs.get(i);
    }

    public Shape shape(int i) {
        return input(i).shape();
    }

    public boolean isConstant(int i) {
        return input(i).isConstant();
    }

    /** The constant value of input {@code i}; fails when the input depends on the model input. */
    public Tensor constant(int i) {
        Value v = input(i);
        if (!v.isConstant()) {
            throw fail("input " + i + " ('" + v.name() + "') must be a constant, but it depends on the model input");
        }
        return v.constant();
    }

    /** Indices of the inputs that depend on the model input, in order. */
    public int[] dynamicInputs() {
        return java.util.stream.IntStream.range(0, inputs.size())
                .filter(i -> inputs.get(i) != null && !inputs.get(i).isConstant())
                .toArray();
    }

    /** Requires between {@code min} and {@code max} inputs. */
    public void requireInputs(int min, int max) {
        int n = inputs.size();
        while (n > 0 && inputs.get(n - 1) == null) {
            n--;
        }
        if (n < min || n > max) {
            throw fail("expects " + (min == max ? String.valueOf(min) : min + " to " + max)
                    + " inputs, found " + n);
        }
    }

    public ModelException fail(String message) {
        return new ModelException(message);
    }
}
