package org.proofmap.explain;

import java.util.Arrays;
import java.util.BitSet;
import org.proofmap.model.Graph;

/**
 * What is to be explained: a model, an input, the label the model predicts for it, the radius
 * {@code eps} by which a free feature may move, and the data range that clips every move. Immutable.
 */
public final class ExplanationProblem {
    private final Graph graph;
    private final double[] input;
    private final double[] output;
    private final int label;
    private final double eps;
    private final double rangeLo;
    private final double rangeHi;

    /**
     * @throws IllegalArgumentException when the input does not fit the model, eps is not a positive
     *     finite number or the range is empty
     */
    public ExplanationProblem(Graph graph, double[] input, double eps, double rangeLo, double rangeHi) {
        graph.checkInputLength(input.length);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number, found " + eps);
        }
        if (!(rangeLo < rangeHi)) {
            throw new IllegalArgumentException("the data range [" + rangeLo + ", " + rangeHi + "] is empty");
        }
        for (int i = 0; i < input.length; i++) {
            if (!Double.isFinite(input[i])) {
                throw new IllegalArgumentException("input feature " + i + " is " + input[i]);
            }
        }
        this.graph = graph;
        this.input = input.clone();
        this.eps = eps;
        this.rangeLo = rangeLo;
        this.rangeHi = rangeHi;
        this.output = graph.forward(this.input);
        for (double v : output) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the model's output at the input is not finite: "
                        + Arrays.toString(output));
            }
        }
        this.label = Graph.argmax(output);
    }

    public Graph graph() {
        return graph;
    }

    /** The input (a copy). */
    public double[] input() {
        return input.clone();
    }

    double[] inputView() {
        return input;
    }

    /** The model's output at the input (a copy). */
    public double[] output() {
        return output.clone();
    }

    /** The predicted label, {@code argmax} of the output (lowest index on ties). */
    public int label() {
        return label;
    }

    public double eps() {
        return eps;
    }

    public double rangeLo() {
        return rangeLo;
    }

    public double rangeHi() {
        return rangeHi;
    }

    /** Number of input features. */
    public int features() {
        return input.length;
    }

    /** Number of model outputs (classes). */
    public int classes() {
        return output.length;
    }

    /** The query "is {@code free} irrelevant?". */
    public FeatureQuery query(BitSet free) {
        return new FeatureQuery(this, free);
    }

    /** The query over the whole eps-ball (every feature free). */
    public FeatureQuery fullBall() {
        BitSet all = new BitSet(input.length);
        all.set(0, input.length);
        return query(all);
    }

    /**
     * The smallest margin {@code y_label − y_j} over {@code j != label} at output {@code y}:
     * positive exactly when {@code y} keeps the label strictly.
     */
    public double minMargin(double[] y) {
        double m = Double.POSITIVE_INFINITY;
        for (int j = 0; j < y.length; j++) {
            if (j != label) {
                m = Math.min(m, y[label] - y[j]);
            }
        }
        return Double.isNaN(y[label]) ? Double.NEGATIVE_INFINITY : m;
    }
}
