package org.proofmap.vnnlib;

import java.util.Arrays;

/**
 * One conjunction of linear constraints on the network outputs, {@code C·y <= d}: an unsafe output
 * region. Row {@code r} reads {@code sum_j c(r, j) * y_j <= d(r)}. A constraint with zero rows is
 * {@code true}: every output is unsafe.
 *
 * <p>Immutable: the accessors that return arrays return copies.
 */
public final class OutputConstraint {
    private final int numOutputs;
    private final double[][] c;
    private final double[] d;

    /**
     * @param numOutputs the number of network outputs (the width of every row of {@code c})
     * @param c the coefficient rows, each of length {@code numOutputs}; copied
     * @param d the right-hand sides, one per row; copied
     * @throws IllegalArgumentException if the shapes disagree or a number is not finite
     */
    public OutputConstraint(int numOutputs, double[][] c, double[] d) {
        if (numOutputs < 0) {
            throw new IllegalArgumentException("numOutputs < 0: " + numOutputs);
        }
        if (c.length != d.length) {
            throw new IllegalArgumentException(c.length + " rows in C but " + d.length + " entries in d");
        }
        this.numOutputs = numOutputs;
        this.c = new double[c.length][];
        for (int r = 0; r < c.length; r++) {
            if (c[r].length != numOutputs) {
                throw new IllegalArgumentException(
                        "row " + r + " of C has " + c[r].length + " entries, expected " + numOutputs);
            }
            for (double v : c[r]) {
                requireFinite(v);
            }
            requireFinite(d[r]);
            this.c[r] = c[r].clone();
        }
        this.d = d.clone();
    }

    private static void requireFinite(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
    }

    /** The number of network outputs (the width of each row). */
    public int numOutputs() {
        return numOutputs;
    }

    /** The number of rows (constraints); zero means {@code true}. */
    public int numRows() {
        return d.length;
    }

    /** Coefficient {@code j} of row {@code row}. */
    public double c(int row, int j) {
        return c[row][j];
    }

    /** The right-hand side of row {@code row}. */
    public double d(int row) {
        return d[row];
    }

    /** A copy of the coefficient matrix C ({@link #numRows()} × {@link #numOutputs()}). */
    public double[][] c() {
        double[][] copy = new double[c.length][];
        for (int r = 0; r < c.length; r++) {
            copy[r] = c[r].clone();
        }
        return copy;
    }

    /** A copy of the right-hand side d. */
    public double[] d() {
        return d.clone();
    }

    /**
     * Whether the output {@code y} lies in this unsafe region, that is every row holds:
     * {@code c·y <= d + tolerance}. A positive tolerance accepts outputs slightly outside the region
     * (useful when checking a counterexample computed in floating point).
     *
     * @throws IllegalArgumentException if {@code y} does not have {@link #numOutputs()} entries
     */
    public boolean isViolatedBy(double[] y, double tolerance) {
        if (y.length != numOutputs) {
            throw new IllegalArgumentException("output has " + y.length + " entries, expected " + numOutputs);
        }
        for (int r = 0; r < c.length; r++) {
            double s = 0;
            double[] row = c[r];
            for (int j = 0; j < numOutputs; j++) {
                s += row[j] * y[j];
            }
            if (!(s <= d[r] + tolerance)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputConstraint other
                && numOutputs == other.numOutputs
                && Arrays.deepEquals(c, other.c)
                && Arrays.equals(d, other.d);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numOutputs + Arrays.deepHashCode(c)) + Arrays.hashCode(d);
    }

    /** A readable form such as {@code -Y_0 + Y_4 <= 0.0 and ...}, or {@code true} with no rows. */
    @Override
    public String toString() {
        if (c.length == 0) {
            return "true";
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < c.length; r++) {
            if (r > 0) {
                sb.append(" and ");
            }
            boolean first = true;
            for (int j = 0; j < numOutputs; j++) {
                double v = c[r][j];
                if (v == 0) {
                    continue;
                }
                if (first) {
                    sb.append(v < 0 ? "-" : "");
                } else {
                    sb.append(v < 0 ? " - " : " + ");
                }
                if (Math.abs(v) != 1) {
                    sb.append(Math.abs(v)).append('*');
                }
                sb.append("Y_").append(j);
                first = false;
            }
            if (first) {
                sb.append('0');
            }
            sb.append(" <= ").append(d[r]);
        }
        return sb.toString();
    }
}
