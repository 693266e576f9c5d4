package org.proofmap.mip;

import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.InputDomain;
import org.proofmap.bounds.Spec;
import org.proofmap.model.Graph;

/**
 * The exact minimum of a linear function of a network's outputs over a box of inputs, by MIP:
 *
 * <pre>{@code
 * BoundContext ctx = new BoundContext(graph, domain);
 * ExactMinimizer.Result r = ExactMinimizer.minimise(graph, domain, specRow, ctx, MipSolvers.best(), 30);
 * if (r.state() == ExactMinimizer.State.OPTIMAL) { r.optimum(); r.witness(); }
 * }</pre>
 *
 * An instance encodes the network once and answers several rows ({@link #minimise(double[], MipSolver,
 * double)}), e.g. the margins against every other class.
 *
 * <p><b>Re-check.</b> Every incumbent is mapped back to a model input (the witness), evaluated by
 * {@link Graph#forward} in double precision, and its true value {@code specRow·f(witness)} compared
 * with the solver's objective. They must agree within {@link #RELATIVE_TOLERANCE}{@code ·scale},
 * {@code scale = max(1, |objective|, |true value|)}; otherwise the result is {@link State#INEXACT} and
 * never {@link State#OPTIMAL}. Why 1e-6: the solvers accept points that violate constraints and
 * integrality by up to ~1e-7 (CBC's primal and integer tolerances; ojAlgo's 8-digit feasibility
 * context), and an "almost binary" δ lets a ReLU output drift from its input by about
 * {@code 1e-7·|big-M|}; through a few layers of weights of norm ~1–10 that moves the output by up to
 * ~1e-6 relative. Simplex vertices are usually exact far below that (agreement ~1e-12 is typical), while
 * a genuinely wrong answer (a bad bound, a mis-encoded operator, a solver bug) is off by far more.
 *
 * <p>The reported optimum is the true value at the witness — an attained value, hence an upper bound
 * on the minimum that is exact — and the lower bound is the larger of CROWN's sound bound and the
 * solver's proven bound (the latter valid up to the solver's tolerances), never above the optimum.
 *
 * <p><b>Which solver proves.</b> CBC proves its optimum ({@link Result#optimumProven()}: the lower
 * bound then equals the optimum). ojAlgo's "optimal" was measured to miss the true minimum in a few
 * percent of queries (see {@link OjAlgoSolver}); its results are {@link State#OPTIMAL} with
 * {@code optimumProven() == false}, and only CROWN bounds them from below. Decisions that must be
 * sound (a property holds, a feature is irrelevant) should require {@code optimumProven()}.
 */
public final class ExactMinimizer {
    /** Relative tolerance between the solver's objective and the forward re-check of its witness. */
    public static final double RELATIVE_TOLERANCE = 1e-6;

    /** The outcome of an exact minimisation. */
    public enum State {
        /**
         * The solver's minimum, confirmed by re-evaluating the witness; proven when
         * {@link Result#optimumProven()} (CBC), a best effort otherwise (ojAlgo).
         */
        OPTIMAL,
        /** The time limit was hit with an incumbent: an upper bound (and a lower bound), not the minimum. */
        TIMEOUT_WITH_INCUMBENT,
        /**
         * The MIP is infeasible. Every input has an output, so this means the bounds used for big-M
         * were unsound or the solver failed numerically.
         */
        INFEASIBLE,
        /**
         * A search with a cutoff ({@link #minimiseMinimum}) proved that no input reaches a value
         * below the cutoff: the lower bound is the cutoff (the solver's proof, up to its tolerances).
         */
        ABOVE_CUTOFF,
        /** The time limit was hit without an incumbent, or the solver failed. */
        UNKNOWN,
        /**
         * The solver claimed a solution but its witness, re-evaluated by the model, disagrees with the
         * solver's objective beyond tolerance: not trusted as the minimum (the witness value is still
         * an attained value, so an upper bound).
         */
        INEXACT
    }

    private final Graph graph;
    private final InputDomain domain;
    private final BoundContext ctx;
    private final NetworkEncoder.Encoding encoding;

