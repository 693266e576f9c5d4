package org.proofmap.verify;

/**
 * The answer to a VNN-COMP query. The property file describes the unsafe region, so {@code SAT}
 * means the property is violated (a counterexample exists, and one was found and re-checked) and
 * {@code UNSAT} means it holds (proved).
 */
public enum Verdict {
    SAT, UNSAT, TIMEOUT, UNKNOWN;

    /** The word VNN-COMP result files use. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
