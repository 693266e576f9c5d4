package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConjunctionCertificateTest {
    private static final double[] LO = {-1};
    private static final double[] HI = {1};

    /** x + 0.5 and 0.5 − x each fail on part of [−1, 1], but one of them is ≥ 0.5 everywhere. */
    @Test
    void provesAConjunctionNoSingleRowProves() {
        assertTrue(ConjunctionCertificate.proves(new double[][] {{1}, {-1}}, new double[] {0.5, 0.5}, LO, HI));
    }

    /** At x = 0 both x − 0.1 and −x − 0.1 are negative: that point satisfies the conjunction. */
    @Test
    void noCertificateWhenAPointSatisfiesEveryRow() {
        assertFalse(ConjunctionCertificate.proves(new double[][] {{1}, {-1}}, new double[] {-0.1, -0.1}, LO, HI));
    }

    /**
     * Random linear rows over random 5-D boxes: whenever a certificate is claimed, some row is
     * positive at every corner and at random points of the box (max of linear functions is convex,
     * so the corners alone decide; the random points check the same from the inside).
     */
    @Test
    void everyClaimHoldsAtTheCornersAndSampledPoints() {
        Random rng = new Random(17);
        int claims = 0;
        for (int t = 0; t < 400; t++) {
            int k = 2 + rng.nextInt(3);
            double[][] a = new double[k][5];
            double[] b = new double[k];
            double[] lo = new double[5];
            double[] hi = new double[5];
            for (int i = 0; i < 5; i++) {
                lo[i] = rng.nextGaussian();
                hi[i] = lo[i] + rng.nextDouble();
            }
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < 5; i++) {
                    a[j][i] = rng.nextGaussian();
                }
                b[j] = rng.nextGaussian();
            }
            if (!ConjunctionCertificate.proves(a, b, lo, hi)) {
                continue;
            }
            claims++;
            double[] x = new double[5];
            for (int s = 0; s < 32 + 200; s++) {
                for (int i = 0; i < 5; i++) {
                    x[i] = s < 32 ? ((s >> i & 1) == 0 ? lo[i] : hi[i]) : lo[i] + rng.nextDouble() * (hi[i] - lo[i]);
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double v = b[j];
                    for (int i = 0; i < 5; i++) {
                        v += a[j][i] * x[i];
                    }
                    max = Math.max(max, v);
                }
                assertTrue(max > 0, "case " + t + ": every row is <= 0 at a point of the box");
            }
        }
        assertTrue(claims > 20, "too few certificates to test: " + claims);
    }
}
