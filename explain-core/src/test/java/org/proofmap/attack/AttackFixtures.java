package org.proofmap.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.proofmap.bounds.InputDomain;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.VnnlibParser;

/** Models, benchmark rows and witness checks shared by the attack tests. */
final class AttackFixtures {
    private AttackFixtures() {}

    /** A Gemm/ReLU classifier {@code sizes[0] -> ... -> sizes[k]} from {@link OnnxModels#mlp}. */
    static Graph mlp(long seed, int... sizes) {
        return OnnxLoader.load(OnnxModels.mlp(seed, sizes).bytes(), "mlp-" + seed);
    }

    /**
     * {@code y = W2·relu(W1·x + b1) + b2} with the given weights (row-major, {@code W1} is
     * {@code hidden × inputs}), for fixtures whose landscape a test must know exactly.
     */
    static Graph oneHidden(int inputs, double[] w1, double[] b1, double[] w2, double[] b2) {
        int hidden = b1.length;
        int outputs = b2.length;
        OnnxModels m = OnnxModels.builder(13).input("input", -1, inputs)
                .initializer("W0", w1, hidden, inputs).initializer("b0", b1, hidden)
                .initializer("W1", w2, outputs, hidden).initializer("b1", b2, outputs)
                .node("Gemm", List.of("input", "W0", "b0"), "z0", OnnxModels.attr("transB", 1L))
                .node("Relu", List.of("z0"), "h0")
                .node("Gemm", List.of("h0", "W1", "b1"), "output", OnnxModels.attr("transB", 1L))
                .output("output", -1, outputs);
        return OnnxLoader.load(m.bytes(), "one-hidden");
    }

    static double[] gaussian(Random rng, int n) {
        return OnnxModels.gaussian(rng, n, 1.0);
    }

    /** One row of a benchmark's {@code expected.csv}. */
    record Instance(String benchmark, String onnx, String vnnlib, String expected) {
        String name() {
            return benchmark + ":" + onnx.replace("onnx/", "") + ":" + vnnlib.replace("vnnlib/", "");
        }
    }

    /** The rows of {@code ../shared/benchmarks/<benchmark>/expected.csv} (skips the test when absent). */
    static List<Instance> expected(String benchmark) {
        Path csv = SharedData.resolve("benchmarks/" + benchmark + "/expected.csv");
        try {
            List<Instance> rows = new ArrayList<>();
            List<String> lines = Files.readAllLines(csv);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", 4);
                rows.add(new Instance(benchmark, f[0], f[1], f[2]));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<String, Graph> MODELS = new HashMap<>();
    private static final Map<String, Property> PROPERTIES = new HashMap<>();

    static synchronized Graph model(Instance in) {
        return MODELS.computeIfAbsent(in.benchmark() + "/" + in.onnx(),
                k -> OnnxLoader.load(SharedData.resolve("benchmarks/" + k)));
    }

    static synchronized Property property(Instance in) {
        return PROPERTIES.computeIfAbsent(in.benchmark() + "/" + in.vnnlib(),
                k -> VnnlibParser.parse(SharedData.resolve("benchmarks/" + k)));
    }

    /**
     * The checks every {@code FOUND} result must pass, made here again from scratch: the witness lies
     * in the domain, its output is what {@link Graph#forward} gives, the reported disjunct holds
     * exactly, and the objective is {@code <= 0}.
     */
    static void assertWitness(AttackResult r, Graph g, InputDomain domain, List<OutputConstraint> unsafe) {
        assertTrue(r.found(), r.toString());
        double[] x = r.input();
        assertTrue(domain.contains(x, 0.0), "witness outside the domain: " + r);
        double[] y = g.forward(x);
        assertArrayEquals(y, r.output(), 0.0, "outputs of the witness");
        assertTrue(r.disjunct() >= 0 && r.disjunct() < unsafe.size(), r.toString());
        assertTrue(unsafe.get(r.disjunct()).isViolatedBy(y, 0.0), "reported disjunct does not hold: " + r);
        assertTrue(r.objective() <= 0, r.toString());
        assertEquals(objective(unsafe, y), r.objective(), 1e-9, "objective at the witness");
    }

    /** {@code min_D max_r (C_r·y − d_r)}, written out independently of {@link Objective}. */
    static double objective(List<OutputConstraint> unsafe, double[] y) {
        double best = Double.POSITIVE_INFINITY;
        for (OutputConstraint oc : unsafe) {
            double worst = Double.NEGATIVE_INFINITY;
            double[][] c = oc.c();
            double[] d = oc.d();
            for (int r = 0; r < c.length; r++) {
                double s = 0;
                for (int j = 0; j < y.length; j++) {
                    s += c[r][j] * y[j];
                }
                worst = Math.max(worst, s - d[r]);
            }
            best = Math.min(best, worst);
        }
        return best;
    }
}
