package org.proofmap.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.attack.AttackFixtures.assertWitness;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.FeatureSubsetBox;
import org.proofmap.bounds.InputDomain;
import org.proofmap.bounds.LinfBall;
import org.proofmap.bounds.Spec;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

class PgdTest {
    private static final Graph MLP = AttackFixtures.mlp(31, 8, 32, 32, 5);

    private static List<OutputConstraint> margins(Graph g, int label) {
        return Pgd.misclassification(label, g.outputSize());
    }

    // ------------------------------------------------------------------ fixture MLPs

    @Test
    void findsAMisclassificationWhenEpsIsLarge() {
        Random rng = new Random(1);
        for (int k = 0; k < 8; k++) {
            double[] centre = AttackFixtures.gaussian(rng, 8);
            int label = Graph.argmax(MLP.forward(centre));
            LinfBall ball = new LinfBall(centre, 3.0);
            AttackResult r = Pgd.misclassify(MLP, ball, label, Pgd.Options.defaults().withSeed(k));
            assertWitness(r, MLP, ball, margins(MLP, label));
            double[] y = r.output();
            int other = r.disjunct() < label ? r.disjunct() : r.disjunct() + 1;
            assertTrue(y[other] >= y[label], "class " + other + " must reach class " + label + ": " + r);
            assertEquals(Pgd.NAME, r.provenance().attack());
            assertEquals(k, r.provenance().seed());
            assertEquals(ball.describe(), r.provenance().settings().get("domain"));
            assertTrue(r.iterations() <= 100 && r.restarts() == 10 && r.seconds() >= 0, r.toString());
        }
    }

    /**
     * CROWN and PGD bracket the worst margin from both sides: {@code min_r lower_r <= min_x margin(x)
     * <= PGD's objective}. In particular PGD never finds a counterexample where CROWN proves
     * robustness, and whatever PGD finds lies above CROWN's lower bound.
     */
    @Test
    void neverFindsWhatCrownProves() {
        crownConsistency(MLP, 200, 0.4, 2);
        crownConsistency(AttackFixtures.mlp(32, 10, 48, 48, 48, 10), 100, 0.15, 3);
    }

    private static void crownConsistency(Graph net, int centres, double maxEps, long seed) {
        Random rng = new Random(seed);
        int n = net.inputSize();
        int proved = 0;
        int found = 0;
        for (int k = 0; k < centres; k++) {
            double[] centre = AttackFixtures.gaussian(rng, n);
            int label = Graph.argmax(net.forward(centre));
            double eps = 0.02 + maxEps * rng.nextDouble();
            LinfBall ball = new LinfBall(centre, eps);
            Bounds b = BoundMethods.byName("crown").compute(net, ball, Spec.margins(label, net.outputSize()));
            double lowest = Double.POSITIVE_INFINITY;
            for (int r = 0; r < b.rows(); r++) {
                lowest = Math.min(lowest, b.lower(r));
            }
            AttackResult r = Pgd.misclassify(net, ball, label, Pgd.Options.defaults().withSeed(k).withSteps(50));
            if (lowest > 0) {
                proved++;
                assertFalse(r.found(), "CROWN proves centre " + k + " robust but PGD found " + r);
            }
            if (r.found()) {
                found++;
                assertWitness(r, net, ball, margins(net, label));
                assertTrue(b.lower(r.disjunct()) <= r.objective() + 1e-9, "CROWN bound above a real margin");
            } else {
                assertNull(r.input());
                assertTrue(lowest <= r.objective() + 1e-9, "PGD's best margin " + r.objective()
                        + " below CROWN's lower bound " + lowest);
            }
        }
        System.out.println("PgdTest: of " + centres + " random balls around " + net.source() + " CROWN proved "
                + proved + ", PGD found " + found);
        assertTrue(proved >= centres / 6 && found >= centres / 6,
                "not informative: proved " + proved + ", found " + found + " of " + centres);
    }

    // ------------------------------------------------------------------ determinism and options

