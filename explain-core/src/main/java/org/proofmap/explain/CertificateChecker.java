package org.proofmap.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.PtLirpa;
import org.proofmap.model.Graph;

/**
 * Re-verifies an explanation independently of how it was made: the label by a forward pass, the
 * joint irrelevance of the irrelevant set by a fresh oracle chain (its own proof, not the recorded
 * one), every witness by a forward pass and an exact box check, and the recorded EFX result's
 * adversarial example the same way. Any failure is reported.
 *
 * <p>Probably irrelevant features (PT-LiRPA's last step) are never counted as proven: the proof
 * covers the irrelevant set alone. On request they are re-checked with PT-LiRPA under a fresh seed
 * at the recorded confidence, and the outcome is a note, not a pass or a failure: a probabilistic
 * claim confirmed again is still probabilistic, and one not confirmed is not refuted.
 */
public final class CertificateChecker {
    private CertificateChecker() {}

    /**
     * Time (s) of the first attempt at the irrelevant-set proof, over the bound engine's own bounds.
     * When the search's proof took longer than the search waits before it refines bounds
     * ({@link BoundEnvelope#FIRST_AFTER_SECONDS}), that proof most likely ran over MIP-refined
     * bounds, which the first attempt does not have: it then gets a quarter of the limit (at least
     * 10 s) and the attempt over the checker's own refined bounds gets the whole limit. Otherwise,
     * or without refinement (no CBC), the whole limit.
     */
    static double firstAttemptSeconds(Explanation e, double limit, boolean envelopes) {
        OracleVerdict proof = e.proof();
        boolean slow = proof != null && proof.seconds() > BoundEnvelope.FIRST_AFTER_SECONDS;
        return envelopes && slow ? Math.min(limit, Math.max(10, limit / 4)) : limit;
    }

    /** Shortest default time limit of the irrelevant-set proof (s). */
    public static final double MIN_TIME_LIMIT = 60;

    /**
     * The time limit of the irrelevant-set proof when none is given: twice the time the search's own
     * proof took (recorded in the certificate), at least {@link #MIN_TIME_LIMIT}. Why: the last
     * proofs of a long explanation run over bounds the search refined for the box (a
     * {@link BoundEnvelope}), which the checker must rebuild itself; on mnist-net_256x2 image 14 the
     * search's proof took 135 s and a fixed 60 s limit failed the check of a valid certificate
     * (with 300 s it passed). Twice leaves room for the checker's slower start; the limit is a
     * time, never a verdict: a check that runs out says so and does not pass.
     */
    public static double defaultTimeLimit(Explanation e) {
        OracleVerdict proof = e.proof();
        double recorded = proof == null || !Double.isFinite(proof.seconds()) ? 0 : proof.seconds();
        return Math.max(MIN_TIME_LIMIT, Math.ceil(2 * recorded));
    }

    /**
     * The result of a check.
     *
     * @param passed no failure
     * @param failures what did not hold, one line each
     * @param notes remarks that do not fail the check (unknown features: the explanation is then not
     *     certified minimal for them)
     * @param proofOracle the oracle that re-proved the irrelevant set
     * @param seconds time of the check
     * @param probableConfirmed for a PT-LiRPA re-check of the probably irrelevant features: whether it
     *     confirmed them (probabilistically); null when none was asked for or there are none
     */
    public record Report(boolean passed, List<String> failures, List<String> notes, String proofOracle,
            double seconds, Boolean probableConfirmed) {}

    /**
     * Checks {@code e} against {@code graph}, without re-checking its probably irrelevant features.
     *
     * @param queryTimeoutSeconds budget of the joint-irrelevance proof
     */
    public static Report check(Graph graph, Explanation e, double queryTimeoutSeconds) {
        return check(graph, e, queryTimeoutSeconds, -1);
    }

    /**
     * Checks {@code e}; with {@code probableSeed >= 0} its probably irrelevant features are also
     * re-checked by one PT-LiRPA call with that seed on the box of the irrelevant set plus them.
     */
    public static Report check(Graph graph, Explanation e, double queryTimeoutSeconds, long probableSeed) {
        return check(graph, e, queryTimeoutSeconds, probableSeed, OracleChain.byName("auto", queryTimeoutSeconds, 0));
    }

