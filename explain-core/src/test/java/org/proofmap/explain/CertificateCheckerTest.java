package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.proofmap.mip.MipSolvers;

/** The checker accepts a genuine certificate and rejects each kind of tampering. */
class CertificateCheckerTest {
    static ExplanationProblem problem;
    static Explanation genuine;

    @BeforeAll
    static void explain() {
        problem = ExplainerExactnessTest.fixtureProblems().get(0);
        genuine = Explain.run(problem, Explain.Options.defaults());
        assertFalse(genuine.relevant().isEmpty(), "fixture needs relevant features");
        assertFalse(genuine.irrelevant().isEmpty(), "fixture needs irrelevant features");
    }

    static Explanation with(int label, BitSet rel, BitSet irr, Map<Integer, double[]> witnesses) {
        Explanation e = genuine;
        return new Explanation(e.input(), label, e.eps(), e.rangeLo(), e.rangeHi(), e.order(), e.orderScores(),
                e.algorithm(), e.oracle(), rel, irr, e.unknown(), e.decisions(), witnesses, e.proof(), e.efx(),
                e.oracleStats(), e.queries(), e.seconds(), e.settings());
    }

    @Test
    void genuineCertificatePasses() {
        CertificateChecker.Report r = CertificateChecker.check(problem.graph(), genuine, 30);
        assertTrue(r.passed(), r.failures().toString());
        assertFalse(r.proofOracle().isEmpty());
    }

    /** The default time limit is twice the recorded proof's time, never under the 60 s floor. */
    @Test
    void defaultTimeLimitFollowsTheRecordedProof() {
        assertTrue(genuine.proof().seconds() < 30, "the fixture's proof is quick");
        assertEquals(CertificateChecker.MIN_TIME_LIMIT, CertificateChecker.defaultTimeLimit(genuine));
        Explanation e = genuine;
        OracleVerdict p = e.proof();
        Explanation slow = new Explanation(e.input(), e.label(), e.eps(), e.rangeLo(), e.rangeHi(), e.order(),
                e.orderScores(), e.algorithm(), e.oracle(), e.relevant(), e.irrelevant(), e.unknown(), e.decisions(),
                e.witnesses(), new OracleVerdict(p.outcome(), p.oracle(), p.bound(), null, 135.37, p.note()), e.efx(),
                e.oracleStats(), e.queries(), e.seconds(), e.settings());
        assertEquals(271, CertificateChecker.defaultTimeLimit(slow));
        // A slow recorded proof ran over refined bounds: the plain first attempt gets a quarter.
        assertEquals(67.75, CertificateChecker.firstAttemptSeconds(slow, 271, true));
        assertEquals(271, CertificateChecker.firstAttemptSeconds(slow, 271, false), "no refinement: all of it");
        assertEquals(30, CertificateChecker.firstAttemptSeconds(genuine, 30, true), "a quick proof: all of it");
        assertEquals(10, CertificateChecker.firstAttemptSeconds(slow, 20, true), "at least 10 s");
    }

    @Test
    void movingARelevantFeatureToTheIrrelevantSetFails() {
        BitSet rel = genuine.relevant();
        BitSet irr = genuine.irrelevant();
        int f = rel.nextSetBit(0);
        rel.clear(f);
        irr.set(f);
        CertificateChecker.Report r = CertificateChecker.check(problem.graph(),
                with(genuine.label(), rel, irr, genuine.witnesses()), 30);
        assertFalse(r.passed());
        assertTrue(r.failures().stream().anyMatch(s -> s.contains("irrelevant set")), r.failures().toString());
    }

    @Test
    void aWitnessThatKeepsTheLabelFails() {
        Map<Integer, double[]> w = new HashMap<>(genuine.witnesses());
        int f = genuine.relevant().nextSetBit(0);
        w.put(f, genuine.input());
        CertificateChecker.Report r = CertificateChecker.check(problem.graph(),
                with(genuine.label(), genuine.relevant(), genuine.irrelevant(), w), 30);
        assertFalse(r.passed());
        assertEquals(1, r.failures().size(), r.failures().toString());
    }

