package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A search restored from what an interrupted run had settled (as its journal records it) finishes
 * with an explanation that keeps everything restored and is still exact and subset-minimal (checked
 * against the brute-force table), for every algorithm, cut at every point of the first run.
 */
class ExplanationResumeTest {
    /** Records events as a journal does, and rebuilds the state of the first {@code n} of them. */
    static final class Recorder implements ExplanationSearch.Listener {
        final List<Object[]> events = new ArrayList<>();

        @Override
        public void freed(BitSet added, OracleVerdict proof, int query) {
            events.add(new Object[] {added.clone(), proof, query});
        }

        @Override
        public void settled(int feature, OracleVerdict verdict, int query) {
            if (verdict.outcome() == Outcome.RELEVANT) {
                events.add(new Object[] {feature, verdict, query});
            }
        }

        ExplanationSearch.Settled prefix(int n) {
            BitSet free = new BitSet();
            OracleVerdict proof = null;
            Map<Integer, Decision> freed = new LinkedHashMap<>();
            Map<Integer, OracleVerdict> relevant = new LinkedHashMap<>();
            Map<Integer, Integer> relevantQueries = new LinkedHashMap<>();
            int queries = 0;
            for (Object[] e : events.subList(0, n)) {
                int q = (Integer) e[2];
                queries = Math.max(queries, q);
                if (e[0] instanceof BitSet added) {
                    free.or(added);
                    proof = (OracleVerdict) e[1];
                    for (int f = added.nextSetBit(0); f >= 0; f = added.nextSetBit(f + 1)) {
                        freed.put(f, new Decision(f, Outcome.IRRELEVANT, proof.oracle(), 0, q, added.cardinality()));
                    }
                } else {
                    relevant.put((Integer) e[0], (OracleVerdict) e[1]);
                    relevantQueries.put((Integer) e[0], q);
                }
            }
            return new ExplanationSearch.Settled(free, proof, freed, relevant, relevantQueries, queries);
        }
    }

    @Test
    void aResumedExplanationKeepsWhatWasSettledAndIsStillMinimal() {
        int resumed = 0;
        for (ExplanationProblem p : ExplainerExactnessTest.fixtureProblems()) {
            ExactTable t = new ExactTable(p);
            for (String algorithm : List.of("binary", "deletion", "quickxplain")) {
                Explain.Options o = Explain.Options.defaults().withAlgorithm(algorithm).withEfx(false);
                Recorder first = new Recorder();
                Explanation whole = Explain.run(p, o, null, List.of(first));
                assertExact(p, t, whole, algorithm + " uninterrupted");
                for (int n = 1; n < first.events.size(); n++) {
                    ExplanationSearch.Settled cut = first.prefix(n);
                    Recorder second = new Recorder();
                    Explanation e = Explain.run(p, o, cut, List.of(second));
                    String what = algorithm + " resumed after " + n + " of " + first.events.size() + " events";
                    assertExact(p, t, e, what);
                    BitSet kept = (BitSet) cut.free().clone();
                    kept.andNot(e.irrelevant());
                    assertTrue(kept.isEmpty(), what + ": restored irrelevant features lost");
                    for (int f : cut.relevant().keySet()) {
                        assertTrue(e.relevant().get(f), what + ": restored relevant feature " + f + " lost");
                    }
                    assertTrue(e.settings().containsKey("resumed"), what);
                    assertTrue(e.queries() >= cut.queries(), what + ": query count restarted");
                    resumed++;
                }
            }
        }
        assertTrue(resumed > 0, "no run had two events to cut between");
    }

    @Test
    void aWitnessThatNoLongerBreaksTheLabelIsDropped() {
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        Recorder first = new Recorder();
        Explanation whole = Explain.run(p, Explain.Options.defaults().withEfx(false), null, List.of(first));
        int f = whole.relevant().nextSetBit(0);
        assertTrue(f >= 0, "the fixture needs a relevant feature");
        ExplanationSearch.Settled all = first.prefix(first.events.size());
        Map<Integer, OracleVerdict> tampered = new LinkedHashMap<>(all.relevant());
        // The input itself keeps the label: not a witness of anything.
        tampered.put(f, new OracleVerdict(Outcome.RELEVANT, "mip", Double.NaN, p.input(), 0, ""));
        ExplanationSearch search = new ExplanationSearch(p, OracleChain.byName("auto", 20, 0));
        int restored = search.restore(new ExplanationSearch.Settled(all.free(), all.proof(), all.freedDecisions(),
                tampered, all.relevantQueries(), all.queries()));
        assertEquals(all.relevant().size() - 1, restored);
        assertFalse(search.relevant().get(f), "a witness that fails the forward pass must not be restored");
        assertFalse(search.settled(f), "the feature is asked again");
    }

    /**
     * A feature the journal's run left unknown is restored as unknown (so the final pass does not ask
     * it again at the limit that failed) and settled by the retry stage: the resumed explanation is
     * still the exact one.
     */
    @Test
    void aFeatureRestoredAsUnknownGoesToTheRetriesAndIsSettled() {
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        ExactTable t = new ExactTable(p);
        Explain.Options o = Explain.Options.defaults().withEfx(false);
        Recorder first = new Recorder();
        Explanation whole = Explain.run(p, o, null, List.of(first));
        ExplanationSearch.Settled cut = first.prefix(1);
        int f = IntStream.range(0, p.features()).filter(i -> !cut.free().get(i) && !cut.relevant().containsKey(i))
                .findFirst().orElse(-1);
        assertTrue(f >= 0, "fixture: the first event settled every feature");
        OracleVerdict timedOut = OracleVerdict.unknown("mip", Double.NaN, 20, MipOracle.TIME_LIMIT + " after 3 MIP runs");
        ExplanationSearch.Settled withUnknown = new ExplanationSearch.Settled(cut.free(), cut.proof(),
                cut.freedDecisions(), cut.relevant(), cut.relevantQueries(), cut.queries(), Map.of(f, timedOut));

        ExplanationSearch search = new ExplanationSearch(p, OracleChain.byName("auto", 20, 0));
        search.restore(withUnknown);
        assertTrue(search.unknown().get(f) && search.settled(f), "restored as unknown, so the pass skips it");
        Decision d = search.decisions().stream().filter(x -> x.feature() == f).findFirst().orElseThrow();
        assertTrue(d.note().startsWith(ExplanationSearch.RESTORED_UNKNOWN), d.note());

        Explanation e = Explain.run(p, o, withUnknown, List.of(new Recorder()));
        // Settled (0 unknown) and subset-minimal; not necessarily the uninterrupted run's set, since
        // the feature is asked last, against a larger free set.
        assertExact(p, t, e, "resumed with feature " + f + " unknown");
        assertTrue(whole.unknown().isEmpty());
    }

    private static void assertExact(ExplanationProblem p, ExactTable t, Explanation e, String what) {
        assertTrue(e.unknown().isEmpty(), what + ": unknown " + e.unknown());
        assertTrue(t.irrelevant(e.irrelevant()), what + ": the irrelevant set is not irrelevant");
        for (int f = e.relevant().nextSetBit(0); f >= 0; f = e.relevant().nextSetBit(f + 1)) {
            BitSet with = e.irrelevant();
            with.set(f);
            assertFalse(t.irrelevant(with), what + ": relevant feature " + f + " could be freed");
            assertTrue(p.query(with).isCounterexample(e.witnesses().get(f)), what + ": witness of " + f);
        }
        assertEquals(p.features(), e.relevant().cardinality() + e.irrelevant().cardinality(), what);
    }
}
