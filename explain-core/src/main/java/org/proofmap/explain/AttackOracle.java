package org.proofmap.explain;

import org.proofmap.attack.AttackResult;
import org.proofmap.attack.Pgd;

/**
 * Proves relevance with a PGD attack on the query's box (only the free features move); the
 * counterexample is re-checked by {@link FeatureQuery#isCounterexample} before it is accepted.
 * Never proves irrelevance.
 */
public final class AttackOracle implements Oracle {
    private final Pgd.Options options;

    public AttackOracle(Pgd.Options options) {
        this.options = options;
    }

    /** A short attack suited to the many queries of one explanation: 30 steps, 3 restarts. */
    public static AttackOracle quick() {
        return new AttackOracle(Pgd.Options.defaults().withSteps(30).withRestarts(3));
    }

    /** The attack's default strength (100 steps, 10 restarts), for the EFX check. */
    public static AttackOracle strong() {
        return new AttackOracle(Pgd.Options.defaults());
    }

    public Pgd.Options options() {
        return options;
    }

    @Override
    public String name() {
        return Pgd.NAME;
    }

    @Override
    public Kind kind() {
        return Kind.FALSIFIER;
    }

    @Override
    public OracleVerdict decide(FeatureQuery query, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        Pgd.Options o = options.withTimeLimitSeconds(Math.max(1e-3, Math.min(timeLimitSeconds,
                options.timeLimitSeconds())));
        ExplanationProblem p = query.problem();
        AttackResult r = Pgd.misclassify(p.graph(), query.domain(), p.label(), o);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (r.found() && query.isCounterexample(r.input())) {
            return new OracleVerdict(Outcome.RELEVANT, name(), Double.NaN, r.input(), seconds, "");
        }
        return OracleVerdict.unknown(name(), Double.NaN, seconds, "no counterexample (best margin "
                + r.objective() + ")");
    }
}
