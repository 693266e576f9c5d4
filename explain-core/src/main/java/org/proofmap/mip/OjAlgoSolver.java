package org.proofmap.mip;

import java.util.ArrayList;
import java.util.List;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;
import org.ojalgo.optimisation.integer.IntegerStrategy;
import org.ojalgo.type.context.NumberContext;

/**
 * The pure-Java back-end: ojAlgo's {@link ExpressionsBasedModel} and its branch-and-bound
 * {@code IntegerSolver}. Always available. On network encodings it is as fast as CBC on tiny MIPs
 * (no process to start) and about 10× slower from ~70 binaries on (see the package documentation).
 *
 * <p>ojAlgo specifics, checked against 57.1.0:
 * <ul>
 *   <li>Time limit: {@code options.time_abort} (stop and return the best so far) and
 *       {@code options.time_suffice} (stop once an incumbent exists after this time) are both set to
 *       the limit, in milliseconds. They are not enough: every LP sub-solver starts its own clock, so
 *       a run overran the limit 2–4× on networks with a few hundred unstable neurons. The solve
 *       therefore runs on a worker thread that is interrupted just after the limit (ojAlgo checks
 *       {@code Thread.isInterrupted()}). On a time-out with an incumbent ojAlgo reports
 *       {@code FEASIBLE}; without one {@code FAILED} (or possibly {@code INFEASIBLE}, so an
 *       "infeasible" answer that arrives at the limit is mapped to {@link MipSolver.State#UNKNOWN}).</li>
 *   <li>Gap: ojAlgo's default MIP gap tolerance is {@code NumberContext 5:7}; with it, 2 of 45
 *       queries on {@code mlp_5_50_50_5} (eps 0.05–0.15) came back "optimal" up to 1e-2 above the true
 *       minimum. This class tightens it to {@link #DEFAULT_GAP} (10 digits).</li>
 *   <li><b>Optimality is not reliable.</b> Even with a tight gap, ojAlgo's branch and bound sometimes
 *       prunes the subtree holding the minimum and reports {@code OPTIMAL} for a worse point: 1 of the
 *       same 45 queries (1.9e-3 too high), and a deterministic case at eps 0.15 (2.4e-4 too high)
 *       although ojAlgo's own LP, with CBC's binaries fixed, finds the true minimum. Neither a tighter
 *       gap, nor removing the presolvers, nor the primal or dual simplex, nor disabling GMI cuts
 *       removed it, and a tighter feasibility tolerance ({@code 14:11}) made it far worse (5e-1).
 *       So this back-end never reports a proven bound ({@link MipSolver.Result#bestBound()} is NaN
 *       even when optimal): its incumbent is a genuine point (an upper bound), its "optimal" is a
 *       best effort. Use {@link CbcSolver} when the minimum must be proven.</li>
 *   <li>Parallel search makes those misses non-deterministic; this class runs one worker by default
 *       so that results are repeatable.</li>
 *   <li>The objective constant is added here (the model's public API has no setter for it).</li>
 * </ul>
 */
public final class OjAlgoSolver implements MipSolver {
    /** Gap tolerance used by default: 10 significant digits, absolute scale 1e-10. */
    public static final NumberContext DEFAULT_GAP = NumberContext.of(10, 10);

    private final NumberContext gap;
    private final int parallelism;

    /** Tight gap ({@link #DEFAULT_GAP}), one worker. */
    public OjAlgoSolver() {
        this(DEFAULT_GAP, 1);
    }

