package org.proofmap.attack;

import java.util.List;
import org.proofmap.vnnlib.OutputConstraint;

/**
 * The attack objective for an unsafe region given as disjuncts {@code C_D·y <= d_D}:
 * {@code f(y) = min_D max_r (C_{D,r}·y − d_{D,r})}, which is {@code <= 0} exactly when some disjunct
 * holds. A disjunct with no rows is {@code true} and scores {@code -∞}. The rows of all disjuncts
 * are numbered globally; the subgradient of {@code f} with respect to {@code y} is the row that
 * attains the max within the disjunct that attains the min.
 *
 * <p>Evaluation allocates nothing. Not final so tests can doctor it: the attacks trust it only to
 * steer, never to decide (see {@link AttackResult#checked}).
 */
class Objective {
    private final int outputs;
    /** Row coefficients, {@code rows × outputs}, row-major. */
    private final double[] c;
    private final double[] d;
    /** Disjunct {@code k} owns global rows {@code [start[k], start[k+1])}. */
    private final int[] start;
    private final List<OutputConstraint> disjuncts;

    Objective(List<OutputConstraint> disjuncts, int outputs) {
        if (disjuncts.isEmpty()) {
            throw new IllegalArgumentException("the unsafe region needs at least one disjunct");
        }
        this.outputs = outputs;
        this.disjuncts = List.copyOf(disjuncts);
        int rows = 0;
        for (OutputConstraint oc : disjuncts) {
            if (oc.numOutputs() != outputs) {
                throw new IllegalArgumentException("an output constraint has " + oc.numOutputs()
                        + " outputs but the model has " + outputs);
            }
            rows += oc.numRows();
        }
        c = new double[rows * outputs];
        d = new double[rows];
        start = new int[disjuncts.size() + 1];
        int r = 0;
        for (int k = 0; k < disjuncts.size(); k++) {
            OutputConstraint oc = disjuncts.get(k);
            start[k] = r;
            for (int i = 0; i < oc.numRows(); i++, r++) {
                for (int j = 0; j < outputs; j++) {
                    c[r * outputs + j] = oc.c(i, j);
                }
                d[r] = oc.d(i);
            }
        }
        start[disjuncts.size()] = r;
    }

    List<OutputConstraint> disjuncts() {
        return disjuncts;
    }

    int disjunctCount() {
        return start.length - 1;
    }

    int outputs() {
        return outputs;
    }

    /**
     * {@code f} of the output at {@code y[off .. off+outputs)}. Writes the minimising disjunct to
     * {@code where[0]} and its maximising global row to {@code where[1]} ({@code -1} for an empty
     * disjunct, whose value is {@code -∞}).
     */
    double evaluate(double[] y, int off, int[] where) {
        double best = Double.POSITIVE_INFINITY;
        int bestK = 0;
        int bestRow = -1;
        for (int k = 0; k < start.length - 1; k++) {
            double fk = evaluateDisjunct(k, y, off, where);
            if (k == 0 || fk < best) {
                best = fk;
                bestK = k;
                bestRow = where[1];
            }
        }
        where[0] = bestK;
        where[1] = bestRow;
        return best;
    }

    /**
     * {@code f_k} of disjunct {@code k} alone; its maximising global row goes to {@code where[1]}
     * ({@code where[0] = k}).
     */
    double evaluateDisjunct(int k, double[] y, int off, int[] where) {
        double fk = Double.NEGATIVE_INFINITY;
        int rowK = -1;
        for (int r = start[k]; r < start[k + 1]; r++) {
            double s = -d[r];
            int co = r * outputs;
            for (int j = 0; j < outputs; j++) {
                s += c[co + j] * y[off + j];
            }
            if (rowK < 0 || s > fk || Double.isNaN(s)) {
                fk = Double.isNaN(s) ? Double.POSITIVE_INFINITY : s;
                rowK = r;
            }
        }
        where[0] = k;
        where[1] = rowK;
        return fk;
    }

    /** Writes the coefficients of global row {@code row} (zeros for {@code -1}) to {@code w[off ..]}. */
    void rowWeights(int row, double[] w, int off) {
        if (row < 0) {
            java.util.Arrays.fill(w, off, off + outputs, 0.0);
        } else {
            System.arraycopy(c, row * outputs, w, off, outputs);
        }
    }
}
