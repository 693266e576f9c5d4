package org.proofmap.explain;

import org.proofmap.verify.InputSplitVerifier;
import org.proofmap.verify.VerificationResult;

/**
 * Decides a query with few free features completely by branch and bound over the input (the
 * {@code proofmap verify} engine with the ReCIPH split): fast and exact when at most
 * {@link #MAX_FREE} features move, as for the 5-input networks, and for the first queries of any
 * explanation. With more free features it answers unknown at once and leaves the query to the next
 * oracle. {@code unsat} proves irrelevance; a {@code sat} witness is re-checked here again.
 */
public final class InputSplitOracle implements Oracle {
    /** Most free features this oracle takes on (splitting more dimensions is hopeless). */
    public static final int MAX_FREE = 16;

    private final int threads;

    /** @param threads worker threads of the search (0: one per core) */
    public InputSplitOracle(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "input-split";
    }

    @Override
    public Kind kind() {
        return Kind.COMPLETE;
    }

    @Override
    public OracleVerdict decide(FeatureQuery query, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        if (query.freeCount() > MAX_FREE) {
            return OracleVerdict.unknown(name(), Double.NaN, 0, query.freeCount() + " free features, more than "
                    + MAX_FREE);
        }
        InputSplitVerifier v = new InputSplitVerifier(InputSplitVerifier.Options.defaults().withTimeout(timeLimitSeconds)
                .withThreads(threads));
        VerificationResult r = v.verify(query.problem().graph(), query.property());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return OracleVerdict.of(query, name(), r, seconds, "boxes");
    }
}
