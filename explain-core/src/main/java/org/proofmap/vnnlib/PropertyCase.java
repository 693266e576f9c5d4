package org.proofmap.vnnlib;

import java.util.Arrays;
import java.util.List;

/**
 * One input box of a property together with the unsafe output region for that box: the union of
 * the {@linkplain #disjuncts() disjuncts}, each a conjunction {@code C·y <= d}. The property is
 * violated by this case iff some input {@code x} with {@code lower <= x <= upper} has an output
 * {@code f(x)} in one of the disjuncts.
 *
 * <p>Immutable: the accessors that return arrays return copies.
 */
public final class PropertyCase {
    private final double[] lower;
    private final double[] upper;
    private final List<OutputConstraint> disjuncts;

    /**
     * @param lower the lower input bounds; copied
     * @param upper the upper input bounds; copied
     * @param disjuncts the unsafe output conjunctions (at least one, all of the same width); copied
     * @throws IllegalArgumentException if the bounds are not finite, of different lengths, or empty
     *     ({@code lower[i] > upper[i]}), or the disjuncts are empty or of different widths
     */
    public PropertyCase(double[] lower, double[] upper, List<OutputConstraint> disjuncts) {
        if (lower.length != upper.length) {
            throw new IllegalArgumentException(lower.length + " lower bounds but " + upper.length + " upper bounds");
        }
        for (int i = 0; i < lower.length; i++) {
            if (!Double.isFinite(lower[i]) || !Double.isFinite(upper[i]) || lower[i] > upper[i]) {
                throw new IllegalArgumentException(
                        "bad bounds for X_" + i + ": [" + lower[i] + ", " + upper[i] + "]");
            }
        }
        if (disjuncts.isEmpty()) {
            throw new IllegalArgumentException("a case needs at least one output disjunct");
        }
        int width = disjuncts.get(0).numOutputs();
        for (OutputConstraint oc : disjuncts) {
            if (oc.numOutputs() != width) {
                throw new IllegalArgumentException(
                        "disjuncts of different widths: " + width + " and " + oc.numOutputs());
            }
        }
        this.lower = lower.clone();
        this.upper = upper.clone();
        this.disjuncts = List.copyOf(disjuncts);
    }

    /** The number of network inputs. */
    public int numInputs() {
        return lower.length;
    }

    /** The number of network outputs. */
    public int numOutputs() {
        return disjuncts.get(0).numOutputs();
    }

    /** The lower bound of input {@code i}. */
    public double lower(int i) {
        return lower[i];
    }

    /** The upper bound of input {@code i}. */
    public double upper(int i) {
        return upper[i];
    }

    /** A copy of the lower input bounds. */
    public double[] inputLower() {
        return lower.clone();
    }

    /** A copy of the upper input bounds. */
    public double[] inputUpper() {
        return upper.clone();
    }

    /** The unsafe output conjunctions (unmodifiable); the unsafe region is their union. */
    public List<OutputConstraint> disjuncts() {
        return disjuncts;
    }

    /** Whether {@code x} lies in the input box (bounds included). */
    public boolean contains(double[] x) {
        return contains(x, 0.0);
    }

    /** Whether {@code x} lies in the input box widened by {@code tolerance} on every side. */
    public boolean contains(double[] x, double tolerance) {
        if (x.length != lower.length) {
            throw new IllegalArgumentException("input has " + x.length + " entries, expected " + lower.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= lower[i] - tolerance && x[i] <= upper[i] + tolerance)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the output {@code y} lies in the unsafe region of this case, i.e. some disjunct holds
     * (see {@link OutputConstraint#isViolatedBy(double[], double)} for the tolerance).
     */
    public boolean isViolatedBy(double[] y, double tolerance) {
        for (OutputConstraint oc : disjuncts) {
            if (oc.isViolatedBy(y, tolerance)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PropertyCase other
                && Arrays.equals(lower, other.lower)
                && Arrays.equals(upper, other.upper)
                && disjuncts.equals(other.disjuncts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(lower) + Arrays.hashCode(upper)) + disjuncts.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PropertyCase[");
        int shown = Math.min(lower.length, 8);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append("X_").append(i)
                    .append(" in [").append(lower[i]).append(", ").append(upper[i]).append(']');
        }
        if (shown < lower.length) {
            sb.append(", ... (").append(lower.length).append(" inputs)");
        }
        sb.append("; unsafe if ");
        for (int k = 0; k < disjuncts.size(); k++) {
            sb.append(k == 0 ? "(" : " or (").append(disjuncts.get(k)).append(')');
        }
        return sb.append(']').toString();
    }
}
