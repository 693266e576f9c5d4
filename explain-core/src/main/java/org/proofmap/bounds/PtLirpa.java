package org.proofmap.bounds;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;

/**
 * PT-LiRPA (Marzari, Cicalese and Farinelli, 2025): CROWN (or alpha-CROWN) whose intermediate bounds
 * are tightened by statistical estimates from sampling. <b>Probabilistic, not sound</b>: every
 * result says so in its settings ({@code probabilistic: true}, the confidence, the sample size and
 * the estimator).
 *
 * <ol>
 *   <li>Draw {@code n} points i.i.d. uniformly in the input box (seeded: reproducible) and run them
 *       through the model in batches, keeping for every element of every input of a nonlinear
 *       operator (the pre-activations) its {@code k + 1} largest and smallest values,
 *       {@code k = ceil(n^gamma)}.
 *   <li>Push each sample extreme outwards by the order-statistics bound of {@link ToleranceLimits}
 *       at failure probability {@code delta' = (1 - confidence)/m}, {@code m} the number of one-sided
 *       bounds estimated (union bound).
 *   <li>Intersect each estimate with CROWN's intermediate bound of that element, then recompute CROWN
 *       intermediate bounds layer by layer from the intersected ones, intersecting again
 *       ({@link BoundPropagation#computeIntermediateBounds(double[][], double[][])}).
 *   <li>Run the final CROWN (or alpha-CROWN) pass on these intermediate bounds, and keep per spec row
 *       the tighter of it and plain CROWN's bound: never looser than CROWN.
 * </ol>
 *
 * <p><b>What the confidence means.</b> The randomness is that of the sampling only (the seed). Let
 * {@code E} be the event that every estimated one-sided intermediate bound is at least the true
 * extreme of its element over the whole box. Under the power-tail assumption of
 * {@link ToleranceLimits} with tail index at most {@code maxTailIndex} for every element, {@code
 * P(E) >= confidence} (each bound fails with probability at most {@code delta'}; union bound), and on
 * {@code E} the returned bounds are sound for every input of the box (the intersections with sound
 * CROWN bounds and the CROWN passes keep soundness given valid intermediate bounds). Without the
 * assumption, the distribution-free part that holds is Wilks': with probability {@code >= 1 -
 * delta'} each bound is exceeded on at most a fraction {@code 1 - q} of the box
 * ({@code wilks_coverage = q} in the settings). For the first layers of wide-input models the
 * assumption fails (an affine function of 784 inputs has tail index near 784 at a box corner); the
 * estimate then bounds the values the sampling distribution reaches with overwhelming probability,
 * not the worst case, exactly as in the paper.
 *
 * <p><b>Measured consequence</b> (bench/RESULTS.md): on the mnist_fc nets at the default settings,
 * PGD finds real counterexamples inside most radii that PT-LiRPA "certifies" (15-17 of 20 images
 * per net): uniform samples of a 784-dimensional box never come near its adversarial corners, so the
 * estimated intermediate bounds are far too tight for the worst case, and the confidence above is
 * a statement about the sampling distribution only. With {@code maxTailIndex} 50 the gain over
 * CROWN drops to about 2% and PGD found no counterexample on the images tried; with the tail index
 * a piecewise-linear function of {@code d} uniform inputs really has near a box corner
 * ({@code d = 784}) it is CROWN. {@code PtLirpaTest} pins one such counterexample.
 */
