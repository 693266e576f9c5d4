package org.proofmap.explain;

/**
 * Runs the EFX check of an explanation problem (see {@link EfxResult}): CROWN on the full ball
 * first (a robust ball has no adversarial example, so EFX fails without an attack), then a strong
 * PGD attack, then — on small inputs, where it is fast — the exact MIP.
 */
public final class EfxCheck {
    /** Inputs up to this many features also get the exact MIP when PGD finds nothing. */
    public static final int MIP_MAX_FEATURES = 64;

    private EfxCheck() {}

    /**
     * @param irrelevantCount size of the proven irrelevant set of the explanation
     * @param timeLimitSeconds budget of the attack and the MIP
     */
    public static EfxResult check(ExplanationProblem problem, int irrelevantCount, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        FeatureQuery ball = problem.fullBall();
        if (BoundOracle.byName("crown").decide(ball, timeLimitSeconds).outcome() == Outcome.IRRELEVANT) {
            return new EfxResult(false, null, "crown proved the full ball robust", true, irrelevantCount,
                    (System.nanoTime() - t0) / 1e9);
        }
        OracleVerdict v = AttackOracle.strong().decide(ball, timeLimitSeconds);
        if (v.outcome() != Outcome.RELEVANT && problem.features() <= MIP_MAX_FEATURES) {
            double left = timeLimitSeconds - (System.nanoTime() - t0) / 1e9;
            if (left > 0) {
                v = MipOracle.best().decide(ball, left);
            }
        }
        boolean found = v.outcome() == Outcome.RELEVANT;
        boolean robust = v.outcome() == Outcome.IRRELEVANT;
        String by = found ? v.oracle() : robust ? v.oracle() + " proved the full ball robust"
                : "no adversarial example found by " + v.oracle();
        return new EfxResult(found && irrelevantCount >= 1, found ? v.witness() : null, by, robust, irrelevantCount,
                (System.nanoTime() - t0) / 1e9);
    }
}
