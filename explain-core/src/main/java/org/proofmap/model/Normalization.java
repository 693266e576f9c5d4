package org.proofmap.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.proofmap.model.ops.Operator;
import org.proofmap.model.ops.OperatorContext;
import org.proofmap.model.ops.Operators;

/**
 * A per-channel normalisation {@code (x - mean) / std} placed in front of a model as two graph
 * layers, so that domains, attacks and explanations work in the data's own range (e.g. pixels in
 * [0,1]) while the model sees what it was trained on. The layers are ordinary affine operators:
 * every bound method handles them exactly.
 */
public final class Normalization {
    private Normalization() {}

    /**
     * The model preceded by the normalisation. {@code mean} and {@code std} have one value per
     * channel (dimension 1 of the input) or a single value for all.
     */
    public static Graph prepend(Graph g, double[] mean, double[] std) {
        Shape in = g.inputShape();
        int channels = in.rank() >= 2 ? in.dim(1) : in.dim(0);
        if (mean.length != std.length || (mean.length != 1 && mean.length != channels)) {
            throw new IllegalArgumentException("mean and std need 1 or " + channels + " values (one per channel), found "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("std values must be positive and finite, found " + s);
            }
        }
        Shape constShape;
        if (mean.length == 1) {
            constShape = Shape.scalar();
        } else {
            int[] d = new int[Math.max(1, in.rank() - 1)];
            java.util.Arrays.fill(d, 1);
            d[0] = channels;
            constShape = Shape.of(d);
        }
        Operator sub = Operators.create(new OperatorContext("Sub", 13, Attributes.none(),
                List.of(Value.dynamic("input", in), Value.constant("mean", new Tensor(constShape, mean.clone()))), false));
        Operator div = Operators.create(new OperatorContext("Div", 13, Attributes.none(),
                List.of(Value.dynamic("centred", in), Value.constant("std", new Tensor(constShape, std.clone()))), false));
        if (!sub.outputShape().equals(in) || !div.outputShape().equals(in)) {
            throw new IllegalArgumentException("normalisation constants of shape " + constShape
                    + " do not fit the input " + in);
        }
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node("normalise/sub", sub, new int[] {0}, 1));
        nodes.add(new Node("normalise/div", div, new int[] {1}, 2));
        for (Node n : g.nodes()) {
            int[] ins = n.inputs().clone();
            for (int i = 0; i < ins.length; i++) {
                ins[i] += 2;
            }
            nodes.add(new Node(n.name(), n.op(), ins, n.output() + 2));
        }
        Shape[] shapes = new Shape[g.valueCount() + 2];
        shapes[0] = in;
        shapes[1] = in;
        for (int v = 0; v < g.valueCount(); v++) {
            shapes[v + 2] = g.valueShape(v);
        }
        Map<String, String> meta = new java.util.LinkedHashMap<>(g.metadata());
        meta.put("normalisation", "mean=" + java.util.Arrays.toString(mean) + " std=" + java.util.Arrays.toString(std));
        return new Graph(g.source(), g.inputName(), g.outputName(), nodes, shapes, g.outputValue() + 2, meta);
    }
}