    /**
     * @param gap ojAlgo's MIP gap tolerance ({@code IntegerStrategy.withGapTolerance})
     * @param parallelism branch-and-bound workers (ojAlgo's default is the number of cores)
     */
    public OjAlgoSolver(NumberContext gap, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be positive");
        }
        this.gap = gap;
        this.parallelism = parallelism;
    }

    @Override
    public String name() {
        return "ojalgo";
    }

    @Override
    public Result solve(MipModel model, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        if (model.variableCount() == 0) {
            return MipSolver.constantModel(model, name());
        }
        try {
            Optimisation.Options options = new Optimisation.Options();
            long ms = Math.max(1L, (long) Math.ceil(timeLimitSeconds * 1000.0));
            options.time_abort = ms;
            options.time_suffice = ms;
            int workers = parallelism;
            options.integer(IntegerStrategy.DEFAULT.withGapTolerance(gap).withParallelism(() -> workers));
            ExpressionsBasedModel m = new ExpressionsBasedModel(options);
            int n = model.variableCount();
            List<Variable> vars = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                Variable v = m.addVariable("x" + j);
                if (model.isBinary(j)) {
                    v.binary();
                } else {
                    if (model.lower(j) != Double.NEGATIVE_INFINITY) {
                        v.lower(model.lower(j));
                    }
                    if (model.upper(j) != Double.POSITIVE_INFINITY) {
                        v.upper(model.upper(j));
                    }
                }
                double c = model.objective(j);
                if (c != 0.0) {
                    v.weight(c);
                }
                vars.add(v);
            }
            for (int r = 0; r < model.constraintCount(); r++) {
                Expression e = m.addExpression("c" + r);
                int[] idx = model.constraintVariables(r);
                double[] coef = model.constraintCoefficients(r);
                for (int k = 0; k < idx.length; k++) {
                    e.set(vars.get(idx[k]), coef[k]);
                }
                switch (model.sense(r)) {
                    case LE -> e.upper(model.rhs(r));
                    case GE -> e.lower(model.rhs(r));
                    case EQ -> e.level(model.rhs(r));
                }
            }
            Optimisation.Result r = minimiseWithDeadline(m, t0, timeLimitSeconds);
            if (r == null) {
                return Result.withoutSolution(State.UNKNOWN, Double.NaN, (System.nanoTime() - t0) / 1e9, name(),
                        "ojAlgo did not stop after the time limit and an interrupt; abandoned");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Optimisation.State s = r.getState();
            boolean nearLimit = seconds >= 0.95 * timeLimitSeconds;
            if (s.isFeasible() && r.size() >= n) {
                double[] x = new double[n];
                for (int j = 0; j < n; j++) {
                    x[j] = r.doubleValue(j);
                }
                double objective = model.objectiveValue(x);
                // An "optimal" answer that arrives after the limit may be a best-so-far from an abort
                // path: trust it only as FEASIBLE.
                State state = s.isOptimal() && seconds < timeLimitSeconds ? State.OPTIMAL : State.FEASIBLE;
                // No proven bound even when "optimal": see the class documentation.
                return new Result(state, objective, Double.NaN, x, seconds, name(), "ojAlgo state " + s);
            }
            if (s == Optimisation.State.INFEASIBLE && !nearLimit) {
                return Result.withoutSolution(State.INFEASIBLE, Double.NaN, seconds, name(), "ojAlgo state " + s);
            }
            return Result.withoutSolution(State.UNKNOWN, Double.NaN, seconds, name(),
                    "ojAlgo state " + s + (nearLimit ? " at the time limit" : ""));
        } catch (RuntimeException e) {
            return Result.withoutSolution(State.UNKNOWN, Double.NaN, (System.nanoTime() - t0) / 1e9, name(),
                    "ojAlgo failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.withoutSolution(State.UNKNOWN, Double.NaN, (System.nanoTime() - t0) / 1e9, name(),
                    "interrupted");
        }
    }

    /** Seconds granted after the deadline for ojAlgo to return its best solution once interrupted. */
    private static final double GRACE_SECONDS = 2.0;

    /**
     * Runs {@code minimise()} on a worker thread and interrupts it just after the deadline. ojAlgo's own limit
     * is not enough: each LP sub-solver starts its own clock with the same {@code time_abort}, so a
     * single long LP can overrun the limit by its whole length (measured: 2–4× the limit on networks
     * with a few hundred unstable neurons). Its solvers check {@code Thread.isInterrupted()} between
     * iterations and then give up (a run interrupted this way yields a FAILED result, no incumbent).
     * Returns null when the worker does not stop within a grace period; it is then abandoned (a daemon
     * thread, interrupted).
     */
    private static Optimisation.Result minimiseWithDeadline(ExpressionsBasedModel m, long t0, double limit)
            throws InterruptedException {
        Optimisation.Result[] box = new Optimisation.Result[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread worker = new Thread(() -> {
            try {
                box[0] = m.minimise();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "ojalgo-mip");
        worker.setDaemon(true);
        worker.start();
        // ojAlgo's own time_abort usually ends the search at the limit with its best solution; the
        // interrupt, a little later, is the backstop (an interrupted ojAlgo throws instead of returning).
        long deadline = t0 + (long) ((1.05 * limit + 0.1) * 1e9);
        long wait = Math.max(1L, (deadline - System.nanoTime()) / 1_000_000L);
        worker.join(wait);
        if (worker.isAlive()) {
            worker.interrupt();
            worker.join((long) (GRACE_SECONDS * 1000));
            if (worker.isAlive()) {
                return null;
            }
            if (box[0] == null) {
                return Optimisation.Result.of(Optimisation.State.FAILED);
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return box[0];
    }

    @Override
    public String toString() {
        return "OjAlgoSolver[gap=" + gap + ", parallelism=" + parallelism + "]";
    }
}
