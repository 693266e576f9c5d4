package org.proofmap.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.mip.CbcSolver;
import org.proofmap.mip.ExactMinimizer;
import org.proofmap.mip.MipSolver;
import org.proofmap.mip.MipSolvers;

/**
 * Decides a query exactly with MIPs over the query's box (big-M from the query's CROWN
 * intermediate bounds, fixed features as constants).
 *
 * <p>{@link Strategy#SIGN} (the default) asks only for the sign, in one MIP: it minimises the
 * smallest of the margins {@code y_label − y_j} that CROWN cannot prove positive (one selection
 * binary per margin when there are several) with a solver cutoff at {@link #CUTOFF}, so the solver
 * stops as soon as its bound proves every point at or above the cutoff, or at its first point below
 * it (relevant when that point re-checks with a non-positive margin). Runs go in rounds of growing
 * time slices ({@link #FIRST_SLICE_SECONDS}, then the time left shared out, since CBC cannot resume a
 * run and a longer one replays the shorter's search; the time left at once after
 * {@link #SLOW_STREAK} searches in a row needed more, see {@link SliceHistory}) and, with CBC, alternate two
 * settings: {@link CbcSolver#SIGN_OPTIONS} (no preprocessing or heuristics: fastest to prove
 * irrelevance, and it finds most counterexamples too), then for a quarter of the slice CBC's
 * defaults (whose heuristics found a counterexample the first setting missed for 30 s).
 * {@link Strategy#SIGN_PER_ROW} does the same with one MIP per open margin (lowest CROWN bound
 * first): measured on MNIST 40-pixel groups with 8–9 open margins, it was slower (10.5 s median
 * against 3.5 s), some single margins being harder to prove alone than the minimum of all.
 *
 * <p>{@link Strategy#PER_ROW}: the former method, one MIP per margin solved to optimality.
 *
 * <p>Sound both ways: irrelevant only with a proven lower bound (CROWN's or the solver's) of at least
 * {@link #CUTOFF} for every margin, relevant only with a witness that
 * {@link FeatureQuery#isCounterexample} confirms. Solver bounds carry the solver's tolerances (CBC:
 * 1e-7 primal and integrality), far below the cutoff.
 */
public final class MipOracle implements Oracle {
    /** The smallest margin bound accepted as a proof of irrelevance, and the solver's cutoff. */
    public static final double CUTOFF = 1e-5;

    /**
     * How the note of an unknown verdict begins when the smallest margin lies in [0, {@link #CUTOFF})
     * up to the solver's tolerances: no time limit decides such a query.
     */
    public static final String PRECISION = "undecidable at the solver's precision";

    /** How the note of an unknown verdict begins when the query's time ran out. */
    public static final String TIME_LIMIT = "time limit";

    /**
     * Time of the first solver's run in the first round of a sign search (the fallback gets a
     * quarter); later rounds share out the time left (at least double the previous slice).
     */
    static final double FIRST_SLICE_SECONDS = 4.0;

    /** How the MIPs of a query are set up. */
    public enum Strategy {
        /**
         * One sign MIP over the minimum of all unproven margins (selection binaries when there are
         * several), stopped as soon as its sign is known, in rounds of growing time slices.
         */
        SIGN,
        /** One sign MIP per unproven margin (lowest CROWN bound first), in rounds. */
        SIGN_PER_ROW,
        /** One MIP per unproven margin, each solved to optimality. */
        PER_ROW
    }

    private final MipSolver solver;
    private final MipSolver fallback;
    private final Strategy strategy;
    /** Whether this oracle's latest sign searches needed more than the first slice (shared by both cores). */
    private final SliceHistory history = new SliceHistory();

    /**
     * Whether the latest sign searches needed more than their first round. When the last
     * {@link #SLOW_STREAK} all did, the next one skips the short round and shares out its whole
     * budget at once: the short round only replays the start of the long one (CBC cannot resume),
     * and near the end of an explanation every exact query is slow (mnist-net_256x2 image 5, 621
     * features free, over MIP-refined bounds: decisive runs of 7.7, 9.7 and 15.3 s, each after 5 s of
     * first round; the last one, 20.4 s in all, would have missed the 20 s limit that a
     * 15.3 s run fits). A query decided within the first slice's time ends the streak.
     */
    static final class SliceHistory {
        private int slowInARow;

