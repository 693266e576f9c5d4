package org.proofmap.explain;

import org.proofmap.attack.Pgd;
import org.proofmap.verify.ActivationSplitVerifier;
import org.proofmap.verify.VerificationResult;

/**
 * Decides a query completely with branch and bound over unstable ReLUs (CROWN on each side of a
 * split) and, when branching stalls, the exact MIP in the time left — the same engine as
 * {@code proofmap verify} on a VNNLIB property whose unsafe region is "some other class scores at
 * least as high". {@code unsat} proves irrelevance; a {@code sat} witness is re-checked here again.
 */
public final class BranchAndBoundOracle implements Oracle {
    private final int threads;

    /** @param threads worker threads of the search (0: one per core) */
    public BranchAndBoundOracle(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "bab";
    }

    @Override
    public Kind kind() {
        return Kind.COMPLETE;
    }

    @Override
    public OracleVerdict decide(FeatureQuery query, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        // The chain has attacked the box already: a light attack every 200 subdomains is enough here.
        Pgd.Options pgd = Pgd.Options.defaults().withSteps(20).withRestarts(2);
        ActivationSplitVerifier v = new ActivationSplitVerifier(
                new ActivationSplitVerifier.Options(timeLimitSeconds, threads, 200, pgd, true, null, null, false, null));
        VerificationResult r = v.verify(query.problem().graph(), query.property());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return OracleVerdict.of(query, name(), r, seconds, "subdomains");
    }
}
