package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
