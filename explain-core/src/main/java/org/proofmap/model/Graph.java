package org.proofmap.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable model: a DAG of {@link Node}s over values that depend on one model input, in
 * topological order, with every shape resolved and every constant folded into the operators. Value
 * 0 is the model input; the last node need not produce the output, {@link #outputValue()} says which
 * value is the output.
 *
 * <p>Shapes are those of one sample, with the batch dimension fixed to 1; a {@link ForwardPass}
 * evaluates many samples at once.
 */
public final class Graph {
    private final String source;
    private final String inputName;
    private final String outputName;
    private final List<Node> nodes;
    private final Shape[] valueShapes;
    private final int outputValue;
    private final Map<String, String> metadata;
    private final ThreadLocal<ForwardPass> scratch;

    /**
     * @param valueShapes shape of every value, indexed by value id (0 = the model input)
     * @param metadata free-form facts about the model's origin (producer, opset, folded nodes...)
     */
    public Graph(String source, String inputName, String outputName, List<Node> nodes, Shape[] valueShapes,
            int outputValue, Map<String, String> metadata) {
        this.source = source;
        this.inputName = inputName;
        this.outputName = outputName;
        this.nodes = List.copyOf(nodes);
        this.valueShapes = valueShapes.clone();
        this.outputValue = outputValue;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        boolean[] defined = new boolean[valueShapes.length];
        defined[0] = true;
        for (Node n : this.nodes) {
            for (int i : n.inputs()) {
                if (i < 0 || i >= valueShapes.length || !defined[i]) {
                    throw new IllegalArgumentException("node " + n.name() + " uses value " + i + " before it is defined");
                }
            }
            if (!n.outputShape().equals(valueShapes[n.output()])) {
                throw new IllegalArgumentException("node " + n.name() + " output shape mismatch");
            }
            defined[n.output()] = true;
        }
        if (!defined[outputValue]) {
            throw new IllegalArgumentException("output value " + outputValue + " is never computed");
        }
        this.scratch = ThreadLocal.withInitial(() -> new ForwardPass(this, 1));
    }

    /** Where the model came from (a file path, or a description). */
    public String source() {
        return source;
    }

    public String inputName() {
        return inputName;
    }

    public String outputName() {
        return outputName;
    }

    public Shape inputShape() {
        return valueShapes[0];
    }

    public Shape outputShape() {
        return valueShapes[outputValue];
    }

    /** Number of input features (pixels times channels), in flattened NCHW order. */
    public int inputSize() {
        return inputShape().size();
    }

    public int outputSize() {
        return outputShape().size();
    }

    public List<Node> nodes() {
        return nodes;
    }

    public int valueCount() {
        return valueShapes.length;
    }

    public Shape valueShape(int value) {
        return valueShapes[value];
    }

    public int outputValue() {
        return outputValue;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The part of this graph that computes value {@code value}: the nodes up to its producer, with
     * {@code value} as the output. Value ids stay those of this graph (so bounds indexed by value
     * carry over); nodes after the producer are dropped, whether or not they feed it.
     *
     * @throws IllegalArgumentException when {@code value} is the model input or is never computed
     */
    public Graph prefix(int value) {
        for (int k = 0; k < nodes.size(); k++) {
            if (nodes.get(k).output() == value) {
                if (k == nodes.size() - 1 && value == outputValue) {
                    return this;
                }
                return new Graph(source + " (up to value " + value + ")", inputName, "value_" + value,
                        nodes.subList(0, k + 1), valueShapes, value, metadata);
            }
        }
        throw new IllegalArgumentException("value " + value + " is not computed by a node");
    }

    /** Trainable parameters held by the operators (weights, biases, normalisation statistics). */
    public long parameterCount() {
        long n = 0;
        for (Node node : nodes) {
            n += node.op().parameterCount();
        }
        return n;
    }

    /** Number of nodes per operator type, in order of first appearance. */
    public Map<String, Integer> operatorCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Node node : nodes) {
            m.merge(node.opType(), 1, Integer::sum);
        }
        return m;
    }

    /**
     * Evaluates one input (flattened NCHW, {@link #inputSize()} values) and returns a new array with
     * the output. For many inputs, use a {@link ForwardPass} and batches.
     */
    public double[] forward(double[] input) {
        checkInputLength(input.length);
        double[] out = scratch.get().run(input, 1);
        return Arrays.copyOf(out, outputSize());
    }

    /** Throws {@link IllegalArgumentException} with a user-facing message when the length is wrong. */
    public void checkInputLength(int length) {
        if (length != inputSize()) {
            throw new IllegalArgumentException("the model takes " + inputSize() + " input values (shape "
                    + inputShape() + "), found " + length);
        }
    }

    /** Index of the largest value (the first on ties). */
    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A readable one-line-per-node description. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Node n : nodes) {
            lines.add(n.opType() + " " + n.name() + " -> " + n.outputShape());
        }
        return lines;
    }
}