    @Test
    void sameSeedSameResult() {
        Random rng = new Random(3);
        double[] centre = AttackFixtures.gaussian(rng, 8);
        int label = Graph.argmax(MLP.forward(centre));
        for (double eps : new double[] {0.05, 0.3, 1.0}) {
            for (boolean early : new boolean[] {true, false}) {
                LinfBall ball = new LinfBall(centre, eps);
                Pgd.Options o = Pgd.Options.defaults().withSeed(42).withEarlyStop(early);
                AttackResult a = Pgd.misclassify(MLP, ball, label, o);
                AttackResult b = Pgd.misclassify(MLP, ball, label, o);
                assertEquals(a.state(), b.state());
                assertEquals(a.objective(), b.objective(), 0.0);
                assertEquals(a.iterations(), b.iterations());
                assertEquals(a.disjunct(), b.disjunct());
                if (a.found()) {
                    assertArrayEquals(a.input(), b.input(), 0.0);
                    assertArrayEquals(a.output(), b.output(), 0.0);
                }
            }
        }
    }

    @Test
    void everyScheduleAndStepKindFindsAnEasyCounterexample() {
        double[] centre = AttackFixtures.gaussian(new Random(4), 8);
        int label = Graph.argmax(MLP.forward(centre));
        LinfBall ball = new LinfBall(centre, 2.0);
        for (Pgd.Schedule s : Pgd.Schedule.values()) {
            for (boolean sign : new boolean[] {true, false}) {
                Pgd.Options o = Pgd.Options.defaults().withSchedule(s).withSignGradient(sign).withRestarts(3);
                assertWitness(Pgd.misclassify(MLP, ball, label, o), MLP, ball, margins(MLP, label));
            }
        }
        // One restart (the centre only) with no step still evaluates the centre.
        AttackResult r = Pgd.misclassify(MLP, ball, label, Pgd.Options.defaults().withRestarts(1).withSteps(0));
        assertFalse(r.found());
        assertEquals(0, r.iterations());
        assertEquals(1, r.restarts());
        assertEquals(AttackFixtures.objective(margins(MLP, label), MLP.forward(centre)), r.objective(), 1e-12);
    }

