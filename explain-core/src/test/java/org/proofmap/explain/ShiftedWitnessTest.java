package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * {@link ExplanationSearch#shiftedWitness}: a witness of an earlier relevant feature, with that
 * feature put back, plus one move of the queried feature — on a linear model where the answer is
 * known: margin {@code y0 − y1 = 1 − x0 − x1 − x3}, feature 2 without any weight.
 */
class ShiftedWitnessTest {
    private static ExplanationProblem problem() {
        Graph g = OnnxLoader.load(OnnxModels.builder(13).input("x", 1, 4)
                .initializer("W", new double[] {0, 0, 0, 0, 1, 1, 0, 1}, 2, 4)
                .initializer("b", new double[] {1, 0}, 2)
                .node("Gemm", List.of("x", "W", "b"), "y", OnnxModels.attr("transB", 1L))
                .output("y", 1, 2).bytes(), "linear.onnx");
        return new ExplanationProblem(g, new double[] {0, 0, 0, 0}, 0.6, 0, 1);
    }

    @Test
    void aWitnessWithItsFeaturePutBackBreaksTheNextFeatureByOneMove() {
        ExplanationProblem p = problem();
        BitSet free = new BitSet();
        free.set(0);
        // Feature 1 is relevant next to {0}: (0.6, 0.6, 0, 0) has margin -0.2.
        double[] w1 = {0.6, 0.6, 0, 0};
        BitSet with1 = (BitSet) free.clone();
        with1.set(1);
        assertTrue(p.query(with1).isCounterexample(w1));
        var witnesses = List.of(Map.entry(1, w1));

        double[] w3 = ExplanationSearch.shiftedWitness(p, free, 3, witnesses);
        assertNotNull(w3, "feature 3 weighs as much as feature 1");
        assertArrayEquals(new double[] {0.6, 0, 0, 0.6}, w3, 1e-12);
        BitSet with3 = (BitSet) free.clone();
        with3.set(3);
        assertTrue(p.query(with3).isCounterexample(w3));

        assertNull(ExplanationSearch.shiftedWitness(p, free, 2, witnesses), "feature 2 has no weight");
        assertNull(ExplanationSearch.shiftedWitness(p, free, 3, List.of()), "no witness, no candidate");
    }

    @Test
    void noCandidateLeavesTheQueriedBox() {
        // The witness of feature 1 moved feature 0 too, but 0 is not free in this query: the candidate
        // (0.6, 0, 0, 0.6) lies outside the box of {3} alone and must not be returned, although its
        // margin is negative.
        ExplanationProblem p = problem();
        double[] w1 = {0.6, 0.6, 0, 0};
        assertNull(ExplanationSearch.shiftedWitness(p, new BitSet(), 3, List.of(Map.entry(1, w1))));
    }
}
