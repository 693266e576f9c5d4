package org.proofmap.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.proofmap.bounds.PtLirpa;

/**
 * Shares one failure probability {@code delta = 1 - confidence} among all the PT-LiRPA calls a search
 * makes, however many there turn out to be: call {@code i} (counted from 1, across threads and cases)
 * runs at failure probability {@code delta / (i (i + 1))}, and these sum to less than {@code delta}
 * for any number of calls. The calls are chosen adaptively (which box is bounded depends on earlier
 * results), so each draws fresh samples (its own seed): given everything before it, call {@code i}
 * fails with probability at most its share, and by the union bound the probability that any call's
 * bounds fail is below {@code delta}. A verdict that rests on any of them therefore holds with
 * probability at least {@code confidence} (under PT-LiRPA's tail assumption, see {@link PtLirpa}).
 *
 * <p>Shares below {@link #SMALLEST_SHARE} are not handed out ({@link #next} returns null): the
 * confidence {@code 1 - share} would no longer be representable in double precision, and the search
 * then goes on with its sound bounds alone.
 */
public final class ConfidenceBudget {
    /** The smallest failure probability of one call. */
    static final double SMALLEST_SHARE = 1e-14;

    private final PtLirpa.Options base;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong decisive = new AtomicLong();

    /** {@code base}: the sample size, estimator settings, seed and overall confidence. */
    public ConfidenceBudget(PtLirpa.Options base) {
        this.base = base;
    }

    /** The overall confidence. */
    public double confidence() {
        return base.confidence();
    }

    /** PT-LiRPA for the next call, at its share of the failure probability; null when the budget is spent. */
    public PtLirpa next() {
        long i = calls.incrementAndGet();
        double share = (1 - base.confidence()) / ((double) i * (i + 1));
        if (!(share >= SMALLEST_SHARE)) {
            return null;
        }
        // 1 - c is exact for c in [0.5, 1]: raise c until the failure probability used is within the share.
        double c = 1 - share;
        while (1 - c > share) {
            c = Math.nextUp(c);
        }
        return new PtLirpa(base.withConfidence(c).withSeed(base.seed() + i));
    }

    /** Records that a call's bounds closed part of the search (the verdict now rests on them). */
    public void decided() {
        decisive.incrementAndGet();
    }

    /** The calls so far (including any refused because the budget was spent). */
    public long calls() {
        return calls.get();
    }

    /** Whether any part of the search was closed by PT-LiRPA. */
    public boolean used() {
        return decisive.get() > 0;
    }

    /**
     * The provenance for statistics and result files: {@code probabilistic} (whether the verdict
     * rests on the sampled bounds), confidence, samples, estimator, the number of calls and of
     * decisive ones, and how the failure probability was shared.
     */
    public Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("probabilistic", used());
        m.put("confidence", base.confidence());
        m.put("samples", base.samples());
        m.put("estimator", PtLirpa.ESTIMATOR);
        m.put("max_tail_index", base.maxTailIndex());
        m.put("pt_lirpa_calls", calls());
        m.put("pt_lirpa_decisive", decisive.get());
        m.put("failure_share", "call i at (1 - confidence)/(i(i+1)), union bound");
        return m;
    }
}
