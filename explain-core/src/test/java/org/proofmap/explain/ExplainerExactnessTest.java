package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;

/**
 * Every algorithm with every order gives exactly what brute force says: the irrelevant set is
 * irrelevant, freeing any other feature as well is not (subset-minimality), nothing is unknown, and
 * the certificate re-checks.
 */
class ExplainerExactnessTest {
    /** A 6-input ReLU net built here, and centres/radii where the explanation is neither empty nor full. */
    static List<ExplanationProblem> fixtureProblems() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(7, 6, 16, 16, 3).bytes(), "mlp_6_16_16_3.onnx");
        Random rng = new Random(11);
        List<ExplanationProblem> out = new ArrayList<>();
        for (int attempt = 0; attempt < 40 && out.size() < 3; attempt++) {
            double[] x = new double[6];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextDouble() * 2 - 1;
            }
            for (double eps : new double[] {0.1, 0.2, 0.4, 0.8}) {
                ExplanationProblem p = new ExplanationProblem(g, x, eps, -1, 1);
                if (new ExactTable(p).interesting()) {
                    out.add(p);
                    break;
                }
            }
        }
        assertTrue(out.size() >= 2, "found only " + out.size() + " interesting fixture problems");
        return out;
    }

    @Test
    void everyAlgorithmAndOrderMatchesBruteForceOnFixture() {
        for (ExplanationProblem p : fixtureProblems()) {
            checkAllCombinations(p, new ExactTable(p));
        }
    }

    @Test
    void everyAlgorithmAndOrderMatchesBruteForceOnSharedMlp() {
        Path dir = SharedData.resolve("models-ref");
        Graph g = OnnxLoader.load(dir.resolve("mlp_5_50_50_5.onnx"));
        int interesting = 0;
        for (int c = 0; c < 3; c++) {
            double[] x = readCentre(dir.resolve("center_mlp_5_50_50_5_" + c + ".csv"));
            for (double eps : new double[] {0.05, 0.1, 0.2, 0.4}) {
                ExplanationProblem p = new ExplanationProblem(g, x, eps, -1, 1);
                ExactTable t = new ExactTable(p);
                if (t.interesting()) {
                    checkAllCombinations(p, t);
                    interesting++;
                    break;
                }
            }
        }
        assertTrue(interesting >= 2, "only " + interesting + " centres give a non-trivial explanation");
    }

    static double[] readCentre(Path file) {
        try {
            return java.util.Arrays.stream(java.nio.file.Files.readString(file).trim().split(","))
                    .mapToDouble(Double::parseDouble).toArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void checkAllCombinations(ExplanationProblem p, ExactTable t) {
        for (String algorithm : Explainers.NAMES) {
            for (String order : TraversalOrders.NAMES) {
                Explanation e = Explain.run(p, Explain.Options.defaults().withAlgorithm(algorithm).withOrder(order)
                        .withQueryTimeout(30).withSeed(3));
                String what = algorithm + "/" + order + " eps " + p.eps();
                assertTrue(e.unknown().isEmpty(), what + ": unknown " + e.unknown());
                assertTrue(t.irrelevant(e.irrelevant()), what + ": " + e.irrelevant() + " is not irrelevant");
                BitSet rel = e.relevant();
                assertEquals(p.features(), rel.cardinality() + e.irrelevant().cardinality(), what);
                for (int f = rel.nextSetBit(0); f >= 0; f = rel.nextSetBit(f + 1)) {
                    BitSet more = e.irrelevant();
                    more.set(f);
                    assertFalse(t.irrelevant(more), what + ": feature " + f + " could be freed too (not minimal)");
                    assertNotNull(e.witnesses().get(f), what + ": feature " + f + " has no witness");
                }
                assertEquals(Outcome.IRRELEVANT, e.proof().outcome(), what);
                CertificateChecker.Report r = CertificateChecker.check(p.graph(), e, 30);
                assertTrue(r.passed(), what + ": " + r.failures());
            }
        }
    }
}
