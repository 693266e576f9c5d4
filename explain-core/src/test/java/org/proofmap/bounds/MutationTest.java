package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;

/**
 * The soundness checks can fail: CROWN run on a copy of a network whose ReLU relaxation is 1% too
 * tight ({@link ShrunkRelu}) is caught by exactly the procedure {@link SoundnessTest} uses
 * ({@link SoundnessChecker} with its default options), while CROWN on the real network, and on a
 * copy with a faithful ({@code shrink = 0}) decorator that takes the same code path, is not.
 *
 * <p>What catches it: on a random 5-input MLP the 1% shrink rarely pushes the <em>concretised</em>
 * bounds past the true range (CROWN's other slack usually covers 1%), but the linear bounds
 * {@code a·x + b} that CROWN returns are then wrong at some box corner, which the checker evaluates.
 * At eps 0.01 (few unstable neurons, where CROWN is nearly exact) this happens on every box tried; the
 * assertions are made there. The convex fixture shows the interval bounds themselves being caught:
 * there CROWN's upper bound is exact, so any shrink is visible.
 *
 * <p>None of the fixture tests needs {@code ../shared}; {@link #upperShrinkOnSharedMlp5} adds the
 * reference model {@code mlp_5_50_50_5}.
 */
class MutationTest {
    static final double SHRINK = 0.01;

    /** The checker's results for CROWN on the real graph, the faithful decorator, and the mutant. */
    record Verdict(SoundnessChecker.Report original, SoundnessChecker.Report control, SoundnessChecker.Report mutant) {
        String describe() {
            StringBuilder sb = new StringBuilder();
            for (SoundnessChecker.TargetResult r : mutant.results()) {
                sb.append("\n  mutant ").append(r.describe());
            }
            return sb.toString();
        }
    }

    static Verdict run(Graph g, InputDomain box, List<Spec> specs, ShrunkRelu.Kind kind, long seed) {
        Graph control = ShrunkRelu.mutate(g, kind, 0.0);
        Graph mutant = ShrunkRelu.mutate(g, kind, SHRINK);
        return new Verdict(check(g, g, box, specs, seed), check(g, control, box, specs, seed),
                check(g, mutant, box, specs, seed));
    }

    /** CROWN bounds computed on {@code boundsGraph}, checked against the real network {@code g}. */
    static SoundnessChecker.Report check(Graph g, Graph boundsGraph, InputDomain box, List<Spec> specs, long seed) {
        List<SoundnessChecker.Target> targets = new ArrayList<>();
        for (Spec s : specs) {
            targets.add(new SoundnessChecker.Target("crown on " + s.kind(), s, new Crown(false).compute(boundsGraph, box, s)));
        }
        return new SoundnessChecker(g, box, SoundnessChecker.Options.defaults(seed)).run(targets);
    }

    static List<Spec> specs(Graph g, double[] centre) {
        int label = Graph.argmax(g.forward(centre));
        return List.of(Spec.identity(g.outputSize()), Spec.margins(label, g.outputSize()));
    }

    static void assertCaught(String name, Verdict v) {
        System.out.println("[mutation] " + name + ":" + v.describe());
        assertTrue(v.original().allSound(), name + ": CROWN on the real network flagged: "
                + v.original().results().get(0).describe());
        assertTrue(v.control().allSound(), name + ": the faithful decorator flagged: "
                + v.control().results().get(0).describe());
        assertFalse(v.mutant().allSound(), name + ": the 1% shrink went unnoticed");
    }

