package org.proofmap.bounds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.GradientPass;
import org.proofmap.model.Graph;

/**
 * Test helper shared by {@link SoundnessTest}, {@link FixtureSoundnessTest} and {@link MutationTest}:
 * looks for points of an input box whose outputs fall outside bounds under test.
 *
 * <p>The points, all inside the box, are
 *
 * <ol>
 *   <li>box corners: all {@code 2^k} of them when the box has at most {@link Options#cornerDimLimit}
 *       inputs that can move ({@code lower < upper}), else {@link Options#randomCorners} random ones;
 *   <li>uniform samples in the box, enough to bring the total to {@link Options#points};
 *   <li>a falsification search (a simple stand-in for the PGD attack that will live in
 *       {@code org.proofmap.attack}): for every distinct spec row {@code c} and both directions it runs
 *       projected sign-gradient ascent on {@code ±c·f(x)}, from several starts (the corners where the
 *       linear bounds under test attain their extremes, the best point found so far, uniform points),
 *       with a step that shrinks from half the box width to 1% of it. Gradients come from central finite
 *       differences (the probe points are checked too) when the box has at most
 *       {@link Options#finiteDifferenceDimLimit} inputs (the 5-input models), otherwise from
 *       {@link GradientPass}, exact back-propagation through the activations of the forward pass.
 * </ol>
 *
 * <p>Every point is evaluated once per box with a batched {@link ForwardPass} (capacity
 * {@link Options#batch}) and checked against every target (all methods and specs at once): the row values {@code C·f(x)} must lie in {@code [lower, upper]}, and,
 * for methods that return them, the linear bounds {@code lowerA·x + lowerB <= C·f(x) <= upperA·x + upperB}
 * must hold at the point. Slack is {@code 1e-9·(1 + |bound|)} (absolute plus relative); for a linear
 * bound the magnitude is {@code |b| + Σ|a_i|·max(|lo_i|, |hi_i|)}, which bounds every term's size on
 * the box. A NaN anywhere counts as a violation.
 *
 * <p>The verdict only ever comes from the forward pass: the search can miss a violation, never invent
 * one.
 */
final class SoundnessChecker {
    static final double SLACK = 1e-9;

    /** Sampling settings. */
    record Options(int points, int cornerDimLimit, int randomCorners, int searchPoints, int searchSteps,
            int finiteDifferenceDimLimit, int batch, long seed) {
        static Options defaults(long seed) {
            return new Options(10_000, 10, 200, 4_000, 20, 16, 1000, seed);
        }
    }

    /** Bounds to check: {@code bounds} are claimed for {@code spec} over the checker's box. */
    record Target(String label, Spec spec, Bounds bounds) {}

    /** What the points showed about one target. */
    static final class TargetResult {
        final Target target;
        final double[] sampledMin;
        final double[] sampledMax;
        int violations;
        double worstExcess = Double.NEGATIVE_INFINITY;
        String worst;

        TargetResult(Target t) {
            this.target = t;
            int r = t.spec().rows();
            sampledMin = new double[r];
            sampledMax = new double[r];
            Arrays.fill(sampledMin, Double.POSITIVE_INFINITY);
            Arrays.fill(sampledMax, Double.NEGATIVE_INFINITY);
        }

        boolean sound() {
            return violations == 0;
        }

        /** A readable account: the number of violations and the worst one. */
        String describe() {
            if (violations > 0) {
                return target.label() + ": " + violations + " violation(s); worst: " + worst;
            }
            return target.label() + ": sound on all points";
        }
    }

    /** The outcome of one run. */
    record Report(List<TargetResult> results, int points, int searchPoints, int probePoints, double seconds) {
        boolean allSound() {
            return results.stream().allMatch(TargetResult::sound);
        }

        TargetResult result(String label) {
            return results.stream().filter(r -> r.target.label().equals(label)).findFirst().orElseThrow();
        }
    }

    private final Graph graph;
    private final InputDomain domain;
    private final Options options;
    private final double[] lo;
    private final double[] hi;
    private final int n;
    private final int outSize;

    SoundnessChecker(Graph graph, InputDomain domain, Options options) {
        this.graph = graph;
        this.domain = domain;
        this.options = options;
        this.lo = domain.lower();
        this.hi = domain.upper();
        this.n = lo.length;
        this.outSize = graph.outputSize();
    }

    // ----- per-run state

    private ForwardPass fp;
    private List<TargetResult> results;
    /** Cached linear-bound coefficients per target: [target][row] (null when the method has none). */
    private double[][][] lowA;
    private double[][][] upA;
    /** Per target and row, the magnitude that scales the slack of the linear bounds. */
    private double[][] lowMag;
    private double[][] upMag;
    /** Distinct spec rows; objective o = 2*row + (0: maximise, 1: minimise). */
    private List<double[]> objectiveRows;
    private double[] bestValue;
    private double[][] bestPoint;
    private int evaluated;
    private int probes;
    private String phase;

