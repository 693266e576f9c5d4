package org.proofmap.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.attack.AttackFixtures.assertWitness;

import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.FeatureSubsetBox;
import org.proofmap.bounds.LinfBall;
import org.proofmap.bounds.Spec;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

class FgsmTest {
    private static final Graph MLP = AttackFixtures.mlp(31, 8, 32, 32, 5);

    /** {@code y = W·x + b}, 6 inputs and 4 outputs: FGSM is exact on it for single-row disjuncts. */
    private static final double[] W = floats(OnnxModels.gaussian(new Random(40), 4 * 6, 1.0));
    private static final double[] B = floats(OnnxModels.gaussian(new Random(41), 4, 0.5));
    private static final Graph LINEAR = OnnxLoader.load(OnnxModels.builder(13).input("x", 1, 6)
            .initializer("W", W, 4, 6).initializer("b", B, 4)
            .node("Gemm", List.of("x", "W", "b"), "y", OnnxModels.attr("transB", 1L))
            .output("y", 1, 4).bytes(), "linear");

    /** Rounded to float32, as the ONNX initializers store them. */
    private static double[] floats(double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) v[i];
        }
        return v;
    }

    /**
     * On a linear model the worst margin over an L-inf ball is at the corner FGSM steps to, so FGSM
     * finds a misclassification exactly when one exists: {@code min_j (a_j·c + b_j − eps·|a_j|_1) <= 0}
     * with {@code a_j = W_label − W_j}.
     */
    @Test
    void exactOnALinearModel() {
        Random rng = new Random(1);
        int exists = 0;
        for (int k = 0; k < 200; k++) {
            double[] centre = AttackFixtures.gaussian(rng, 6);
            double[] y = LINEAR.forward(centre);
            int label = Graph.argmax(y);
            double eps = 0.5 * rng.nextDouble();
            double worst = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                if (j == label) {
                    continue;
                }
                double l1 = 0;
                for (int i = 0; i < 6; i++) {
                    l1 += Math.abs(W[label * 6 + i] - W[j * 6 + i]);
                }
                worst = Math.min(worst, y[label] - y[j] - eps * l1);
            }
            if (Math.abs(worst) < 1e-9) {
                continue; // too close to call in floating point
            }
            LinfBall ball = new LinfBall(centre, eps);
            AttackResult r = Fgsm.misclassify(LINEAR, ball, label, Fgsm.Options.defaults());
            assertEquals(worst <= 0, r.found(), "centre " + k + ": worst margin " + worst + ", " + r);
            if (r.found()) {
                exists++;
                assertWitness(r, LINEAR, ball, Pgd.misclassification(label, 4));
                assertEquals(worst, r.objective(), 1e-9);
            } else {
                assertEquals(worst, r.objective(), 1e-9);
            }
        }
        assertTrue(exists >= 20 && exists <= 180, "uninformative: " + exists + " of 200");
    }

    @Test
    void findsMostMisclassificationsOfAReluNetWhenEpsIsLarge() {
        Random rng = new Random(2);
        int found = 0;
        for (int k = 0; k < 20; k++) {
            double[] centre = AttackFixtures.gaussian(rng, 8);
            int label = Graph.argmax(MLP.forward(centre));
            LinfBall ball = new LinfBall(centre, 3.0);
            AttackResult r = Fgsm.misclassify(MLP, ball, label, Fgsm.Options.defaults());
            if (r.found()) {
                found++;
                assertWitness(r, MLP, ball, Pgd.misclassification(label, 5));
                assertEquals(Fgsm.NAME, r.provenance().attack());
                assertEquals(1, r.iterations());
            }
        }
        assertTrue(found >= 10, "FGSM found only " + found + " of 20");
    }

    @Test
    void neverFindsWhatCrownProves() {
        Random rng = new Random(3);
        int proved = 0;
        int found = 0;
        for (int k = 0; k < 100; k++) {
            double[] centre = AttackFixtures.gaussian(rng, 8);
            int label = Graph.argmax(MLP.forward(centre));
            LinfBall ball = new LinfBall(centre, 0.02 + 0.4 * rng.nextDouble());
            Bounds b = BoundMethods.byName("crown").compute(MLP, ball, Spec.margins(label, 5));
            double lowest = Double.POSITIVE_INFINITY;
            for (int r = 0; r < b.rows(); r++) {
                lowest = Math.min(lowest, b.lower(r));
            }
            AttackResult r = Fgsm.misclassify(MLP, ball, label, Fgsm.Options.defaults());
            if (lowest > 0) {
                proved++;
                assertFalse(r.found(), "CROWN proves " + k + " robust but FGSM found " + r);
            }
            found += r.found() ? 1 : 0;
            assertTrue(lowest <= r.objective() + 1e-9, "FGSM margin below CROWN's lower bound");
        }
        assertTrue(proved >= 10 && found >= 10, "uninformative: proved " + proved + ", found " + found);
    }

    @Test
    void deterministicAndKeepsFixedFeatures() {
        Random rng = new Random(4);
        int found = 0;
        for (int k = 0; k < 10; k++) {
            double[] centre = AttackFixtures.gaussian(rng, 8);
            int label = Graph.argmax(MLP.forward(centre));
            BitSet free = new BitSet();
            free.set(0, 4);
            FeatureSubsetBox box = new FeatureSubsetBox(centre, free, 3.0, Double.NEGATIVE_INFINITY,
                    Double.POSITIVE_INFINITY);
            AttackResult a = Fgsm.misclassify(MLP, box, label, Fgsm.Options.defaults());
            AttackResult b = Fgsm.misclassify(MLP, box, label, Fgsm.Options.defaults());
            assertEquals(a.state(), b.state());
            assertEquals(a.objective(), b.objective(), 0.0);
            if (a.found()) {
                found++;
                assertArrayEquals(a.input(), b.input(), 0.0);
                assertWitness(a, MLP, box, Pgd.misclassification(label, 5));
                for (int i = 4; i < 8; i++) {
                    assertEquals(centre[i], a.input()[i], 0.0, "fixed feature " + i + " moved");
                }
            }
        }
        assertTrue(found >= 2, "found " + found);
    }

    @Test
    void aCentreThatAlreadyViolatesIsReturnedWithoutAStep() {
        double[] centre = AttackFixtures.gaussian(new Random(5), 8);
        double[] y = MLP.forward(centre);
        int label = Graph.argmax(y);
        int runnerUp = label == 0 ? 1 : 0;
        // Unsafe: the label wins (true at the centre).
        double[] row = new double[5];
        row[runnerUp] = 1;
        row[label] = -1;
        List<OutputConstraint> unsafe = List.of(new OutputConstraint(5, new double[][] {row}, new double[] {0}));
        LinfBall ball = new LinfBall(centre, 0.01);
        AttackResult r = Fgsm.attack(MLP, ball, unsafe, Fgsm.Options.defaults());
        assertWitness(r, MLP, ball, unsafe);
        assertArrayEquals(centre, r.input(), 0.0);
        assertEquals(0, r.iterations());
    }

    @Test
    void aDoctoredObjectiveIsCaughtByTheRecheck() {
        double[] centre = AttackFixtures.gaussian(new Random(6), 8);
        int label = Graph.argmax(MLP.forward(centre));
        LinfBall ball = new LinfBall(centre, 1e-3);
        List<OutputConstraint> unsafe = Pgd.misclassification(label, 5);
        AttackResult r = Fgsm.run(MLP, ball, new PgdTest.DoctoredObjective(unsafe, 5), Fgsm.Options.defaults());
        assertFalse(r.found(), r.toString());
        assertTrue(r.note().contains("re-check failed"), r.note());
        assertTrue(r.objective() > 0);
        assertNull(r.input());
    }

    @Test
    void optionsAreChecked() {
        assertEquals(0.5, Fgsm.Options.defaults().stepFraction());
        assertThrows(IllegalArgumentException.class, () -> new Fgsm.Options(0));
        assertThrows(IllegalArgumentException.class, () -> new Fgsm.Options(Double.NaN));
    }

    /** FGSM on the ACAS Xu {@code prop_2} instances: whatever it finds violates the property; never on unsat ones. */
    @Test
    void acasXuProperty2() {
        int found = 0;
        for (AttackFixtures.Instance in : AttackFixtures.expected("acasxu")) {
            if (!in.vnnlib().endsWith("prop_2.vnnlib") && !in.vnnlib().endsWith("prop_1.vnnlib")) {
                continue;
            }
            Graph g = AttackFixtures.model(in);
            Property p = AttackFixtures.property(in);
            PropertyCase pc = p.cases().get(0);
            AttackResult r = Fgsm.violate(g, pc, Fgsm.Options.defaults());
            if (in.expected().equals("unsat")) {
                assertFalse(r.found(), in.name() + " is unsat but FGSM claims " + r);
            } else if (r.found()) {
                found++;
                assertWitness(r, g, Pgd.caseBox(pc), pc.disjuncts());
                assertTrue(p.isViolatedBy(r.input(), g.forward(r.input()), 0.0), in.name());
            }
        }
        System.out.println("FgsmTest: ACAS Xu prop_2 sat found " + found + "/39");
        assertTrue(found >= 1, "FGSM found none");
    }
}
