package org.proofmap.explain;

import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.mip.ExactMinimizer;
import org.proofmap.mip.MipSolver;
import org.proofmap.mip.MipSolvers;

/**
 * Decides a query exactly by minimising each margin {@code y_label − y_j} that CROWN cannot prove
 * positive, over the query's box, with a MIP (big-M from the query's CROWN intermediate bounds).
 * Irrelevant only when every such minimum is proven positive (a solver bound, which CBC gives and
 * ojAlgo does not); relevant when a witness re-checks with a non-positive margin.
 */
public final class MipOracle implements Oracle {
    private final MipSolver solver;

    public MipOracle(MipSolver solver) {
        this.solver = solver;
    }

    /** The best available solver: CBC when installed, ojAlgo otherwise. */
    public static MipOracle best() {
        return new MipOracle(MipSolvers.best());
    }

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
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (timeLimitSeconds * 1e9);
        ExplanationProblem p = query.problem();
        int label = p.label();
        Bounds crown = query.context().compute(BoundMethods.byName("crown"), query.spec());
        ExactMinimizer mip;
        try {
            mip = new ExactMinimizer(p.graph(), query.domain(), query.context());
        } catch (UnsupportedOperationException e) {
            return OracleVerdict.unknown(name(), Double.NaN, (System.nanoTime() - t0) / 1e9,
                    "no exact encoding: " + e.getMessage());
        }
        double min = Double.POSITIVE_INFINITY;
        int row = 0;
        for (int j = 0; j < p.classes(); j++) {
            if (j == label) {
                continue;
            }
            double crownLower = crown.lower(row++);
            if (crownLower > 0) {
                min = Math.min(min, crownLower);
                continue;
            }
            double left = (deadline - System.nanoTime()) / 1e9;
            if (left <= 0) {
                return OracleVerdict.unknown(name(), Double.NaN, (System.nanoTime() - t0) / 1e9, "time limit");
            }
            ExactMinimizer.Result r = mip.minimiseMargin(label, j, solver, left);
            if (r.witness() != null && r.witnessValue() <= 0 && query.isCounterexample(r.witness())) {
                return new OracleVerdict(Outcome.RELEVANT, name(), Double.NaN, r.witness(),
                        (System.nanoTime() - t0) / 1e9, r.solver() + ": class " + j + " reaches " + r.witnessValue());
            }
            // A margin is proven positive only by a proven lower bound (CROWN's, or the solver's
            // when it proves one) with a safety gap for the solver's floating-point tolerances
            // (CBC's primal and integrality tolerances are ~1e-7).
            double lb = r.lowerBound();
            if (!(lb > 1e-6)) {
                return OracleVerdict.unknown(name(), lb, (System.nanoTime() - t0) / 1e9, r.solver() + " "
                        + r.state().name().toLowerCase(java.util.Locale.ROOT) + " for class " + j
                        + ", lower bound " + lb);
            }
            min = Math.min(min, lb);
        }
        return new OracleVerdict(Outcome.IRRELEVANT, name(), min, null, (System.nanoTime() - t0) / 1e9,
                solver.name());
    }
}
