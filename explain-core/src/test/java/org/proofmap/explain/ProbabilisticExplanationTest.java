package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.FeatureSubsetBox;
import org.proofmap.bounds.PtLirpa;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * PT-LiRPA as the last step of an explanation: the proven part (irrelevant set, its proof, relevant
 * features and witnesses) is exactly what it is without the step; the probably irrelevant features
 * come only from the proven run's unknown ones, carry their confidence and provenance, and are
 * never counted as proven by the checker; with {@code --oracle pt-lirpa} nothing is proven.
 */
class ProbabilisticExplanationTest {
    /** A 24-input net and a radius where CROWN and a quick attack leave many features unknown. */
    private static ExplanationProblem problem() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(3, 24, 48, 48, 4).bytes(), "mlp-24");
        double[] x = new double[24];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return new ExplanationProblem(g, x, EPS, -2, 2);
    }

    private static final double EPS = 0.1;

    private static Explain.Options options() {
        return Explain.Options.defaults().withOracle("ibp").withEfx(false);
    }

    @Test
    void theProvenPartDoesNotDependOnTheProbabilisticStep() {
        ExplanationProblem p = problem();
        Explanation plain = Explain.run(p, options());
        Explanation prob = Explain.run(p, options().withProbabilistic(PtLirpa.Options.defaults().withConfidence(0.95)));
        System.out.println("plain: " + plain.summary());
        System.out.println("prob:  " + prob.summary());
        assertNull(plain.probable());
        assertTrue(plain.probablyIrrelevant().isEmpty());
        assertEquals(plain.irrelevant(), prob.irrelevant());
        assertEquals(plain.relevant(), prob.relevant());
        assertEquals(plain.proof().bound(), prob.proof().bound());
        assertEquals(plain.proof().oracle(), prob.proof().oracle());
        BitSet pi = prob.probablyIrrelevant();
        assertFalse(pi.isEmpty(), "the step frees some of the " + plain.unknown().cardinality() + " unknown features");
        BitSet fromUnknown = (BitSet) pi.clone();
        fromUnknown.andNot(plain.unknown());
        assertTrue(fromUnknown.isEmpty(), "probably irrelevant features come from the unknown ones only");
        BitSet rest = plain.unknown();
        rest.andNot(pi);
        assertEquals(rest, prob.unknown());
        assertFalse(prob.complete());
        ProbablyIrrelevant step = prob.probable();
        assertEquals(0.95, step.confidence());
        assertEquals(PtLirpa.DEFAULT_SAMPLES, step.samples());
        assertEquals(PtLirpa.ESTIMATOR, step.estimator());
        assertTrue(step.bound() > 0 && step.calls() > 0);
        assertTrue(prob.summary().contains(pi.cardinality() + " probably irrelevant (pt-lirpa, confidence 0.95,"
                + " not proven)"), prob.summary());
        // The irrelevant and probably irrelevant features together: no sampled input changes the label.
        BitSet all = prob.irrelevant();
        all.or(pi);
        assertEquals(0, misclassifiedSamples(p, all, 20_000));

        // The checker proves the irrelevant set only and notes the others; a PT-LiRPA re-check is a note.
        CertificateChecker.Report r = CertificateChecker.check(p.graph(), prob, 20, 7);
        assertTrue(r.passed(), r.failures().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith(pi.cardinality() + " probably irrelevant features"
                + " (pt-lirpa, confidence 0.95): not proven")), r.notes().toString());
        assertEquals(Boolean.TRUE, r.probableConfirmed());
        assertNull(CertificateChecker.check(p.graph(), prob, 20).probableConfirmed());
    }

    /** A probably irrelevant feature also claimed as irrelevant, or left out of every set, fails the check. */
    @Test
    void theCheckerKeepsTheFourSetsApart() {
        ExplanationProblem p = problem();
        Explanation e = Explain.run(p, options().withProbabilistic(PtLirpa.Options.defaults()));
        int f = e.probablyIrrelevant().nextSetBit(0);
        assertTrue(f >= 0);
        BitSet irr = e.irrelevant();
        irr.set(f);
        Explanation both = new Explanation(e.input(), e.label(), e.eps(), e.rangeLo(), e.rangeHi(), e.order(),
                e.orderScores(), e.algorithm(), e.oracle(), e.relevant(), irr, e.unknown(), e.decisions(),
                e.witnesses(), e.proof(), e.efx(), e.oracleStats(), e.queries(), e.seconds(), e.settings(), e.probable());
        CertificateChecker.Report r = CertificateChecker.check(p.graph(), both, 20);
        assertFalse(r.passed());
        assertTrue(r.failures().get(0).contains("feature " + f + " is in 2 of the relevant, irrelevant, probably"
                + " irrelevant and unknown sets"), r.failures().toString());
    }

    @Test
    void ptLirpaAsTheWholeChainProvesNothing() {
        ExplanationProblem p = problem();
        Explanation e = Explain.run(p, Explain.Options.defaults().withOracle("pt-lirpa").withEfx(false));
        System.out.println("pt-lirpa: " + e.summary());
        assertTrue(e.irrelevant().isEmpty(), "nothing is proven irrelevant");
        assertEquals("forward", e.proof().oracle());
        assertNotNull(e.probable());
        assertEquals(PtLirpa.Options.defaults().confidence(), e.probable().confidence());
        assertFalse(e.probablyIrrelevant().isEmpty());
        assertEquals("pt-lirpa", e.oracle());
        for (int f : e.relevant().stream().toArray()) {
            BitSet one = new BitSet();
            one.set(f);
            assertTrue(p.query(one).isCounterexample(e.witnesses().get(f)), "relevant " + f + " has a real witness");
        }
        BitSet all = e.relevant();
        all.or(e.probablyIrrelevant());
        all.or(e.unknown());
        assertEquals(p.features(), all.cardinality());
        assertEquals(0, misclassifiedSamples(p, e.probablyIrrelevant(), 20_000));
    }

    /** Uniform samples of the box of free set {@code free} that the model does not give the label. */
    private static int misclassifiedSamples(ExplanationProblem p, BitSet free, int n) {
        FeatureSubsetBox box = p.query(free).domain();
        SplittableRandom r = new SplittableRandom(12345);
        int bad = 0;
        double[] x = new double[p.features()];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = box.lower()[i] + (box.upper()[i] - box.lower()[i]) * r.nextDouble();
            }
            bad += Graph.argmax(p.graph().forward(x)) == p.label() ? 0 : 1;
        }
        return bad;
    }
}
