package org.proofmap.model;

/**
 * An immutable constant tensor: weights, biases and the results of constant folding. Values are held
 * in double precision whatever the file stored (integer tensors such as shapes and indices are exact
 * below 2^53).
 */
public final class Tensor {
    private final Shape shape;
    private final double[] data;

    /** Wraps {@code data} without copying: the caller gives up the array. */
    public Tensor(Shape shape, double[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(
                    "tensor of shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor scalar(double v) {
        return new Tensor(Shape.scalar(), new double[] {v});
    }

    public static Tensor vector(double... v) {
        return new Tensor(Shape.of(v.length), v.clone());
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return data.length;
    }

    public double get(int i) {
        return data[i];
    }

    /** A copy of the values. */
    public double[] toArray() {
        return data.clone();
    }

    /**
     * The backing array, for operators that read weights in hot loops. Callers must not modify it.
     */
    public double[] data() {
        return data;
    }

    /** The values as exact integers (shapes, axes, indices); throws if one is not an integer. */
    public long[] toLongs() {
        long[] r = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            double v = data[i];
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException("expected integer values, found " + v);
            }
            r[i] = (long) v;
        }
        return r;
    }

    public Tensor reshape(Shape s) {
        return new Tensor(s, data);
    }

    @Override
    public String toString() {
        return "Tensor[" + shape + "]";
    }
}
