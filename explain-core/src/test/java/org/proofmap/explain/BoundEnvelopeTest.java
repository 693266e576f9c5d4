package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundContext;
import org.proofmap.mip.MipSolvers;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.Activation;

/**
 * MIP-refined envelopes of the explanation fixtures (6-16-16-3 ReLU nets built by the tests): a
 * query inside the envelope's box gets intermediate bounds never looser than its own CROWN bounds
 * on the neurons they leave unstable, containing every sampled value, the exact oracle decides it the same way, and an explanation
 * that builds envelopes at every chance is the one without them.
 */
class BoundEnvelopeTest {
    @Test
    void queriesInsideTheEnvelopeGetTighterSoundBoundsAndTheSameVerdicts() {
        assumeTrue(MipSolvers.isCbcAvailable(), "envelopes are refined by CBC (not installed: skipped)");
        Random rng = new Random(5);
        int tighter = 0;
        for (ExplanationProblem p : ExplainerExactnessTest.fixtureProblems()) {
            Graph g = p.graph();
            BitSet all = new BitSet();
            all.set(0, p.features());
            BitSet envelopeFree = (BitSet) all.clone();
            envelopeFree.clear(rng.nextInt(p.features())); // as if one feature were relevant already
            BoundEnvelope outer = BoundEnvelope.build(p, all, 60, null);
            BoundEnvelope env = BoundEnvelope.build(p, envelopeFree, 60, outer);
            assertTrue(env.refinement().complete(), "the refinement ran out of time on a 16-neuron layer");
            assertThrows(IllegalArgumentException.class, () -> new FeatureQuery(p, all, env));
            // Built from the enclosing envelope: never looser than it where it leaves a neuron unstable.
            for (int v : reluInputs(g)) {
                double[] lo = env.context().lower(v);
                double[] hi = env.context().upper(v);
                for (int i = 0; i < lo.length; i++) {
                    if (lo[i] < 0 && hi[i] > 0) {
                        assertTrue(lo[i] >= outer.context().lower(v)[i] && hi[i] <= outer.context().upper(v)[i],
                                "value " + v + " element " + i + " looser than the enclosing envelope");
                    }
                }
            }
            for (int trial = 0; trial < 6; trial++) {
                BitSet f = new BitSet();
                for (int i = envelopeFree.nextSetBit(0); i >= 0; i = envelopeFree.nextSetBit(i + 1)) {
                    if (rng.nextDouble() < 0.7) {
                        f.set(i);
                    }
                }
                FeatureQuery plain = p.query(f);
                FeatureQuery inside = new FeatureQuery(p, f, env);
                BoundContext a = plain.context();
                BoundContext b = inside.context();
                double[][] samples = samples(inside, 5000, rng);
                for (int v : reluInputs(g)) {
                    double[] la = a.lower(v);
                    double[] ha = a.upper(v);
                    double[] lb = b.lower(v);
                    double[] hb = b.upper(v);
                    for (int i = 0; i < la.length; i++) {
                        // A neuron stable in the envelope keeps the envelope's bounds, possibly wider than
                        // the query's own but just as stable: its relaxation is exact either way.
                        if (lb[i] < 0 && hb[i] > 0) {
                            assertTrue(la[i] < 0 && ha[i] > 0, "value " + v + " element " + i
                                    + " unstable only with the envelope");
                            assertTrue(lb[i] >= la[i] && hb[i] <= ha[i], "value " + v + " element " + i + " looser");
                        }
                        if (lb[i] > la[i] + 1e-9 && (la[i] < 0 && ha[i] > 0) || hb[i] < ha[i] - 1e-9 && (la[i] < 0 && ha[i] > 0)) {
                            tighter++;
                        }
                    }
                    Graph prefix = g.prefix(v);
                    int size = prefix.outputSize();
                    double[] y = new ForwardPass(prefix, samples.length).run(flat(samples), samples.length);
                    for (int s = 0; s < samples.length; s++) {
                        for (int i = 0; i < size; i++) {
                            double z = y[s * size + i];
                            assertTrue(z >= lb[i] - 1e-9 && z <= hb[i] + 1e-9, "value " + v + " element " + i + ": "
                                    + z + " outside [" + lb[i] + ", " + hb[i] + "]");
                        }
                    }
                }
                Outcome expected = MipOracle.best().decide(plain, 30).outcome();
                Outcome got = MipOracle.best().decide(inside, 30).outcome();
                assertEquals(expected, got, "free set " + f);
                assertTrue(expected != Outcome.UNKNOWN, "the exact oracle left a fixture query unknown");
            }
        }
        assertTrue(tighter > 0, "no envelope bound was tighter than a query's own CROWN bound");
    }