    /** {@link #check(Graph, Explanation, double, long)} proving the irrelevant set with {@code chain}. */
    static Report check(Graph graph, Explanation e, double queryTimeoutSeconds, long probableSeed, OracleChain chain) {
        long t0 = System.nanoTime();
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ExplanationProblem p;
        try {
            p = new ExplanationProblem(graph, e.input(), e.eps(), e.rangeLo(), e.rangeHi());
        } catch (IllegalArgumentException ex) {
            failures.add("the explanation does not fit the model: " + ex.getMessage());
            return new Report(false, failures, notes, "", (System.nanoTime() - t0) / 1e9, null);
        }
        if (p.label() != e.label()) {
            failures.add("the model predicts " + p.label() + " at the input, the explanation says " + e.label());
            return new Report(false, failures, notes, "", (System.nanoTime() - t0) / 1e9, null);
        }
        BitSet rel = e.relevant();
        BitSet irr = e.irrelevant();
        BitSet unk = e.unknown();
        BitSet prob = e.probablyIrrelevant();
        int n = p.features();
        for (int f = 0; f < n; f++) {
            int c = (rel.get(f) ? 1 : 0) + (irr.get(f) ? 1 : 0) + (unk.get(f) ? 1 : 0) + (prob.get(f) ? 1 : 0);
            if (c != 1) {
                failures.add("feature " + f + " is in " + c + " of the relevant, irrelevant, probably irrelevant and"
                        + " unknown sets");
            }
        }
        for (BitSet s : List.of(rel, irr, unk, prob)) {
            if (s.length() > n) {
                failures.add("feature " + (s.length() - 1) + " is outside the input (" + n + " features)");
            }
        }
        String proofOracle = "";
        boolean envelopes = BoundEnvelope.available(graph);
        OracleChain.ChainVerdict cv = chain.decide(p.query(irr), OracleChain.Scope.FEATURE, false,
                firstAttemptSeconds(e, chain.timeLimitSeconds(), envelopes));
        OracleVerdict v = cv.verdict();
        if (v.outcome() == Outcome.UNKNOWN && envelopes) {
            // Explanations whose last exact queries ran over a BoundEnvelope end with an irrelevant set
            // that CBC may not re-prove in time over CROWN's bounds (mnist-net_256x2 image 3: not in 60 s,
            // 10 s in the search). So the checker refines the bounds of that same box itself (its own
            // MIP solves, nothing taken from the certificate) and asks once more.
            BoundEnvelope own = BoundEnvelope.build(p, irr, Math.min(BoundEnvelope.BUILD_SECONDS,
                    2 * queryTimeoutSeconds), null);
            OracleVerdict again = chain.decide(new FeatureQuery(p, irr, own), OracleChain.Scope.FEATURE).verdict();
            if (again.outcome() != Outcome.UNKNOWN) {
                notes.add(String.format(java.util.Locale.ROOT, "the irrelevant set was re-proved over MIP-refined "
                        + "bounds of its box (refined by the checker in %.1f s)", own.refinement().seconds()));
                v = again;
            }
        }
        switch (v.outcome()) {
            case IRRELEVANT -> proofOracle = v.oracle();
            case RELEVANT -> failures.add("the irrelevant set is not irrelevant: " + v.oracle()
                    + " found an input of its box with another label");
            default -> failures.add("could not re-prove the irrelevant set (" + irr.cardinality() + " features) within "
                    + queryTimeoutSeconds + " s (no refutation: a longer time limit may prove it): " + v.note());
        }
        for (int f = rel.nextSetBit(0); f >= 0; f = rel.nextSetBit(f + 1)) {
            double[] w = e.witnesses().get(f);
            if (w == null) {
                failures.add("relevant feature " + f + " has no witness");
                continue;
            }
            BitSet withF = (BitSet) irr.clone();
            withF.set(f);
            if (!p.query(withF).isCounterexample(w)) {
                failures.add("the witness of relevant feature " + f
                        + " is not an input of the box (irrelevant set plus the feature) with another label");
            }
        }
        checkEfx(p, e, rel, irr, failures);
        if (!unk.isEmpty()) {
            notes.add(unk.cardinality() + " unknown features: the explanation is not certified minimal for them"
                    + unknownReasons(e, unk));
        }
        Boolean confirmed = null;
        if (!prob.isEmpty()) {
            ProbablyIrrelevant pi = e.probable();
            String conf = pi == null ? "unrecorded" : String.valueOf(pi.confidence());
            notes.add(prob.cardinality() + " probably irrelevant features (pt-lirpa, confidence " + conf
                    + "): not proven, not part of the checked irrelevant set");
            if (probableSeed >= 0) {
                confirmed = recheckProbable(p, irr, prob, pi, probableSeed);
                notes.add(confirmed
                        ? "re-checked with pt-lirpa (seed " + probableSeed + "): the irrelevant and probably irrelevant"
                                + " features together are irrelevant with confidence " + conf + " (probabilistic, not"
                                + " a proof)"
                        : "re-checked with pt-lirpa (seed " + probableSeed + "): not confirmed (its lower bound of a"
                                + " margin is not positive); this refutes nothing");
            }
        }
        return new Report(failures.isEmpty(), failures, notes, proofOracle, (System.nanoTime() - t0) / 1e9, confirmed);
    }

