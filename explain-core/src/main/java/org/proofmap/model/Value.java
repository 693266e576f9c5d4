package org.proofmap.model;

/**
 * An operator input as seen while a graph is built: its name, its shape and, when it is known at
 * load time, its constant value. A value without a constant is <em>dynamic</em>: it depends on the
 * model input.
 */
public record Value(String name, Shape shape, Tensor constant) {
    public static Value dynamic(String name, Shape shape) {
        return new Value(name, shape, null);
    }

    public static Value constant(String name, Tensor t) {
        return new Value(name, t.shape(), t);
    }

    public boolean isConstant() {
        return constant != null;
    }
}