public final class PtLirpa implements BoundMethod {
    /**
     * Settings. {@code samples} n, {@code confidence} the probability that all intermediate
     * estimates hold (see the class comment), {@code gamma} the exponent of {@code k = n^gamma},
     * {@code maxTailIndex} the tail index assumed (the largest for which the
     * endpoint bound holds), {@code seed} the sampling seed,
     * {@code alpha} whether the final pass is alpha-CROWN instead of CROWN.
     */
    public record Options(int samples, double confidence, double gamma, double maxTailIndex, long seed,
            boolean alpha) {
        public Options {
            if (samples < 3) {
                throw new IllegalArgumentException("PT-LiRPA needs at least 3 samples, found " + samples);
            }
            if (!(confidence > 0 && confidence < 1)) {
                throw new IllegalArgumentException("the confidence must lie in (0, 1), found " + confidence);
            }
            if (!(gamma > 0 && gamma < 1)) {
                throw new IllegalArgumentException("gamma must lie in (0, 1), found " + gamma);
            }
            if (!(maxTailIndex >= 1)) {
                throw new IllegalArgumentException("the maximal tail index must be at least 1, found " + maxTailIndex);
            }
        }

        /** 1000 samples, confidence 0.99, gamma 0.75 (k = 178), tail index at most 10, seed 0, CROWN. */
        public static Options defaults() {
            return new Options(DEFAULT_SAMPLES, 0.99, 0.75, 10, 0, false);
        }

        public Options withSamples(int n) {
            return new Options(n, confidence, gamma, maxTailIndex, seed, alpha);
        }

        public Options withConfidence(double p) {
            return new Options(samples, p, gamma, maxTailIndex, seed, alpha);
        }

        public Options withGamma(double g) {
            return new Options(samples, confidence, g, maxTailIndex, seed, alpha);
        }

        public Options withSeed(long s) {
            return new Options(samples, confidence, gamma, maxTailIndex, s, alpha);
        }

        public Options withMaxTailIndex(double a) {
            return new Options(samples, confidence, gamma, a, seed, alpha);
        }

        public Options withAlpha(boolean a) {
            return new Options(samples, confidence, gamma, maxTailIndex, seed, a);
        }
    }

    /** Default sample size. */
    public static final int DEFAULT_SAMPLES = 1000;

    /** Samples per forward batch. */
    private static final int BATCH = 250;

    /** The estimator's name in the settings: the power-tail pivot of {@link ToleranceLimits}. */
    public static final String ESTIMATOR = "weibull-tail-pivot";

    private final Options options;

    public PtLirpa() {
        this(Options.defaults());
    }

