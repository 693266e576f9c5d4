package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.proofmap.mip.MipSolvers;

/**
 * The retry of unknown features at the end of the final pass ({@link ExplanationSearch#decideOpen}):
 * the chain's complete oracle here declines every query whose time limit is below 5 s, and the
 * chain allows 2 s per query, so every feature the cheap oracles leave open is unknown after the
 * pass; the retry, at {@link ExplanationSearch#RETRY_FACTOR} times the limit, must settle each of
 * them, and the result must be the explanation the same oracle gives without the handicap.
 */
class ExplanationSearchRetryTest {
    /**
     * The MIP, but only when given at least {@code needs} seconds; counts the calls it declined and
     * the most it answered at once.
     */
    private record Patient(Oracle inner, double needs, AtomicInteger declined, AtomicInteger inFlight,
            AtomicInteger mostAtOnce) implements Oracle {
        Patient(Oracle inner, double needs) {
            this(inner, needs, new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Kind kind() {
            return inner.kind();
        }

        @Override
        public OracleVerdict decide(FeatureQuery query, double timeLimitSeconds) {
            if (timeLimitSeconds < needs) {
                declined.incrementAndGet();
                return OracleVerdict.unknown(name(), Double.NaN, 0, "declined: " + timeLimitSeconds + " s");
            }
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                // Long enough for two retries started together to overlap even when CROWN decides
                // one of them in a millisecond.
                Thread.sleep(100);
                return inner.decide(query, timeLimitSeconds);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OracleVerdict.unknown(name(), Double.NaN, 0, "interrupted");
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Test
    void featuresLeftUnknownByTheirTimeLimitAreSettledByTheRetry() {
        retrySettlesEverything(1);
    }

    /** With two cores the retries run two at a time, and the explanation is the same. */
    @Test
    void retriesOnTwoCoresSettleTheSame() {
        Patient mip = retrySettlesEverything(2);
        assertEquals(2, mip.mostAtOnce().get(), "the retries never ran two at a time");
    }

    /**
     * On two cores a retry asks the pair of the next two unknown features jointly beside the first
     * alone; on this fixture some pair is irrelevant jointly and frees both at once (decisions of
     * group 2), and the explanation is still the one the plain oracle gives (checked by the helper).
     */
    @Test
    void aJointRetryFreesAPairAtOnce() {
        assumeTrue(MipSolvers.isCbcAvailable(), "the complete oracle here is CBC's MIP");
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        Patient mip = new Patient(MipOracle.best(), 5);
        OracleChain handicapped = new OracleChain("retry-test", List.of(BoundOracle.byName("crown"),
                AttackOracle.quick(), mip), Set.of("crown"), 2.0);
        ExplanationSearch s = new ExplanationSearch(p, handicapped, 2);
        new DeletionExplainer().run(s, IntStream.range(0, p.features()).toArray());
        assertTrue(s.unknown().isEmpty(), "still unknown after the retry: " + s.unknown());
        long pairs = s.decisions().stream().filter(d -> d.outcome() == Outcome.IRRELEVANT && d.group() == 2
                && d.oracle().equals("mip")).count();
        assertEquals(0, pairs % 2, "a joint proof frees exactly two features");
        assertTrue(pairs >= 2, "no retry freed a pair jointly: " + s.decisions());
    }

    /** A feature the retry cannot settle either stays unknown, its decision saying why the retry failed. */
    @Test
    void aFailedRetryLeavesItsReason() {
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        Patient never = new Patient(MipOracle.best(), Double.POSITIVE_INFINITY);
        OracleChain chain = new OracleChain("never", List.of(BoundOracle.byName("crown"), AttackOracle.quick(), never),
                Set.of("crown"), 1.0);
        ExplanationSearch s = new ExplanationSearch(p, chain, 2);
        new DeletionExplainer().run(s, IntStream.range(0, p.features()).toArray());
        assertTrue(!s.unknown().isEmpty(), "fixture: the cheap oracles settled everything");
        for (Decision d : s.decisions()) {
            if (d.outcome() == Outcome.UNKNOWN) {
                assertTrue(d.note().startsWith("retried: declined: "), d.toString());
            }
        }
    }

    private static Patient retrySettlesEverything(int parallel) {
        assumeTrue(MipSolvers.isCbcAvailable(), "the complete oracle here is CBC's MIP");
        ExplanationProblem p = ExplainerExactnessTest.fixtureProblems().get(0);
        int[] order = IntStream.range(0, p.features()).toArray();
        Patient mip = new Patient(MipOracle.best(), 5);
        OracleChain handicapped = new OracleChain("retry-test", List.of(BoundOracle.byName("crown"),
                AttackOracle.quick(), mip), Set.of("crown"), 2.0);
        OracleChain plain = new OracleChain("plain", List.of(BoundOracle.byName("crown"), AttackOracle.quick(),
                MipOracle.best()), Set.of("crown"), 30);

        ExplanationSearch retried = new ExplanationSearch(p, handicapped, parallel);
        new DeletionExplainer().run(retried, order);
        ExplanationSearch reference = new ExplanationSearch(p, plain);
        new DeletionExplainer().run(reference, order);

        assertTrue(mip.declined().get() > 0, "the cheap oracles settled everything: nothing to retry");
        assertTrue(retried.unknown().isEmpty(), "still unknown after the retry: " + retried.unknown());
        assertEquals(reference.free(), retried.free(), "free set");
        assertEquals(reference.relevant(), retried.relevant(), "relevant set");
        return mip;
    }
}
