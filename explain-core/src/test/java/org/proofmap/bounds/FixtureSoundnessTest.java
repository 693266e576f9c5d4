package org.proofmap.bounds;

import static org.proofmap.testing.OnnxModels.attr;
import static org.proofmap.testing.OnnxModels.gaussian;
import static org.proofmap.testing.OnnxModels.ints;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * Soundness of all four bound methods on small networks built in test code, so that a fresh clone
 * without {@code ../shared} still checks the bound engine end to end: the same
 * {@link SoundnessChecker} procedure as {@link SoundnessTest} (10,000 points per box: corners, uniform
 * samples, gradient-guided search; identity spec and a random 3-row spec; values and linear bounds).
 *
 * <p>Networks (random weights, fixed seeds), each on three random L-inf boxes of radius 0.02, 0.2
 * and 1.0:
 *
 * <ul>
 *   <li>{@code mlp-relu}: Gemm/Relu MLP 6-16-16-4 ({@link OnnxModels#mlp});
 *   <li>{@code mlp-tanh-sigmoid}: Gemm-Tanh-Gemm-Sigmoid-Gemm, 5-12-12-4;
 *   <li>{@code conv}: Conv(pad 1)-Relu-MaxPool-Conv(pad 1)-Relu-AveragePool-Flatten-Gemm on 1x1x8x8;
 *   <li>{@code residual}: Gemm-Relu, then two dynamic branches (Gemm-Relu and Gemm-LeakyRelu) added
 *       together with the skip connection, then Gemm;
 *   <li>{@code batchnorm}: Conv-BatchNormalization-LeakyRelu-Flatten-Gemm on 1x2x4x4;
 *   <li>{@code concat-transpose}: Reshape-Transpose-Reshape-Gemm-Relu in one branch, Gemm-Tanh in the
 *       other, Concat, Gemm;
 *   <li>{@code misc-ops}: grouped strided Conv, Mul and Sub (constant minus data) with broadcast
 *       constants, Relu, padded MaxPool, AveragePool with ceil_mode, Slice, Gather, Flatten, MatMul,
 *       Add, Neg, Div by a constant.
 * </ul>
 *
 * <p>Each box also checks that alpha-CROWN is nowhere looser than CROWN, and for the pure ReLU MLP
 * that CROWN is nowhere looser than IBP.
 */
class FixtureSoundnessTest {
    record Net(String name, Graph graph, boolean relu) {}

    static List<Net> nets() {
        List<Net> nets = new ArrayList<>();
        nets.add(new Net("mlp-relu", OnnxLoader.load(OnnxModels.mlp(11, 6, 16, 16, 4).bytes(), "mlp-relu"), true));
        nets.add(new Net("mlp-tanh-sigmoid", load(mlpSigmoidal(12), "mlp-tanh-sigmoid"), false));
        nets.add(new Net("conv", load(conv(13), "conv"), false));
        nets.add(new Net("residual", load(residual(14), "residual"), false));
        nets.add(new Net("batchnorm", load(batchNorm(15), "batchnorm"), false));
        nets.add(new Net("concat-transpose", load(concatTranspose(16), "concat-transpose"), false));
        nets.add(new Net("misc-ops", load(miscOps(17), "misc-ops"), false));
        return nets;
    }

    static Graph load(OnnxModels m, String name) {
        return OnnxLoader.load(m.bytes(), name);
    }

    /** Gemm layer {@code in -> out} (transB=1) named after {@code prefix}. */
    static OnnxModels gemm(OnnxModels m, Random rng, String prefix, String x, String y, int in, int out) {
        return m.initializer(prefix + "_W", gaussian(rng, in * out, Math.sqrt(2.0 / in)), out, in)
                .initializer(prefix + "_b", gaussian(rng, out, 0.1), out)
                .node("Gemm", List.of(x, prefix + "_W", prefix + "_b"), y, attr("transB", 1L));
    }

    static OnnxModels conv(OnnxModels m, Random rng, String prefix, String x, String y, int cin, int cout, int k,
            int pad) {
        return m.initializer(prefix + "_W", gaussian(rng, cout * cin * k * k, Math.sqrt(2.0 / (cin * k * k))), cout,
                cin, k, k)
                .initializer(prefix + "_b", gaussian(rng, cout, 0.1), cout)
                .node("Conv", List.of(x, prefix + "_W", prefix + "_b"), y, ints("kernel_shape", k, k),
                        ints("pads", pad, pad, pad, pad));
    }

    static OnnxModels mlpSigmoidal(long seed) {
        Random rng = new Random(seed);
        OnnxModels m = OnnxModels.builder(13).input("input", 1, 5);
        gemm(m, rng, "l0", "input", "z0", 5, 12);
        m.node("Tanh", List.of("z0"), "h0");
        gemm(m, rng, "l1", "h0", "z1", 12, 12);
        m.node("Sigmoid", List.of("z1"), "h1");
        gemm(m, rng, "l2", "h1", "output", 12, 4);
        return m.output("output", 1, 4);
    }

    static OnnxModels conv(long seed) {
        Random rng = new Random(seed);
        OnnxModels m = OnnxModels.builder(13).input("input", 1, 1, 8, 8);
        conv(m, rng, "c0", "input", "a0", 1, 4, 3, 1); // 4x8x8
        m.node("Relu", List.of("a0"), "r0");
        m.node("MaxPool", List.of("r0"), "p0", ints("kernel_shape", 2, 2), ints("strides", 2, 2)); // 4x4x4
        conv(m, rng, "c1", "p0", "a1", 4, 6, 3, 1); // 6x4x4
        m.node("Relu", List.of("a1"), "r1");
        m.node("AveragePool", List.of("r1"), "p1", ints("kernel_shape", 2, 2), ints("strides", 2, 2)); // 6x2x2
        m.node("Flatten", List.of("p1"), "f", attr("axis", 1L));
        gemm(m, rng, "fc", "f", "output", 24, 5);
        return m.output("output", 1, 5);
    }

    static OnnxModels residual(long seed) {
        Random rng = new Random(seed);
        OnnxModels m = OnnxModels.builder(13).input("input", 1, 6);
        gemm(m, rng, "l0", "input", "z0", 6, 10);
        m.node("Relu", List.of("z0"), "h");
        gemm(m, rng, "a", "h", "za", 10, 10);
        m.node("Relu", List.of("za"), "ra");
        gemm(m, rng, "b", "h", "zb", 10, 10);
        m.node("LeakyRelu", List.of("zb"), "rb", attr("alpha", 0.1));
        m.node("Add", List.of("ra", "rb"), "s0");
        m.node("Add", List.of("s0", "h"), "s1");
        gemm(m, rng, "out", "s1", "output", 10, 3);
        return m.output("output", 1, 3);
    }

    static OnnxModels batchNorm(long seed) {
        Random rng = new Random(seed);
        OnnxModels m = OnnxModels.builder(13).input("input", 1, 2, 4, 4);
        conv(m, rng, "c0", "input", "a0", 2, 3, 3, 0); // 3x2x2
        double[] var = new double[3];
        double[] gamma = new double[3];
        for (int i = 0; i < 3; i++) {
            var[i] = 0.2 + rng.nextDouble();
            gamma[i] = (rng.nextBoolean() ? 1 : -1) * (0.5 + rng.nextDouble()); // a negative scale flips bounds
        }
        m.initializer("bn_scale", gamma, 3).initializer("bn_bias", gaussian(rng, 3, 0.3), 3)
                .initializer("bn_mean", gaussian(rng, 3, 0.3), 3).initializer("bn_var", var, 3)
                .node("BatchNormalization", List.of("a0", "bn_scale", "bn_bias", "bn_mean", "bn_var"), "n0",
                        attr("epsilon", 1e-5));
        m.node("LeakyRelu", List.of("n0"), "r0", attr("alpha", 0.05));
        m.node("Flatten", List.of("r0"), "f", attr("axis", 1L));
        gemm(m, rng, "fc", "f", "output", 12, 4);
        return m.output("output", 1, 4);
    }

    static OnnxModels concatTranspose(long seed) {
        Random rng = new Random(seed);
        OnnxModels m = OnnxModels.builder(13).input("input", 1, 12);
        m.ints("shape3", new long[] {1, 3, 4}, 3).ints("shape2", new long[] {1, 12}, 2);
        m.node("Reshape", List.of("input", "shape3"), "x3");
        m.node("Transpose", List.of("x3"), "t", ints("perm", 0, 2, 1)); // 1x4x3
        m.node("Reshape", List.of("t", "shape2"), "x2");
        gemm(m, rng, "a", "x2", "za", 12, 8);
        m.node("Relu", List.of("za"), "ra");
        gemm(m, rng, "b", "input", "zb", 12, 6);
        m.node("Tanh", List.of("zb"), "tb");
        m.node("Concat", List.of("ra", "tb"), "c", attr("axis", 1L)); // 1x14
        gemm(m, rng, "out", "c", "output", 14, 3);
        return m.output("output", 1, 3);
    }

    static OnnxModels miscOps(long seed) {
        Random rng = new Random(seed);
        OnnxModels m = OnnxModels.builder(13).input("input", 1, 2, 6, 6);
        m.initializer("cW", gaussian(rng, 4 * 9, Math.sqrt(2.0 / 9)), 4, 1, 3, 3)
                .initializer("cB", gaussian(rng, 4, 0.1), 4)
                .node("Conv", List.of("input", "cW", "cB"), "c", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                        ints("pads", 1, 1, 1, 1), attr("group", 2L)); // 1x4x3x3
        double[] k = gaussian(rng, 4, 1.0);
        m.initializer("k", k, 1, 4, 1, 1).node("Mul", List.of("c", "k"), "mc");
        m.initializer("s", gaussian(rng, 4, 0.2), 1, 4, 1, 1).node("Sub", List.of("s", "mc"), "d");
        m.node("Relu", List.of("d"), "r");
        m.node("MaxPool", List.of("r"), "mp", ints("kernel_shape", 2, 2), ints("pads", 1, 1, 1, 1)); // 1x4x4x4
        m.node("AveragePool", List.of("mp"), "ap", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                attr("ceil_mode", 1L)); // 1x4x2x2
        m.ints("starts", new long[] {1}, 1).ints("ends", new long[] {4}, 1).ints("axes", new long[] {1}, 1)
                .node("Slice", List.of("ap", "starts", "ends", "axes"), "sl"); // 1x3x2x2
        m.ints("idx", new long[] {2, 0}, 2).node("Gather", List.of("sl", "idx"), "ga", attr("axis", 1L)); // 1x2x2x2
        m.node("Flatten", List.of("ga"), "f", attr("axis", 1L));
        m.initializer("mW", gaussian(rng, 8 * 5, Math.sqrt(2.0 / 8)), 8, 5).node("MatMul", List.of("f", "mW"), "mm");
        m.initializer("mB", gaussian(rng, 5, 0.1), 5).node("Add", List.of("mm", "mB"), "mb");
        m.node("Neg", List.of("mb"), "ng");
        m.initializer("two", new double[] {2.0}).node("Div", List.of("ng", "two"), "output");
        return m.output("output", 1, 5);
    }

    static List<SoundnessTest.Case> cases() {
        List<SoundnessTest.Case> cases = new ArrayList<>();
        long seed = 100;
        for (Net net : nets()) {
            Graph g = net.graph();
            for (double eps : new double[] {0.02, 0.2, 1.0}) {
                Random rng = new Random(seed++);
                double[] centre = new double[g.inputSize()];
                for (int i = 0; i < centre.length; i++) {
                    centre[i] = 2 * rng.nextDouble() - 1;
                }
                double[][] rows = new double[3][];
                for (int r = 0; r < 3; r++) {
                    rows[r] = gaussian(rng, g.outputSize(), 1.0);
                }
                cases.add(new SoundnessTest.Case("fixture", net.name() + " eps" + eps, g, new LinfBall(centre, eps),
                        List.of(Spec.identity(g.outputSize()), Spec.rows(rows, "random")), net.relu(), seed));
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicNode> fixtureNets() {
        return SoundnessTest.containers(cases());
    }
}
