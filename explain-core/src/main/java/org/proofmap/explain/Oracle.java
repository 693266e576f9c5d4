package org.proofmap.explain;

/**
 * A decision procedure for feature queries. Implementations must be sound in both directions:
 * {@code IRRELEVANT} only with a proof over the whole box, {@code RELEVANT} only with a witness that
 * {@link FeatureQuery#isCounterexample} confirms. Implementations are thread-safe.
 */
public interface Oracle {
    /** The name in decisions and provenance. */
    String name();

    /**
     * Whether the oracle may only ever prove relevance (attacks) or irrelevance (bounds); a chain
     * uses it to skip oracles that cannot help for a given purpose.
     */
    Kind kind();

    /** Decides {@code query} within {@code timeLimitSeconds} (an oracle may stop earlier). */
    OracleVerdict decide(FeatureQuery query, double timeLimitSeconds);

    /** What an oracle can establish. */
    enum Kind {
        /** Proves irrelevance only (sound bounds). */
        PROVER,
        /** Proves relevance only (attacks). */
        FALSIFIER,
        /** Both (complete methods: branch and bound, MIP). */
        COMPLETE
    }
}