        synchronized void record(boolean slow) {
            slowInARow = slow ? slowInARow + 1 : 0;
        }

        synchronized boolean skipShortRound() {
            return slowInARow >= SLOW_STREAK;
        }
    }

    /** How many sign searches in a row must need more than the first slice before the next skips it. */
    static final int SLOW_STREAK = 3;

    SliceHistory history() {
        return history;
    }

    /**
     * {@link Strategy#SIGN} with {@code solver}. A {@link CbcSolver} without extra options is run
     * first with {@link CbcSolver#SIGN_OPTIONS} and then as given (as {@link #best()}); any other
     * solver runs alone.
     */
    public MipOracle(MipSolver solver) {
        this(first(solver), solver instanceof CbcSolver c && c.options().isEmpty() ? solver : null, Strategy.SIGN);
    }

    private static MipSolver first(MipSolver solver) {
        return solver instanceof CbcSolver c && c.options().isEmpty() ? c.withOptions(CbcSolver.SIGN_OPTIONS) : solver;
    }

    /**
     * @param solver the first solver
     * @param fallback asked in the time left when {@code solver} did not decide (null: none)
     */
    public MipOracle(MipSolver solver, MipSolver fallback, Strategy strategy) {
        this.solver = solver;
        this.fallback = fallback;
        this.strategy = strategy;
    }

    /**
     * The best available setting: CBC when installed ({@link Strategy#SIGN}, first with
     * {@link CbcSolver#SIGN_OPTIONS}, then CBC's defaults), ojAlgo otherwise.
     */
    public static MipOracle best() {
        return best(Strategy.SIGN);
    }

    /** {@link #best()} with another strategy. */
    public static MipOracle best(Strategy strategy) {
        MipSolver s = MipSolvers.best();
        if (s instanceof CbcSolver cbc && strategy != Strategy.PER_ROW) {
            return new MipOracle(cbc.withOptions(CbcSolver.SIGN_OPTIONS), cbc, strategy);
        }
        return new MipOracle(s, null, strategy);
    }

    /** The former setting: one MIP per margin, solved to optimality by the best solver. */
    public static MipOracle perRow() {
        return new MipOracle(MipSolvers.best(), null, Strategy.PER_ROW);
    }

    public Strategy strategy() {
        return strategy;
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
        return strategy == Strategy.PER_ROW ? decidePerRow(query, timeLimitSeconds) : decideSign(query, timeLimitSeconds);
    }

