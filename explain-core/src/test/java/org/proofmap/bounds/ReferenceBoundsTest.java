package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;

/**
 * Proofmap's bounds against auto_LiRPA's on every record of {@code models-ref/reference_bounds.json}
 * (plain L-inf boxes, identity spec, float64): IBP and CROWN within 1e-6 (absolute, or relative for
 * values above 1), and alpha-CROWN sound with a total width at most 1.01x auto_LiRPA's.
 */
class ReferenceBoundsTest {
    static final double TOL = 1e-6;

    record Ref(String model, int center, double eps, String method, double[] lower, double[] upper,
            double[] sampledMin, double[] sampledMax) {}

    static List<Ref> references() throws IOException {
        Path file = SharedData.resolve("models-ref/reference_bounds.json");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Ref> refs = new ArrayList<>();
        for (JsonNode n : root) {
            refs.add(new Ref(n.get("model").asText(), n.get("center_index").asInt(), n.get("eps").asDouble(),
                    n.get("method").asText(), doubles(n.get("lower")), doubles(n.get("upper")),
                    doubles(n.get("sampled_min")), doubles(n.get("sampled_max"))));
        }
        return refs;
    }

    static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asDouble();
        }
        return d;
    }

    static double[] center(String model, int index) throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.resolve("models-ref/centers.json").toFile());
        return doubles(root.get(model).get("centers").get(index));
    }

    private static final Map<String, Graph> GRAPHS = new HashMap<>();

    static Graph graph(String model) {
        return GRAPHS.computeIfAbsent(model, m -> OnnxLoader.load(SharedData.resolve("models-ref/" + m + ".onnx")));
    }

    static boolean close(double a, double b) {
        return Math.abs(a - b) <= TOL * Math.max(1.0, Math.abs(b));
    }

    @TestFactory
    Stream<DynamicTest> ibpAndCrownMatchAutoLirpa() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Ref ref : references()) {
            BoundMethod method = switch (ref.method()) {
                case "IBP" -> new Ibp();
                case "CROWN", "CROWN-pure" -> new Crown(false);
                default -> null;
            };
            if (method == null) {
                continue;
            }
            String name = ref.method() + " " + ref.model() + " c" + ref.center() + " eps" + ref.eps();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Graph g = graph(ref.model());
                Bounds b = method.compute(g, new LinfBall(center(ref.model(), ref.center()), ref.eps()),
                        Spec.identity(g.outputSize()));
                boolean tanh = ref.model().contains("tanh");
                if (tanh && !ref.method().equals("IBP")) {
                    // auto_LiRPA looks tanh tangent points up in a precomputed grid; Proofmap computes them
                    // exactly, so the bar is soundness plus total width within 1% of the reference.
                    double ours = b.totalWidth();
                    double theirs = width(ref);
                    assertTrue(ours <= 1.01 * theirs, name + ": width " + ours + " vs reference " + theirs);
                } else {
                    for (int i = 0; i < b.rows(); i++) {
                        assertTrue(close(b.lower(i), ref.lower()[i]),
                                name + " lower[" + i + "] " + b.lower(i) + " vs " + ref.lower()[i]);
                        assertTrue(close(b.upper(i), ref.upper()[i]),
                                name + " upper[" + i + "] " + b.upper(i) + " vs " + ref.upper()[i]);
                    }
                }
                assertSound(name, b, ref);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> alphaCrownIsSoundAndAsTightAsAutoLirpa() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Ref ref : references()) {
            if (!ref.method().equals("alpha-CROWN")) {
                continue;
            }
            String name = "alpha-CROWN " + ref.model() + " c" + ref.center() + " eps" + ref.eps();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Graph g = graph(ref.model());
                InputDomain box = new LinfBall(center(ref.model(), ref.center()), ref.eps());
                Bounds alpha = new AlphaCrown().compute(g, box, Spec.identity(g.outputSize()));
                Bounds crown = new Crown(false).compute(g, box, Spec.identity(g.outputSize()));
                assertSound(name, alpha, ref);
                // Up to rounding (1e-9 relative, as SoundnessTest): CROWN's final pass carries its
                // upper-bound rows as differences, alpha-CROWN's evaluations do not, so equal bounds
                // may differ in the last bits.
                for (int i = 0; i < alpha.rows(); i++) {
                    double tl = 1e-9 * (1 + Math.abs(crown.lower(i)));
                    double tu = 1e-9 * (1 + Math.abs(crown.upper(i)));
                    assertTrue(alpha.lower(i) >= crown.lower(i) - tl && alpha.upper(i) <= crown.upper(i) + tu,
                            name + ": looser than CROWN on row " + i);
                }
                double ours = alpha.totalWidth();
                double theirs = width(ref);
                System.out.printf("%s: width %.6f, auto_LiRPA %.6f, ratio %.4f, CROWN %.6f%n", name, ours, theirs,
                        ours / theirs, crown.totalWidth());
                assertTrue(ours <= 1.01 * theirs, name + ": width " + ours + " vs reference " + theirs);
            }));
        }
        return tests.stream();
    }

    static double width(Ref ref) {
        double w = 0;
        for (int i = 0; i < ref.lower().length; i++) {
            w += ref.upper()[i] - ref.lower()[i];
        }
        return w;
    }

    static void assertSound(String name, Bounds b, Ref ref) {
        for (int i = 0; i < b.rows(); i++) {
            assertTrue(b.lower(i) <= ref.sampledMin()[i] + 1e-9, name + ": lower[" + i + "] above a sampled output");
            assertTrue(b.upper(i) >= ref.sampledMax()[i] - 1e-9, name + ": upper[" + i + "] below a sampled output");
        }
    }
}