    @Test
    void optionsAreChecked() {
        Pgd.Options d = Pgd.Options.defaults();
        assertEquals(100, d.steps());
        assertEquals(10, d.restarts());
        assertThrows(IllegalArgumentException.class, () -> d.withRestarts(0));
        assertThrows(IllegalArgumentException.class, () -> d.withSteps(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withStepFraction(0));
        assertThrows(IllegalArgumentException.class, () -> d.withTimeLimitSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> d.withOdiSteps(-1));
        assertFalse(d.perTarget());
        assertEquals(5, d.odiSteps());
        double[] inf = new double[8];
        java.util.Arrays.fill(inf, Double.POSITIVE_INFINITY);
        assertThrows(IllegalArgumentException.class,
                () -> Pgd.misclassify(MLP, new Box(new double[8], inf), 0, d));
        assertThrows(IllegalArgumentException.class,
                () -> Pgd.misclassify(MLP, new LinfBall(new double[3], 1), 0, d));
        assertThrows(IllegalArgumentException.class,
                () -> Pgd.misclassify(MLP, new LinfBall(new double[8], 1), 5, d));
    }

    /**
     * ODI: {@code y0 = relu(x − 0.98)} has no gradient on 99% of {@code x ∈ [−1, 1]}, so plain PGD
     * finds {@code y0 >= 0.01} only from a lucky start; the second output {@code y1 = relu(x + 2)}
     * gives ODI's random direction a slope, and half the random restarts are pushed to {@code x = 1}
     * by its first two steps. Exact float weights: 0.98 in float32 still leaves {@code y0(1) > 0.01}.
     */
    @Test
    void odiReachesARegionWithoutGradient() {
        Graph g = AttackFixtures.oneHidden(1, new double[] {1, 1}, new double[] {-0.98, 2},
                new double[] {1, 0, 0, 1}, new double[] {0, 0});
        Box box = new Box(new double[] {-1}, new double[] {1});
        List<OutputConstraint> unsafe = List.of(
                new OutputConstraint(2, new double[][] {{-1, 0}}, new double[] {-0.01}));
        int plainFound = 0;
        for (long seed = 0; seed < 10; seed++) {
            Pgd.Options o = Pgd.Options.defaults().withSeed(seed);
            AttackResult r = Pgd.attack(g, box, unsafe, o);
            assertWitness(r, g, box, unsafe);
            assertEquals(5, r.provenance().settings().get("odiSteps"));
            if (Pgd.attack(g, box, unsafe, o.withOdiSteps(0)).found()) {
                plainFound++;
            }
        }
        assertTrue(plainFound <= 3, "without ODI, 10 seeds found " + plainFound + " (each about 9% likely)");
    }

    /**
     * Per-target steering: disjunct A ({@code y0 <= −2}) is infeasible on {@code [−1, 1]^2} but scores
     * lowest from nearly every start, so the aggregated {@code min} follows it and never moves
     * {@code x1}; disjunct B ({@code 100·y1 <= −99.5}) holds at {@code x1 = −1} and only a restart
     * steering by B alone gets there. ODI is off in both arms, since its random corners would reach B.
     */
    @Test
    void perTargetReachesADisjunctThatTheAggregateIgnores() {
        // y = relu(x + 2) − 2 = x on the box: a linear map with known gradients.
        Graph g = AttackFixtures.oneHidden(2, new double[] {1, 0, 0, 1}, new double[] {2, 2},
                new double[] {1, 0, 0, 1}, new double[] {-2, -2});
        Box box = new Box(new double[] {-1, -1}, new double[] {1, 1});
        List<OutputConstraint> unsafe = List.of(
                new OutputConstraint(2, new double[][] {{1, 0}}, new double[] {-2}),
                new OutputConstraint(2, new double[][] {{0, 100}}, new double[] {-99.5}));
        int aggregateFound = 0;
        for (long seed = 0; seed < 10; seed++) {
            Pgd.Options o = Pgd.Options.defaults().withPerTarget(true).withOdiSteps(0).withSeed(seed);
            AttackResult r = Pgd.attack(g, box, unsafe, o);
            assertWitness(r, g, box, unsafe);
            assertEquals(1, r.disjunct(), r.toString());
            if (Pgd.attack(g, box, unsafe, o.withPerTarget(false)).found()) {
                aggregateFound++;
            }
        }
        assertTrue(aggregateFound <= 3, "the aggregate found B with " + aggregateFound + " of 10 seeds");
    }

    @Test
    void timeLimitStopsTheAttack() {
        double[] centre = AttackFixtures.gaussian(new Random(5), 8);
        int label = Graph.argmax(MLP.forward(centre));
        LinfBall tiny = new LinfBall(centre, 1e-3);
        AttackResult r = Pgd.misclassify(MLP, tiny, label,
                Pgd.Options.defaults().withSteps(1_000_000).withTimeLimitSeconds(0.05));
        assertFalse(r.found());
        assertTrue(r.note().contains("time limit"), r.note());
        assertTrue(r.seconds() < 5, r.toString());
        assertTrue(r.iterations() < 1_000_000);
    }

    /**
     * The inner loop allocates nothing of the input's size: the objective allocates nothing at all,
     * and a PGD step allocates a few hundred bytes (the per-node scratch of {@link
     * org.proofmap.model.GradientPass}), far below one batch of inputs (10 × 784 doubles = 62 KB).
     */
    @Test
    void theInnerLoopDoesNotAllocateBuffers() {
        if (!(java.lang.management.ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
            org.junit.jupiter.api.Assumptions.abort("allocation counting unsupported");
            return;
        }
        long thread = Thread.currentThread().getId();
        Graph g = AttackFixtures.mlp(5, 784, 32, 32, 10);
        double[] centre = AttackFixtures.gaussian(new Random(1), 784);
        double[] y = g.forward(centre);
        int label = Graph.argmax(y);
        Objective obj = new Objective(Pgd.misclassification(label, 10), 10);
        int[] where = new int[2];
        double sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += obj.evaluate(y, 0, where); // warm up
        }
        long a0 = mx.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            sink += obj.evaluate(y, 0, where);
        }
        long evalBytes = mx.getThreadAllocatedBytes(thread) - a0;
        // Any per-call allocation would cost at least 16 bytes × 100,000 calls; allow for the JIT's own.
        assertTrue(evalBytes < 65_536, "objective evaluation allocated " + evalBytes + " bytes in 100,000 calls");
        LinfBall tiny = new LinfBall(centre, 1e-4); // robust: every run does all its steps
        Pgd.Options o = Pgd.Options.defaults().withEarlyStop(false);
        Pgd.misclassify(g, tiny, label, o.withSteps(100)); // warm up
        long b0 = mx.getThreadAllocatedBytes(thread);
        AttackResult shortRun = Pgd.misclassify(g, tiny, label, o.withSteps(100));
        long b1 = mx.getThreadAllocatedBytes(thread);
        AttackResult longRun = Pgd.misclassify(g, tiny, label, o.withSteps(500));
        long b2 = mx.getThreadAllocatedBytes(thread);
        assertFalse(shortRun.found() || longRun.found());
        double perStep = ((b2 - b1) - (b1 - b0)) / 400.0;
        System.out.println("PgdTest: " + perStep + " bytes allocated per PGD step (" + (b1 - b0)
                + " bytes for a 100-step run), objective sink " + (sink > 0));
        assertTrue(perStep < 4096, perStep + " bytes per step");
    }

