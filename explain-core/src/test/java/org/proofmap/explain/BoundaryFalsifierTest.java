package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.mip.MipSolvers;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * The boundary falsifier on the situation of an explanation's final pass: a free set grown by the
 * exact oracle until it has used up the margin, and the features left open, all relevant.
 */
class BoundaryFalsifierTest {
    static final long NET_SEED = 4;
    static final long CENTRE_SEED = 3;

    /**
     * A 16-input ReLU net built here and a centre where, after the exact oracle has freed what it
     * can in index order, an open feature (9 with seeds 4 and 3) is missed by both attacks the chain
     * has besides this falsifier (the batched PGD from the input and the chain's PGD with CROWN
     * corners, both with output-diversified starts); found by searching seeds. With seeds 1 and 1,
     * chosen before PGD had ODI, the attacks now find every relevant feature themselves.
     */
    static ExplanationProblem problem(long netSeed, long centreSeed) {
        Graph g = OnnxLoader.load(OnnxModels.mlp(netSeed, 16, 24, 24, 4).bytes(), "mlp_16_24_24_4.onnx");
        Random rng = new Random(centreSeed);
        double[] x = new double[16];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() * 2 - 1;
        }
        return new ExplanationProblem(g, x, 0.2, -1, 1);
    }

    /** The free set the exact oracle grows, one feature at a time in index order. */
    private static BitSet exactFreeSet(ExplanationProblem p) {
        MipOracle mip = MipOracle.best();
        BitSet free = new BitSet();
        for (int f = 0; f < p.features(); f++) {
            BitSet q = (BitSet) free.clone();
            q.set(f);
            OracleVerdict v = mip.decide(p.query(q), 60);
            assertTrue(v.decided(), "feature " + f + ": " + v);
            if (v.outcome() == Outcome.IRRELEVANT) {
                free.set(f);
            }
        }
        return free;
    }

    @Test
    void findsRelevantFeaturesTheInputStartedAttacksMiss() {
        assumeTrue(MipSolvers.isCbcAvailable(), "the exact free set and the anchor need CBC");
        ExplanationProblem p = problem(NET_SEED, CENTRE_SEED);
        Set<Integer>[] r = missedAndGained(p);
        assertFalse(r[1].isEmpty(), "the attacks from the input missed " + r[0] + ", the boundary falsifier found "
                + r[2]);
    }

    /** {missed by the attacks from the input, of those found by the boundary falsifier, all it found}. */
    @SuppressWarnings("unchecked")
    static Set<Integer>[] missedAndGained(ExplanationProblem p) {
        BitSet free = exactFreeSet(p);
        int[] open = IntStream.range(0, p.features()).filter(f -> !free.get(f)).toArray();
        assertTrue(free.cardinality() > 0 && open.length > 0, "free " + free);
        // Generous MIP time, and the refinement however few features are open: the anchor is then
        // the exact minimiser, the same on any machine.
        Map<Integer, double[]> found = new BoundaryFalsifier(p, MipSolvers.best(), 60, 0).run(free, open);
        for (Map.Entry<Integer, double[]> e : found.entrySet()) {
            BitSet q = (BitSet) free.clone();
            q.set(e.getKey());
            assertTrue(p.query(q).isCounterexample(e.getValue()), "feature " + e.getKey());
        }

        Set<Integer> missedBefore = new TreeSet<>();
        Map<Integer, double[]> fromInput = BatchAttack.run(p, free, open, 10);
        for (int f : open) {
            BitSet q = (BitSet) free.clone();
            q.set(f);
            FeatureQuery fq = p.query(q);
            fq.bounds(BoundMethods.byName("crown")); // the chain's attack starts from CROWN's corners
            boolean quick = AttackOracle.quick().decide(fq, 30).outcome() == Outcome.RELEVANT;
            if (!fromInput.containsKey(f) && !quick) {
                missedBefore.add(f);
                // Only the exact oracle settled these before: it must agree that they are relevant.
                assertEquals(Outcome.RELEVANT, MipOracle.best().decide(fq, 60).outcome(), "feature " + f);
            }
        }
        Set<Integer> gained = new TreeSet<>(missedBefore);
        gained.retainAll(found.keySet());
        return new Set[] {missedBefore, gained, new TreeSet<>(found.keySet())};
    }
}
