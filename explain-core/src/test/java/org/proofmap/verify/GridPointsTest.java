package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.VnnlibParser;

class GridPointsTest {
    @Test
    void coordinatesAreTheMidpointsBisectionComputes() {
        double lo = -0.328422877;
        double hi = 0.679857769;
        double m = 0.5 * (lo + hi);
        assertArrayEquals(new double[] {lo, 0.5 * (lo + m), m, 0.5 * (m + hi), hi}, GridPoints.bisections(lo, hi, 2));
    }

    /** Five inputs: 5 coordinates each, every one of the 3,125 combinations once, all in the box. */
    @Test
    void visitsEveryGridPointOnceWithinTheBudget() {
        double[] lo = {0, 0, 0, 0, 0};
        double[] hi = {1, 2, 3, 4, 5};
        Set<List<Double>> seen = new HashSet<>();
        assertFalse(GridPoints.search(lo, hi, x -> {
            for (int i = 0; i < 5; i++) {
                assertTrue(x[i] >= lo[i] && x[i] <= hi[i]);
            }
            assertTrue(seen.add(List.of(x[0], x[1], x[2], x[3], x[4])), "visited twice");
            return false;
        }));
        assertEquals(3125, seen.size());
        assertTrue(seen.size() <= GridPoints.BUDGET);
    }

    /** Twelve inputs: even three points per input (531,441) exceed the budget, so none is visited. */
    @Test
    void visitsNothingWhenNoGridFits() {
        assertFalse(GridPoints.search(new double[12], new double[12], x -> {
            throw new AssertionError("visited");
        }));
    }

    /** The ACAS Xu instance every attack missed: the grid finds it before any bound is computed. */
    @Test
    void findsTheAcasXuProp7CounterexampleOfNet19() throws Exception {
        Path root = SharedData.resolve("benchmarks/acasxu");
        Graph g = OnnxLoader.load(root.resolve("onnx/ACASXU_run2a_1_9_batch_2000.onnx"));
        Property p = VnnlibParser.parse(root.resolve("vnnlib/prop_7.vnnlib"));
        var opts = InputSplitVerifier.Options.defaults().withTimeout(30);
        VerificationResult r = new InputSplitVerifier(opts).verify(g, p);
        assertEquals(Verdict.SAT, r.verdict());
        assertEquals("grid", r.decidedBy());
        assertEquals(0, r.subproblems(), "found before the first box was bounded");
        assertNotNull(r.witness());
        VerifierBenchmarksTest.checkWitness(g, p, r);
    }
}