    public PtLirpa(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    @Override
    public String name() {
        return "pt-lirpa";
    }

    /**
     * Estimated bounds of the inputs of nonlinear operators: per value id, lower and upper arrays
     * (null for values not estimated); {@code bounds} the number of one-sided bounds {@code m};
     * {@code factor} the widening factor of every bound; {@code lighterTails} how many bounds'
     * fitted tail index exceeds the assumed maximum (see {@link ToleranceLimits}).
     */
    public record Estimate(double[][] lo, double[][] hi, int bounds, int k, double perBoundDelta,
            double wilksCoverage, double factor, int lighterTails, double seconds) {}

    @Override
    public Bounds compute(BoundContext context, Spec spec) {
        long t0 = System.nanoTime();
        Graph graph = context.graph();
        Estimate est = estimate(graph, context.domain(), options);
        BoundPropagation crown = context.crownIntermediates();
        // Never looser than CROWN's intermediates: intersect first (sound bounds ∩ estimates).
        double[][] gl = new double[graph.valueCount()][];
        double[][] gh = new double[graph.valueCount()][];
        for (int v = 0; v < gl.length; v++) {
            if (est.lo[v] == null) {
                continue;
            }
            gl[v] = est.lo[v].clone();
            gh[v] = est.hi[v].clone();
            for (int i = 0; i < gl[v].length; i++) {
                gl[v][i] = Math.max(gl[v][i], crown.lo[v][i]);
                gh[v][i] = Math.min(gh[v][i], crown.hi[v][i]);
            }
        }
        BoundPropagation p = new BoundPropagation(graph, context.domain());
        p.computeIntermediateBounds(gl, gh);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("domain", context.domain().describe());
        settings.put("intermediate", "pt-lirpa");
        settings.put("probabilistic", true);
        settings.put("confidence", options.confidence());
        settings.put("samples", options.samples());
        settings.put("estimator", ESTIMATOR);
        settings.put("gamma", options.gamma());
        settings.put("top_k", est.k());
        settings.put("max_tail_index", options.maxTailIndex());
        settings.put("bounds_estimated", est.bounds());
        settings.put("per_bound_delta", est.perBoundDelta());
        settings.put("wilks_coverage", est.wilksCoverage());
        settings.put("widening_factor", est.factor());
        settings.put("fitted_tail_above_max", est.lighterTails());
        settings.put("seed", options.seed());
        settings.put("linearisation", options.alpha() ? "alpha-crown" : "crown");
        settings.put("sampling_seconds", est.seconds());
        Bounds pt;
        if (options.alpha()) {
            pt = new AlphaCrown().optimise(p, spec, settings, t0);
        } else {
            BoundPropagation.Linear lin = p.pairedBackward(graph.outputValue(), Crown.specRows(spec, graph),
                    spec.rows());
            pt = Crown.finish(lin, p, name(), settings, t0);
        }
        // Per row the tighter of this and plain CROWN (sound), so never looser than CROWN.
        Bounds plain = new Crown(false).compute(context, spec);
        return tighter(pt, plain, settings, t0);
    }

    private Bounds tighter(Bounds pt, Bounds plain, Map<String, Object> settings, long t0) {
        int r = pt.rows();
        double[] lower = new double[r];
        double[] upper = new double[r];
        double[][] la = new double[r][];
        double[][] ua = new double[r][];
        double[] lb = new double[r];
        double[] ub = new double[r];
        for (int i = 0; i < r; i++) {
            Bounds l = pt.lower(i) >= plain.lower(i) ? pt : plain;
            Bounds u = pt.upper(i) <= plain.upper(i) ? pt : plain;
            lower[i] = l.lower(i);
            la[i] = l.lowerCoefficients(i);
            lb[i] = l.lowerConstant(i);
            upper[i] = u.upper(i);
            ua[i] = u.upperCoefficients(i);
            ub[i] = u.upperConstant(i);
        }
        return new Bounds(lower, upper, la, lb, ua, ub, name(), settings, (System.nanoTime() - t0) / 1e9);
    }

    /** The values whose bounds CROWN's backward passes read: inputs of operators that need them. */
    static boolean[] estimatedValues(Graph graph) {
        boolean[] needs = new boolean[graph.valueCount()];
        for (Node n : graph.nodes()) {
            if (n.op().backwardNeedsInputBounds()) {
                for (int v : n.inputs()) {
                    needs[v] = v != 0; // the model input's bounds are the box itself
                }
            }
        }
        return needs;
    }

    /** Samples the box and estimates the intermediate bounds (steps 1 and 2 of the class comment). */
    public static Estimate estimate(Graph graph, InputDomain domain, Options o) {
        return estimate(graph, domain, o, true);
    }

    /**
     * {@link #estimate(Graph, InputDomain, Options)}, or with {@code widen} false the raw sample
     * extremes without the order-statistics correction: a deliberately broken estimator, so that the
     * repeated-trial test can show it would catch one.
     */
    static Estimate estimate(Graph graph, InputDomain domain, Options o, boolean widen) {
        long t0 = System.nanoTime();
        boolean[] needs = estimatedValues(graph);
        int n = o.samples();
        int k = ToleranceLimits.topCount(n, o.gamma());
        int keep = k + 1;
        int values = graph.valueCount();
        int m = 0;
        for (int v = 0; v < values; v++) {
            if (needs[v]) {
                m += 2 * graph.valueShape(v).size();
            }
        }
        double[][] lo = new double[values][];
        double[][] hi = new double[values][];
        if (m == 0) {
            return new Estimate(lo, hi, 0, k, Double.NaN, Double.NaN, 0, 0, (System.nanoTime() - t0) / 1e9);
        }
        double delta = (1 - o.confidence()) / m;
        // Chunks of BATCH samples, chunk c drawn from its own stream seeded by (seed, c), spread over
        // the cores, each task keeping per element the keep largest values and the keep largest
        // negated values; the merged top sets do not depend on the order, so the estimate depends
        // on the seed only, not on the number of threads.
        int chunks = (n + BATCH - 1) / BATCH;
        int tasks = BoundPropagation.PARALLEL ? Math.min(chunks, Runtime.getRuntime().availableProcessors()) : 1;
        TopValues[][][] perTask = new TopValues[tasks][][];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, tasks);
        (tasks > 1 ? range.parallel() : range).forEach(t -> {
            TopValues[][] h = newTopValues(graph, needs, keep);
            sample(graph, domain, o.seed(), n, t, tasks, needs, h);
            perTask[t] = h;
        });
        TopValues[] top = perTask[0][0];
        TopValues[] bottom = perTask[0][1];
        for (int t = 1; t < tasks; t++) {
            for (int v = 0; v < values; v++) {
                if (needs[v]) {
                    top[v].merge(perTask[t][0][v]);
                    bottom[v].merge(perTask[t][1][v]);
                }
            }
        }
        double factor = widen ? ToleranceLimits.wideningFactor(ToleranceLimits.pivotQuantile(k, delta), o.maxTailIndex())
                : 0;
        double[] sorted = new double[keep];
        double[] scratch = new double[k];
        int lighter = 0;
        for (int v = 0; v < values; v++) {
            if (!needs[v]) {
                continue;
            }
            int size = graph.valueShape(v).size();
            lo[v] = new double[size];
            hi[v] = new double[size];
            for (int i = 0; i < size; i++) {
                top[v].sortedDescending(i, sorted);
                hi[v][i] = ToleranceLimits.upperEndpoint(sorted, k, factor);
                lighter += ToleranceLimits.fittedTailIndex(sorted, k, scratch) > o.maxTailIndex() ? 1 : 0;
                bottom[v].sortedDescending(i, sorted);
                lo[v][i] = -ToleranceLimits.upperEndpoint(sorted, k, factor);
                lighter += ToleranceLimits.fittedTailIndex(sorted, k, scratch) > o.maxTailIndex() ? 1 : 0;
            }
        }
        double q = ToleranceLimits.wilksCoverage(n, delta);
        return new Estimate(lo, hi, m, k, delta, q, factor, lighter, (System.nanoTime() - t0) / 1e9);
    }

