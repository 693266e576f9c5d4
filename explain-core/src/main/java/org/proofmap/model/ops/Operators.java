package org.proofmap.model.ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The registry of supported operator types (default ONNX domain) and the family that builds each. */
public final class Operators {
    private static final Map<String, Function<OperatorContext, Operator>> FAMILIES = new TreeMap<>();

    static {
        register(Linear::create, "Gemm", "MatMul");
        register(Arithmetic::create, "Add", "Sub", "Mul", "Div", "Neg");
        register(Activation::create, "Relu", "LeakyRelu");
        register(Sigmoidal::create, "Sigmoid", "Tanh");
        register(Conv::create, "Conv");
        register(Pooling::create, "AveragePool", "GlobalAveragePool", "MaxPool");
        register(BatchNorm::create, "BatchNormalization");
        register(Reshape::create, "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout", "Cast");
        register(Selection::create, "Transpose", "Gather", "Slice");
        register(Concat::create, "Concat");
        register(Softmax::create, "Softmax");
        register(Constants::create, "Constant", "ConstantOfShape", "Shape");
    }

    private Operators() {}

    private static void register(Function<OperatorContext, Operator> family, String... types) {
        for (String t : types) {
            FAMILIES.put(t, family);
        }
    }

    public static boolean isSupported(String opType) {
        return FAMILIES.containsKey(opType);
    }

    /** Supported operator types, sorted. */
    public static java.util.Set<String> supported() {
        return java.util.Collections.unmodifiableSet(FAMILIES.keySet());
    }

    /** Builds the operator for {@code ctx}; the caller has checked {@link #isSupported}. */
    public static Operator create(OperatorContext ctx) {
        Function<OperatorContext, Operator> f = FAMILIES.get(ctx.opType());
        if (f == null) {
            throw ctx.fail("unsupported operator '" + ctx.opType() + "'");
        }
        return f.apply(ctx);
    }
}