    private OracleVerdict decideSign(FeatureQuery query, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (timeLimitSeconds * 1e9);
        ExplanationProblem p = query.problem();
        int label = p.label();
        Bounds crown = query.bounds(BoundMethods.byName("crown"));
        // Unproven margins, most promising for a counterexample (lowest CROWN bound) first.
        List<double[]> open = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        int row = 0;
        for (int j = 0; j < p.classes(); j++) {
            if (j == label) {
                continue;
            }
            double lb = crown.lower(row++);
            if (lb >= CUTOFF) {
                min = Math.min(min, lb);
                continue;
            }
            open.add(new double[] {lb, j});
        }
        if (open.isEmpty()) {
            return new OracleVerdict(Outcome.IRRELEVANT, name(), min, null, seconds(t0), "crown");
        }
        open.sort((u, v) -> Double.compare(u[0], v[0]));
        // The MIPs asked in each round: SIGN one over all open margins, SIGN_PER_ROW one per margin.
        List<int[]> tasks = new ArrayList<>();
        if (strategy == Strategy.SIGN) {
            tasks.add(open.stream().mapToInt(o -> (int) o[1]).toArray());
        } else {
            open.forEach(o -> tasks.add(new int[] {(int) o[1]}));
        }
        boolean[] proven = new boolean[p.classes()];
        ExactMinimizer mip;
        try {
            mip = new ExactMinimizer(p.graph(), query.domain(), query.context());
        } catch (UnsupportedOperationException e) {
            return OracleVerdict.unknown(name(), Double.NaN, seconds(t0), "no exact encoding: " + e.getMessage());
        }
        List<MipSolver> solvers = fallback == null ? List.of(solver) : List.of(solver, fallback);
        boolean[] stuck = new boolean[tasks.size()];
        double[] cutoffs = new double[tasks.size()];
        java.util.Arrays.fill(cutoffs, CUTOFF);
        int runs = 0;
        double solverSeconds = 0;
        StringBuilder log = new StringBuilder(";");
        String last = "";
        double bound = Double.NaN;
        // Rounds of growing time slices: every open task, with each solver in turn, so that neither a
        // hard margin nor a solver setting that suits the other outcome can use up the budget.
        double slice = FIRST_SLICE_SECONDS;
        boolean skipShort = history.skipShortRound();
        double decisiveSeconds = 0; // the solver time of the run that decided, for the history
        double nearZero = Double.NaN; // a margin the solver reached in (0, CUTOFF)
        for (int round = 0; ; round++) {
            if (round > 0 || skipShort) {
                // CBC is deterministic and cannot resume: a longer run first replays the search of the
                // shorter one. Against a known deadline, doubling the slice then wastes most of the budget
                // (4+1+8+2 s spent before a sign search needing 10 s could start its last run, which a
                // 20 s limit cut off), so after the first round the time left is shared out: 4/5 for the
                // first solver, 1/5 for the fallback, split over the open tasks.
                int active = 0;
                for (int t = 0; t < tasks.size(); t++) {
                    if (!stuck[t] && !allProven(proven, tasks.get(t))) {
                        active++;
                    }
                }
                double left = (deadline - System.nanoTime()) / 1e9;
                slice = Math.max(round > 0 ? 2 * slice : slice,
                        left / Math.max(1, active) / (fallback == null ? 1 : 1.25));
            }
            boolean progress = false;
            for (int t = 0; t < tasks.size(); t++) {
                for (MipSolver s : solvers) {
                    if (stuck[t] || allProven(proven, tasks.get(t))) {
                        break;
                    }
                    double left = (deadline - System.nanoTime()) / 1e9;
                    if (left <= 0) {
                        history.record(true);
                        return OracleVerdict.unknown(name(), bound, seconds(t0), TIME_LIMIT + " after " + runs
                                + " MIP runs; " + last + log);
                    }
                    progress = true;
                    double[][] rows = rows(label, p.classes(), tasks.get(t));
                    // The fallback (CBC's defaults) gets a quarter of the slice: the sign settings
                    // decided almost every query of the harness, proofs often in 2-3 s.
                    double budget = s == solver ? slice : slice / 4;
                    double cut = cutoffs[t];
                    ExactMinimizer.Result r = mip.minimiseMinimum(rows, s, cut, Math.min(left, budget));
                    runs++;
                    solverSeconds += r.solverSeconds();
                    if (log.length() < 400) {
                        log.append(String.format(Locale.ROOT, " %s%s:%s %.2fs", tasks.get(t).length > 1 ? "all" : "c"
                                + tasks.get(t)[0], s == solver && fallback != null ? "/sign" : "",
                                r.state().name().toLowerCase(Locale.ROOT), r.solverSeconds()));
                    }
                    if (r.witness() != null && r.witnessValue() <= 0 && query.isCounterexample(r.witness())) {
                        history.record(round > 0 || r.solverSeconds() > FIRST_SLICE_SECONDS);
                        return new OracleVerdict(Outcome.RELEVANT, name(), Double.NaN, r.witness(), seconds(t0),
                                r.solver() + ": margin reaches " + r.witnessValue() + " for classes "
                                        + java.util.Arrays.toString(tasks.get(t)) + " (" + runs + " MIP runs" + log + ")");
                    }
                    // Proven: a lower bound (CROWN's or the solver's, e.g. the cutoff it proved) at
                    // or above the cutoff.
                    double lower = Double.isNaN(r.solverBound()) ? r.crownLowerBound()
                            : Math.max(r.crownLowerBound(), r.solverBound());
                    if (cut == CUTOFF && lower >= CUTOFF && (r.witness() == null || r.optimumProven())) {
                        for (int j : tasks.get(t)) {
                            proven[j] = true;
                        }
                        min = Math.min(min, lower);
                        decisiveSeconds = Math.max(decisiveSeconds, round > 0 ? Double.POSITIVE_INFINITY
                                : r.solverSeconds());
                    } else if (r.witness() != null && r.witnessValue() > 0 && r.witnessValue() < CUTOFF) {
                        // A point between 0 and the cutoff: look once more for one strictly below 0
                        // (relevant); failing that, neither outcome is provable here.
                        nearZero = r.witnessValue();
                        if (cut == CUTOFF) {
                            cutoffs[t] = 0;
                        } else {
                            stuck[t] = true;
                        }
                    } else if (cut != CUTOFF && r.state() == ExactMinimizer.State.ABOVE_CUTOFF) {
                        stuck[t] = true; // nothing below 0, but a minimum in [0, CUTOFF) proves nothing
                    }
                    bound = r.lowerBound();
                    last = r.solver() + " " + r.state().name().toLowerCase(Locale.ROOT) + " for classes "
                            + java.util.Arrays.toString(tasks.get(t)) + ", lower bound " + r.lowerBound()
                            + (r.witness() != null ? ", incumbent margin " + r.witnessValue() : "");
                }
            }
            boolean all = true;
            for (double[] o : open) {
                all &= proven[(int) o[1]];
            }
            if (all) {
                history.record(decisiveSeconds > FIRST_SLICE_SECONDS);
                return new OracleVerdict(Outcome.IRRELEVANT, name(), min, null, seconds(t0), String.format(
                        Locale.ROOT, "%d MIP runs (%.3f s in the solver), %d binaries%s", runs, solverSeconds,
                        mip.encoding().binaryCount(), log));
            }
            if (!progress) {
                history.record(true);
                // The smallest margin lies in [0, CUTOFF) up to the solver's tolerances: no sound
                // answer here, at any time limit (mnist-net_256x2 image 17, pixel 320: 138 s).
                return OracleVerdict.unknown(name(), bound, seconds(t0), String.format(Locale.ROOT,
                        "%s: an input at margin %.3g, none below 0, and a proof needs %.0e; %s", PRECISION,
                        nearZero, CUTOFF, last));
            }
        }
    }

