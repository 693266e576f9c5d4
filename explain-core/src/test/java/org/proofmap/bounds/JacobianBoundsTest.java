package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.GradientPass;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

class JacobianBoundsTest {
    private static final Graph G = OnnxLoader.load(OnnxModels.mlp(3, 5, 20, 20, 4).bytes(), "mlp.onnx");
    private static final double[] W = {1.0, -0.5, 0.0, 2.0};

    @Test
    void everySampledGradientLiesWithinTheBounds() {
        Random rng = new Random(9);
        JacobianBounds jb = new JacobianBounds(G);
        GradientPass gp = new GradientPass(G, 1);
        for (double eps : new double[] {0.05, 0.3, 1.0}) {
            double[] centre = new double[5];
            for (int i = 0; i < 5; i++) {
                centre[i] = rng.nextGaussian();
            }
            InputDomain box = new LinfBall(centre, eps);
            double[][] b = jb.of(new BoundContext(G, box), W);
            double[] x = new double[5];
            for (int s = 0; s < 2000; s++) {
                for (int i = 0; i < 5; i++) {
                    x[i] = box.lower()[i] + rng.nextDouble() * (box.upper()[i] - box.lower()[i]);
                }
                double[] g = gp.gradient(x, W, 1);
                for (int i = 0; i < 5; i++) {
                    double tol = 1e-9 * (1 + Math.abs(g[i]));
                    assertTrue(g[i] >= b[0][i] - tol && g[i] <= b[1][i] + tol,
                            "eps " + eps + " input " + i + ": gradient " + g[i] + " outside [" + b[0][i] + ", "
                                    + b[1][i] + "]");
                }
            }
        }
    }

    @Test
    void onABoxWithNoUnstableNeuronTheBoundsAreTheGradient() {
        double[] centre = {0.3, -0.2, 0.7, 0.1, -0.4};
        double[][] b = new JacobianBounds(G).of(new BoundContext(G, new LinfBall(centre, 1e-9)), W);
        double[] g = new GradientPass(G, 1).gradient(centre, W, 1);
        assertArrayEquals(g, b[0], 1e-12);
        assertArrayEquals(g, b[1], 1e-12);
    }
}
