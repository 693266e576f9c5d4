package org.proofmap.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.InputDomain;
import org.proofmap.mip.ExactMinimizer;
import org.proofmap.mip.MipSolver;

/**
 * The falsifier of the final, single-feature pass, started from the inputs that nearly break the
 * free set. Once the free set {@code F} is large its box has used up nearly all of the margin, and
 * most features still open are relevant by a hair (margins around −0.003 on mnist-net_256x2): PGD
 * from the input misses them, while the exact oracle needs seconds for each. But their
 * counterexamples lie next to the minimiser of the smallest margin over {@code box(F)}: from there,
 * moving one more feature to the right end of its interval is often enough.
 *
 * <p>So an anchor {@code x* ≈ argmin_{box(F)} min_j (y_label − y_j)} is computed whenever {@code F}
 * has grown: the best point of a short batched descent from the input, the previous anchor and the
 * corners of CROWN's linear lower bounds; then, when an exact solver is given and at least
 * {@link #MIP_MIN_OPEN} features are open, the incumbent of a time-limited MIP minimisation over
 * {@code box(F)} if it is lower. Then every open feature {@code p}
 * gets two samples, {@code x*} with {@code x_p} at either end of its interval, each followed by a
 * short descent inside {@code box(F ∪ {p})}, all in one batch.
 *
 * <p>Sound: the anchor only guides; a feature is reported only with a counterexample of
 * {@code box(F ∪ {p})} that {@link FeatureQuery#isCounterexample} re-checked, and it stays one as
 * {@code F} grows.
 */
final class BoundaryFalsifier {
    /** Descent steps towards the anchor; the anchor's starts are far from the boundary. */
    private static final int ANCHOR_STEPS = 20;
    /** First step of that descent (share of each interval): a quarter, between a jump and a nudge. */
    private static final double ANCHOR_FIRST_STEP = 0.25;
    /** Descent steps per open feature: its starts are next to the boundary already. */
    private static final int FEATURE_STEPS = 8;
    /** First step of the per-feature descent (share of each interval): small, to stay near the anchor. */
    private static final double FEATURE_FIRST_STEP = 0.125;

    private final ExplanationProblem problem;
    private final MipSolver solver;
    private final double mipSeconds;
    private final int mipMinOpen;
    private BitSet anchoredFree;
    private double[] anchor;
    private double anchorMargin = Double.NaN;
    private String anchorSource = "";

    /**
     * @param solver the exact solver that refines the anchor (null: descent only)
     * @param mipSeconds time limit of that refinement; its incumbent is used when it runs out
     * @param mipMinOpen refine only when at least this many features are open ({@link #MIP_MIN_OPEN})
     */
    BoundaryFalsifier(ExplanationProblem problem, MipSolver solver, double mipSeconds, int mipMinOpen) {
        this.problem = problem;
        this.solver = solver;
        this.mipSeconds = mipSeconds;
        this.mipMinOpen = mipMinOpen;
    }

    /**
     * Counterexamples for the open features, by feature: each an input of {@code box(free ∪ {p})}
     * with a non-positive margin, re-checked. Re-anchors first when {@code free} has changed.
     */
    Map<Integer, double[]> run(BitSet free, int[] open) {
        if (!free.equals(anchoredFree)) {
            reanchor(free, open.length >= mipMinOpen);
        }
        double[] lo = problem.fullBall().domain().lower();
        double[] hi = problem.fullBall().domain().upper();
        int[] features = new int[2 * open.length];
        double[][] starts = new double[2 * open.length][];
        for (int i = 0; i < open.length; i++) {
            int p = open[i];
            features[2 * i] = p;
            features[2 * i + 1] = p;
            starts[2 * i] = anchor.clone();
            starts[2 * i][p] = lo[p];
            starts[2 * i + 1] = anchor.clone();
            starts[2 * i + 1][p] = hi[p];
        }
        return BatchAttack.run(problem, free, features, starts, FEATURE_STEPS, FEATURE_FIRST_STEP);
    }

    /** The smallest margin at the current anchor (forward pass), NaN before the first anchor. */
    double anchorMargin() {
        return anchorMargin;
    }

    /** How the current anchor was found: {@code descent} or the MIP's state. */
    String anchorSource() {
        return anchorSource;
    }

    /**
     * Open features from which the explanation search has the anchor refined by MIP. The refinement (up to its time limit,
     * every time the free set grows) only pays when it may serve many features: with a handful
     * open, their own exact queries are cheaper. On the 5-input test nets it made
     * ExplainerExactnessTest 7× slower (11.7 s → 87 s) for no decision the queries would not make.
     */
    static final int MIP_MIN_OPEN = 16;

    private void reanchor(BitSet free, boolean refine) {
        FeatureQuery q = problem.query(free);
        List<double[]> starts = new ArrayList<>();
        starts.add(problem.input());
        if (anchor != null) {
            starts.add(anchor); // still inside box(free): the free set only grows
        }
        Bounds crown = q.bounds(BoundMethods.byName("crown"));
        double[] lo = q.domain().lower();
        double[] hi = q.domain().upper();
        if (crown.hasLinearBounds()) {
            for (int r = 0; r < crown.rows(); r++) {
                starts.add(InputDomain.minimisingCorner(crown.lowerCoefficients(r), lo, hi));
            }
        }
        BatchAttack.Lowest best = BatchAttack.lowest(problem, free, starts.toArray(new double[0][]), ANCHOR_STEPS,
                ANCHOR_FIRST_STEP);
        anchor = best.x();
        anchorMargin = best.margin();
        anchorSource = "descent";
        if (solver != null && refine) {
            refineByMip(q, crown);
        }
        anchoredFree = (BitSet) free.clone();
    }

    /**
     * Minimises the smallest margin over {@code box(F)} by MIP, over the margins whose CROWN bound
     * lies below the descent's best value (the others cannot be the minimum); keeps the incumbent
     * when it is lower.
     */
    private void refineByMip(FeatureQuery q, Bounds crown) {
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < crown.rows(); r++) {
            if (crown.lower(r) < anchorMargin) {
                rows.add(q.spec().row(r)); // the margin row this CROWN bound is of
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        ExactMinimizer.Result res;
        try {
            res = new ExactMinimizer(problem.graph(), q.domain(), q.context())
                    .minimiseMinimum(rows.toArray(new double[0][]), solver, Double.NaN, mipSeconds);
        } catch (UnsupportedOperationException e) {
            return; // no exact encoding of this network: the descent's anchor stands
        }
        double[] w = res.witness();
        if (w != null && q.domain().contains(w, 0.0)) {
            double m = problem.minMargin(problem.graph().forward(w));
            if (m < anchorMargin) {
                anchor = w;
                anchorMargin = m;
                anchorSource = "mip " + res.state().name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }
}
