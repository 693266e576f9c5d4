package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The final pass's nested pairs ({@code F ∪ {a}} and {@code F ∪ {a, b}} at once) give exact,
 * subset-minimal explanations: every pair of the pass nested, on every fixture problem, in both
 * directions of the order, checked against the brute-force table.
 */
class NestedPairsTest {
    @Test
    void nestedPairsGiveExactMinimalExplanations() {
        int rounds = 0;
        for (ExplanationProblem p : ExplainerExactnessTest.fixtureProblems()) {
            ExactTable t = new ExactTable(p);
            // No attack in the chain, so that the exact oracle answers every pair's queries.
            OracleChain chain = new OracleChain("nested-test", List.of(BoundOracle.byName("crown"), MipOracle.best()),
                    Set.of("crown"), 30);
            int n = p.features();
            int[] forward = IntStream.range(0, n).toArray();
            int[] backward = IntStream.range(0, n).map(i -> n - 1 - i).toArray();
            for (int[] order : List.of(forward, backward)) {
                ExplanationSearch search = new ExplanationSearch(p, chain, 2);
                search.alwaysNestedPairs();
                search.decideOpen(order);
                rounds += search.nestedRounds();
                assertTrue(search.unknown().isEmpty(), "unknown " + search.unknown());
                BitSet irr = search.free();
                assertTrue(t.irrelevant(irr), "the free set " + irr + " is not irrelevant");
                BitSet rel = search.relevant();
                assertEquals(n, irr.cardinality() + rel.cardinality());
                for (int f = rel.nextSetBit(0); f >= 0; f = rel.nextSetBit(f + 1)) {
                    BitSet with = (BitSet) irr.clone();
                    with.set(f);
                    assertFalse(t.irrelevant(with), "relevant feature " + f + " could be freed");
                    assertTrue(p.query(with).isCounterexample(search.witnesses().get(f)), "witness of " + f);
                }
            }
        }
        assertTrue(rounds > 0, "no nested pair was asked");
    }
}