    private static TopValues[][] newTopValues(Graph graph, boolean[] needs, int keep) {
        TopValues[][] h = new TopValues[2][graph.valueCount()];
        for (int v = 0; v < needs.length; v++) {
            if (needs[v]) {
                h[0][v] = new TopValues(graph.valueShape(v).size(), keep);
                h[1][v] = new TopValues(graph.valueShape(v).size(), keep);
            }
        }
        return h;
    }

    /** Draws and runs chunks {@code t, t + tasks, ...} of the {@code n} samples into the top-value pools {@code h}. */
    private static void sample(Graph graph, InputDomain domain, long seed, int n, int t, int tasks, boolean[] needs,
            TopValues[][] h) {
        int d = graph.inputSize();
        double[] l = domain.lower();
        double[] u = domain.upper();
        ForwardPass pass = new ForwardPass(graph, Math.min(BATCH, n));
        double[] x = new double[Math.min(BATCH, n) * d];
        for (int c = t; c * BATCH < n; c += tasks) {
            int b = Math.min(BATCH, n - c * BATCH);
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + c);
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < d; i++) {
                    x[s * d + i] = l[i] + (u[i] - l[i]) * rng.nextDouble();
                }
            }
            pass.run(x, b);
            for (int v = 0; v < needs.length; v++) {
                if (needs[v]) {
                    double[] buf = pass.valueBuffer(v);
                    h[0][v].offer(buf, b, 1.0);
                    h[1][v].offer(buf, b, -1.0);
                }
            }
        }
    }
}