    @Test
    void aWitnessOutsideTheBoxFails() {
        Map<Integer, double[]> w = new HashMap<>(genuine.witnesses());
        int f = genuine.relevant().nextSetBit(0);
        double[] moved = w.get(f).clone();
        int other = genuine.relevant().nextSetBit(f + 1);
        if (other < 0) {
            // Only one relevant feature: push the witness beyond eps instead.
            moved[f] = genuine.input()[f] + 2 * genuine.eps();
        } else {
            moved[other] += genuine.eps() / 2; // a fixed feature moved
        }
        w.put(f, moved);
        CertificateChecker.Report r = CertificateChecker.check(problem.graph(),
                with(genuine.label(), genuine.relevant(), genuine.irrelevant(), w), 30);
        assertFalse(r.passed());
    }

    @Test
    void aWrongLabelFails() {
        int wrong = (genuine.label() + 1) % problem.classes();
        CertificateChecker.Report r = CertificateChecker.check(problem.graph(),
                with(wrong, genuine.relevant(), genuine.irrelevant(), genuine.witnesses()), 30);
        assertFalse(r.passed());
    }

    @Test
    void aMissingFeatureFails() {
        BitSet rel = genuine.relevant();
        int f = rel.nextSetBit(0);
        rel.clear(f);
        CertificateChecker.Report r = CertificateChecker.check(problem.graph(),
                with(genuine.label(), rel, genuine.irrelevant(), genuine.witnesses()), 30);
        assertFalse(r.passed());
    }

    @Test
    void efxHoldsWhenTheBallHasAnAdversarialExampleAndSomethingIsIrrelevant() {
        ExactTable t = new ExactTable(problem);
        BitSet all = new BitSet();
        all.set(0, problem.features());
        assertFalse(t.irrelevant(all));
        EfxResult efx = genuine.efx();
        assertTrue(efx.holds());
        assertTrue(problem.fullBall().isCounterexample(efx.adversarial()));
        assertEquals(genuine.irrelevant().cardinality(), efx.irrelevantCount());
        EfxResult none = EfxCheck.check(problem, 0, 10);
        assertFalse(none.holds(), "no irrelevant feature: EFX must fail");
    }

    /**
     * The EFX check takes the explanation's own evidence first: a relevant feature's witness is an
     * adversarial example of the full ball, and a proof that every feature is irrelevant shows the
     * ball robust (reported as such, with EFX failing: nothing to explain).
     */
    @Test
    void efxUsesTheExplanationsOwnEvidence() {
        EfxResult efx = genuine.efx();
        assertTrue(efx.adversarialBy().startsWith("the witness of relevant feature "), efx.adversarialBy());
        int f = Integer.parseInt(efx.adversarialBy().substring("the witness of relevant feature ".length()));
        assertArrayEquals(genuine.witnesses().get(f), efx.adversarial());
        ExplanationProblem tiny = new ExplanationProblem(problem.graph(), problem.input(), 1e-4, -1, 1);
        Explanation robust = Explain.run(tiny, Explain.Options.defaults());
        assertEquals(tiny.features(), robust.irrelevant().cardinality(), "fixture: a tiny ball is robust");
        assertTrue(robust.efx().robust());
        assertFalse(robust.efx().holds());
        assertNull(robust.efx().adversarial());
        assertTrue(robust.efx().adversarialBy().endsWith("proved the full ball robust (the explanation's proof)"),
                robust.efx().adversarialBy());
    }

    /** The checker's note on unknown features counts why each was left undecided. */
    @Test
    void unknownFeaturesAreCountedByReason() {
        BitSet unk = new BitSet();
        unk.set(1, 4);
        List<Decision> ds = List.of(
                new Decision(1, Outcome.UNKNOWN, "mip", 20, 5, 1, "time limit after 2 MIP runs"),
                new Decision(2, Outcome.UNKNOWN, "mip", 60, 9, 1, "retried: undecidable at the solver's precision: x"),
                new Decision(3, Outcome.UNKNOWN, "mip", 20, 7, 1, "time limit after 1 MIP runs"),
                new Decision(4, Outcome.RELEVANT, "mip", 1, 8, 1));
        Explanation e = genuine;
        Explanation withNotes = new Explanation(e.input(), e.label(), e.eps(), e.rangeLo(), e.rangeHi(), e.order(),
                e.orderScores(), e.algorithm(), e.oracle(), e.relevant(), e.irrelevant(), unk, ds, e.witnesses(),
                e.proof(), e.efx(), e.oracleStats(), e.queries(), e.seconds(), e.settings());
        assertEquals(" (the MIP's precision: 1, time limit: 2)", CertificateChecker.unknownReasons(withNotes, unk));
        assertEquals("", CertificateChecker.unknownReasons(genuine, unk), "no notes, no reasons");
    }

