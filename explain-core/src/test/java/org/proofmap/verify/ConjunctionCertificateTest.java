package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.proofmap.testing.OnnxModels;

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

    /** x − 0.1 fails on [−1, 0.1], but the subdomain's cut 0.2 − x <= 0 (x >= 0.2) leaves only x > 0.1. */
    @Test
    void aCutProvesWhatTheRowAloneCannot() {
        double[][] a = {{1}};
        double[] b = {-0.1};
        assertFalse(ConjunctionCertificate.proves(a, b, new double[0][], new double[0], LO, HI));
        assertTrue(ConjunctionCertificate.proves(a, b, new double[][] {{-1}}, new double[] {0.2}, LO, HI));
        // x >= 0.05 still leaves [0.05, 0.1], where x − 0.1 <= 0: no certificate may exist.
        assertFalse(ConjunctionCertificate.proves(a, b, new double[][] {{-1}}, new double[] {0.05}, LO, HI));
    }

    /** Contradictory cuts (x >= 0.5 and x <= −0.5) leave no input: anything holds there. */
    @Test
    void contradictoryCutsProveAnything() {
        assertTrue(ConjunctionCertificate.proves(new double[][] {{0}}, new double[] {-5},
                new double[][] {{-1}, {1}}, new double[] {0.5, 0.5}, LO, HI));
    }

    /**
     * Random rows and cuts over random 5-D boxes: whenever a certificate is claimed, some row is
     * positive at every sampled point of the box that satisfies the cuts (sampling bounds the
     * minimum from above only, so the other direction, exactness, is tested where the minimum is
     * known in closed form, below).
     */
    @Test
    void everyClaimWithCutsHoldsOnSampledPointsThatSatisfyTheCuts() {
        Random rng = new Random(23);
        int claims = 0;
        int checked = 0;
        for (int t = 0; t < 300; t++) {
            int k = 1 + rng.nextInt(3);
            int m = 1 + rng.nextInt(3);
            double[][] a = randomRows(rng, k);
            double[] b = OnnxModels.gaussian(rng, k, 1.0);
            double[][] g = randomRows(rng, m);
            double[] e = OnnxModels.gaussian(rng, m, 1.0);
            double[] lo = new double[5];
            double[] hi = new double[5];
            for (int i = 0; i < 5; i++) {
                lo[i] = rng.nextGaussian();
                hi[i] = lo[i] + rng.nextDouble();
            }
            if (!ConjunctionCertificate.proves(a, b, g, e, lo, hi)) {
                continue;
            }
            claims++;
            double[] x = new double[5];
            for (int s = 0; s < 2000; s++) {
                for (int i = 0; i < 5; i++) {
                    x[i] = lo[i] + rng.nextDouble() * (hi[i] - lo[i]);
                }
                if (max(g, e, x) > 0) {
                    continue; // outside the subdomain
                }
                checked++;
                assertTrue(max(a, b, x) > 0, "case " + t + ": every row is <= 0 at a point that satisfies the cuts");
            }
        }
        assertTrue(claims > 20 && checked > 10_000, "too little to test: " + claims + " claims, " + checked + " points");
    }

    /**
     * Exactness in one dimension, where the minimum is known in closed form: rows x − p and q − x
     * on [−1, 1] with the cut x >= c. The conjunction is unreachable exactly when no x in
     * [max(c, −1), 1] has p >= x >= q, and the certificate must say so in every case.
     */
    @Test
    void theCutLpIsExactInOneDimension() {
        Random rng = new Random(5);
        int yes = 0;
        for (int t = 0; t < 500; t++) {
            double p = rng.nextDouble() * 2 - 1;
            double q = rng.nextDouble() * 2 - 1;
            double c = rng.nextDouble() * 2 - 1;
            double left = Math.max(c, Math.max(-1, q));
            double right = Math.min(1, p);
            boolean unreachable = left > right;
            if (Math.abs(left - right) < 1e-6) {
                continue; // a tie: either answer is within rounding
            }
            boolean claim = ConjunctionCertificate.proves(new double[][] {{1}, {-1}}, new double[] {-p, q},
                    new double[][] {{-1}}, new double[] {c}, LO, HI);
            assertEquals(unreachable, claim, "p=" + p + " q=" + q + " c=" + c);
            yes += claim ? 1 : 0;
        }
        assertTrue(yes > 50 && yes < 450, "both answers must occur: " + yes);
    }

    private static double[][] randomRows(Random rng, int k) {
        double[][] a = new double[k][];
        for (int j = 0; j < k; j++) {
            a[j] = OnnxModels.gaussian(rng, 5, 1.0);
        }
        return a;
    }

    private static double max(double[][] a, double[] b, double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < a.length; j++) {
            double v = b[j];
            for (int i = 0; i < x.length; i++) {
                v += a[j][i] * x[i];
            }
            max = Math.max(max, v);
        }
        return max;
    }
}
