package org.proofmap.vnnlib;

import java.util.List;

/**
 * A parsed VNNLIB property in disjunctive normal form: a list of {@linkplain PropertyCase cases},
 * each an input box with a union of unsafe output conjunctions. The property is <em>violated</em>
 * (the VNNLIB query is {@code sat}) iff for some case there is an input {@code x} in its box whose
 * output {@code f(x)} satisfies one of its disjuncts. A property with no cases can never be violated.
 *
 * <p>Immutable. Build one with {@link VnnlibParser}.
 */
public final class Property {
    private final int numInputs;
    private final int numOutputs;
    private final List<PropertyCase> cases;
    private final String source;

    /**
     * @param numInputs the number of declared inputs {@code X_0 .. X_(numInputs-1)}
     * @param numOutputs the number of declared outputs {@code Y_0 .. Y_(numOutputs-1)}
     * @param cases the cases; copied
     * @param source where the property came from (a file name), for messages
     * @throws IllegalArgumentException if a case has other dimensions
     */
    public Property(int numInputs, int numOutputs, List<PropertyCase> cases, String source) {
        for (PropertyCase pc : cases) {
            if (pc.numInputs() != numInputs || pc.numOutputs() != numOutputs) {
                throw new IllegalArgumentException("case has " + pc.numInputs() + " inputs and "
                        + pc.numOutputs() + " outputs, expected " + numInputs + " and " + numOutputs);
            }
        }
        this.numInputs = numInputs;
        this.numOutputs = numOutputs;
        this.cases = List.copyOf(cases);
        this.source = source;
    }

    /** The number of network inputs (declared {@code X_i}). */
    public int numInputs() {
        return numInputs;
    }

    /** The number of network outputs (declared {@code Y_i}). */
    public int numOutputs() {
        return numOutputs;
    }

    /** The cases (unmodifiable), in order of first appearance of their input box in the DNF. */
    public List<PropertyCase> cases() {
        return cases;
    }

    /** The source name given to the parser (usually the file path). */
    public String source() {
        return source;
    }

    /**
     * Whether the pair ({@code x}, {@code y = f(x)}) is a counterexample: some case contains
     * {@code x} (box widened by {@code tolerance}) and is violated by {@code y} (rows relaxed by
     * {@code tolerance}).
     */
    public boolean isViolatedBy(double[] x, double[] y, double tolerance) {
        for (PropertyCase pc : cases) {
            if (pc.contains(x, tolerance) && pc.isViolatedBy(y, tolerance)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Property[" + source + ": " + numInputs + " inputs, " + numOutputs + " outputs, "
                + cases.size() + " case(s)]";
    }
}