    /**
     * Encodes {@code graph} over {@code domain} with the intermediate bounds of {@code ctx} (null: a
     * fresh context).
     *
     * @throws UnsupportedOperationException when the network is not piecewise linear (Tanh, Sigmoid,
     *     Softmax, a product of two model-dependent tensors)
     */
    public ExactMinimizer(Graph graph, InputDomain domain, BoundContext ctx) {
        NetworkEncoder.checkSupported(graph);
        this.graph = graph;
        this.domain = domain;
        this.ctx = ctx != null ? ctx : new BoundContext(graph, domain);
        this.encoding = NetworkEncoder.encode(graph, domain, this.ctx);
    }

    /** One-shot: encodes and minimises {@code specRow·y} over the domain. */
    public static Result minimise(Graph graph, InputDomain domain, double[] specRow, BoundContext ctx,
            MipSolver solver, double timeLimitSeconds) {
        return new ExactMinimizer(graph, domain, ctx).minimise(specRow, solver, timeLimitSeconds);
    }

    /** One-shot: the minimum of the margin {@code y_label - y_other}. */
    public static Result minimiseMargin(Graph graph, InputDomain domain, int label, int other, BoundContext ctx,
            MipSolver solver, double timeLimitSeconds) {
        return new ExactMinimizer(graph, domain, ctx).minimiseMargin(label, other, solver, timeLimitSeconds);
    }

    public NetworkEncoder.Encoding encoding() {
        return encoding;
    }

    public BoundContext context() {
        return ctx;
    }

    /** The minimum of {@code y_label - y_other} (positive: {@code other} never beats {@code label}). */
    public Result minimiseMargin(int label, int other, MipSolver solver, double timeLimitSeconds) {
        int n = graph.outputSize();
        if (label < 0 || label >= n || other < 0 || other >= n || label == other) {
            throw new IllegalArgumentException("need two different outputs in 0.." + (n - 1) + ", found " + label
                    + " and " + other);
        }
        double[] row = new double[n];
        row[label] = 1;
        row[other] = -1;
        return minimise(row, solver, timeLimitSeconds);
    }

    /** The minimum of {@code specRow·y} over the domain, {@code y} the flattened model output. */
    public Result minimise(double[] specRow, MipSolver solver, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        MipModel model = encoding.withObjective(specRow);
        double crown = ctx.compute(BoundMethods.byName("crown"), Spec.rows(new double[][] {specRow}, "mip"))
                .lower(0);
        MipSolver.Result r = solver.solve(model, timeLimitSeconds);
        double[] witness = null;
        double witnessValue = Double.NaN;
        double discrepancy = Double.NaN;
        boolean confirmed = false;
        State state;
        String message = r.message();
        if (r.hasSolution()) {
            double[] values = r.values();
            witness = encoding.inputOf(values);
            double[] y = graph.forward(witness);
            witnessValue = dot(specRow, y);
            discrepancy = Math.abs(witnessValue - r.objective());
            double scale = Math.max(1.0, Math.max(Math.abs(witnessValue), Math.abs(r.objective())));
            confirmed = discrepancy <= RELATIVE_TOLERANCE * scale;
            if (!confirmed) {
                state = State.INEXACT;
                message = "solver objective " + r.objective() + " but the witness evaluates to " + witnessValue
                        + " (difference " + discrepancy + ", max constraint violation " + model.maxViolation(values)
                        + "); " + message;
            } else {
                state = r.state() == MipSolver.State.OPTIMAL ? State.OPTIMAL : State.TIMEOUT_WITH_INCUMBENT;
            }
        } else if (r.state() == MipSolver.State.INFEASIBLE) {
            state = State.INFEASIBLE;
            message = "the encoding is infeasible although every input has an output: unsound bounds or solver "
                    + "trouble; " + message;
        } else {
            state = State.UNKNOWN;
        }
        double solverBound = state == State.INEXACT ? Double.NaN : r.bestBound();
        double lower = Double.isNaN(solverBound) ? crown : Math.max(crown, solverBound);
        if (!Double.isNaN(witnessValue)) {
            lower = Math.min(lower, witnessValue);
        }
        return new Result(state, witnessValue, r.objective(), lower, crown, solverBound, witness, confirmed,
                discrepancy, r.solver(), r.seconds(), (System.nanoTime() - t0) / 1e9, encoding.seconds(),
                model.binaryCount(), message);
    }

