package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Box;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.vnnlib.OutputConstraint;

/**
 * The local branching of input splitting ({@link LocalActivationSearch}) on a 2-16-16-3 ReLU MLP,
 * where a 601 × 601 grid gives the minimum of {@code max_j (y_j − y_0)} over a box to within the
 * grid's spacing times the net's slope. For the conjunction {@code y_1 − y_0 <= t ∧ y_2 − y_0 <= t}
 * (ACAS Xu prop_2's shape): with {@code t} 0.05 below the grid minimum, the search must prove it
 * (branching on every unstable neuron makes the bounds and cuts exact, and the cut LP is then the
 * exact dual), also where CROWN alone cannot; with {@code t} above the grid minimum, a grid point
 * satisfies the conjunction and the search must not prove it.
 */
class LocalActivationSearchTest {
    private static final int GRID = 601;

    @Test
    void provesExactlyTheConjunctionsTheGridSaysHold() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(8, 2, 16, 16, 3).bytes(), "mlp.onnx");
        ForwardPass fp = new ForwardPass(g, 1);
        Random rng = new Random(11);
        int crownFailed = 0;
        for (int trial = 0; trial < 12; trial++) {
            double[] lo = new double[2];
            double[] hi = new double[2];
            for (int i = 0; i < 2; i++) {
                lo[i] = rng.nextGaussian();
                hi[i] = lo[i] + 0.1 + 0.3 * rng.nextDouble();
            }
            double gridMin = Double.POSITIVE_INFINITY;
            double[] x = new double[2];
            for (int p = 0; p < GRID; p++) {
                for (int q = 0; q < GRID; q++) {
                    x[0] = lo[0] + (hi[0] - lo[0]) * p / (GRID - 1);
                    x[1] = lo[1] + (hi[1] - lo[1]) * q / (GRID - 1);
                    double[] y = fp.run(x, 1);
                    gridMin = Math.min(gridMin, Math.max(y[1] - y[0], y[2] - y[0]));
                }
            }
            Box box = new Box(lo, hi);
            OpenDisjuncts holds = conjunction(gridMin - 0.05);
            if (!crownProves(g, box, holds)) {
                crownFailed++;
            }
            assertTrue(LocalActivationSearch.proves(new BoundContext(g, box), holds, 1 << 16, () -> false),
                    "trial " + trial + ": not proved although the grid minimum is " + gridMin);
            assertFalse(LocalActivationSearch.proves(new BoundContext(g, box), conjunction(gridMin + 1e-3), 1 << 16,
                    () -> false),
                    "trial " + trial + ": proved although a grid point satisfies the conjunction");
        }
        assertTrue(crownFailed >= 3, "CROWN alone decided almost every case: the test exercises no branching ("
                + crownFailed + ")");
    }

    /** Unsafe: {@code y_1 − y_0 <= t} and {@code y_2 − y_0 <= t}. */
    private static OpenDisjuncts conjunction(double t) {
        OutputConstraint c = new OutputConstraint(3, new double[][] {{-1, 1, 0}, {-1, 0, 1}}, new double[] {t, t});
        return new OpenDisjuncts(List.of(c), OpenDisjuncts.all(1));
    }

    private static boolean crownProves(Graph g, Box box, OpenDisjuncts od) {
        Bounds b = new BoundContext(g, box).compute(BoundMethods.byName("crown"), od.spec());
        return od.evaluate(b, box.lower(), box.upper()).proved();
    }
}
