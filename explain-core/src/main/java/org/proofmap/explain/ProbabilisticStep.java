package org.proofmap.explain;

import java.util.BitSet;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.PtLirpa;
import org.proofmap.verify.ConfidenceBudget;

/**
 * The optional last step of an explanation: PT-LiRPA on the features the proven chain left unknown.
 * The proven irrelevant set {@code F} and its certificate are final before this step and do not
 * depend on it. In the given order, blocks of candidates are tried as in binary search: a block
 * {@code B} joins the probably irrelevant set {@code P} when PT-LiRPA's lower bound of every margin
 * over the box of {@code F ∪ P ∪ B} is positive; otherwise it is halved, down to single features.
 * Every call takes its share of the failure probability ({@link ConfidenceBudget}), so with the
 * stated confidence all of them are right at once, and in particular the last successful one, whose
 * box is that of {@code F ∪ P}: the whole set is irrelevant with that confidence. A candidate that
 * fails stays unknown — PT-LiRPA proves nothing either way.
 */
public final class ProbabilisticStep {
    /** The name of the step in provenance. */
    public static final String NAME = "pt-lirpa";

    private final ExplanationProblem problem;
    private final BitSet proven;
    private final ConfidenceBudget budget;
    private final BitSet probable = new BitSet();
    private double bound = Double.NaN;

    private ProbabilisticStep(ExplanationProblem problem, BitSet proven, PtLirpa.Options options) {
        this.problem = problem;
        this.proven = (BitSet) proven.clone();
        this.budget = new ConfidenceBudget(options);
    }

    /**
     * The probably irrelevant features among {@code candidates} (tried in that order), given the
     * proven irrelevant set {@code proven}.
     */
    public static ProbablyIrrelevant run(ExplanationProblem problem, BitSet proven, int[] candidates,
            PtLirpa.Options options) {
        long t0 = System.nanoTime();
        ProbabilisticStep s = new ProbabilisticStep(problem, proven, options);
        s.block(candidates, 0, candidates.length);
        return new ProbablyIrrelevant(s.probable, options.confidence(), options.samples(), PtLirpa.ESTIMATOR,
                options.maxTailIndex(), s.budget.calls(), s.bound, (System.nanoTime() - t0) / 1e9);
    }

    private void block(int[] order, int from, int to) {
        if (from >= to) {
            return;
        }
        BitSet add = new BitSet();
        for (int i = from; i < to; i++) {
            add.set(order[i]);
        }
        if (frees(add) || to - from == 1) {
            return;
        }
        int mid = (from + to) >>> 1;
        block(order, from, mid);
        block(order, mid, to);
    }

    /** Whether PT-LiRPA shows {@code F ∪ P ∪ add} irrelevant; if so, {@code add} joins {@code P}. */
    private boolean frees(BitSet add) {
        PtLirpa pt = budget.next();
        if (pt == null) {
            return false; // the budget is spent: nothing more can be claimed at this confidence
        }
        BitSet q = (BitSet) proven.clone();
        q.or(probable);
        q.or(add);
        FeatureQuery query = problem.query(q);
        Bounds b = pt.compute(query.context(), query.spec());
        double min = Double.POSITIVE_INFINITY;
        for (int r = 0; r < b.rows(); r++) {
            min = Math.min(min, b.lower(r));
        }
        if (!(min > 0)) {
            return false;
        }
        budget.decided();
        probable.or(add);
        bound = min;
        return true;
    }
}
