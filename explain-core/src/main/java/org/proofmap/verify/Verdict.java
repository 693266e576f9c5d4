package org.proofmap.verify;

/**
 * The answer to a VNN-COMP query. The property file describes the unsafe region, so {@code SAT}
 * means the property is violated (a counterexample exists, and one was found and re-checked) and
 * {@code UNSAT} means it holds (proved).
 *
 * <p>{@code PROBABLY_UNSAT} is a verdict of its own, not a kind of {@code UNSAT}: no counterexample
 * was found and the property holds with a stated confidence only, because some part of the search
 * was closed by PT-LiRPA's sampled bounds ({@link ConfidenceBudget}). Code that asks
 * {@code == UNSAT} never mistakes it for a proof, and the VNN-COMP result file says {@code unknown}
 * for it ({@link VnnCompResult#of}).
 */
public enum Verdict {
    SAT, UNSAT, PROBABLY_UNSAT, TIMEOUT, UNKNOWN;

    /**
     * The word VNN-COMP result files use ({@code probably_unsat} has none there: it is written as
     * {@code unknown}); see {@link VerificationResult#verdictText()} for the console's wording.
     */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
