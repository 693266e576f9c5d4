package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.VnnlibParser;

/**
 * Branch and bound agrees with the known verdicts of VNN-COMP instances on a fast subset: ACAS Xu
 * (input splitting, each heuristic on part of the subset) and mnist_fc (activation splitting). A
 * timeout or unknown fails the test too, so the subset is chosen to finish in seconds; a wrong
 * verdict would be a soundness bug. Every sat witness is checked against the property again here.
 */
class VerifierBenchmarksTest {
    /** ACAS Xu: (net, property, heuristic); verdicts come from expected.csv. */
    private static final String[][] ACAS = {
        {"1_1", "1", "reciph"}, {"1_3", "1", "width"}, {"1_5", "1", "smear"}, {"1_7", "1", "reciph"},
        {"1_9", "1", "width"}, {"2_2", "1", "reciph"}, {"2_4", "1", "smear"}, {"3_1", "1", "reciph"},
        {"1_1", "3", "reciph"}, {"1_2", "4", "reciph"}, {"1_1", "5", "reciph"}, {"3_3", "9", "reciph"},
        {"4_5", "10", "reciph"},
        {"2_1", "2", "reciph"}, {"2_2", "2", "width"}, {"3_4", "2", "smear"}, {"4_1", "2", "reciph"},
        {"5_2", "2", "reciph"}, {"1_7", "3", "reciph"}, {"1_8", "4", "width"}, {"1_9", "3", "smear"},
        // Unsolved in the preliminary 20 s run (bench/RESULTS.md); the unsat ones take a few seconds
        // since boxes inherit their parent's intermediate bounds.
        {"1_8", "2", "reciph"}, {"2_8", "1", "reciph"}, {"1_5", "2", "reciph"},
        // Unsat by a margin of about 2e-6: input splitting alone bounded 1.35 M boxes in 116 s without
        // closing it; with local branching on the small boxes' few unstable ReLUs, about 13 s.
        {"3_3", "2", "reciph"},
    };

    /** mnist_fc instances on mnist-net_256x2: both verdicts. */
    private static final String[] MNIST = {
        "prop_0_0.03", "prop_3_0.03", "prop_5_0.03", "prop_7_0.03", "prop_1_0.03", "prop_2_0.03", "prop_1_0.05",
        "prop_6_0.05",
    };

    static String expected(Path csv, String onnx, String vnnlib) throws IOException {
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f[0].equals(onnx) && f[1].equals(vnnlib)) {
                return f[2];
            }
        }
        throw new AssertionError("no expected verdict for " + onnx + " " + vnnlib);
    }

    @TestFactory
    Stream<DynamicTest> acasXuSubsetAgreesWithKnownVerdicts() {
        Path root = SharedData.resolve("benchmarks/acasxu");
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] inst : ACAS) {
            String onnx = "onnx/ACASXU_run2a_" + inst[0] + "_batch_2000.onnx";
            String vnnlib = "vnnlib/prop_" + inst[1] + ".vnnlib";
            tests.add(DynamicTest.dynamicTest(inst[0] + " prop_" + inst[1] + " " + inst[2], () -> {
                String want = expected(root.resolve("expected.csv"), onnx, vnnlib);
                Graph g = OnnxLoader.load(root.resolve(onnx));
                Property p = VnnlibParser.parse(root.resolve(vnnlib));
                var opts = InputSplitVerifier.Options.defaults().withSplit(SplitHeuristics.byName(inst[2]))
                        .withTimeout(60);
                VerificationResult r = new InputSplitVerifier(opts).verify(g, p);
                assertEquals(want, r.verdict().word(), "verdict (" + r.decidedBy() + ", " + r.subproblems() + " boxes)");
                checkWitness(g, p, r);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> mnistSubsetAgreesWithKnownVerdicts() {
        Path root = SharedData.resolve("benchmarks/mnist_fc");
        List<DynamicTest> tests = new ArrayList<>();
        for (String prop : MNIST) {
            String onnx = "onnx/mnist-net_256x2.onnx";
            String vnnlib = "vnnlib/" + prop + ".vnnlib";
            tests.add(DynamicTest.dynamicTest("256x2 " + prop, () -> {
                String want = expected(root.resolve("expected.csv"), onnx, vnnlib);
                Graph g = OnnxLoader.load(root.resolve(onnx));
                Property p = VnnlibParser.parse(root.resolve(vnnlib));
                VerificationResult r = Verifier.verify(g, p, Verifier.Options.defaults().withTimeout(60));
                assertEquals(want, r.verdict().word(), "verdict (" + r.decidedBy() + ", " + r.subproblems() + " domains)");
                checkWitness(g, p, r);
            }));
        }
        return tests.stream();
    }

    /**
     * Unsat instances of the deeper nets that need the optimised root bounds and alpha-beta-CROWN
     * subdomains (or the MIP over those bounds): with CROWN intermediate bounds 256x4 prop_3_0.05 took
     * 178 s and 256x6 prop_7_0.03 was not solved in 300 s. 256x4 prop_5_0.05 also needs the MIP
     * refinement of the intermediate bounds and one MIP per disjunct: without them it timed out at
     * 300 s. Measured alone: 0.3 s, 27 s, 35 s and 106 s.
     */
    @TestFactory
    Stream<DynamicTest> deeperMnistNetsWithOptimisedBounds() {
        Path root = SharedData.resolve("benchmarks/mnist_fc");
        List<DynamicTest> tests = new ArrayList<>();
        String[][] instances = {{"256x4", "prop_2_0.03", "60"}, {"256x4", "prop_3_0.05", "120"},
            {"256x6", "prop_7_0.03", "200"}, {"256x4", "prop_5_0.05", "300"}};
        for (String[] inst : instances) {
            String onnx = "onnx/mnist-net_" + inst[0] + ".onnx";
            String vnnlib = "vnnlib/" + inst[1] + ".vnnlib";
            tests.add(DynamicTest.dynamicTest(inst[0] + " " + inst[1], () -> {
                String want = expected(root.resolve("expected.csv"), onnx, vnnlib);
                Graph g = OnnxLoader.load(root.resolve(onnx));
                Property p = VnnlibParser.parse(root.resolve(vnnlib));
                VerificationResult r = Verifier.verify(g, p,
                        Verifier.Options.defaults().withTimeout(Double.parseDouble(inst[2])));
                System.out.printf("mnist_fc %s %s: %s in %.1f s by %s, %d domains%n", inst[0], inst[1],
                        r.verdict().word(), r.seconds(), r.decidedBy(), r.subproblems());
                assertEquals(want, r.verdict().word(), "verdict (" + r.decidedBy() + ", " + r.subproblems() + " domains)");
            }));
        }
        return tests.stream();
    }

    static void checkWitness(Graph g, Property p, VerificationResult r) {
        if (r.verdict() != Verdict.SAT) {
            return;
        }
        double[] x = r.witness();
        assertNotNull(x);
        double[] y = g.forward(x);
        assertTrue(p.isViolatedBy(x, y, 0.0), "the witness must violate the property when re-evaluated");
    }
}