    // ------------------------------------------------------------------ feature subsets

    @Test
    void featureSubsetKeepsTheOtherFeaturesAtTheCentreExactly() {
        Random rng = new Random(6);
        int found = 0;
        for (int k = 0; k < 10; k++) {
            double[] centre = AttackFixtures.gaussian(rng, 8);
            int label = Graph.argmax(MLP.forward(centre));
            BitSet free = new BitSet();
            while (free.cardinality() < 3) {
                free.set(rng.nextInt(8));
            }
            FeatureSubsetBox box = new FeatureSubsetBox(centre, free, 4.0, -3.0, 3.0);
            AttackResult r = Pgd.misclassify(MLP, box, label, Pgd.Options.defaults().withSeed(k));
            if (!r.found()) {
                continue;
            }
            found++;
            assertWitness(r, MLP, box, margins(MLP, label));
            double[] x = r.input();
            for (int i = 0; i < 8; i++) {
                if (!free.get(i)) {
                    assertEquals(centre[i], x[i], 0.0, "non-free feature " + i + " moved");
                }
            }
            assertEquals("feature-subset(free=3/8, eps=4.0)", r.provenance().settings().get("domain"));
        }
        assertTrue(found >= 3, "PGD found only " + found + " of 10 subset counterexamples");
    }

    // ------------------------------------------------------------------ the re-check

    /** An objective that claims success everywhere: the independent re-check must reject every claim. */
    static final class DoctoredObjective extends Objective {
        DoctoredObjective(List<OutputConstraint> disjuncts, int outputs) {
            super(disjuncts, outputs);
        }

        @Override
        double evaluate(double[] y, int off, int[] where) {
            return super.evaluate(y, off, where) - 1000;
        }
    }

    @Test
    void aDoctoredObjectiveIsCaughtByTheRecheck() {
        double[] centre = AttackFixtures.gaussian(new Random(7), 8);
        int label = Graph.argmax(MLP.forward(centre));
        LinfBall ball = new LinfBall(centre, 1e-3);
        Bounds b = BoundMethods.byName("crown").compute(MLP, ball, Spec.margins(label, 5));
        for (int r = 0; r < b.rows(); r++) {
            assertTrue(b.lower(r) > 0, "fixture must be provably robust");
        }
        List<OutputConstraint> unsafe = margins(MLP, label);
        for (boolean early : new boolean[] {true, false}) {
            AttackResult r = Pgd.run(MLP, ball, new DoctoredObjective(unsafe, 5),
                    Pgd.Options.defaults().withEarlyStop(early).withSteps(5), Map.of());
            assertEquals(AttackResult.State.NOT_FOUND, r.state(), r.toString());
            assertTrue(r.note().contains("re-check failed"), r.note());
            assertTrue(r.objective() > 0, "the reported objective must be the re-checked one: " + r);
            assertNull(r.input());
            assertNull(r.output());
            assertEquals(-1, r.disjunct());
        }
        // The real objective agrees that nothing is there.
        assertFalse(Pgd.misclassify(MLP, ball, label, Pgd.Options.defaults()).found());
    }

