package org.proofmap.model;

import org.proofmap.model.ops.Operator;

/**
 * One computation step of a {@link Graph}: an operator applied to values that depend on the model
 * input. {@code inputs} are value ids (0 is the model input), in the order the operator expects its
 * dynamic inputs; {@code output} is the id of the value it produces.
 */
public record Node(String name, Operator op, int[] inputs, int output) {
    public String opType() {
        return op.opType();
    }

    public Shape outputShape() {
        return op.outputShape();
    }
}
