package org.proofmap.model;

/**
 * Evaluates a {@link Graph} on batches of inputs with buffers allocated once: a pass owns one buffer
 * per value, sized for {@code capacity} samples, and reuses them across calls. Reshaping nodes share
 * their input's buffer. A pass is not thread-safe: use one per thread.
 */
public final class ForwardPass {
    private final Graph graph;
    private final int capacity;
    /** Storage slot of every value; reshapes point at their input's slot. Slot 0 is the caller's input. */
    private final int[] slot;
    private final double[][] storage;
    /** Per node, the array of its input buffers, refreshed only for slot 0 at each run. */
    private final double[][][] nodeInputs;
    private final boolean[][] inputIsModelInput;
    private double[] lastInput;

    public ForwardPass(Graph graph, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.graph = graph;
        this.capacity = capacity;
        int values = graph.valueCount();
        slot = new int[values];
        storage = new double[values][];
        var nodes = graph.nodes();
        for (Node n : nodes) {
            if (n.op().isLayoutPreserving() && n.inputs().length == 1) {
                slot[n.output()] = slot[n.inputs()[0]];
            } else {
                slot[n.output()] = n.output();
                storage[n.output()] = new double[capacity * graph.valueShape(n.output()).size()];
            }
        }
        nodeInputs = new double[nodes.size()][][];
        inputIsModelInput = new boolean[nodes.size()][];
        for (int k = 0; k < nodes.size(); k++) {
            int[] in = nodes.get(k).inputs();
            nodeInputs[k] = new double[in.length][];
            inputIsModelInput[k] = new boolean[in.length];
            for (int j = 0; j < in.length; j++) {
                inputIsModelInput[k][j] = slot[in[j]] == 0;
                nodeInputs[k][j] = storage[slot[in[j]]];
            }
        }
    }

    public Graph graph() {
        return graph;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Runs {@code batch} samples stored one after another in {@code input} and returns the output
     * buffer: sample {@code s} occupies {@code [s*outputSize, (s+1)*outputSize)}. The buffer is owned
     * by this pass and overwritten by the next run.
     */
    public double[] run(double[] input, int batch) {
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + capacity);
        }
        if (input.length < batch * graph.inputSize()) {
            throw new IllegalArgumentException("input holds " + input.length + " values, batch needs "
                    + batch * graph.inputSize());
        }
        storage[0] = input;
        var nodes = graph.nodes();
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            double[][] in = nodeInputs[k];
            boolean[] fromInput = inputIsModelInput[k];
            for (int j = 0; j < in.length; j++) {
                if (fromInput[j]) {
                    in[j] = input;
                }
            }
            double[] out = storage[slot[n.output()]];
            if (out == input && !n.op().isLayoutPreserving()) {
                throw new IllegalStateException("node would overwrite the caller's input");
            }
            if (!n.op().isLayoutPreserving()) {
                n.op().forward(in, out, batch);
            }
        }
        double[] result = storage[slot[graph.outputValue()]];
        lastInput = input;
        storage[0] = null; // do not keep the caller's array alive
        return result;
    }

    /**
     * The buffer of an intermediate value after the last {@link #run} (same layout as the output).
     * Valid until the next run.
     */
    public double[] valueBuffer(int value) {
        return slot[value] == 0 ? lastInput : storage[slot[value]];
    }
}