    /** Runs the whole procedure against {@code targets} (all for the same graph and box). */
    Report run(List<Target> targets) {
        long t0 = System.nanoTime();
        Random rng = new Random(options.seed());
        fp = new ForwardPass(graph, options.batch());
        results = new ArrayList<>();
        lowA = new double[targets.size()][][];
        upA = new double[targets.size()][][];
        lowMag = new double[targets.size()][];
        upMag = new double[targets.size()][];
        objectiveRows = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Target tg = targets.get(t);
            if (tg.spec().outputs() != outSize || tg.bounds().rows() != tg.spec().rows()) {
                throw new IllegalArgumentException(tg.label() + ": spec/bounds do not fit the model");
            }
            results.add(new TargetResult(tg));
            Bounds b = tg.bounds();
            if (b.hasLinearBounds()) {
                lowA[t] = new double[b.rows()][];
                upA[t] = new double[b.rows()][];
                lowMag[t] = new double[b.rows()];
                upMag[t] = new double[b.rows()];
                for (int r = 0; r < b.rows(); r++) {
                    lowA[t][r] = b.lowerCoefficients(r);
                    upA[t][r] = b.upperCoefficients(r);
                    lowMag[t][r] = magnitude(lowA[t][r], b.lowerConstant(r));
                    upMag[t][r] = magnitude(upA[t][r], b.upperConstant(r));
                }
            }
            for (int r = 0; r < tg.spec().rows(); r++) {
                double[] row = tg.spec().row(r);
                if (objectiveRows.stream().noneMatch(x -> Arrays.equals(x, row))) {
                    objectiveRows.add(row);
                }
            }
        }
        int objectives = 2 * objectiveRows.size();
        bestValue = new double[objectives];
        Arrays.fill(bestValue, Double.NEGATIVE_INFINITY);
        bestPoint = new double[objectives][];
        evaluated = 0;
        probes = 0;

        // 1. corners
        phase = "corner";
        int free = 0;
        for (int i = 0; i < n; i++) {
            if (hi[i] > lo[i]) {
                free++;
            }
        }
        int[] freeDims = new int[free];
        for (int i = 0, k = 0; i < n; i++) {
            if (hi[i] > lo[i]) {
                freeDims[k++] = i;
            }
        }
        if (free <= options.cornerDimLimit()) {
            int count = 1 << free;
            double[] xs = new double[count * n];
            for (int c = 0; c < count; c++) {
                System.arraycopy(lo, 0, xs, c * n, n);
                for (int k = 0; k < free; k++) {
                    int i = freeDims[k];
                    xs[c * n + i] = ((c >> k) & 1) != 0 ? hi[i] : lo[i];
                }
            }
            evaluate(xs, count);
        } else {
            int count = options.randomCorners();
            double[] xs = new double[count * n];
            for (int c = 0; c < count; c++) {
                for (int i = 0; i < n; i++) {
                    xs[c * n + i] = rng.nextBoolean() ? hi[i] : lo[i];
                }
            }
            evaluate(xs, count);
        }

        // 2. uniform samples
        phase = "uniform";
        int searchTotal = startsPerObjective() * objectives * (options.searchSteps() + 1);
        int uniform = Math.max(0, options.points() - evaluated - searchTotal);
        while (uniform > 0) {
            int count = Math.min(uniform, options.batch());
            evaluate(uniformPoints(rng, count), count);
            uniform -= count;
        }