    @Test
    void checkedRejectsPointsOutsideTheDomainOrOutsideTheRegion() {
        double[] centre = AttackFixtures.gaussian(new Random(8), 8);
        double[] y = MLP.forward(centre);
        int label = Graph.argmax(y);
        List<OutputConstraint> unsafe = margins(MLP, label);
        AttackResult.Provenance p = new AttackResult.Provenance("test", Map.of(), 0);
        InputDomain ball = new LinfBall(centre, 0.1);
        // The centre is classified as label: no disjunct holds.
        AttackResult r = AttackResult.checked(MLP, ball, unsafe, centre, p, 0, 1, 0);
        assertFalse(r.found());
        assertTrue(r.note().contains("no disjunct"), r.note());
        assertEquals(AttackFixtures.objective(unsafe, y), r.objective(), 1e-12);
        // A real counterexample from a wide ball, checked against a domain that excludes it.
        LinfBall wide = new LinfBall(centre, 3);
        AttackResult w = Pgd.misclassify(MLP, wide, label, Pgd.Options.defaults());
        assertWitness(w, MLP, wide, unsafe);
        AttackResult outside = AttackResult.checked(MLP, new LinfBall(centre, 1e-6), unsafe, w.input(), p, 0, 1, 0);
        assertFalse(outside.found());
        assertTrue(outside.note().contains("outside the domain"), outside.note());
        AttackResult inside = AttackResult.checked(MLP, wide, unsafe, w.input(), p, 3, 4, 0.5);
        assertWitness(inside, MLP, wide, unsafe);
        assertEquals(3, inside.iterations());
        assertEquals(4, inside.restarts());
        // Results are immutable: changing a returned array changes nothing.
        double[] x = inside.input();
        x[0] += 100;
        assertArrayEquals(w.input(), inside.input(), 0.0);
        double[] nan = w.input();
        nan[0] = Double.NaN;
        assertFalse(AttackResult.checked(MLP, wide, unsafe, nan, p, 0, 1, 0).found());
    }

    /** A disjunct with no rows is {@code true}: every point is a counterexample, the centre first. */
    @Test
    void anEmptyDisjunctIsViolatedEverywhere() {
        double[] centre = AttackFixtures.gaussian(new Random(9), 8);
        LinfBall ball = new LinfBall(centre, 0.1);
        List<OutputConstraint> always = List.of(new OutputConstraint(5, new double[0][], new double[0]));
        AttackResult r = Pgd.attack(MLP, ball, always, Pgd.Options.defaults());
        assertTrue(r.found());
        assertArrayEquals(centre, r.input(), 0.0);
        assertEquals(0, r.iterations());
        assertEquals(Double.NEGATIVE_INFINITY, r.objective());
    }

    // ------------------------------------------------------------------ VNN-COMP benchmarks

    /**
     * Every {@code sat} ACAS Xu instance: PGD (defaults, seed 0) must find at least 30 of the 47
     * within a second each, and every witness must violate the VNNLIB property when re-evaluated.
     */
    @Test
    void acasXuSatInstances() {
        List<String> found = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (AttackFixtures.Instance in : AttackFixtures.expected("acasxu")) {
            if (!in.expected().equals("sat")) {
                continue;
            }
            Graph g = AttackFixtures.model(in);
            Property p = AttackFixtures.property(in);
            AttackResult r = Pgd.violate(g, p, Pgd.Options.defaults());
            assertTrue(r.seconds() < 3, in.name() + " took " + r.seconds() + " s");
            if (r.found()) {
                found.add(in.name());
                double[] x = r.input();
                double[] y = g.forward(x);
                assertTrue(p.isViolatedBy(x, y, 0.0), in.name() + ": witness does not violate the property");
                PropertyCase pc = p.cases().get((Integer) r.provenance().settings().get("case"));
                assertWitness(r, g, Pgd.caseBox(pc), pc.disjuncts());
            } else {
                missed.add(in.name() + String.format(" (%.2g)", r.objective()));
            }
        }
        System.out.println("PgdTest: ACAS Xu sat found " + found.size() + "/" + (found.size() + missed.size())
                + "; found " + found + "; missed " + missed);
        assertTrue(found.size() >= 30, "PGD found only " + found.size() + ": " + found);
        assertTrue(found.stream().filter(s -> s.endsWith("prop_2.vnnlib")).count() >= 5, found.toString());
    }

