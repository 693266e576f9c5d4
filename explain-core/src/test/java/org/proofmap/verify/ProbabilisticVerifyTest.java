package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.proofmap.attack.Pgd;
import org.proofmap.bounds.PtLirpa;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;
import org.proofmap.vnnlib.VnnlibParser;

/**
 * Verification with PT-LiRPA bounds: a verdict resting on them is {@code PROBABLY_UNSAT} with its
 * confidence and provenance, never {@code UNSAT}; a sound proof stays {@code UNSAT}; {@code SAT} stays
 * a re-checked counterexample, even where PT-LiRPA's bounds wrongly "prove" the property; the failure
 * probability is shared so that the stated confidence covers every call.
 */
class ProbabilisticVerifyTest {
    private static final double CONFIDENCE = 0.99;

    private static Graph acas(String net) {
        return OnnxLoader.load(SharedData.resolve("benchmarks/acasxu/onnx/ACASXU_run2a_" + net + "_batch_2000.onnx"));
    }

    private static Property acasProperty(String prop) {
        return VnnlibParser.parse(SharedData.resolve("benchmarks/acasxu/vnnlib/prop_" + prop + ".vnnlib"));
    }

    private static InputSplitVerifier.Options inputSplit(String bound) {
        return InputSplitVerifier.Options.defaults().withBound(bound).withTimeout(60)
                .withProbabilistic(PtLirpa.Options.defaults().withConfidence(CONFIDENCE));
    }

    /**
     * An L∞ box of ACAS Xu 1_1 (radius 0.01 around a point labelled 0) where CROWN's margins at the
     * root are negative (-0.010) and PT-LiRPA's positive (+0.0002): input splitting proves it with
     * CROWN after splitting, and with pt-lirpa closes the root box probabilistically.
     */
    @Test
    void boxesClosedByPtLirpaMakeTheVerdictProbablyUnsat() {
        Graph g = acas("1_1");
        double[] c = {-0.2963296906405432, 0.2782228782139246, 0.26391923326914585, 0.2683169505979163,
            0.2622492893375818};
        double[] lo = new double[5];
        double[] hi = new double[5];
        for (int i = 0; i < 5; i++) {
            lo[i] = c[i] - 0.01;
            hi[i] = c[i] + 0.01;
        }
        assertEquals(0, Graph.argmax(g.forward(c)));
        Property p = new Property(5, 5, List.of(new PropertyCase(lo, hi, Pgd.misclassification(0, 5))), "box");
        VerificationResult sound = new InputSplitVerifier(inputSplit("crown")).verify(g, p);
        VerificationResult pt = new InputSplitVerifier(inputSplit("pt-lirpa")).verify(g, p);
        System.out.printf("ACAS Xu 1_1 box: crown %s in %d boxes; pt-lirpa %s in %d boxes, %s%n",
                sound.verdictText(), sound.subproblems(), pt.verdictText(), pt.subproblems(), pt.statistics());
        assertEquals(Verdict.UNSAT, sound.verdict());
        assertEquals(Double.NaN, sound.confidence());
        assertEquals(Verdict.PROBABLY_UNSAT, pt.verdict());
        assertEquals(CONFIDENCE, pt.confidence());
        assertEquals("unsat (probabilistic, confidence 0.99)", pt.verdictText());
        Map<String, Object> st = pt.statistics();
        assertEquals(true, st.get("probabilistic"));
        assertEquals(CONFIDENCE, st.get("confidence"));
        assertEquals(PtLirpa.DEFAULT_SAMPLES, st.get("samples"));
        assertEquals(PtLirpa.ESTIMATOR, st.get("estimator"));
        assertTrue((Long) st.get("boxes_proved_probabilistically") > 0);
        assertTrue((Long) st.get("pt_lirpa_decisive") > 0);
        // PT-LiRPA closes boxes CROWN would have split: fewer boxes in all.
        assertTrue(pt.subproblems() < sound.subproblems(), pt.subproblems() + " >= " + sound.subproblems());
        // The result file does not claim a proof.
        VnnCompResult file = VnnCompResult.of(pt);
        assertEquals(Verdict.UNKNOWN, file.verdict());
        assertTrue(file.text().startsWith("unknown\n; unsat (probabilistic, confidence 0.99), samples 1000,"
                + " estimator weibull-tail-pivot"), file.text());
        assertEquals(Verdict.UNKNOWN, VnnCompResult.parse(file.text(), "r.txt").verdict());
    }

    @Test
    void satStaysAReCheckedCounterexample() throws Exception {
        Graph g = acas("2_1");
        Property p = acasProperty("2");
        VerificationResult r = new InputSplitVerifier(inputSplit("pt-lirpa")).verify(g, p);
        assertEquals(Verdict.SAT, r.verdict());
        assertEquals(false, r.statistics().get("probabilistic"));
        assertTrue(Double.isNaN(r.confidence()));
        assertViolates(g, p, r);
    }

    /**
     * mnist-net_256x2 around test image 0 at eps 0.016: PT-LiRPA's bounds "prove" the ball
     * ({@code PtLirpaTest#defaultsCanCertifyABallWithACounterexample}), but activation splitting asks
     * them only last: the attack finds the real counterexample first, and the answer is sat.
     */
    @Test
    void aWrongPtLirpaProofNeverHidesAFoundCounterexample() throws Exception {
        Graph g = OnnxLoader.load(SharedData.resolve("benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx"));
        Property p = ball(g, 0.016);
        ActivationSplitVerifier.Options o = ActivationSplitVerifier.Options.defaults().withTimeout(30)
                .withProbabilistic(PtLirpa.Options.defaults());
        VerificationResult r = new ActivationSplitVerifier(o).verify(g, p);
        assertEquals(Verdict.SAT, r.verdict(), r.decidedBy());
        assertViolates(g, p, r);
    }

