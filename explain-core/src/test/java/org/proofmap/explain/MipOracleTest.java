package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.proofmap.mip.MipSolvers;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.SharedData;

/**
 * The sign MIP ({@link MipOracle.Strategy#SIGN}, cutoff search over the minimum margin) decides
 * exactly what the per-row MIPs decide, on the 5-input reference model, with confirmed witnesses.
 */
class MipOracleTest {
    @Test
    void aSolverThatProvesNothingDecidesNothing() {
        Graph g = OnnxLoader.load(org.proofmap.testing.OnnxModels.mlp(5, 3, 8, 8, 3).bytes(), "mlp_3_8_8_3.onnx");
        ExplanationProblem p = new ExplanationProblem(g, new double[] {0.2, 0.5, 0.7}, 0.5, 0, 1);
        BitSet all = new BitSet();
        all.set(0, 3);
        org.proofmap.mip.MipSolver liar = new org.proofmap.mip.MipSolver() {
            @Override
            public String name() {
                return "liar";
            }

            @Override
            public Result solve(org.proofmap.mip.MipModel model, double timeLimitSeconds) {
                return Result.withoutSolution(State.INFEASIBLE, Double.NaN, 0, name(), "says infeasible");
            }
        };
        OracleVerdict crown = BoundOracle.byName("crown").decide(p.query(all), 10);
        Assumptions.assumeFalse(crown.decided(), "CROWN decides this box; the test needs one it cannot");
        OracleVerdict v = new MipOracle(liar).decide(p.query(all), 0.3);
        assertEquals(Outcome.UNKNOWN, v.outcome(), v.toString());
    }

    @Test
    void signMipAgreesWithPerRowMips() throws IOException {
        if (!MipSolvers.isCbcAvailable()) {
            System.err.println("SKIPPED: cbc is not on the PATH (apt-get install coinor-cbc)");
            Assumptions.abort("cbc is not installed");
        }
        Graph g = OnnxLoader.load(SharedData.resolve("models-ref/mlp_5_50_50_5.onnx"));
        JsonNode cs = new ObjectMapper().readTree(SharedData.resolve("models-ref/centers.json").toFile())
                .get("mlp_5_50_50_5").get("centers");
        MipOracle sign = MipOracle.best();
        MipOracle perRow = MipOracle.perRow();
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        double signSeconds = 0;
        double perRowSeconds = 0;
        for (int k = 0; k < cs.size(); k++) {
            double[] x = new double[5];
            for (int i = 0; i < 5; i++) {
                x[i] = cs.get(k).get(i).asDouble();
            }
            for (double eps : new double[] {0.4}) {
                ExplanationProblem p = new ExplanationProblem(g, x, eps, -1, 1);
                for (int mask = 1; mask < 32; mask++) {
                    if (Integer.bitCount(mask) != 2 || mask % 3 != 0) {
                        continue; // six pairs: larger boxes make the per-row reference MIPs slow
                    }
                    BitSet free = BitSet.valueOf(new long[] {mask});
                    OracleVerdict a = sign.decide(p.query(free), 60);
                    OracleVerdict b = perRow.decide(p.query(free), 60);
                    String name = "centre " + k + " eps " + eps + " free " + free;
                    assertTrue(a.decided(), name + ": " + a);
                    assertTrue(b.decided(), name + ": " + b);
                    assertEquals(b.outcome(), a.outcome(), name + ": sign " + a + " vs per-row " + b);
                    signSeconds += a.seconds();
                    perRowSeconds += b.seconds();
                    if (a.outcome() == Outcome.RELEVANT) {
                        assertTrue(p.query(free).isCounterexample(a.witness()), name);
                    } else {
                        assertTrue(a.bound() >= MipOracle.CUTOFF, name + ": " + a);
                        assertTrue(a.bound() <= b.bound() + 1e-6, name + ": sign bound above the per-row minimum");
                    }
                    seen.merge(a.outcome(), 1, Integer::sum);
                }
            }
        }
        System.out.printf("MipOracle sign vs per-row on mlp_5_50_50_5: %s, sign %.2f s, per-row %.2f s%n", seen,
                signSeconds, perRowSeconds);
        assertTrue(seen.getOrDefault(Outcome.RELEVANT, 0) > 0 && seen.getOrDefault(Outcome.IRRELEVANT, 0) > 0,
                "both outcomes occur: " + seen);
    }
}
