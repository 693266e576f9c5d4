package org.proofmap.explain;

import java.util.BitSet;
import java.util.Map;

/**
 * Runs the EFX check of an explanation problem (see {@link EfxResult}): the explanation's own
 * evidence first (a relevant feature's witness, a proof of the whole input), then CROWN on the full
 * ball (a robust ball has no adversarial example, so EFX fails without an attack), then a strong
 * PGD attack, then — on small inputs, where it is fast — the exact MIP.
 */
public final class EfxCheck {
    /** Inputs up to this many features also get the exact MIP when PGD finds nothing. */
    public static final int MIP_MAX_FEATURES = 64;

    private EfxCheck() {}

    /**
     * The EFX check of a finished explanation, which often settles it without another query: the
     * witness of a relevant feature lies in the full ball (only features within eps of the input
     * moved) and has another label, so it is an adversarial example once re-checked by a forward
     * pass; and when every feature was proven irrelevant, the explanation's own proof shows the full
     * ball robust. Otherwise as {@link #check(ExplanationProblem, int, double)}. On mnist-net_256x2
     * images 10 and 15 the explanation proved all 784 pixels irrelevant, yet the separate check
     * reported the ball not proven robust (CROWN could not, and PGD found nothing).
     *
     * @param irrelevant the proven irrelevant set
     * @param proof the verdict proving it (may be null when it is empty)
     * @param witnesses the relevant features' witnesses, by feature
     */
    public static EfxResult check(ExplanationProblem problem, BitSet irrelevant, OracleVerdict proof,
            Map<Integer, double[]> witnesses, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        FeatureQuery ball = problem.fullBall();
        int count = irrelevant.cardinality();
        for (Map.Entry<Integer, double[]> w : witnesses.entrySet()) {
            if (ball.isCounterexample(w.getValue())) {
                return new EfxResult(count >= 1, w.getValue().clone(), "the witness of relevant feature " + w.getKey(),
                        false, count, (System.nanoTime() - t0) / 1e9);
            }
        }
        if (count == problem.features() && proof != null && proof.outcome() == Outcome.IRRELEVANT) {
            return new EfxResult(false, null, proof.oracle() + " proved the full ball robust (the explanation's proof)",
                    true, count, (System.nanoTime() - t0) / 1e9);
        }
        return check(problem, count, timeLimitSeconds);
    }

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
