package org.proofmap.bounds;


/** An arbitrary box, e.g. the input region of a VNNLIB case. */
public final class Box implements InputDomain {
    private final double[] lower;
    private final double[] upper;
    private final String description;

    public Box(double[] lower, double[] upper) {
        this(lower, upper, "box");
    }

    public Box(double[] lower, double[] upper, String description) {
        if (lower.length != upper.length) {
            throw new IllegalArgumentException("lower and upper corners differ in length");
        }
        for (int i = 0; i < lower.length; i++) {
            if (!(lower[i] <= upper[i])) {
                throw new IllegalArgumentException("empty or invalid box in dimension " + i + ": [" + lower[i] + ", "
                        + upper[i] + "]");
            }
        }
        this.lower = lower.clone();
        this.upper = upper.clone();
        this.description = description;
    }

    @Override
    public double[] lower() {
        return lower;
    }

    @Override
    public double[] upper() {
        return upper;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description + "[" + lower.length + " inputs]";
    }
}
