package org.proofmap.mip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.InputDomain;
import org.proofmap.bounds.LinfBall;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * The single MIP over the minimum of several rows ({@link ExactMinimizer#minimiseMinimum}) equals
 * the minimum of the per-row MIPs, and its cutoff search answers the sign question correctly.
 */
class MinimumObjectiveTest {
    static MipSolver cbcOrSkip() {
        if (!MipSolvers.isCbcAvailable()) {
            System.err.println("SKIPPED: cbc is not on the PATH (apt-get install coinor-cbc)");
            Assumptions.abort("cbc is not installed");
        }
        return MipSolvers.byName("cbc");
    }

    /** The margins {@code y_label − y_j}, {@code j != label}. */
    static double[][] margins(int label, int classes) {
        List<double[]> rows = new ArrayList<>();
        for (int j = 0; j < classes; j++) {
            if (j != label) {
                double[] r = new double[classes];
                r[label] = 1;
                r[j] = -1;
                rows.add(r);
            }
        }
        return rows.toArray(new double[0][]);
    }

    static void compare(String name, Graph g, InputDomain box, MipSolver cbc) {
        double[] c = new double[box.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = 0.5 * (box.lower()[i] + box.upper()[i]);
        }
        int label = Graph.argmax(g.forward(c));
        double[][] rows = margins(label, g.outputSize());
        BoundContext ctx = new BoundContext(g, box);
        ExactMinimizer exact = new ExactMinimizer(g, box, ctx);
        double perRow = Double.POSITIVE_INFINITY;
        for (double[] row : rows) {
            ExactMinimizer.Result r = exact.minimise(row, cbc, 60);
            assertTrue(r.optimumProven(), name + ": " + r);
            perRow = Math.min(perRow, r.optimum());
        }
        ExactMinimizer.Result one = exact.minimiseMinimum(rows, cbc, Double.NaN, 60);
        assertTrue(one.optimumProven(), name + ": " + one);
        assertEquals(perRow, one.optimum(), 1e-6 * Math.max(1, Math.abs(perRow)), name + ": single MIP vs per-row");
        double[] y = g.forward(one.witness());
        double atWitness = Double.POSITIVE_INFINITY;
        for (double[] row : rows) {
            atWitness = Math.min(atWitness, row[label] * y[label] + sum(row, y, label));
        }
        assertEquals(atWitness, one.witnessValue(), 1e-12, name);
        assertTrue(box.contains(one.witness(), 0.0), name);

        // The sign question: a cutoff above the minimum must give a point below it; one below the
        // minimum must be proven unreachable.
        double gap = 1e-3 * Math.max(1, Math.abs(perRow));
        ExactMinimizer.Result below = exact.minimiseMinimum(rows, cbc, perRow + 10 * gap, 60);
        assertNotNull(below.witness(), name + ": cutoff above the minimum: " + below);
        assertTrue(below.witnessValue() < perRow + 10 * gap + 1e-6, name + ": " + below);
        ExactMinimizer.Result above = exact.minimiseMinimum(rows, cbc, perRow - gap, 60);
        assertEquals(ExactMinimizer.State.ABOVE_CUTOFF, above.state(), name + ": cutoff below the minimum: " + above);
        assertEquals(perRow - gap, above.lowerBound(), 0.0, name);
        System.out.printf("%s: min over %d margins %.6f (single MIP %.3f s)%n", name, rows.length, perRow,
                one.solverSeconds());
    }

    private static double sum(double[] row, double[] y, int skip) {
        double s = 0;
        for (int j = 0; j < y.length; j++) {
            if (j != skip) {
                s += row[j] * y[j];
            }
        }
        return s;
    }

    @Test
    void singleMipEqualsPerRowMinimumOnBuiltNets() {
        MipSolver cbc = cbcOrSkip();
        Graph g = OnnxLoader.load(OnnxModels.mlp(7, 3, 10, 10, 4).bytes(), "mlp_3_10_10_4.onnx");
        double[][] centres = {{0.3, -0.2, 0.5}, {-0.7, 0.1, 0.0}, {0.9, 0.9, -0.4}};
        for (int k = 0; k < centres.length; k++) {
            for (double eps : new double[] {0.1, 0.5}) {
                compare("mlp_3_10_10_4 c" + k + " eps " + eps, g, new LinfBall(centres[k], eps), cbc);
            }
        }
    }

    @Test
    void singleMipEqualsPerRowMinimumOnSharedModel() throws IOException {
        Graph g = ExactMinimizerSharedTest.model("mlp_5_50_50_5");
        double[][] centres = ExactMinimizerSharedTest.centers("mlp_5_50_50_5");
        MipSolver cbc = cbcOrSkip();
        for (int k = 0; k < centres.length; k++) {
            compare("mlp_5_50_50_5 c" + k, g, new LinfBall(centres[k], 0.05), cbc);
        }
    }

    @Test
    void oneRowIsThatRowsObjective() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(3, 3, 6, 2).bytes(), "mlp_3_6_2.onnx");
        InputDomain box = new LinfBall(new double[] {0.1, 0.2, 0.3}, 0.3);
        NetworkEncoder.Encoding enc = NetworkEncoder.encode(g, box, null);
        double[] row = {1, -1};
        MipModel a = enc.withObjective(row);
        MipModel b = enc.withMinimumObjective(new double[][] {row}, new double[] {-5}, new double[] {5});
        assertEquals(a.variableCount(), b.variableCount());
        for (int j = 0; j < a.variableCount(); j++) {
            assertEquals(a.objective(j), b.objective(j));
        }
        assertEquals(a.objectiveConstant(), b.objectiveConstant());
    }

    /** A back-end that calls every model infeasible without proving anything. */
    static final MipSolver LIAR = new MipSolver() {
        @Override
        public String name() {
            return "liar";
        }

        @Override
        public Result solve(MipModel model, double timeLimitSeconds) {
            return Result.withoutSolution(State.INFEASIBLE, Double.NaN, 0, name(), "says infeasible");
        }
    };

    @Test
    void plainInfeasibleIsNoProofOfTheCutoff() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(3, 3, 6, 3).bytes(), "mlp_3_6_3.onnx");
        InputDomain box = new LinfBall(new double[] {0.1, 0.2, 0.3}, 0.3);
        int label = Graph.argmax(g.forward(new double[] {0.1, 0.2, 0.3}));
        ExactMinimizer exact = new ExactMinimizer(g, box, null);
        ExactMinimizer.Result r = exact.minimiseMinimum(margins(label, 3), LIAR, 1e-5, 1);
        assertEquals(ExactMinimizer.State.INFEASIBLE, r.state(), r.toString());
        assertTrue(Double.isNaN(r.solverBound()), r.toString());
        assertEquals(r.crownLowerBound(), r.lowerBound(), r.toString());
    }

    @Test
    void toBuilderCopiesTheModel() {
        MipModel.Builder b = MipModel.builder();
        int x = b.addContinuous(-1, 2);
        int d = b.addBinary();
        b.addConstraint(new int[] {x, d}, new double[] {1, -3}, MipModel.Sense.LE, 0.5);
        b.objective(x, 2.0).objectiveConstant(1.5);
        MipModel m = b.build();
        MipModel.Builder c = m.toBuilder();
        int y = c.addContinuous(0, 1);
        c.addConstraint(new int[] {x, y}, new double[] {1, 1}, MipModel.Sense.GE, 0.25);
        MipModel n = c.build();
        assertEquals(3, n.variableCount());
        assertEquals(2, n.constraintCount());
        assertEquals(1, n.binaryCount());
        assertEquals(MipModel.Sense.LE, n.sense(0));
        assertEquals(0.5, n.rhs(0));
        assertEquals(-3.0, n.constraintCoefficients(0)[1]);
        assertEquals(MipModel.Sense.GE, n.sense(1));
        assertEquals(2.0, n.objective(x));
        assertEquals(1.5, n.objectiveConstant());
        assertEquals(1, m.constraintCount(), "the original is unchanged");
    }
}
