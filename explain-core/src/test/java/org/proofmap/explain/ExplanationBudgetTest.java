package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An explanation's time budget: past it nothing more is asked, the features not settled stay unknown
 * with a note that says so, nothing unproven is freed, and those features are not told to the
 * listeners (a journal), so that a resumed run asks them and finishes the exact explanation.
 */
class ExplanationBudgetTest {
    /** The oracles of {@code chain}, the complete ones made slower by {@code delayMillis} per query. */
    private static OracleChain slowed(OracleChain chain, long delayMillis) {
        List<Oracle> oracles = chain.oracles().stream().map(o -> o.kind() != Oracle.Kind.COMPLETE ? o : new Oracle() {
            @Override
            public String name() {
                return o.name();
            }

            @Override
            public Kind kind() {
                return o.kind();
            }

            @Override
            public OracleVerdict decide(FeatureQuery query, double timeLimitSeconds) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return o.decide(query, timeLimitSeconds);
            }
        }).toList();
        return new OracleChain(chain.name(), oracles, chain.groupOracles(), chain.timeLimitSeconds());
    }

    private static ExplanationSearch search(ExplanationProblem p, OracleChain chain, double budget,
            ExplanationSearch.Listener... listeners) {
        ExplanationSearch s = new ExplanationSearch(p, chain, 1);
        if (budget > 0) {
            s.budget(budget);
        }
        for (ExplanationSearch.Listener l : listeners) {
            s.listen(l);
        }
        int[] order = TraversalOrder.sort(TraversalOrders.byName("index", 0).scores(p));
        Explainers.byName("binary").run(s, order);
        return s;
    }

    @Test
    void aSpentBudgetLeavesTheRestUnknownUnjournaledAndAResumedRunFinishesIt() {
        int cut = 0;
        for (ExplanationProblem p : ExplainerExactnessTest.fixtureProblems()) {
            ExactTable t = new ExactTable(p);
            OracleChain chain = slowed(OracleChain.byName("auto", 20, 1), 60);
            long t0 = System.nanoTime();
            ExplanationSearch whole = search(p, chain, 0, new ExplanationResumeTest.Recorder());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(whole.unknown().isEmpty(), "fixture: the whole chain settles every feature");
            if (seconds < 0.2) {
                continue; // too few exact queries to cut the run between them
            }
            ExplanationResumeTest.Recorder recorder = new ExplanationResumeTest.Recorder();
            BitSet toldUnknown = new BitSet();
            ExplanationSearch part = search(p, chain, seconds / 2, recorder, new ExplanationSearch.Listener() {
                @Override
                public void freed(BitSet added, OracleVerdict proof, int query) {}

                @Override
                public void settled(int feature, OracleVerdict verdict, int query) {
                    if (verdict.outcome() == Outcome.UNKNOWN) {
                        toldUnknown.set(feature);
                    }
                }
            });
            BitSet unknown = part.unknown();
            assertFalse(unknown.isEmpty(), "half the time cannot settle everything (the run took " + seconds + " s)");
            // Nothing unproven was freed, every relevant feature has its witness.
            assertTrue(t.irrelevant(part.free()), "the free set must be irrelevant");
            for (int f = part.relevant().nextSetBit(0); f >= 0; f = part.relevant().nextSetBit(f + 1)) {
                BitSet with = part.free();
                with.set(f);
                assertTrue(p.query(with).isCounterexample(part.witnesses().get(f)), "witness of " + f);
            }
            for (Decision d : part.decisions()) {
                if (unknown.get(d.feature())) {
                    assertTrue(d.note().startsWith(ExplanationSearch.BUDGET), d.toString());
                }
            }
            // The journal's view: nothing about the features the budget left open.
            ExplanationSearch.Settled journaled = recorder.prefix(recorder.events.size());
            assertTrue(toldUnknown.isEmpty(), "told the listeners of unknown features " + toldUnknown);
            for (int f = unknown.nextSetBit(0); f >= 0; f = unknown.nextSetBit(f + 1)) {
                assertFalse(journaled.free().get(f) || journaled.relevant().containsKey(f), "feature " + f);
            }
            // Resumed without a budget: the exact, subset-minimal explanation, keeping what was settled.
            Explanation e = Explain.run(p, Explain.Options.defaults().withEfx(false), journaled, List.of());
            assertTrue(e.unknown().isEmpty(), "resumed: unknown " + e.unknown());
            assertTrue(t.irrelevant(e.irrelevant()));
            for (int f = e.relevant().nextSetBit(0); f >= 0; f = e.relevant().nextSetBit(f + 1)) {
                BitSet with = e.irrelevant();
                with.set(f);
                assertFalse(t.irrelevant(with), "relevant feature " + f + " could be freed");
            }
            BitSet kept = part.free();
            kept.andNot(e.irrelevant());
            assertTrue(kept.isEmpty(), "features freed within the budget were lost");
            assertEquals(p.features(), e.relevant().cardinality() + e.irrelevant().cardinality());
            cut++;
        }
        assertTrue(cut > 0, "no fixture took long enough to be cut");
    }

    @Test
    void anExhaustedBudgetAsksNothing() {
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        Explanation e = Explain.run(p, Explain.Options.defaults().withEfx(false).withBudget(1e-9));
        assertEquals(p.features(), e.unknown().cardinality());
        assertEquals(0, e.queries());
        assertTrue(e.decisions().stream().allMatch(d -> d.note().startsWith(ExplanationSearch.BUDGET)));
        assertEquals(1e-9, (Double) e.settings().get("budget_seconds"));
        assertEquals(Boolean.TRUE, e.settings().get("budget_ran_out"));
        assertTrue(CertificateChecker.unknownReasons(e, e.unknown()).contains("time budget ran out: " + p.features()),
                CertificateChecker.unknownReasons(e, e.unknown()));
    }

    /**
     * A query the budget cuts short (its limit lowered to what was left, and unknown when it ran out)
     * counts as not asked: noted so, and not told to the listeners, so that a resumed run asks the
     * feature in its main pass rather than retrying it as one that ran out of its own limit.
     */
    @Test
    void aQueryCutShortByTheBudgetCountsAsNotAsked() {
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        Oracle sleeper = new Oracle() { // uses up whatever limit it gets, then gives up
            @Override
            public String name() {
                return "mip";
            }

            @Override
            public Kind kind() {
                return Kind.COMPLETE;
            }

            @Override
            public OracleVerdict decide(FeatureQuery query, double timeLimitSeconds) {
                try {
                    Thread.sleep((long) (1000 * Math.min(timeLimitSeconds, 5)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return OracleVerdict.unknown("mip", Double.NaN, timeLimitSeconds, MipOracle.TIME_LIMIT);
            }
        };
        ExplanationSearch s = new ExplanationSearch(p, new OracleChain("sleepy", List.of(sleeper), java.util.Set.of(),
                20), 1);
        s.budget(0.3);
        BitSet told = new BitSet();
        s.listen(new ExplanationSearch.Listener() {
            @Override
            public void freed(BitSet added, OracleVerdict proof, int query) {}

            @Override
            public void settled(int feature, OracleVerdict verdict, int query) {
                told.set(feature);
            }
        });
        long t0 = System.nanoTime();
        assertEquals(Outcome.UNKNOWN, s.decide(0));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 2, "the query's limit was not cut to the budget: " + seconds + " s");
        Decision d = s.decisions().get(0);
        assertTrue(d.note().startsWith(ExplanationSearch.BUDGET), d.note());
        assertTrue(told.isEmpty(), "told the listeners of a feature the budget cut short");
        assertEquals(1, s.queries(), "the query was asked, and counts");
        while (!s.outOfBudget()) { // the sleeper may stop a moment before the budget's end
            Thread.onSpinWait();
        }
        assertEquals(Outcome.UNKNOWN, s.decide(1));
        assertEquals(1, s.queries(), "past the budget nothing is asked");
    }

    @Test
    void theBudgetMustBePositive() {
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        ExplanationSearch s = new ExplanationSearch(p, OracleChain.byName("crown", 20, 1));
        assertThrows(IllegalArgumentException.class, () -> s.budget(0));
        assertThrows(IllegalArgumentException.class, () -> s.budget(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Explain.Options.defaults().withBudget(-1));
        assertFalse(s.outOfBudget(), "no budget, never out of it");
    }
}
