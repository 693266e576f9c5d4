package org.proofmap.explain;

/**
 * How one feature was settled.
 *
 * @param feature flat NCHW index
 * @param outcome irrelevant (joined the free set), relevant (kept, with a witness) or unknown
 * @param oracle the oracle that decided the query that settled it
 * @param seconds time of that query (shared by every feature a group query settled)
 * @param query the running number of that query within the explanation
 * @param group how many features that query settled together (1 for a single-feature query)
 * @param note for an unknown feature, why its last query was undecided (time limit, the solver's
 *     precision); empty otherwise
 */
public record Decision(int feature, Outcome outcome, String oracle, double seconds, int query, int group,
        String note) {
    public Decision {
        note = note == null ? "" : note;
    }

    /** A decision without a note. */
    public Decision(int feature, Outcome outcome, String oracle, double seconds, int query, int group) {
        this(feature, outcome, oracle, seconds, query, group, "");
    }
}
