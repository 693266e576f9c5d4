package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;

/**
 * The search's gradients ({@link GraphGradient}) agree with central finite differences on every
 * fixture network, so the search in {@link SoundnessChecker} climbs in the right direction. Points
 * are random; a coordinate whose difference quotient straddles a kink (ReLU, max pooling) can differ,
 * so at most 2% of the coordinates may disagree.
 */
class GraphGradientTest {
    @Test
    void matchesFiniteDifferences() {
        for (FixtureSoundnessTest.Net net : FixtureSoundnessTest.nets()) {
            Graph g = net.graph();
            int n = g.inputSize();
            int out = g.outputSize();
            int batch = 8;
            Random rng = new Random(net.name().hashCode());
            double[] xs = new double[batch * n];
            double[] seed = new double[batch * out];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = 2 * rng.nextDouble() - 1;
            }
            for (int i = 0; i < seed.length; i++) {
                seed[i] = rng.nextGaussian();
            }
            ForwardPass fp = new ForwardPass(g, batch);
            fp.run(xs, batch);
            double[] grad = new GraphGradient(g).vjp(fp, seed, batch);
            int bad = 0;
            double h = 1e-6;
            for (int s = 0; s < batch; s++) {
                for (int i = 0; i < n; i++) {
                    double[] x = java.util.Arrays.copyOfRange(xs, s * n, (s + 1) * n);
                    x[i] += h;
                    double[] yp = g.forward(x);
                    x[i] -= 2 * h;
                    double[] ym = g.forward(x);
                    double fd = 0;
                    for (int j = 0; j < out; j++) {
                        fd += seed[s * out + j] * (yp[j] - ym[j]) / (2 * h);
                    }
                    double an = grad[s * n + i];
                    if (Math.abs(fd - an) > 1e-5 * (1 + Math.abs(fd))) {
                        bad++;
                    }
                }
            }
            assertTrue(bad <= 0.02 * batch * n, net.name() + ": " + bad + " of " + batch * n
                    + " gradient coordinates differ from finite differences");
        }
    }
}