    private static boolean allProven(boolean[] proven, int[] classes) {
        for (int j : classes) {
            if (!proven[j]) {
                return false;
            }
        }
        return true;
    }

    private static double[][] rows(int label, int classes, int[] others) {
        double[][] rows = new double[others.length][classes];
        for (int k = 0; k < others.length; k++) {
            rows[k][label] = 1;
            rows[k][others[k]] = -1;
        }
        return rows;
    }

    private OracleVerdict decidePerRow(FeatureQuery query, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (timeLimitSeconds * 1e9);
        ExplanationProblem p = query.problem();
        int label = p.label();
        Bounds crown = query.bounds(BoundMethods.byName("crown"));
        ExactMinimizer mip;
        try {
            mip = new ExactMinimizer(p.graph(), query.domain(), query.context());
        } catch (UnsupportedOperationException e) {
            return OracleVerdict.unknown(name(), Double.NaN, seconds(t0), "no exact encoding: " + e.getMessage());
        }
        double min = Double.POSITIVE_INFINITY;
        int row = 0;
        for (int j = 0; j < p.classes(); j++) {
            if (j == label) {
                continue;
            }
            double crownLower = crown.lower(row++);
            if (crownLower >= CUTOFF) {
                min = Math.min(min, crownLower);
                continue;
            }
            double left = (deadline - System.nanoTime()) / 1e9;
            if (left <= 0) {
                return OracleVerdict.unknown(name(), Double.NaN, seconds(t0), "time limit");
            }
            ExactMinimizer.Result r = mip.minimiseMargin(label, j, solver, left);
            if (r.witness() != null && r.witnessValue() <= 0 && query.isCounterexample(r.witness())) {
                return new OracleVerdict(Outcome.RELEVANT, name(), Double.NaN, r.witness(), seconds(t0),
                        r.solver() + ": class " + j + " reaches " + r.witnessValue());
            }
            // A margin is proven positive only by a proven lower bound (CROWN's, or the solver's
            // when it proves one) with a safety gap for the solver's floating-point tolerances.
            double lb = r.lowerBound();
            if (!(lb >= CUTOFF)) {
                return OracleVerdict.unknown(name(), lb, seconds(t0), r.solver() + " "
                        + r.state().name().toLowerCase(Locale.ROOT) + " for class " + j + ", lower bound " + lb);
            }
            min = Math.min(min, lb);
        }
        return new OracleVerdict(Outcome.IRRELEVANT, name(), min, null, seconds(t0), solver.name());
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
