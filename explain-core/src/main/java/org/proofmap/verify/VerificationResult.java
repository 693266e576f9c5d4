package org.proofmap.verify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of verifying one property on one model: the verdict, for {@code SAT} a witness input
 * and its outputs (re-checked by a double-precision forward pass), statistics and provenance; for
 * {@code PROBABLY_UNSAT} the confidence it holds with (the statistics name the sampling behind it).
 */
public final class VerificationResult {
    private final Verdict verdict;
    private final double[] witness;
    private final double[] witnessOutput;
    private final String decidedBy;
    private final double seconds;
    private final long subproblems;
    private final Map<String, Object> statistics;
    private final double confidence;

    VerificationResult(Verdict verdict, double[] witness, double[] witnessOutput, String decidedBy, double seconds,
            long subproblems, Map<String, Object> statistics) {
        this(verdict, witness, witnessOutput, decidedBy, seconds, subproblems, statistics, Double.NaN);
    }

    /** {@code confidence}: in (0, 1) for {@code PROBABLY_UNSAT}, NaN for every other verdict. */
    VerificationResult(Verdict verdict, double[] witness, double[] witnessOutput, String decidedBy, double seconds,
            long subproblems, Map<String, Object> statistics, double confidence) {
        if ((verdict == Verdict.PROBABLY_UNSAT) != (confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("a confidence in (0, 1) goes with probably_unsat and only with it, found "
                    + verdict.word() + " with " + confidence);
        }
        this.confidence = confidence;
        this.verdict = verdict;
        this.witness = witness == null ? null : witness.clone();
        this.witnessOutput = witnessOutput == null ? null : witnessOutput.clone();
        this.decidedBy = decidedBy;
        this.seconds = seconds;
        this.subproblems = subproblems;
        this.statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }

    public Verdict verdict() {
        return verdict;
    }

    /** For {@code PROBABLY_UNSAT}: the probability, over the sampling, that the property holds; else NaN. */
    public double confidence() {
        return confidence;
    }

    /**
     * The verdict as the console prints it: the word, and for {@code PROBABLY_UNSAT}
     * {@code unsat (probabilistic, confidence P)} — never the bare {@code unsat} of a proof.
     */
    public String verdictText() {
        return verdict == Verdict.PROBABLY_UNSAT ? probablyUnsatText(confidence) : verdict.word();
    }

    /** {@code unsat (probabilistic, confidence P)}. */
    public static String probablyUnsatText(double confidence) {
        return "unsat (probabilistic, confidence " + confidence + ")";
    }

    /** The counterexample input for {@code SAT}, else null (a copy). */
    public double[] witness() {
        return witness == null ? null : witness.clone();
    }

    /** The model's outputs at the witness (a copy), else null. */
    public double[] witnessOutput() {
        return witnessOutput == null ? null : witnessOutput.clone();
    }

    /** Which step decided: {@code bounds}, {@code centre}, {@code corner}, {@code pgd}, or the reason for no decision. */
    public String decidedBy() {
        return decidedBy;
    }

    public double seconds() {
        return seconds;
    }

    /** Boxes bounded in total. */
    public long subproblems() {
        return subproblems;
    }

    /** Settings and counters (heuristic, bound method, depth, boxes proved, attacks run...). */
    public Map<String, Object> statistics() {
        return statistics;
    }
}
