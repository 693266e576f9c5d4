package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;
import org.proofmap.vnnlib.VnnlibParser;

/**
 * Soundness of every bound method on the shared models: no point that {@link SoundnessChecker} finds
 * in a box (10,000 per box: all corners of a box of at most 10 inputs or 200 random ones, uniform
 * samples, and a gradient-guided search that pushes every spec row towards each of its bounds; see
 * the checker for the details) has a spec row outside the bounds, or outside the method's linear
 * bounds.
 *
 * <p>Cases (each a {@link DynamicContainer} named by group, model and box, with one test per method):
 *
 * <ul>
 *   <li>{@code models-ref}: every model and centre of {@code centers.json}, plain L-inf boxes of eps
 *       0.01 and 0.05 (5-input models) or 0.005 and 0.02 (784-input ones); identity spec and the margin
 *       spec of the label predicted at the centre;
 *   <li>{@code acasxu}: properties 1-4 on nets 1_1, 2_3, 3_5, 4_7 and 5_9, properties 5-10 on the net
 *       {@code instances.csv} pairs them with; one case per input box of the property; specs: the rows
 *       of the property's output constraints, and identity;
 *   <li>{@code mnist_fc}: the three nets at eps 0.02 (clipped to [0, 1]) around MNIST test images 0-2;
 *       identity spec;
 *   <li>{@code subset}: a {@link FeatureSubsetBox} of 100 random free pixels, eps 0.1, on
 *       mnist-net_256x2.
 * </ul>
 *
 * <p>Each case also checks ordering on the identity spec: alpha-CROWN is never looser than CROWN on
 * any row (it starts from CROWN's lines and keeps each row's best), and for the ReLU networks CROWN is
 * never looser than IBP on any row (not a theorem, but it holds on every one of these cases).
 *
 * <p>All cases run every sound method, the alpha-CROWNs included: alpha-crown costs 0.1-0.4 s per
 * box on the mnist_fc nets and alpha-crown-full (intermediate bounds optimised too) up to a few
 * seconds, so no case needed to be dropped for them. Timings are printed per case.
 */
class SoundnessTest {
    static final List<String> METHODS = BoundMethods.SOUND;
    private static final Map<String, Graph> GRAPHS = new ConcurrentHashMap<>();

    /** One box with its specs. */
    record Case(String group, String name, Graph graph, InputDomain domain, List<Spec> specs, boolean relu,
            long seed) {}

    static Graph graph(String relative) {
        return GRAPHS.computeIfAbsent(relative, r -> OnnxLoader.load(SharedData.resolve(r)));
    }

    // ----- the cases

