package org.proofmap.explain;

import org.proofmap.attack.AttackResult;
import org.proofmap.attack.Pgd;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.InputDomain;

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

    /**
     * A short attack suited to the many queries of one explanation: 20 steps, 2 restarts, after the
     * corners of CROWN's linear lower bounds. On mnist-net_256x2 at eps 0.05 a 30-step, 3-restart
     * PGD found no counterexample for any of ~300 features per image that CROWN could not prove,
     * and took more time than CROWN itself: the exact oracles settle those.
     */
    public static AttackOracle quick() {
        return new AttackOracle(Pgd.Options.defaults().withSteps(20).withRestarts(2));
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
        double[] corner = crownCorner(query);
        if (corner != null) {
            return new OracleVerdict(Outcome.RELEVANT, name(), Double.NaN, corner, (System.nanoTime() - t0) / 1e9,
                    "corner of CROWN's linear lower bound");
        }
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

    /**
     * For each margin whose CROWN lower bound is not positive, the box corner minimising its linear
     * lower bound {@code a·x + b} ({@code x_i} at its lower end where {@code a_i > 0}): where the
     * relaxation is nearly tight it is a counterexample for free. The first that re-checks, or null.
     */
    private static double[] crownCorner(FeatureQuery query) {
        Bounds b = query.boundsIfComputed("crown");
        if (b == null || !b.hasLinearBounds()) {
            return null;
        }
        double[] lo = query.domain().lower();
        double[] hi = query.domain().upper();
        for (int r = 0; r < b.rows(); r++) {
            if (b.lower(r) > 0) {
                continue;
            }
            double[] x = InputDomain.minimisingCorner(b.lowerCoefficients(r), lo, hi);
            if (query.isCounterexample(x)) {
                return x;
            }
        }
        return null;
    }
}
