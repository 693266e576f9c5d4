package org.proofmap.explain;

/**
 * One oracle's answer to one query, with its evidence.
 *
 * @param outcome what was established
 * @param oracle the oracle that produced it ({@code crown}, {@code pgd}, {@code bab}, ...)
 * @param bound a proven lower bound of the smallest margin {@code y_label − y_j} over the box (NaN
 *     when the oracle computes none); positive for an {@code IRRELEVANT} verdict of a bound oracle
 * @param witness for {@code RELEVANT}: an input of the box that the model does not classify as the
 *     label, re-checked by a forward pass; null otherwise
 * @param seconds wall time spent by this oracle on this query
 * @param note a short free-text remark (why undecided, solver message), never null
 */
public record OracleVerdict(Outcome outcome, String oracle, double bound, double[] witness, double seconds,
        String note) {
    public OracleVerdict {
        if (outcome == Outcome.RELEVANT && witness == null) {
            throw new IllegalArgumentException("a relevant verdict needs a witness");
        }
        note = note == null ? "" : note;
    }

    public boolean decided() {
        return outcome != Outcome.UNKNOWN;
    }

    /**
     * The verdict of a complete verifier run on {@link FeatureQuery#property()}: {@code unsat} proves
     * irrelevance; a {@code sat} witness counts only if the query re-checks it; anything else is
     * unknown. {@code unit} names what the run's subproblems were ("boxes", "subdomains").
     */
    static OracleVerdict of(FeatureQuery query, String oracle, org.proofmap.verify.VerificationResult r,
            double seconds, String unit) {
        return switch (r.verdict()) {
            case UNSAT -> new OracleVerdict(Outcome.IRRELEVANT, oracle, Double.NaN, null, seconds,
                    r.subproblems() + " " + unit);
            case SAT -> query.isCounterexample(r.witness())
                    ? new OracleVerdict(Outcome.RELEVANT, oracle, Double.NaN, r.witness(), seconds,
                            "found by " + r.decidedBy())
                    : unknown(oracle, Double.NaN, seconds, "witness failed the re-check");
            default -> unknown(oracle, Double.NaN, seconds, r.verdict().word() + " after " + r.subproblems() + " "
                    + unit);
        };
    }

    static OracleVerdict unknown(String oracle, double bound, double seconds, String note) {
        return new OracleVerdict(Outcome.UNKNOWN, oracle, bound, null, seconds, note);
    }
}
