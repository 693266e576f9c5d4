package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

/**
 * Repeated trials of PT-LiRPA's intermediate-bound estimation against the <em>exact</em> ranges of
 * small nets: the number of trials in which some estimated bound misses the true range must be
 * consistent with a failure probability of at most {@code 1 - confidence}. The allowance is the
 * {@code 1 - FALSE_ALARM} quantile of {@code Binomial(trials, 1 - confidence)}, so a correct
 * estimator fails the test with probability below {@code FALSE_ALARM}, and a wrong one is caught:
 * the same test with the correction switched off (raw sample extremes) must exceed the allowance.
 *
 * <p>The exact ranges: for a one-hidden-layer net its only estimated value is affine in the input,
 * so its extremes lie at the box's corners; for a one-input net every pre-activation is piecewise
 * linear with breakpoints where earlier neurons cross zero, so its extremes lie at the interval's
 * ends or those breakpoints, found layer by layer.
 */
class PtLirpaCoverageTest {
    private static final int TRIALS = 300;
    /** Low enough that real failures could show up in a few hundred trials. */
    private static final double CONFIDENCE = 0.8;
    private static final int SAMPLES = 100;
    /** The chance that a correct estimator fails this test. */
    private static final double FALSE_ALARM = 1e-6;
    /** Rounding slack of the exact ranges (evaluated in double precision at computed breakpoints). */
    private static final double SLACK = 1e-9;

    /** The largest failure count that a failure probability of {@code 1 - CONFIDENCE} explains. */
    private static int allowance() {
        return new BinomialDistribution(null, TRIALS, 1 - CONFIDENCE).inverseCumulativeProbability(1 - FALSE_ALARM);
    }