        // 3. search
        int before = evaluated;
        search(rng, targets);
        int searchPoints = evaluated - before - probes;
        return new Report(results, evaluated, searchPoints, probes, (System.nanoTime() - t0) / 1e9);
    }

    private double[] uniformPoints(Random rng, int count) {
        double[] xs = new double[count * n];
        for (int c = 0; c < count; c++) {
            for (int i = 0; i < n; i++) {
                xs[c * n + i] = lo[i] + rng.nextDouble() * (hi[i] - lo[i]);
            }
        }
        return xs;
    }

    private int startsPerObjective() {
        return Math.max(1, options.searchPoints() / (2 * objectiveRows.size() * (options.searchSteps() + 1)));
    }

    /** Projected sign-gradient ascent on every objective, from several starts each. */
    private void search(Random rng, List<Target> targets) {
        int objectives = 2 * objectiveRows.size();
        int steps = options.searchSteps();
        int perObjective = startsPerObjective();
        List<double[]> starts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int o = 0; o < objectives; o++) {
            double[] row = objectiveRows.get(o / 2);
            boolean maximise = o % 2 == 0;
            List<double[]> mine = new ArrayList<>();
            // Corners where the linear bounds under test are attained for this row and direction.
            for (int t = 0; t < targets.size() && mine.size() < perObjective; t++) {
                if (lowA[t] == null) {
                    continue;
                }
                Spec spec = targets.get(t).spec();
                for (int r = 0; r < spec.rows(); r++) {
                    if (!Arrays.equals(spec.row(r), row)) {
                        continue;
                    }
                    double[] a = maximise ? upA[t][r] : lowA[t][r];
                    double[] x = new double[n];
                    for (int i = 0; i < n; i++) {
                        boolean high = maximise ? a[i] > 0 : a[i] < 0;
                        x[i] = high ? hi[i] : lo[i];
                    }
                    if (mine.stream().noneMatch(y -> Arrays.equals(y, x))) {
                        mine.add(x);
                    }
                }
            }
            if (bestPoint[o] != null && mine.size() < perObjective) {
                mine.add(bestPoint[o].clone());
            }
            while (mine.size() < perObjective) {
                mine.add(uniformPoints(rng, 1));
            }
            for (int k = 0; k < perObjective; k++) {
                starts.add(mine.get(k));
                owner.add(o);
            }
        }
        int total = starts.size();
        double[] xs = new double[total * n];
        int[] obj = new int[total];
        for (int k = 0; k < total; k++) {
            System.arraycopy(starts.get(k), 0, xs, k * n, n);
            obj[k] = owner.get(k);
        }
        phase = "search-start";
        evaluate(xs, total);
        for (int s = 0; s < steps; s++) {
            double frac = steps == 1 ? 1 : (double) s / (steps - 1);
            double stepSize = 0.5 * Math.pow(0.02, frac); // 0.5 -> 0.01 of the box width
            double[] g = gradient(xs, obj, total);
            for (int k = 0; k < total; k++) {
                for (int i = 0; i < n; i++) {
                    double gi = g[k * n + i];
                    if (gi == 0.0 || !(hi[i] > lo[i])) {
                        continue;
                    }
                    double x = xs[k * n + i] + Math.signum(gi) * stepSize * (hi[i] - lo[i]);
                    xs[k * n + i] = Math.min(hi[i], Math.max(lo[i], x));
                }
            }
            phase = "search step " + (s + 1);
            evaluate(xs, total);
        }
    }

    /** Gradient of each point's objective, {@code total × n}. */
    private double[] gradient(double[] xs, int[] obj, int total) {
        double[] g = new double[total * n];
        if (n <= options.finiteDifferenceDimLimit()) {
            String saved = phase;
            phase = "finite-difference probe";
            int free = 0;
            for (int i = 0; i < n; i++) {
                if (hi[i] > lo[i]) {
                    free++;
                }
            }
            double[] probe = new double[total * 2 * free * n];
            double[] dx = new double[total * free];
            int p = 0;
            for (int k = 0; k < total; k++) {
                int f = 0;
                for (int i = 0; i < n; i++) {
                    if (!(hi[i] > lo[i])) {
                        continue;
                    }
                    double h = 1e-4 * (hi[i] - lo[i]);
                    double x = xs[k * n + i];
                    double xp = Math.min(hi[i], x + h);
                    double xm = Math.max(lo[i], x - h);
                    System.arraycopy(xs, k * n, probe, p * n, n);
                    probe[p * n + i] = xp;
                    p++;
                    System.arraycopy(xs, k * n, probe, p * n, n);
                    probe[p * n + i] = xm;
                    p++;
                    dx[k * free + f++] = xp - xm;
                }
            }
            double[] y = evaluate(probe, p);
            probes += p;
            phase = saved;
            p = 0;
            for (int k = 0; k < total; k++) {
                double[] row = objectiveRows.get(obj[k] / 2);
                double sign = obj[k] % 2 == 0 ? 1 : -1;
                int f = 0;
                for (int i = 0; i < n; i++) {
                    if (!(hi[i] > lo[i])) {
                        continue;
                    }
                    double vp = dot(row, y, p * outSize);
                    double vm = dot(row, y, (p + 1) * outSize);
                    p += 2;
                    g[k * n + i] = sign * (vp - vm) / dx[k * free + f++];
                }
            }
            return g;
        }
        int batch = options.batch();
        GradientPass gp = new GradientPass(graph, batch);
        for (int from = 0; from < total; from += batch) {
            int count = Math.min(batch, total - from);
            double[] chunk = Arrays.copyOfRange(xs, from * n, (from + count) * n);
            double[] seed = new double[count * outSize];
            for (int k = 0; k < count; k++) {
                double[] row = objectiveRows.get(obj[from + k] / 2);
                double sign = obj[from + k] % 2 == 0 ? 1 : -1;
                for (int j = 0; j < outSize; j++) {
                    seed[k * outSize + j] = sign * row[j];
                }
            }
            double[] gc = gp.gradient(chunk, seed, count);
            System.arraycopy(gc, 0, g, from * n, count * n);
        }
        return g;
    }

    private static double dot(double[] row, double[] y, int off) {
        double s = 0;
        for (int j = 0; j < row.length; j++) {
            s += row[j] * y[off + j];
        }
        return s;
    }

    /** Evaluates and checks {@code count} points; returns their outputs ({@code count × outSize}). */
    private double[] evaluate(double[] xs, int count) {
        double[] ys = new double[count * outSize];
        int batch = options.batch();
        for (int from = 0; from < count; from += batch) {
            int c = Math.min(batch, count - from);
            double[] chunk = Arrays.copyOfRange(xs, from * n, (from + c) * n);
            double[] out = fp.run(chunk, c);
            System.arraycopy(out, 0, ys, from * outSize, c * outSize);
            for (int k = 0; k < c; k++) {
                observe(chunk, k * n, ys, (from + k) * outSize);
            }
        }
        evaluated += count;
        return ys;
    }

    private void observe(double[] x, int xo, double[] y, int yo) {
        for (int o = 0; o < bestValue.length; o++) {
            double v = dot(objectiveRows.get(o / 2), y, yo);
            if (o % 2 == 1) {
                v = -v;
            }
            if (v > bestValue[o] || bestPoint[o] == null) {
                bestValue[o] = v;
                bestPoint[o] = Arrays.copyOfRange(x, xo, xo + n);
            }
        }
        for (int t = 0; t < results.size(); t++) {
            TargetResult res = results.get(t);
            Spec spec = res.target.spec();
            Bounds b = res.target.bounds();
            for (int r = 0; r < spec.rows(); r++) {
                double s = 0;
                for (int j = 0; j < outSize; j++) {
                    s += spec.get(r, j) * y[yo + j];
                }
                if (s < res.sampledMin[r]) {
                    res.sampledMin[r] = s;
                }
                if (s > res.sampledMax[r]) {
                    res.sampledMax[r] = s;
                }
                double l = b.lower(r);
                double u = b.upper(r);
                if (!(s >= l - SLACK * (1 + Math.abs(l)))) {
                    record(res, l - s, "row " + spec.name(r) + ": value " + s + " below lower bound " + l, x, xo);
                }
                if (!(s <= u + SLACK * (1 + Math.abs(u)))) {
                    record(res, s - u, "row " + spec.name(r) + ": value " + s + " above upper bound " + u, x, xo);
                }
                if (lowA[t] != null) {
                    double lv = b.lowerConstant(r) + dot4(lowA[t][r], x, xo);
                    double uv = b.upperConstant(r) + dot4(upA[t][r], x, xo);
                    if (!(s >= lv - SLACK * (1 + lowMag[t][r]))) {
                        record(res, lv - s, "row " + spec.name(r) + ": value " + s + " below the linear lower bound "
                                + lv, x, xo);
                    }
                    if (!(s <= uv + SLACK * (1 + upMag[t][r]))) {
                        record(res, s - uv, "row " + spec.name(r) + ": value " + s + " above the linear upper bound "
                                + uv, x, xo);
                    }
                }
            }
        }
    }

    /** {@code a·x[xo..xo+n)} with four accumulators. */
    private double dot4(double[] a, double[] x, int xo) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * x[xo + i];
            s1 += a[i + 1] * x[xo + i + 1];
            s2 += a[i + 2] * x[xo + i + 2];
            s3 += a[i + 3] * x[xo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * x[xo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code |b| + Σ|a_i|·max(|lo_i|, |hi_i|)}: bounds the magnitude of every term of a linear bound on the box. */
    private double magnitude(double[] a, double b) {
        double m = Math.abs(b);
        for (int i = 0; i < n; i++) {
            m += Math.abs(a[i]) * Math.max(Math.abs(lo[i]), Math.abs(hi[i]));
        }
        return m;
    }

    private void record(TargetResult res, double excess, String what, double[] x, int xo) {
        res.violations++;
        if (Double.isNaN(excess)) {
            excess = Double.POSITIVE_INFINITY;
        }
        if (excess > res.worstExcess || res.worst == null) {
            res.worstExcess = excess;
            int shown = Math.min(n, 8);
            StringBuilder sb = new StringBuilder(what).append(" (by ").append(excess).append(") at a ").append(phase)
                    .append(" point x=[");
            for (int i = 0; i < shown; i++) {
                sb.append(i == 0 ? "" : ", ").append(x[xo + i]);
            }
            sb.append(shown < n ? ", ...]" : "]").append(" in ").append(domain.describe());
            res.worst = sb.toString();
        }
    }
}