    /**
     * A ball the search cannot settle in a second without its exact fallback, but PT-LiRPA's bounds
     * prove: the answer is probably unsat, and says what decided it. mnist-net_256x6 around test image
     * 0 at eps 0.03: CROWN's root margin is far below zero and branching needs minutes (on
     * mnist-net_256x2 the split cuts now settle every ball near the certified radius within a
     * second, sat or unsat, so a harder net is needed to reach PT-LiRPA at all).
     */
    @Test
    void activationSplittingAsksPtLirpaLast() throws Exception {
        Graph g = OnnxLoader.load(SharedData.resolve("benchmarks/mnist_fc/onnx/mnist-net_256x6.onnx"));
        Property p = ball(g, 0.03);
        ActivationSplitVerifier.Options base = new ActivationSplitVerifier.Options(1, 0, 200,
                Pgd.Options.defaults().withRestarts(2), false, null, null, false, null);
        VerificationResult sound = new ActivationSplitVerifier(base).verify(g, p);
        VerificationResult pt = new ActivationSplitVerifier(base.withProbabilistic(PtLirpa.Options.defaults()))
                .verify(g, p);
        System.out.printf("mnist-net_256x6 image 0 eps 0.03: sound %s (%s), pt-lirpa %s (%s)%n", sound.verdictText(),
                sound.decidedBy(), pt.verdictText(), pt.decidedBy());
        assertTrue(sound.verdict() == Verdict.TIMEOUT || sound.verdict() == Verdict.UNKNOWN, sound.verdictText());
        assertEquals(Verdict.PROBABLY_UNSAT, pt.verdict());
        assertEquals(PtLirpa.Options.defaults().confidence(), pt.confidence());
        assertEquals("bounds and pt-lirpa", pt.decidedBy());
        assertEquals("probably_unsat (" + pt.subproblems() + " subproblems, pt-lirpa (after "
                + ("timeout".equals(pt.statistics().get("undecided_before_pt_lirpa")) ? "timeout" : "undecided subdomain")
                + "))", pt.statistics().get("case0"));
        assertEquals(true, pt.statistics().get("probabilistic"));
        assertEquals(1L, pt.statistics().get("pt_lirpa_calls"));
    }

    @Test
    void theBudgetsSharesSumBelowItsFailureProbability() {
        ConfidenceBudget b = new ConfidenceBudget(PtLirpa.Options.defaults().withConfidence(0.9).withSeed(5));
        double sum = 0;
        long seedBefore = 5;
        for (int i = 1; i <= 100_000; i++) {
            PtLirpa pt = b.next();
            if (pt == null) {
                break;
            }
            double share = 1 - pt.options().confidence();
            assertTrue(share <= 0.1 / ((double) i * (i + 1)), "call " + i + " share " + share);
            assertTrue(pt.options().seed() > seedBefore, "fresh samples for every call");
            seedBefore = pt.options().seed();
            sum += share;
        }
        assertTrue(sum < 0.1, "shares sum to " + sum);
        assertTrue(sum > 0.1 * 0.99, "the budget is not wasted: " + sum);
        assertTrue(!b.used());
        b.decided();
        assertTrue(b.used());
        assertEquals(true, b.provenance().get("probabilistic"));
        // Shares that would round away are not handed out: the search goes on with sound bounds.
        ConfidenceBudget tiny = new ConfidenceBudget(PtLirpa.Options.defaults().withConfidence(1 - 1e-13));
        assertNotNull(tiny.next());
        for (int i = 0; i < 10; i++) {
            tiny.next();
        }
        assertNull(tiny.next());
    }

    @Test
    void aConfidenceGoesWithProbablyUnsatOnly() {
        assertThrows(IllegalArgumentException.class,
                () -> new VerificationResult(Verdict.UNSAT, null, null, "x", 0, 0, Map.of(), 0.99));
        assertThrows(IllegalArgumentException.class,
                () -> new VerificationResult(Verdict.PROBABLY_UNSAT, null, null, "x", 0, 0, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new VnnCompResult(Verdict.PROBABLY_UNSAT, null, null));
        assertEquals("unsat", new VerificationResult(Verdict.UNSAT, null, null, "x", 0, 0, Map.of()).verdictText());
    }

    /** The L∞ ball of test image 0 as a property: unsafe when another class scores at least as high. */
    private static Property ball(Graph g, double eps) throws Exception {
        String[] f = Files.readAllLines(SharedData.resolve("datasets/mnist_test_100.csv")).get(0).split(",");
        double[] lo = new double[784];
        double[] hi = new double[784];
        double[] x = new double[784];
        for (int i = 0; i < 784; i++) {
            x[i] = Double.parseDouble(f[i + 1]) / 255;
            lo[i] = Math.max(0, x[i] - eps);
            hi[i] = Math.min(1, x[i] + eps);
        }
        int label = Graph.argmax(g.forward(x));
        return new Property(784, 10, List.of(new PropertyCase(lo, hi, Pgd.misclassification(label, 10))),
                "image 0 eps " + eps);
    }

    /** The witness, re-evaluated here, violates the property. */
    private static void assertViolates(Graph g, Property p, VerificationResult r) {
        assertNotNull(r.witness());
        VerifierBenchmarksTest.checkWitness(g, p, r);
    }
}