    /**
     * The recorded EFX result, when there is one, must hold up: its adversarial example is an input of
     * the full ball with another label (a forward pass), "EFX holds" needs that example and a
     * non-empty irrelevant set, and a ball said to be robust can have no relevant feature (each
     * witness is an adversarial example of the ball) and no adversarial example.
     */
    private static void checkEfx(ExplanationProblem p, Explanation e, BitSet rel, BitSet irr, List<String> failures) {
        EfxResult efx = e.efx();
        if (efx == null) {
            return;
        }
        double[] a = efx.adversarial();
        if (a != null && !p.fullBall().isCounterexample(a)) {
            failures.add("the EFX adversarial example is not an input of the eps-ball with another label");
        }
        if (efx.holds() && (a == null || irr.isEmpty())) {
            failures.add("EFX is said to hold without " + (a == null ? "an adversarial example" : "an irrelevant feature"));
        }
        if (efx.robust() && (a != null || !rel.isEmpty())) {
            failures.add("the eps-ball is said to be robust, but the explanation holds "
                    + (a != null ? "an adversarial example" : "relevant features, whose witnesses are adversarial"));
        }
    }

    /**
     * Why the unknown features were left undecided, counted from their decisions' notes:
     * " (time limit: 3, the MIP's precision: 1)", or "" when no decision says.
     */
    static String unknownReasons(Explanation e, BitSet unk) {
        java.util.Map<String, Integer> count = new java.util.TreeMap<>();
        for (Decision d : e.decisions()) {
            if (!unk.get(d.feature()) || d.note().isEmpty()) {
                continue;
            }
            String why = d.note().contains(MipOracle.PRECISION) ? "the MIP's precision"
                    : d.note().contains(ExplanationSearch.BUDGET) ? "not asked, the time budget ran out"
                    : d.note().contains(MipOracle.TIME_LIMIT) || d.note().contains("timeout")
                            || d.note().contains("had time") ? MipOracle.TIME_LIMIT : "no oracle decided";
            count.merge(why, 1, Integer::sum);
        }
        if (count.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (");
        count.forEach((k, v) -> b.append(b.length() > 2 ? ", " : "").append(k).append(": ").append(v));
        return b.append(')').toString();
    }

    /** One PT-LiRPA call with {@code seed} at the recorded settings on the box of {@code irr ∪ prob}. */
    private static boolean recheckProbable(ExplanationProblem p, BitSet irr, BitSet prob, ProbablyIrrelevant pi,
            long seed) {
        PtLirpa.Options o = PtLirpa.Options.defaults().withSeed(seed);
        if (pi != null) {
            o = o.withConfidence(pi.confidence()).withSamples(pi.samples()).withMaxTailIndex(pi.maxTailIndex());
        }
        BitSet all = (BitSet) irr.clone();
        all.or(prob);
        FeatureQuery q = p.query(all);
        Bounds b = new PtLirpa(o).compute(q.context(), q.spec());
        for (int r = 0; r < b.rows(); r++) {
            if (!(b.lower(r) > 0)) {
                return false;
            }
        }
        return true;
    }
}
