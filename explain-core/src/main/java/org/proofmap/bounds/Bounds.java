package org.proofmap.bounds;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lower and upper bounds on each row of a {@link Spec} over an {@link InputDomain}, with the input
 * coefficients of the final linear bounds when the method has them ({@code lowerA[r]·x + lowerB[r]
 * <= (C·f(x))[r] <= upperA[r]·x + upperB[r]} on the domain), and provenance.
 */
public final class Bounds {
    private final double[] lower;
    private final double[] upper;
    private final double[][] lowerA;
    private final double[] lowerB;
    private final double[][] upperA;
    private final double[] upperB;
    private final String method;
    private final Map<String, Object> settings;
    private final double seconds;

    public Bounds(double[] lower, double[] upper, double[][] lowerA, double[] lowerB, double[][] upperA,
            double[] upperB, String method, Map<String, Object> settings, double seconds) {
        this.lower = lower;
        this.upper = upper;
        this.lowerA = lowerA;
        this.lowerB = lowerB;
        this.upperA = upperA;
        this.upperB = upperB;
        this.method = method;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.seconds = seconds;
    }

    public int rows() {
        return lower.length;
    }

    public double lower(int r) {
        return lower[r];
    }

    public double upper(int r) {
        return upper[r];
    }

    public double[] lower() {
        return lower.clone();
    }

    public double[] upper() {
        return upper.clone();
    }

    /** Whether input coefficients of the linear bounds are available. */
    public boolean hasLinearBounds() {
        return lowerA != null;
    }

    /** Input coefficients of the linear lower bound of row {@code r} (a copy). */
    public double[] lowerCoefficients(int r) {
        return lowerA[r].clone();
    }

    public double lowerConstant(int r) {
        return lowerB[r];
    }

    public double[] upperCoefficients(int r) {
        return upperA[r].clone();
    }

    public double upperConstant(int r) {
        return upperB[r];
    }

    /** Which bound method produced these bounds. */
    public String method() {
        return method;
    }

    /** The settings the method ran with (iterations, learning rate, intermediate bounds, ...). */
    public Map<String, Object> settings() {
        return settings;
    }

    /** Wall time of the computation in seconds. */
    public double seconds() {
        return seconds;
    }

    /** Sum over rows of {@code upper - lower}. */
    public double totalWidth() {
        double w = 0;
        for (int r = 0; r < lower.length; r++) {
            w += upper[r] - lower[r];
        }
        return w;
    }
}
