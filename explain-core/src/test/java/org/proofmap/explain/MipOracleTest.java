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

    /**
     * A solver that proves the cutoff exactly when it is given at least {@code need} seconds, and
     * says so instantly (reporting {@code need} seconds): the slicing policy alone decides how many
     * runs a query takes.
     */
    private static org.proofmap.mip.MipSolver needing(double[] need) {
        return new org.proofmap.mip.MipSolver() {
            @Override
            public String name() {
                return "needs-time";
            }

            @Override
            public Result solve(org.proofmap.mip.MipModel model, double timeLimitSeconds) {
                return Result.withoutSolution(State.UNKNOWN, Double.NaN, timeLimitSeconds, name(), "no cutoff");
            }

            @Override
            public Result solveBelow(org.proofmap.mip.MipModel model, double cutoff, double timeLimitSeconds) {
                return timeLimitSeconds >= need[0]
                        ? Result.withoutSolution(State.INFEASIBLE, cutoff, need[0], name(), "proved")
                        : Result.withoutSolution(State.UNKNOWN, Double.NaN, timeLimitSeconds, name(), "time limit");
            }
        };
    }

    @Test
    void afterSlowSearchesInARowTheShortFirstRoundIsSkipped() {
        Graph g = OnnxLoader.load(org.proofmap.testing.OnnxModels.mlp(5, 3, 8, 8, 3).bytes(), "mlp_3_8_8_3.onnx");
        ExplanationProblem p = new ExplanationProblem(g, new double[] {0.2, 0.5, 0.7}, 0.5, 0, 1);
        BitSet all = new BitSet();
        all.set(0, 3);
        Assumptions.assumeFalse(BoundOracle.byName("crown").decide(p.query(all), 10).decided(),
                "CROWN decides this box; the test needs one it cannot");
        double[] need = {10};
        org.proofmap.mip.MipSolver s = needing(need);
        MipOracle oracle = new MipOracle(s, s, MipOracle.Strategy.SIGN);
        // A 10 s search under a 20 s limit: the first round (4 s, then 1 s for the fallback) fails,
        // the second (16 s) proves: three runs, until the streak of slow searches is long enough.
        for (int q = 0; q < MipOracle.SLOW_STREAK; q++) {
            OracleVerdict v = oracle.decide(p.query(all), 20);
            assertEquals(Outcome.IRRELEVANT, v.outcome(), v.toString());
            assertTrue(v.note().startsWith("3 MIP runs"), "query " + q + ": " + v.note());
        }
        OracleVerdict skipped = oracle.decide(p.query(all), 20);
        assertTrue(skipped.note().startsWith("1 MIP runs"), skipped.note());
        // A quick search ends the streak.
        need[0] = 1;
        assertTrue(oracle.decide(p.query(all), 20).note().startsWith("1 MIP runs"));
        need[0] = 10;
        OracleVerdict again = oracle.decide(p.query(all), 20);
        assertTrue(again.note().startsWith("3 MIP runs"), again.note());
        assertTrue(new MipOracle(s, s, MipOracle.Strategy.SIGN).decide(p.query(all), 20).note()
                .startsWith("3 MIP runs"), "a fresh oracle starts with the short round");
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