    /** A recorded EFX result is re-checked too: its adversarial example and its claims. */
    @Test
    void aTamperedEfxResultFails() {
        assertTrue(CertificateChecker.check(problem.graph(), withEfx(genuine.efx()), 30).passed());
        EfxResult g = genuine.efx();
        double[] outside = g.adversarial().clone();
        outside[0] = problem.input()[0] + 2 * problem.eps(); // out of the ball
        EfxResult[] tampered = {
            new EfxResult(true, problem.input().clone(), "pgd", false, g.irrelevantCount(), 0), // the label holds
            new EfxResult(true, outside, "pgd", false, g.irrelevantCount(), 0),
            new EfxResult(true, null, "pgd", false, g.irrelevantCount(), 0),
            new EfxResult(false, null, "crown proved the full ball robust", true, g.irrelevantCount(), 0),
        };
        for (EfxResult t : tampered) {
            CertificateChecker.Report r = CertificateChecker.check(problem.graph(), withEfx(t), 30);
            assertFalse(r.passed(), t.toString());
            assertTrue(r.failures().stream().anyMatch(s -> s.contains("EFX") || s.contains("eps-ball")),
                    r.failures().toString());
        }
    }

    private static Explanation withEfx(EfxResult efx) {
        Explanation e = genuine;
        return new Explanation(e.input(), e.label(), e.eps(), e.rangeLo(), e.rangeHi(), e.order(), e.orderScores(),
                e.algorithm(), e.oracle(), e.relevant(), e.irrelevant(), e.unknown(), e.decisions(), e.witnesses(),
                e.proof(), efx, e.oracleStats(), e.queries(), e.seconds(), e.settings());
    }

    /**
     * When its chain cannot re-prove the irrelevant set over the box's own bounds, the checker refines
     * them (its own MIP) and asks again. With CROWN as the only prover, every subset of every fixture
     * that CROWN alone leaves undecided is checked as an explanation's irrelevant set (the other
     * features unknown): the check passes exactly on the subsets the brute-force table says are
     * irrelevant and CROWN over refined bounds proves — never on a relevant one — and it does pass,
     * through the fallback, on some (the loop stops after a few of each).
     */
    @Test
    void theCheckerRefinesTheBoundsOfAnIrrelevantSetItCannotProveOtherwise() {
        assumeTrue(MipSolvers.isCbcAvailable(), "the checker refines bounds with CBC (not installed: skipped)");
        OracleChain crownOnly = new OracleChain("crown-only", List.of(BoundOracle.byName("crown")), Set.of("crown"), 30);
        int rescued = 0;
        int refusedRelevant = 0;
        fixtures:
        for (ExplanationProblem p : ExplainerExactnessTest.fixtureProblems()) {
            ExactTable t = new ExactTable(p);
            int n = p.features();
            for (int mask = 1; mask < 1 << n; mask++) {
                if (rescued >= 2 && refusedRelevant >= 4) {
                    break fixtures; // each check refines bounds with CBC: enough evidence, keep the suite short
                }
                BitSet irr = BitSet.valueOf(new long[] {mask});
                if (BoundOracle.byName("crown").decide(p.query(irr), 30).outcome() != Outcome.UNKNOWN) {
                    continue;
                }
                BitSet unk = new BitSet();
                unk.set(0, n);
                unk.andNot(irr);
                Explanation e = new Explanation(p.input(), p.label(), p.eps(), p.rangeLo(), p.rangeHi(), "index", null,
                        "deletion", "crown-only", new BitSet(), irr, unk, List.of(), Map.of(), null, null, Map.of(), 0,
                        0, Map.of());
                CertificateChecker.Report r = CertificateChecker.check(p.graph(), e, 30, -1, crownOnly);
                if (!t.irrelevant(irr)) {
                    assertFalse(r.passed(), "the relevant set " + irr + " passed the check");
                    refusedRelevant++;
                } else if (r.passed()) {
                    assertEquals("crown", r.proofOracle());
                    assertTrue(r.notes().stream().anyMatch(s -> s.contains("MIP-refined")), "notes: " + r.notes());
                    rescued++;
                }
            }
        }
        assertTrue(rescued > 0, "CROWN over refined bounds proved no set that CROWN alone could not");
        assertTrue(refusedRelevant > 0, "no relevant set was offered to the checker");
    }
}