    static List<Case> modelsRefCases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.resolve("models-ref/centers.json").toFile());
        List<Case> cases = new ArrayList<>();
        for (String model : List.of("mlp_5_50_50_5", "mlp_tanh_5_50_50_5", "mlp_784_100_100_10", "cnn_small")) {
            Graph g = graph("models-ref/" + model + ".onnx");
            JsonNode centres = root.get(model).get("centers");
            double[] epsList = g.inputSize() == 5 ? new double[] {0.01, 0.05} : new double[] {0.005, 0.02};
            for (int c = 0; c < centres.size(); c++) {
                double[] centre = doubles(centres.get(c));
                int label = Graph.argmax(g.forward(centre));
                for (double eps : epsList) {
                    cases.add(new Case("models-ref", model + " c" + c + " eps" + eps, g, new LinfBall(centre, eps),
                            List.of(Spec.identity(g.outputSize()), Spec.margins(label, g.outputSize())),
                            !model.contains("tanh"), 1000L * c + Math.round(eps * 1e4) + model.hashCode()));
                }
            }
        }
        return cases;
    }

    static List<Case> acasCases() throws IOException {
        Map<Integer, List<String>> nets = new LinkedHashMap<>();
        for (int p = 1; p <= 4; p++) {
            nets.put(p, List.of("1_1", "2_3", "3_5", "4_7", "5_9"));
        }
        for (String line : Files.readAllLines(SharedData.resolve("benchmarks/acasxu/instances.csv"))) {
            String[] f = line.trim().split(",");
            if (f.length < 2) {
                continue;
            }
            int p = Integer.parseInt(f[1].replaceAll(".*prop_(\\d+)\\.vnnlib", "$1"));
            if (p >= 5) {
                nets.put(p, List.of(f[0].replaceAll(".*run2a_(\\d_\\d)_batch.*", "$1")));
            }
        }
        List<Case> cases = new ArrayList<>();
        for (var e : nets.entrySet()) {
            int p = e.getKey();
            Property prop = VnnlibParser.parse(SharedData.resolve("benchmarks/acasxu/vnnlib/prop_" + p + ".vnnlib"));
            for (String net : e.getValue()) {
                Graph g = graph("benchmarks/acasxu/onnx/ACASXU_run2a_" + net + "_batch_2000.onnx");
                for (int k = 0; k < prop.cases().size(); k++) {
                    PropertyCase pc = prop.cases().get(k);
                    List<double[]> rows = new ArrayList<>();
                    for (OutputConstraint oc : pc.disjuncts()) {
                        for (double[] row : oc.c()) {
                            if (rows.stream().noneMatch(r -> java.util.Arrays.equals(r, row))) {
                                rows.add(row);
                            }
                        }
                    }
                    List<Spec> specs = new ArrayList<>();
                    if (!rows.isEmpty()) {
                        specs.add(Spec.rows(rows.toArray(new double[0][]), "prop_" + p));
                    }
                    specs.add(Spec.identity(g.outputSize()));
                    cases.add(new Case("acasxu", "prop_" + p + " net " + net + " box " + k, g,
                            new Box(pc.inputLower(), pc.inputUpper(), "vnnlib prop_" + p + " box " + k), specs, true,
                            31L * p + net.hashCode() + k));
                }
            }
        }
        return cases;
    }

    static double[][] mnistImages(int count) throws IOException {
        List<String> lines = Files.readAllLines(SharedData.resolve("datasets/mnist_test_100.csv"));
        double[][] images = new double[count][784];
        for (int k = 0; k < count; k++) {
            String[] f = lines.get(k).split(",");
            for (int i = 0; i < 784; i++) {
                images[k][i] = Math.min(1, Math.max(0, Double.parseDouble(f[i + 1].trim()) / 255.0));
            }
        }
        return images;
    }

    static List<Case> mnistCases() throws IOException {
        double[][] images = mnistImages(3);
        List<Case> cases = new ArrayList<>();
        for (String net : List.of("256x2", "256x4", "256x6")) {
            Graph g = graph("benchmarks/mnist_fc/onnx/mnist-net_" + net + ".onnx");
            for (int k = 0; k < images.length; k++) {
                cases.add(new Case("mnist_fc", "mnist-net_" + net + " image " + k + " eps0.02", g,
                        new LinfBall(images[k], 0.02, 0, 1), List.of(Spec.identity(g.outputSize())), true,
                        7919L * k + net.hashCode()));
            }
        }
        Graph g = graph("benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx");
        double[] image = images[0];
        BitSet free = new BitSet(784);
        Random rng = new Random(4242);
        while (free.cardinality() < 100) {
            free.set(rng.nextInt(784));
        }
        int label = Graph.argmax(g.forward(image));
        cases.add(new Case("subset", "mnist-net_256x2 image 0 100 free pixels eps0.1", g,
                new FeatureSubsetBox(image, free, 0.1, 0, 1),
                List.of(Spec.identity(g.outputSize()), Spec.margins(label, g.outputSize())), true, 4242));
        return cases;
    }

    static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asDouble();
        }
        return d;
    }

    // ----- the tests

    @TestFactory
    Stream<DynamicNode> modelsRef() throws IOException {
        return containers(modelsRefCases());
    }

    @TestFactory
    Stream<DynamicNode> acasXu() throws IOException {
        return containers(acasCases());
    }

    @TestFactory
    Stream<DynamicNode> mnistFc() throws IOException {
        return containers(mnistCases());
    }

    /**
     * Containers for {@code cases}, whose work starts at once on {@link #POOL}: cases run two at a time
     * while the tests report them in order. Every graph is warmed up first on this thread (the operators
     * cache |W| lazily), so the workers only read shared state.
     */
    static Stream<DynamicNode> containers(List<Case> cases) {
        java.util.Set<Graph> warm = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Case c : cases) {
            if (warm.add(c.graph())) {
                new Ibp().compute(c.graph(), c.domain(), Spec.identity(c.graph().outputSize()));
            }
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Case c : cases) {
            nodes.add(container(c));
        }
        return nodes.stream();
    }

    /** Two workers (the test budget is set for two cores); daemon threads so they never hold up the JVM. */
    static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(2,
            r -> {
                Thread t = new Thread(r, "soundness-worker");
                t.setDaemon(true);
                return t;
            });

    /** The bounds of every method for every spec of a case, and what the checker found. */
    record Outcome(Map<String, Bounds> bounds, SoundnessChecker.Report report) {
        Bounds bounds(String method, Spec spec) {
            return bounds.get(label(method, spec));
        }
    }

    static String label(String method, Spec spec) {
        return method + " on " + spec.kind();
    }

    static Outcome evaluate(Graph g, InputDomain domain, List<Spec> specs, List<String> methods, long seed,
            String name) {
        Map<String, Bounds> bounds = new LinkedHashMap<>();
        List<SoundnessChecker.Target> targets = new ArrayList<>();
        StringBuilder timing = new StringBuilder();
        for (String m : methods) {
            BoundMethod method = BoundMethods.byName(m);
            double seconds = 0;
            for (Spec s : specs) {
                Bounds b = method.compute(g, domain, s);
                seconds += b.seconds();
                bounds.put(label(m, s), b);
                targets.add(new SoundnessChecker.Target(label(m, s), s, b));
            }
            timing.append(String.format(" %s %.3fs", m, seconds));
        }
        SoundnessChecker.Report report = new SoundnessChecker(g, domain, SoundnessChecker.Options.defaults(seed))
                .run(targets);
        System.out.printf("[soundness] %s: bounds%s; checker %d points (%d search, %d probes) %.2fs%n", name, timing,
                report.points(), report.searchPoints(), report.probePoints(), report.seconds());
        return new Outcome(bounds, report);
    }

    static DynamicContainer container(Case c) {
        Lazy<Outcome> outcome = new Lazy<>(() -> evaluate(c.graph(), c.domain(), c.specs(), METHODS, c.seed(),
                c.group() + " " + c.name()));
        List<DynamicTest> tests = new ArrayList<>();
        for (String m : METHODS) {
            tests.add(DynamicTest.dynamicTest(m, () -> {
                Outcome o = outcome.get();
                for (Spec s : c.specs()) {
                    SoundnessChecker.TargetResult r = o.report().result(label(m, s));
                    assertTrue(r.sound(), c.name() + ": " + r.describe());
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest(c.relu() ? "ordering alpha-crown <= crown <= ibp" : "ordering alpha-crown <= crown",
                () -> {
                    Outcome o = outcome.get();
                    Spec id = c.specs().stream().filter(s -> s.kind().equals("identity")).findFirst().orElseThrow();
                    assertOrdered(c.name(), o.bounds("alpha-crown", id), o.bounds("crown", id));
                    if (c.relu()) {
                        assertOrdered(c.name(), o.bounds("crown", id), o.bounds("ibp", id));
                    }
                }));
        return DynamicContainer.dynamicContainer(c.group() + " " + c.name(), tests.stream());
    }

    /** Every row of {@code tight} is at most as wide as the same row of {@code loose} (+1e-9 relative). */
    static void assertOrdered(String name, Bounds tight, Bounds loose) {
        for (int r = 0; r < tight.rows(); r++) {
            double wt = tight.upper(r) - tight.lower(r);
            double wl = loose.upper(r) - loose.lower(r);
            assertTrue(wt <= wl + 1e-9 * (1 + Math.abs(wl)), name + ": " + tight.method() + " row " + r + " width " + wt
                    + " exceeds " + loose.method() + " width " + wl);
        }
    }

    /**
     * A value computed once on {@link #POOL}, started when the case's container is made, and shared by
     * the tests of one case (a failure is shared too).
     */
    static final class Lazy<T> {
        private final java.util.concurrent.Future<T> future;

        Lazy(Supplier<T> supplier) {
            this.future = POOL.submit(supplier::get);
        }

        T get() {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

}