    static double[] uniformCentre(Random rng, int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = 2 * rng.nextDouble() - 1;
        }
        return c;
    }

    @Test
    void upperShrinkOnFixtureMlps() {
        for (long seed = 1; seed <= 3; seed++) {
            Graph g = OnnxLoader.load(OnnxModels.mlp(seed, 5, 20, 20, 3).bytes(), "mlp_5_20_20_3 seed " + seed);
            double[] centre = uniformCentre(new Random(seed), 5);
            Verdict v = run(g, new LinfBall(centre, 0.01), specs(g, centre), ShrunkRelu.Kind.UPPER, seed);
            assertCaught("fixture mlp seed " + seed + " eps 0.01", v);
        }
    }

    @Test
    void upperShrinkOnSharedMlp5() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.resolve("models-ref/centers.json").toFile());
        Graph g = OnnxLoader.load(SharedData.resolve("models-ref/mlp_5_50_50_5.onnx"));
        JsonNode centres = root.get("mlp_5_50_50_5").get("centers");
        for (int c = 0; c < centres.size(); c++) {
            double[] centre = SoundnessTest.doubles(centres.get(c));
            Verdict v = run(g, new LinfBall(centre, 0.01), specs(g, centre), ShrunkRelu.Kind.UPPER, 17 + c);
            assertCaught("mlp_5_50_50_5 c" + c + " eps 0.01", v);
        }
    }

    /**
     * One input, one hidden ReLU layer, positive output weights: the output is convex in x and CROWN's
     * upper bound (the chords, linear in x, maximised at an end of the interval where every chord meets
     * its ReLU) is exact. Shrinking the chords by 1% then puts the interval bound itself below the
     * output at an end of the interval.
     */
    @Test
    void upperShrinkBreaksTheIntervalBoundOfAConvexNet() {
        Random rng = new Random(5);
        int h = 8;
        double[] w0 = new double[h];
        double[] b0 = new double[h];
        double[] w1 = new double[h];
        for (int j = 0; j < h; j++) {
            w0[j] = (rng.nextBoolean() ? 1 : -1) * (0.5 + rng.nextDouble());
            b0[j] = (rng.nextDouble() - 0.5) * Math.abs(w0[j]); // unstable on [-1, 1]
            w1[j] = 0.2 + rng.nextDouble();
        }
        byte[] onnx = OnnxModels.builder(13).input("input", 1, 1)
                .initializer("W0", w0, h, 1).initializer("b0", b0, h)
                .node("Gemm", List.of("input", "W0", "b0"), "z", OnnxModels.attr("transB", 1L))
                .node("Relu", List.of("z"), "r")
                .initializer("W1", w1, 1, h).initializer("b1", new double[] {0.1}, 1)
                .node("Gemm", List.of("r", "W1", "b1"), "output", OnnxModels.attr("transB", 1L))
                .output("output", 1, 1).bytes();
        Graph g = OnnxLoader.load(onnx, "convex");
        InputDomain box = new LinfBall(new double[] {0}, 1.0);
        List<Spec> specs = List.of(Spec.identity(1));
        Verdict v = run(g, box, specs, ShrunkRelu.Kind.UPPER, 5);
        assertCaught("convex 1-8-1", v);
        SoundnessChecker.TargetResult orig = v.original().results().get(0);
        assertEquals(orig.sampledMax[0], orig.target.bounds().upper(0), 1e-9,
                "CROWN's upper bound should be exact on this net");
        SoundnessChecker.TargetResult mut = v.mutant().results().get(0);
        assertTrue(mut.sampledMax[0] > mut.target.bounds().upper(0) + 1e-3,
                "the mutant's interval upper bound " + mut.target.bounds().upper(0) + " should be below the sampled "
                        + "maximum " + mut.sampledMax[0]);
    }

    /**
     * The other mutation: the lower line {@code αx} of an unstable ReLU scaled up by 1%. It changes
     * nothing where CROWN picks {@code α = 0}, and where it picks 1 the line only overshoots near the
     * top of the interval, so it is caught on fewer boxes: the assertion is that some box of a small
     * sweep catches it (and that the real network and the control are clean on all of them).
     */
    @Test
    void lowerGrowthIsCaughtSomewhere() {
        int caught = 0;
        int boxes = 0;
        StringBuilder sb = new StringBuilder();
        for (long seed = 1; seed <= 3; seed++) {
            Graph g = OnnxLoader.load(OnnxModels.mlp(seed, 5, 20, 20, 3).bytes(), "mlp_5_20_20_3 seed " + seed);
            double[] centre = uniformCentre(new Random(seed), 5);
            for (double eps : new double[] {0.01, 0.05, 0.1}) {
                Verdict v = run(g, new LinfBall(centre, eps), specs(g, centre), ShrunkRelu.Kind.LOWER, seed);
                assertTrue(v.original().allSound() && v.control().allSound(), "seed " + seed + " eps " + eps
                        + ": the real network or the control flagged");
                boxes++;
                if (!v.mutant().allSound()) {
                    caught++;
                    sb.append(" seed ").append(seed).append(" eps ").append(eps);
                }
            }
        }
        System.out.println("[mutation] lower-line growth caught on " + caught + "/" + boxes + " boxes:" + sb);
        assertTrue(caught > 0, "the lower-line growth was never caught");
    }
}
