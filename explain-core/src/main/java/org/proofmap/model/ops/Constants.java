package org.proofmap.model.ops;

import java.util.Arrays;
import org.proofmap.model.Shape;
import org.proofmap.model.Tensor;

/**
 * Operators whose output is known at load time: Constant, ConstantOfShape and Shape (the shape of a
 * tensor is resolved at load time, with the batch dimension fixed to 1). The loader folds them and
 * everything computed from them alone.
 */
public final class Constants implements Operator {
    private final String opType;
    private final Tensor value;

    private Constants(String opType, Tensor value) {
        this.opType = opType;
        this.value = value;
    }

    public static Constants create(OperatorContext ctx) {
        var at = ctx.attributes();
        return switch (ctx.opType()) {
            case "Constant" -> {
                Tensor t;
                if (at.has("value")) {
                    t = at.getTensor("value");
                } else if (at.has("value_float")) {
                    t = Tensor.scalar(at.getFloat("value_float", 0));
                } else if (at.has("value_int")) {
                    t = Tensor.scalar(at.getInt("value_int", 0));
                } else if (at.has("value_floats")) {
                    t = Tensor.vector(at.getFloats("value_floats"));
                } else if (at.has("value_ints")) {
                    t = Tensor.vector(Arrays.stream(at.getInts("value_ints")).asDoubleStream().toArray());
                } else {
                    throw ctx.fail("no value attribute (sparse and string constants are not supported)");
                }
                yield new Constants("Constant", t);
            }
            case "ConstantOfShape" -> {
                long[] dims = ctx.constant(0).toLongs();
                Tensor v = at.getTensor("value");
                double fill = v == null ? 0.0 : v.get(0);
                Shape s = Shape.of(dims);
                double[] d = new double[s.size()];
                Arrays.fill(d, fill);
                yield new Constants("ConstantOfShape", new Tensor(s, d));
            }
            case "Shape" -> {
                Shape x = ctx.shape(0);
                int r = x.rank();
                long start = at.getInt("start", 0);
                long end = at.getInt("end", r);
                int s = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
                int e = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
                double[] d = new double[Math.max(0, e - s)];
                for (int i = s; i < e; i++) {
                    d[i - s] = x.dim(i);
                }
                yield new Constants("Shape", Tensor.vector(d));
            }
            default -> throw ctx.fail("not a constant operator");
        };
    }

    @Override
    public String opType() {
        return opType;
    }

    @Override
    public Shape outputShape() {
        return value.shape();
    }

    @Override
    public Tensor constantOutput() {
        return value;
    }

    @Override
    public void forward(double[][] in, double[] out, int batch) {
        double[] d = value.data();
        for (int s = 0; s < batch; s++) {
            System.arraycopy(d, 0, out, s * d.length, d.length);
        }
    }

    @Override
    public void interval(double[][] lo, double[][] hi, double[] outLo, double[] outHi) {
        System.arraycopy(value.data(), 0, outLo, 0, value.size());
        System.arraycopy(value.data(), 0, outHi, 0, value.size());
    }

    @Override
    public void backward(BackwardStep st) {
        // A constant has no inputs; it is always folded before bound propagation.
    }
}