    @Test
    void anExplanationBuildingEnvelopesIsTheSameExplanation() {
        assumeTrue(MipSolvers.isCbcAvailable(), "envelopes are refined by CBC (not installed: skipped)");
        int built = 0;
        for (ExplanationProblem p : ExplainerExactnessTest.fixtureProblems()) {
            int[] order = IntStream.range(0, p.features()).toArray();
            OracleChain chain = new OracleChain("envelope-test", List.of(BoundOracle.byName("crown"),
                    AttackOracle.quick(), MipOracle.best()), java.util.Set.of("crown"), 30);
            ExplanationSearch reference = new ExplanationSearch(p, chain);
            new DeletionExplainer().run(reference, order);
            ExplanationSearch withEnvelopes = new ExplanationSearch(p, chain);
            withEnvelopes.envelopesAfter(0);
            new DeletionExplainer().run(withEnvelopes, order);
            if (withEnvelopes.envelope() != null) {
                built++;
                assertNotNull(withEnvelopes.stats().get(ExplanationSearch.ENVELOPE));
            }
            assertTrue(withEnvelopes.unknown().isEmpty(), "unknown: " + withEnvelopes.unknown());
            assertEquals(reference.free(), withEnvelopes.free(), "free set");
            assertEquals(reference.relevant(), withEnvelopes.relevant(), "relevant set");
        }
        assertTrue(built > 0, "no explanation reached the single-feature pass with the exact oracle");
    }

    /**
     * The window of the next envelope (features it holds besides the free set): a quarter after an
     * envelope whose slow queries mostly ran out of time, never below the pair a query asks about;
     * twice after one where none did, never above the maximum; the pair in the retry stage.
     */
    @Test
    void theEnvelopeWindowShrinksWhenItsQueriesRunOutOfTimeAndGrowsBack() {
        int max = ExplanationSearch.ENVELOPE_WINDOW;
        int min = ExplanationSearch.MIN_ENVELOPE_WINDOW;
        assertEquals(max, ExplanationSearch.nextWindow(max, false, false, 5, 0), "before any envelope");
        assertEquals(max / 4, ExplanationSearch.nextWindow(max, true, false, 3, 1));
        int w = max;
        for (int i = 0; i < 5; i++) {
            w = ExplanationSearch.nextWindow(w, true, false, 2, 0);
        }
        assertEquals(min, w, "shrinks to the pair and stays there");
        assertEquals(2 * min, ExplanationSearch.nextWindow(min, true, false, 0, 3), "grows back");
        assertEquals(max, ExplanationSearch.nextWindow(max, true, false, 0, 3), "never above the maximum");
        assertEquals(8, ExplanationSearch.nextWindow(8, true, false, 1, 1), "a tie keeps it");
        assertEquals(min, ExplanationSearch.nextWindow(max, true, true, 0, 9), "retries: the pair");
    }

    private static List<Integer> reluInputs(Graph g) {
        List<Integer> vs = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof Activation) {
                vs.add(n.inputs()[0]);
            }
        }
        return vs;
    }

    private static double[][] samples(FeatureQuery q, int n, Random rng) {
        double[] lo = q.domain().lower();
        double[] hi = q.domain().upper();
        double[][] out = new double[n][lo.length];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < lo.length; i++) {
                // Corners half of the time: the extremes of a ReLU net's neurons lie on them.
                double t = s % 2 == 0 ? (rng.nextBoolean() ? 1 : 0) : rng.nextDouble();
                out[s][i] = lo[i] + t * (hi[i] - lo[i]);
            }
        }
        return out;
    }

    private static double[] flat(double[][] rows) {
        double[] out = new double[rows.length * rows[0].length];
        for (int s = 0; s < rows.length; s++) {
            System.arraycopy(rows[s], 0, out, s * rows[s].length, rows[s].length);
        }
        return out;
    }
}
