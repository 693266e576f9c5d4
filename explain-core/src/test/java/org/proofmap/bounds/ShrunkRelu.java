package org.proofmap.bounds;

import java.util.ArrayList;
import java.util.List;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.Shape;
import org.proofmap.model.ops.Activation;
import org.proofmap.model.ops.ElementwiseNonlinear;
import org.proofmap.model.ops.Operator;

/**
 * Test-only mutant of a ReLU: it computes exactly what the real {@link Activation} computes, but its
 * relaxation of an unstable element ({@code l < 0 < u}) is too tight by a factor, so bounds built
 * from it are unsound. {@link MutationTest} uses it to show that {@link SoundnessChecker} notices.
 *
 * <ul>
 *   <li>{@link Kind#UPPER}: the upper line (the chord) times {@code 1 - shrink}, slope and intercept;
 *   <li>{@link Kind#LOWER}: the lower line {@code αx} times {@code 1 + shrink} (a change only where
 *       {@code α > 0}, which CROWN's adaptive choice makes 1 when {@code u > -l}).
 * </ul>
 *
 * With {@code shrink = 0} it is a faithful decorator: the control that runs the same code path.
 */
final class ShrunkRelu implements ElementwiseNonlinear {
    enum Kind { UPPER, LOWER }

    private final Activation real;
    private final Kind kind;
    private final double shrink;

    ShrunkRelu(Activation real, Kind kind, double shrink) {
        this.real = real;
        this.kind = kind;
        this.shrink = shrink;
    }

    /** A copy of {@code g} whose Relu nodes are replaced by this mutant. */
    static Graph mutate(Graph g, Kind kind, double shrink) {
        List<Node> nodes = new ArrayList<>();
        int replaced = 0;
        for (Node n : g.nodes()) {
            Operator op = n.op();
            if (op instanceof Activation a && a.opType().equals("Relu")) {
                op = new ShrunkRelu(a, kind, shrink);
                replaced++;
            }
            nodes.add(new Node(n.name(), op, n.inputs(), n.output()));
        }
        if (replaced == 0) {
            throw new IllegalArgumentException("no Relu node in " + g.source());
        }
        Shape[] shapes = new Shape[g.valueCount()];
        for (int v = 0; v < shapes.length; v++) {
            shapes[v] = g.valueShape(v);
        }
        return new Graph(g.source() + " [" + kind + " x" + shrink + "]", g.inputName(), g.outputName(), nodes, shapes,
                g.outputValue(), g.metadata());
    }

    private static boolean unstable(double l, double u) {
        return l < 0 && u > 0;
    }

    @Override
    public String opType() {
        return real.opType();
    }

    @Override
    public Shape outputShape() {
        return real.outputShape();
    }

    @Override
    public void forward(double[][] in, double[] out, int batch) {
        real.forward(in, out, batch);
    }

    @Override
    public double apply(double x) {
        return real.apply(x);
    }

    @Override
    public double derivative(double x) {
        return real.derivative(x);
    }

    @Override
    public void relax(double[] l, double[] u, double[] lo, double[] loB, double[] up, double[] upB) {
        double[] line = new double[4];
        for (int i = 0; i < l.length; i++) {
            lowerLine(l[i], u[i], defaultParameter(l[i], u[i]), line);
            lo[i] = line[0];
            loB[i] = line[1];
            upperLine(l[i], u[i], defaultUpperParameter(l[i], u[i]), line);
            up[i] = line[0];
            upB[i] = line[1];
        }
    }

    @Override
    public boolean isOptimisable(double l, double u) {
        return real.isOptimisable(l, u);
    }

    @Override
    public double[] parameterRange(double l, double u) {
        return real.parameterRange(l, u);
    }

    @Override
    public double defaultParameter(double l, double u) {
        return real.defaultParameter(l, u);
    }

    @Override
    public void lowerLine(double l, double u, double p, double[] out) {
        real.lowerLine(l, u, p, out);
        if (kind == Kind.LOWER && unstable(l, u)) {
            scale(out, 1 + shrink);
        }
    }

    @Override
    public void upperLine(double l, double u, double p, double[] out) {
        real.upperLine(l, u, p, out);
        if (kind == Kind.UPPER && unstable(l, u)) {
            scale(out, 1 - shrink);
        }
    }

    private static void scale(double[] line, double f) {
        for (int k = 0; k < 4; k++) {
            line[k] *= f;
        }
    }

    @Override
    public double[] upperParameterRange(double l, double u) {
        return real.upperParameterRange(l, u);
    }

    @Override
    public double defaultUpperParameter(double l, double u) {
        return real.defaultUpperParameter(l, u);
    }
}