    @Test
    void threeInputOneLayerNetFailsAtMostAsOftenAsStated() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(21, 3, 8, 2).bytes(), "mlp-3-8-2");
        InputDomain box = new Box(new double[] {-1, 0, 0.5}, new double[] {1, 0.5, 2});
        checkCoverage(g, box, cornerRanges(g, box));
    }

    @Test
    void oneInputTwoLayerNetFailsAtMostAsOftenAsStated() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(5, 1, 6, 6, 2).bytes(), "mlp-1-6-6-2");
        InputDomain box = new Box(new double[] {-2}, new double[] {2});
        double[][][] exact = breakpointRanges(g, box);
        // Both hidden layers are estimated, the second one non-affine: the breakpoints matter.
        assertEquals(2, Arrays.stream(exact[0]).filter(a -> a != null).count());
        checkCoverage(g, box, exact);
    }

    private static void checkCoverage(Graph g, InputDomain box, double[][][] exact) {
        PtLirpa.Options o = PtLirpa.Options.defaults().withSamples(SAMPLES).withConfidence(CONFIDENCE);
        int allowed = allowance();
        int failures = failedTrials(g, box, exact, o, true);
        int broken = failedTrials(g, box, exact, o, false);
        System.out.printf("PT-LiRPA coverage on %s: %d of %d trials failed (allowed %d at confidence %.2f);"
                + " without the correction %d%n", g.source(), failures, TRIALS, allowed, CONFIDENCE, broken);
        assertTrue(failures <= allowed, failures + " failed trials of " + TRIALS + " > " + allowed);
        assertTrue(broken > allowed, "the test does not catch raw sample extremes: " + broken + " <= " + allowed);
    }

    /** Trials (independent seeds) in which some estimated bound lies inside the exact range. */
    private static int failedTrials(Graph g, InputDomain box, double[][][] exact, PtLirpa.Options o, boolean widen) {
        int failed = 0;
        for (int t = 0; t < TRIALS; t++) {
            PtLirpa.Estimate e = PtLirpa.estimate(g, box, o.withSeed(t + 1), widen);
            boolean fail = false;
            for (int v = 0; v < g.valueCount(); v++) {
                if (exact[0][v] == null) {
                    assertTrue(e.lo()[v] == null, "value " + v + " estimated but not expected");
                    continue;
                }
                for (int i = 0; i < exact[0][v].length; i++) {
                    fail |= e.lo()[v][i] > exact[0][v][i] + SLACK || e.hi()[v][i] < exact[1][v][i] - SLACK;
                }
            }
            failed += fail ? 1 : 0;
        }
        return failed;
    }

    /** {lo, hi} per estimated value: the extremes over the box's corners (exact for affine values). */
    private static double[][][] cornerRanges(Graph g, InputDomain box) {
        int d = g.inputSize();
        List<double[]> corners = new ArrayList<>();
        for (int mask = 0; mask < 1 << d; mask++) {
            double[] c = new double[d];
            for (int i = 0; i < d; i++) {
                c[i] = (mask >> i & 1) == 1 ? box.upper()[i] : box.lower()[i];
            }
            corners.add(c);
        }
        boolean[] needs = PtLirpa.estimatedValues(g);
        double[][][] r = new double[2][g.valueCount()][];
        ForwardPass pass = run(g, corners);
        for (int v = 0; v < needs.length; v++) {
            if (needs[v]) {
                assertTrue(v == firstEstimated(needs), "a one-hidden-layer net has one estimated value");
                extremes(pass, v, g.valueShape(v).size(), corners.size(), r, v);
            }
        }
        return r;
    }

    /** {lo, hi} per estimated value of a one-input ReLU net: extremes over the ends and breakpoints. */
    private static double[][][] breakpointRanges(Graph g, InputDomain box) {
        assertEquals(1, g.inputSize());
        TreeSet<Double> points = new TreeSet<>(List.of(box.lower()[0], box.upper()[0]));
        boolean[] needs = PtLirpa.estimatedValues(g);
        double[][][] r = new double[2][g.valueCount()][];
        for (int v = 0; v < needs.length; v++) {
            if (!needs[v]) {
                continue;
            }
            // Linear between consecutive points (they hold every earlier breakpoint): extremes at them.
            List<double[]> xs = points.stream().map(p -> new double[] {p}).toList();
            ForwardPass pass = run(g, xs);
            int size = g.valueShape(v).size();
            extremes(pass, v, size, xs.size(), r, v);
            double[] buf = pass.valueBuffer(v);
            List<Double> crossings = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                for (int p = 0; p + 1 < xs.size(); p++) {
                    double za = buf[p * size + i];
                    double zb = buf[(p + 1) * size + i];
                    if (za * zb < 0) {
                        double a = xs.get(p)[0];
                        double b = xs.get(p + 1)[0];
                        crossings.add(a + (b - a) * za / (za - zb));
                    }
                }
            }
            points.addAll(crossings);
        }
        return r;
    }

    private static int firstEstimated(boolean[] needs) {
        for (int v = 0; v < needs.length; v++) {
            if (needs[v]) {
                return v;
            }
        }
        return -1;
    }

    private static ForwardPass run(Graph g, List<double[]> xs) {
        int d = g.inputSize();
        double[] flat = new double[xs.size() * d];
        for (int s = 0; s < xs.size(); s++) {
            System.arraycopy(xs.get(s), 0, flat, s * d, d);
        }
        ForwardPass pass = new ForwardPass(g, xs.size());
        pass.run(flat, xs.size());
        return pass;
    }

    private static void extremes(ForwardPass pass, int v, int size, int batch, double[][][] r, int slot) {
        double[] lo = new double[size];
        double[] hi = new double[size];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        double[] buf = pass.valueBuffer(v);
        for (int s = 0; s < batch; s++) {
            for (int i = 0; i < size; i++) {
                lo[i] = Math.min(lo[i], buf[s * size + i]);
                hi[i] = Math.max(hi[i], buf[s * size + i]);
            }
        }
        r[0][slot] = lo;
        r[1][slot] = hi;
    }
}
