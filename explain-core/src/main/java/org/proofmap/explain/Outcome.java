package org.proofmap.explain;

/** What a query established about a free feature set. */
public enum Outcome {
    /** Proven: no input of the query's box changes the prediction. */
    IRRELEVANT,
    /** Proven by a re-checked counterexample: some input of the box changes the prediction. */
    RELEVANT,
    /** Neither: no oracle of the chain decided it within its budget. */
    UNKNOWN;

    /** The lower-case word used in JSON and on the console. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
