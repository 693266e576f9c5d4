package org.proofmap.mip;

/**
 * A back-end that minimises a {@link MipModel} within a time limit. Implementations:
 * {@link OjAlgoSolver} (pure Java, always available) and {@link CbcSolver} (the COIN-OR CBC
 * executable, when installed); {@link MipSolvers} picks one.
 */
public interface MipSolver {
    /** A short name: {@code ojalgo}, {@code cbc}. */
    String name();

    /** Whether this back-end can run here (CBC needs its executable). */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Minimises the model's objective. Never throws for solver trouble (a crash, an unreadable
     * answer, a killed process): that is a {@link State#UNKNOWN} result with a {@link Result#message()}.
     *
     * @param timeLimitSeconds wall-clock limit; the solver stops with its best incumbent when reached
     */
    Result solve(MipModel model, double timeLimitSeconds);

    /**
     * Decides whether some feasible point has an objective value below {@code cutoff}, stopping as
     * soon as that is settled (for sign questions such as "can this margin reach 0?"): a result with a
     * solution whose objective is below the cutoff, or {@link State#INFEASIBLE} with
     * {@link Result#bestBound()} equal to {@code cutoff} when the solver proves that no feasible point
     * lies below it (up to its tolerances), or no decision in time ({@link State#UNKNOWN}).
     *
     * <p>The default solves to optimality (for back-ends without a cutoff): the caller then compares
     * the optimum with the cutoff itself. INFEASIBLE keeps its meaning (no point below the cutoff).
     */
    default Result solveBelow(MipModel model, double cutoff, double timeLimitSeconds) {
        return solve(model, timeLimitSeconds);
    }

    /**
     * The answer for a model without variables (e.g. every input fixed): its objective constant,
     * feasible unless a constraint says otherwise (the builder rejects violated empty constraints).
     */
    static Result constantModel(MipModel model, String solver) {
        double c = model.objectiveConstant();
        return new Result(State.OPTIMAL, c, c, new double[0], 0.0, solver, "no variables");
    }

    /** How a solve ended. */
    enum State {
        /**
         * Solved to optimality, as the solver claims (within its tolerances; for ojAlgo a best effort,
         * see {@link OjAlgoSolver}).
         */
        OPTIMAL,
        /** Stopped (time limit) with an incumbent that is feasible but not proven optimal. */
        FEASIBLE,
        /** Proven infeasible. */
        INFEASIBLE,
        /** Stopped without a feasible point, or the solver failed. */
        UNKNOWN;

        /** Whether the result carries a solution. */
        public boolean hasSolution() {
            return this == OPTIMAL || this == FEASIBLE;
        }
    }

    /** The immutable outcome of one solve. */
    final class Result {
        private final State state;
        private final double objective;
        private final double bestBound;
        private final double[] values;
        private final double seconds;
        private final String solver;
        private final String message;

        /**
         * @param objective objective value of the incumbent (model constant included), NaN without one
         * @param bestBound the solver's proven lower bound on the optimum, NaN when it does not say
         * @param values one value per model variable, null without a solution (copied)
         * @param message a note from the back-end (why UNKNOWN, ...), or empty
         */
        public Result(State state, double objective, double bestBound, double[] values, double seconds, String solver,
                String message) {
            if (state.hasSolution() && values == null) {
                throw new IllegalArgumentException(state + " needs variable values");
            }
            this.state = state;
            this.objective = objective;
            this.bestBound = bestBound;
            this.values = values == null ? null : values.clone();
            this.seconds = seconds;
            this.solver = solver;
            this.message = message == null ? "" : message;
        }

        /** A result without a solution. */
        public static Result withoutSolution(State state, double bestBound, double seconds, String solver,
                String message) {
            return new Result(state, Double.NaN, bestBound, null, seconds, solver, message);
        }

        public State state() {
            return state;
        }

        /** Objective of the incumbent (NaN without one). */
        public double objective() {
            return objective;
        }

        /**
         * The solver's proven lower bound on the optimum (up to its tolerances): equal to the objective
         * when CBC reports {@link State#OPTIMAL}; NaN when the back-end does not prove one (ojAlgo
         * never does, see {@link OjAlgoSolver}).
         */
        public double bestBound() {
            return bestBound;
        }

        public boolean hasSolution() {
            return values != null;
        }

        /** Variable values of the incumbent (a copy), or null. */
        public double[] values() {
            return values == null ? null : values.clone();
        }

        /** Value of one variable of the incumbent. */
        public double value(int variable) {
            if (values == null) {
                throw new IllegalStateException("no solution (" + state + ")");
            }
            return values[variable];
        }

        /** Wall time of the solve, in seconds (writing files and starting processes included). */
        public double seconds() {
            return seconds;
        }

        /** Which back-end produced this result. */
        public String solver() {
            return solver;
        }

        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return solver + ": " + state + (hasSolution() ? " objective=" + objective : "")
                    + (Double.isNaN(bestBound) ? "" : " bound=" + bestBound) + String.format(" (%.3f s)", seconds)
                    + (message.isEmpty() ? "" : " " + message);
        }
    }
}