    /** PGD must never claim a counterexample on an {@code unsat} ACAS Xu instance (all 139 tried). */
    @Test
    void acasXuUnsatInstancesAreNeverClaimed() {
        int tried = 0;
        for (AttackFixtures.Instance in : AttackFixtures.expected("acasxu")) {
            if (!in.expected().equals("unsat")) {
                continue;
            }
            Graph g = AttackFixtures.model(in);
            AttackResult r = Pgd.violate(g, AttackFixtures.property(in), Pgd.Options.defaults().withSteps(50));
            assertFalse(r.found(), in.name() + " is unsat but PGD claims " + r);
            assertTrue(r.objective() > 0, in.name() + ": " + r);
            tried++;
        }
        assertEquals(139, tried);
    }

    /**
     * mnist-net_256x4 with prop_6_0.05: PGD without ODI missed it with each of 20 seeds (and the
     * verifier then timed out); the default attack must find it with every one of 5 seeds, within
     * the time the verifiers can spend before every verification (generous: the machine is shared).
     */
    @Test
    void mnistFc256x4Prop6IsFoundByTheDefaultAttack() {
        AttackFixtures.Instance in = new AttackFixtures.Instance("mnist_fc", "onnx/mnist-net_256x4.onnx",
                "vnnlib/prop_6_0.05.vnnlib", "sat");
        Graph g = AttackFixtures.model(in);
        Property p = AttackFixtures.property(in);
        PropertyCase pc = p.cases().get(0);
        for (long seed = 0; seed < 5; seed++) {
            AttackResult r = Pgd.violate(g, pc, Pgd.Options.defaults().withSeed(seed));
            assertWitness(r, g, Pgd.caseBox(pc), pc.disjuncts());
            assertTrue(p.isViolatedBy(r.input(), g.forward(r.input()), 0.0), "seed " + seed + ": " + r);
            assertTrue(r.seconds() < 5, "seed " + seed + " took " + r.seconds() + " s");
        }
    }

    /** The {@code sat} instances of mnist-net_256x2: PGD must find all 8 (6 before ODI). */
    @Test
    void mnistFcSatInstances() {
        List<String> found = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (AttackFixtures.Instance in : AttackFixtures.expected("mnist_fc")) {
            if (!in.expected().equals("sat") || !in.onnx().contains("256x2")) {
                continue;
            }
            Graph g = AttackFixtures.model(in);
            Property p = AttackFixtures.property(in);
            assertEquals(1, p.cases().size());
            PropertyCase pc = p.cases().get(0);
            AttackResult r = Pgd.violate(g, pc, Pgd.Options.defaults());
            if (r.found()) {
                found.add(in.vnnlib());
                assertWitness(r, g, Pgd.caseBox(pc), pc.disjuncts());
                assertTrue(p.isViolatedBy(r.input(), g.forward(r.input()), 0.0), in.name());
            } else {
                missed.add(in.vnnlib() + String.format(" (%.3g)", r.objective()));
            }
        }
        System.out.println("PgdTest: mnist-net_256x2 sat found " + found.size() + "/" + (found.size() + missed.size())
                + "; found " + found + "; missed " + missed);
        assertEquals(8, found.size() + missed.size());
        assertEquals(8, found.size(), "PGD found only " + found);
    }
}
