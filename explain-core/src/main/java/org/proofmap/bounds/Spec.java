package org.proofmap.bounds;

import java.util.ArrayList;
import java.util.List;

/**
 * A specification matrix {@code C}: bounds are computed on {@code C·y} for the model output
 * {@code y}. Rows have names for reports ({@code y3}, {@code y7-y2}, ...).
 */
public final class Spec {
    private final double[][] c;
    private final String[] names;
    private final String kind;

    public Spec(double[][] c, String[] names, String kind) {
        if (c.length == 0) {
            throw new IllegalArgumentException("a specification needs at least one row");
        }
        int n = c[0].length;
        this.c = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            if (c[i].length != n) {
                throw new IllegalArgumentException("specification rows differ in length");
            }
            this.c[i] = c[i].clone();
        }
        this.names = names.clone();
        this.kind = kind;
    }

    /** Bounds on every output. */
    public static Spec identity(int outputs) {
        double[][] c = new double[outputs][outputs];
        String[] names = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            c[i][i] = 1;
            names[i] = "y" + i;
        }
        return new Spec(c, names, "identity");
    }

    /** Rows {@code y_label - y_j} for every {@code j != label}: all positive means the label wins. */
    public static Spec margins(int label, int outputs) {
        if (label < 0 || label >= outputs) {
            throw new IllegalArgumentException("label " + label + " outside 0.." + (outputs - 1));
        }
        List<double[]> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < outputs; j++) {
            if (j != label) {
                double[] r = new double[outputs];
                r[label] = 1;
                r[j] = -1;
                rows.add(r);
                names.add("y" + label + "-y" + j);
            }
        }
        return new Spec(rows.toArray(new double[0][]), names.toArray(new String[0]), "margin:" + label);
    }

    /** Arbitrary rows, e.g. a VNNLIB output constraint. */
    public static Spec rows(double[][] c, String kind) {
        String[] names = new String[c.length];
        for (int i = 0; i < c.length; i++) {
            names[i] = "row" + i;
        }
        return new Spec(c, names, kind);
    }

    public int rows() {
        return c.length;
    }

    public int outputs() {
        return c[0].length;
    }

    public double get(int row, int output) {
        return c[row][output];
    }

    public double[] row(int r) {
        return c[r].clone();
    }

    public String name(int r) {
        return names[r];
    }

    public String kind() {
        return kind;
    }

    /** {@code C·y}. */
    public double[] apply(double[] y) {
        double[] out = new double[c.length];
        for (int r = 0; r < c.length; r++) {
            double s = 0;
            for (int j = 0; j < y.length; j++) {
                s += c[r][j] * y[j];
            }
            out[r] = s;
        }
        return out;
    }
}
