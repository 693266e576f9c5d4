package org.proofmap.mip;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mixed-integer linear program, neutral between solvers: continuous variables with bounds, binary
 * variables, sparse linear constraints ({@code <=}, {@code >=}, {@code =}) and a linear objective to
 * minimise (plus a constant). Immutable once {@linkplain Builder#build() built}; {@link #withObjective}
 * gives a model with the same constraints and another objective without copying them.
 *
 * <pre>{@code
 * MipModel.Builder b = MipModel.builder();
 * int x = b.addContinuous(-1, 2);
 * int d = b.addBinary();
 * b.addConstraint(new int[] {x, d}, new double[] {1, -3}, MipModel.Sense.LE, 0.5);
 * b.objective(x, 1.0);
 * MipModel m = b.build();
 * }</pre>
 */
public final class MipModel {
    /** The sense of a constraint {@code Σ a_j x_j (sense) rhs}. */
    public enum Sense {
        LE("<="), GE(">="), EQ("=");

        private final String symbol;

        Sense(String symbol) {
            this.symbol = symbol;
        }

        /** {@code <=}, {@code >=} or {@code =}, as the LP file format writes it. */
        public String symbol() {
            return symbol;
        }
    }

    private final double[] lower;
    private final double[] upper;
    private final boolean[] binary;
    private final int binaryCount;
    /** Constraints in compressed rows: row r holds entries {@code rowStart[r] .. rowStart[r+1]-1}. */
    private final int[] rowStart;
    private final int[] column;
    private final double[] value;
    private final Sense[] sense;
    private final double[] rhs;
    private final double[] objective;
    private final double objectiveConstant;

    private MipModel(double[] lower, double[] upper, boolean[] binary, int[] rowStart, int[] column, double[] value,
            Sense[] sense, double[] rhs, double[] objective, double objectiveConstant) {
        this.lower = lower;
        this.upper = upper;
        this.binary = binary;
        int b = 0;
        for (boolean x : binary) {
            if (x) {
                b++;
            }
        }
        this.binaryCount = b;
        this.rowStart = rowStart;
        this.column = column;
        this.value = value;
        this.sense = sense;
        this.rhs = rhs;
        this.objective = objective;
        this.objectiveConstant = objectiveConstant;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int variableCount() {
        return lower.length;
    }

    public double lower(int variable) {
        return lower[variable];
    }

    public double upper(int variable) {
        return upper[variable];
    }

    /** Whether the variable is binary (integer in {0, 1}); otherwise it is continuous. */
    public boolean isBinary(int variable) {
        return binary[variable];
    }

    public int binaryCount() {
        return binaryCount;
    }

    public int constraintCount() {
        return sense.length;
    }

    /** Number of non-zero constraint coefficients. */
    public int nonZeroCount() {
        return column.length;
    }

    /** The variables of constraint {@code r} (a copy, ascending). */
    public int[] constraintVariables(int r) {
        return Arrays.copyOfRange(column, rowStart[r], rowStart[r + 1]);
    }

    /** The coefficients of constraint {@code r}, aligned with {@link #constraintVariables} (a copy). */
    public double[] constraintCoefficients(int r) {
        return Arrays.copyOfRange(value, rowStart[r], rowStart[r + 1]);
    }

    public Sense sense(int r) {
        return sense[r];
    }

    public double rhs(int r) {
        return rhs[r];
    }

    /** Objective coefficient of a variable (the objective is minimised). */
    public double objective(int variable) {
        return objective[variable];
    }

    public double objectiveConstant() {
        return objectiveConstant;
    }

    /** {@code Σ c_j x_j + constant}. */
    public double objectiveValue(double[] x) {
        double s = objectiveConstant;
        for (int j = 0; j < objective.length; j++) {
            if (objective[j] != 0.0) {
                s += objective[j] * x[j];
            }
        }
        return s;
    }

    /**
     * The largest violation of any bound, constraint or integrality requirement by {@code x} (0 for a
     * feasible point). For checking solvers' answers.
     */
    public double maxViolation(double[] x) {
        double worst = 0;
        for (int j = 0; j < lower.length; j++) {
            worst = Math.max(worst, Math.max(lower[j] - x[j], x[j] - upper[j]));
            if (binary[j]) {
                worst = Math.max(worst, Math.abs(x[j] - Math.rint(x[j])));
            }
        }
        for (int r = 0; r < sense.length; r++) {
            double s = 0;
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                s += value[e] * x[column[e]];
            }
            double v = switch (sense[r]) {
                case LE -> s - rhs[r];
                case GE -> rhs[r] - s;
                case EQ -> Math.abs(s - rhs[r]);
            };
            worst = Math.max(worst, v);
        }
        return worst;
    }

    /**
     * The same variables and constraints with another objective (dense, one coefficient per
     * variable; copied). The constraint arrays are shared, which is safe since models are immutable.
     */
    public MipModel withObjective(double[] coefficients, double constant) {
        if (coefficients.length != lower.length) {
            throw new IllegalArgumentException("objective has " + coefficients.length + " coefficients for "
                    + lower.length + " variables");
        }
        checkFinite(coefficients, "objective coefficient");
        return new MipModel(lower, upper, binary, rowStart, column, value, sense, rhs, coefficients.clone(), constant);
    }

    /**
     * A builder that starts with this model's variables, constraints, objective and constant (same
     * indices), to extend it with more variables and constraints; this model is unchanged.
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (int j = 0; j < lower.length; j++) {
            b.addVariable(lower[j], upper[j], binary[j]);
            b.objective[j] = objective[j];
        }
        b.objectiveConstant = objectiveConstant;
        b.ensureEntries(column.length);
        System.arraycopy(column, 0, b.column, 0, column.length);
        System.arraycopy(value, 0, b.value, 0, value.length);
        b.entries = column.length;
        int rows = sense.length;
        b.sense = Arrays.copyOf(sense, Math.max(64, rows));
        b.rhs = Arrays.copyOf(rhs, Math.max(64, rows));
        b.rowStart = Arrays.copyOf(rowStart, Math.max(64, rows) + 1);
        b.rows = rows;
        return b;
    }

    @Override
    public String toString() {
        return "MipModel[" + variableCount() + " variables (" + binaryCount + " binary), " + constraintCount()
                + " constraints, " + nonZeroCount() + " non-zeros]";
    }

    private static void checkFinite(double[] v, String what) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(what + " is not finite: " + x);
            }
        }
    }

    /** Collects variables and constraints; not thread-safe. */
    public static final class Builder {
        private double[] lower = new double[64];
        private double[] upper = new double[64];
        private boolean[] binary = new boolean[64];
        private int variables;
        private int[] rowStart = new int[65];
        private int[] column = new int[256];
        private double[] value = new double[256];
        private Sense[] sense = new Sense[64];
        private double[] rhs = new double[64];
        private int rows;
        private int entries;
        private double[] objective = new double[64];
        private double objectiveConstant;
        /** Scratch for merging duplicate entries of one constraint. */
        private double[] dense = new double[64];
        private boolean built;

        private Builder() {}

        /** A continuous variable in {@code [lo, hi]} (infinite limits allowed); returns its index. */
        public int addContinuous(double lo, double hi) {
            if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
                throw new IllegalArgumentException("invalid bounds [" + lo + ", " + hi + "]");
            }
            return addVariable(lo, hi, false);
        }

        /** A binary variable; returns its index. */
        public int addBinary() {
            return addVariable(0, 1, true);
        }

        private int addVariable(double lo, double hi, boolean bin) {
            checkOpen();
            if (variables == lower.length) {
                int n = 2 * variables;
                lower = Arrays.copyOf(lower, n);
                upper = Arrays.copyOf(upper, n);
                binary = Arrays.copyOf(binary, n);
                objective = Arrays.copyOf(objective, n);
                dense = Arrays.copyOf(dense, n);
            }
            lower[variables] = lo;
            upper[variables] = hi;
            binary[variables] = bin;
            return variables++;
        }

        public int variableCount() {
            return variables;
        }

        /** Lower bound of a variable added so far. */
        public double lower(int variable) {
            Objects.checkIndex(variable, variables);
            return lower[variable];
        }

        /** Upper bound of a variable added so far. */
        public double upper(int variable) {
            Objects.checkIndex(variable, variables);
            return upper[variable];
        }

        public int constraintCount() {
            return rows;
        }

        /**
         * Adds {@code Σ coefficients[k]·x[variables[k]] (sense) rhs}. Repeated variables are merged and
         * zero coefficients dropped. A constraint left without variables must hold for its constant
         * (it is then dropped); otherwise the model would be infeasible by construction, which is
         * reported as an {@link IllegalArgumentException}.
         */
        public Builder addConstraint(int[] vars, double[] coefficients, Sense s, double right) {
            return addConstraint(vars, coefficients, vars.length, s, right);
        }

        /** As {@link #addConstraint(int[], double[], Sense, double)} with the first {@code n} entries. */
        public Builder addConstraint(int[] vars, double[] coefficients, int n, Sense s, double right) {
            checkOpen();
            if (!Double.isFinite(right)) {
                throw new IllegalArgumentException("right-hand side is not finite: " + right);
            }
            for (int k = 0; k < n; k++) {
                int v = vars[k];
                if (v < 0 || v >= variables) {
                    throw new IllegalArgumentException("unknown variable " + v);
                }
                if (!Double.isFinite(coefficients[k])) {
                    throw new IllegalArgumentException("coefficient of variable " + v + " is not finite");
                }
                dense[v] += coefficients[k];
            }
            int[] cols = new int[n];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int v = vars[k];
                if (dense[v] != 0.0) {
                    cols[m++] = v;
                }
            }
            // Collect each distinct variable once, ascending.
            Arrays.sort(cols, 0, m);
            int distinct = 0;
            for (int k = 0; k < m; k++) {
                if (k == 0 || cols[k] != cols[k - 1]) {
                    cols[distinct++] = cols[k];
                }
            }
            if (distinct == 0) {
                for (int k = 0; k < n; k++) {
                    dense[vars[k]] = 0.0;
                }
                boolean holds = switch (s) {
                    case LE -> 0 <= right + 1e-12;
                    case GE -> 0 >= right - 1e-12;
                    case EQ -> Math.abs(right) <= 1e-12;
                };
                if (!holds) {
                    throw new IllegalArgumentException("a constraint without variables is violated: 0 " + s.symbol()
                            + " " + right);
                }
                return this;
            }
            ensureEntries(entries + distinct);
            for (int k = 0; k < distinct; k++) {
                column[entries] = cols[k];
                value[entries++] = dense[cols[k]];
            }
            for (int k = 0; k < n; k++) {
                dense[vars[k]] = 0.0;
            }
            if (rows == sense.length) {
                sense = Arrays.copyOf(sense, 2 * rows);
                rhs = Arrays.copyOf(rhs, 2 * rows);
                rowStart = Arrays.copyOf(rowStart, 2 * rows + 1);
            }
            sense[rows] = s;
            rhs[rows] = right;
            rowStart[++rows] = entries;
            return this;
        }

        private void ensureEntries(int n) {
            if (n > column.length) {
                int cap = Math.max(n, 2 * column.length);
                column = Arrays.copyOf(column, cap);
                value = Arrays.copyOf(value, cap);
            }
        }

        /** Adds {@code coefficient} to the objective coefficient of {@code variable}. */
        public Builder objective(int variable, double coefficient) {
            checkOpen();
            if (variable < 0 || variable >= variables) {
                throw new IllegalArgumentException("unknown variable " + variable);
            }
            objective[variable] += coefficient;
            return this;
        }

        /** Adds to the objective's constant term. */
        public Builder objectiveConstant(double constant) {
            checkOpen();
            objectiveConstant += constant;
            return this;
        }

        /** The model; the builder cannot be used afterwards. */
        public MipModel build() {
            checkOpen();
            built = true;
            double[] obj = Arrays.copyOf(objective, variables);
            checkFinite(obj, "objective coefficient");
            return new MipModel(Arrays.copyOf(lower, variables), Arrays.copyOf(upper, variables),
                    Arrays.copyOf(binary, variables), Arrays.copyOf(rowStart, rows + 1),
                    Arrays.copyOf(column, entries), Arrays.copyOf(value, entries), Arrays.copyOf(sense, rows),
                    Arrays.copyOf(rhs, rows), obj, objectiveConstant);
        }

        private void checkOpen() {
            if (built) {
                throw new IllegalStateException("the model has been built already");
            }
        }
    }
}