    /**
     * The minimum over the domain of {@code min_k specRows[k]·y} in one MIP (see
     * {@link NetworkEncoder.Encoding#withMinimumObjective}), big-M of the row selection from CROWN's
     * bounds of each row in this context. With a finite {@code cutoff} the solver only settles
     * whether the minimum lies below it ({@link MipSolver#solveBelow}): {@link State#ABOVE_CUTOFF}
     * (lower bound = cutoff) when it proves none does, or the first incumbent below it
     * ({@link State#TIMEOUT_WITH_INCUMBENT} unless the solver proves it optimal). With an infinite or
     * NaN cutoff it minimises to optimality as {@link #minimise}.
     *
     * <p>The witness value is {@code min_k specRows[k]·forward(witness)}; the CROWN lower bound is the
     * smallest row bound.
     */
    public Result minimiseMinimum(double[][] specRows, MipSolver solver, double cutoff, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        int k = specRows.length;
        double[][] both = new double[2 * k][];
        for (int r = 0; r < k; r++) {
            both[r] = specRows[r];
            both[k + r] = new double[specRows[r].length];
            for (int j = 0; j < specRows[r].length; j++) {
                both[k + r][j] = -specRows[r][j];
            }
        }
        org.proofmap.bounds.Bounds b = ctx.compute(BoundMethods.byName("crown"), Spec.rows(both, "mip-min"));
        double[] rowLo = new double[k];
        double[] rowHi = new double[k];
        double crown = Double.POSITIVE_INFINITY;
        for (int r = 0; r < k; r++) {
            rowLo[r] = b.lower(r);
            rowHi[r] = -b.lower(k + r);
            crown = Math.min(crown, rowLo[r]);
        }
        MipModel model = encoding.withMinimumObjective(specRows, rowLo, rowHi);
        boolean sign = Double.isFinite(cutoff);
        MipSolver.Result r = sign ? solver.solveBelow(model, cutoff, timeLimitSeconds)
                : solver.solve(model, timeLimitSeconds);
        double[] witness = null;
        double witnessValue = Double.NaN;
        double discrepancy = Double.NaN;
        boolean confirmed = false;
        State state;
        String message = r.message();
        if (r.hasSolution()) {
            witness = encoding.inputOf(r.values());
            double[] y = graph.forward(witness);
            witnessValue = Double.POSITIVE_INFINITY;
            for (double[] row : specRows) {
                witnessValue = Math.min(witnessValue, dot(row, y));
            }
            discrepancy = Math.abs(witnessValue - r.objective());
            double scale = Math.max(1.0, Math.max(Math.abs(witnessValue), Math.abs(r.objective())));
            confirmed = discrepancy <= RELATIVE_TOLERANCE * scale;
            if (r.state() == MipSolver.State.OPTIMAL && !confirmed) {
                state = State.INEXACT;
                message = "solver objective " + r.objective() + " but the witness evaluates to " + witnessValue
                        + " (difference " + discrepancy + "); " + message;
            } else {
                // An incumbent of a cutoff search need not be tight (z may exceed the minimum row).
                state = r.state() == MipSolver.State.OPTIMAL ? State.OPTIMAL : State.TIMEOUT_WITH_INCUMBENT;
            }
        } else if (r.state() == MipSolver.State.INFEASIBLE) {
            // Only a back-end that ran the cutoff search says so with a bound (the cutoff); a plain
            // solve's "infeasible" stays a sign of unsound bounds or solver trouble, never a proof.
            state = sign && r.bestBound() == cutoff ? State.ABOVE_CUTOFF : State.INFEASIBLE;
            if (state == State.INFEASIBLE) {
                message = "the encoding is infeasible although every input has an output: unsound bounds or "
                        + "solver trouble; " + message;
            }
        } else {
            state = State.UNKNOWN;
        }
        double solverBound = state == State.INEXACT || state == State.INFEASIBLE ? Double.NaN
                : state == State.ABOVE_CUTOFF ? cutoff : r.bestBound();
        if (state == State.TIMEOUT_WITH_INCUMBENT && !confirmed) {
            solverBound = Double.NaN;
        }
        double lower = Double.isNaN(solverBound) ? crown : Math.max(crown, solverBound);
        if (!Double.isNaN(witnessValue)) {
            lower = Math.min(lower, witnessValue);
        }
        return new Result(state, witnessValue, r.objective(), lower, crown, solverBound, witness, confirmed,
                discrepancy, r.solver(), r.seconds(), (System.nanoTime() - t0) / 1e9, encoding.seconds(),
                model.binaryCount(), message);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The immutable result of one exact minimisation. */
    public static final class Result {
        private final State state;
        private final double witnessValue;
        private final double mipObjective;
        private final double lowerBound;
        private final double crownLowerBound;
        private final double solverBound;
        private final double[] witness;
        private final boolean witnessConfirmed;
        private final double discrepancy;
        private final String solver;
        private final double solverSeconds;
        private final double seconds;
        private final double encodeSeconds;
        private final int binaries;
        private final String message;

        Result(State state, double witnessValue, double mipObjective, double lowerBound, double crownLowerBound,
                double solverBound, double[] witness, boolean witnessConfirmed, double discrepancy, String solver,
                double solverSeconds, double seconds, double encodeSeconds, int binaries, String message) {
            this.state = state;
            this.witnessValue = witnessValue;
            this.mipObjective = mipObjective;
            this.lowerBound = lowerBound;
            this.crownLowerBound = crownLowerBound;
            this.solverBound = solverBound;
            this.witness = witness;
            this.witnessConfirmed = witnessConfirmed;
            this.discrepancy = discrepancy;
            this.solver = solver;
            this.solverSeconds = solverSeconds;
            this.seconds = seconds;
            this.encodeSeconds = encodeSeconds;
            this.binaries = binaries;
            this.message = message;
        }

        public State state() {
            return state;
        }

        public boolean isOptimal() {
            return state == State.OPTIMAL;
        }

        /**
         * Whether the optimum is proven: {@link State#OPTIMAL} and the solver proved a matching lower
         * bound (CBC does; ojAlgo does not, see {@link OjAlgoSolver}).
         */
        public boolean optimumProven() {
            return state == State.OPTIMAL && !Double.isNaN(solverBound);
        }

        /** The minimum when {@link State#OPTIMAL} (the true value at the witness), NaN otherwise. */
        public double optimum() {
            return state == State.OPTIMAL ? witnessValue : Double.NaN;
        }

        /**
         * {@code specRow·forward(witness)} in double precision: an attained value, so an upper bound on
         * the minimum whenever there is a witness; NaN without one.
         */
        public double witnessValue() {
            return witnessValue;
        }

        /** The solver's objective value of its incumbent (NaN without one). */
        public double mipObjective() {
            return mipObjective;
        }

        /** The best lower bound known: max(CROWN, solver bound), capped at the witness value. */
        public double lowerBound() {
            return lowerBound;
        }

        /** CROWN's sound lower bound of the row, computed with the same intermediate bounds. */
        public double crownLowerBound() {
            return crownLowerBound;
        }

        /** The solver's own lower bound (its objective when optimal), NaN when unknown or not trusted. */
        public double solverBound() {
            return solverBound;
        }

        /** The input that attains {@link #witnessValue()} (a copy), or null. */
        public double[] witness() {
            return witness == null ? null : witness.clone();
        }

        /** Whether the witness's forward value agrees with the solver's objective within tolerance. */
        public boolean witnessConfirmed() {
            return witnessConfirmed;
        }

        /** |witness value − solver objective| (NaN without a witness). */
        public double discrepancy() {
            return discrepancy;
        }

        public String solver() {
            return solver;
        }

        /** Wall time inside the solver. */
        public double solverSeconds() {
            return solverSeconds;
        }

        /** Wall time of this query: objective, CROWN row bound, solve and re-check (encoding excluded). */
        public double seconds() {
            return seconds;
        }

        /**
         * Wall time of the encoding this query used (CROWN intermediate bounds included when they were
         * computed then), shared by every query of one {@link ExactMinimizer}.
         */
        public double encodeSeconds() {
            return encodeSeconds;
        }

        /** Binary variables in the MIP. */
        public int binaries() {
            return binaries;
        }

        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return String.format("%s by %s: witness value %.9g, mip %.9g, lower %.9g (crown %.9g), %d binaries, "
                    + "%.3f s%s", state, solver, witnessValue, mipObjective, lowerBound, crownLowerBound, binaries,
                    seconds, message.isEmpty() ? "" : " [" + message + "]");
        }
    }
}
