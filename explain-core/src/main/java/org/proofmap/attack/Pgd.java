package org.proofmap.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.InputDomain;
import org.proofmap.model.GradientPass;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

/**
 * Projected gradient descent (Madry et al.) over an input box, towards an unsafe output region
 * given as disjuncts {@code C_D·y <= d_D}.
 *
 * <p>Objective: {@code f(x) = min_D f_D(x)} with {@code f_D(x) = max_r (C_{D,r}·y(x) − d_{D,r})}; the
 * attack succeeds when {@code f(x) <= 0}. Each step follows the subgradient of {@code f}: the gradient
 * of the maximising row of the currently best disjunct, computed by a {@link GradientPass}. Steps
 * are taken in coordinates normalised by the box width ({@code u_i = (x_i − lower_i) / width_i}), so
 * every coordinate moves by at most {@code stepFraction · width_i}; projection is clipping to
 * {@code [lower, upper]}. Coordinates with {@code lower == upper} never move, so a
 * {@link org.proofmap.bounds.FeatureSubsetBox} keeps its non-free features at the centre exactly.
 *
 * <p>All restarts advance together in one batch: the first starts at the box centre, the others at
 * uniform random points drawn from the seed, diversified by ODI steps (see {@link Options}); each
 * restart may steer by one disjunct of its own ({@code perTarget}). Only the restarts whose
 * maximising row changed since the previous step need a second gradient pass. The inner loop allocates nothing in this class.
 *
 * <p>Every counterexample is re-checked by {@link AttackResult#checked} before it is returned.
 */
public final class Pgd {
    /** The attack's name in provenance. */
    public static final String NAME = "pgd";

    /** Marks a restart whose weights are its ODI direction rather than an objective row. */
    private static final int ODI_ROW = -2;
    /**
     * ODI's step as a fraction of the box width: half of it, Tashiro et al.'s step of eps in an
     * L-inf ball of radius eps, so a few steps reach a diverse, mostly saturated point.
     */
    private static final double ODI_STEP_FRACTION = 0.5;

    private Pgd() {}

    /** How the step size evolves over the steps. */
    public enum Schedule {
        /** {@code stepFraction} throughout. */
        CONSTANT,
        /** Cosine decay from {@code stepFraction} at step 0 to 0 at the last step. */
        COSINE,
        /**
         * Per restart: the step halves, and the restart jumps back to its best point, when its
         * objective has not improved for {@code max(2, steps / 10)} steps.
         */
        HALVE_ON_STALL
    }

    /**
     * Settings of a PGD attack.
     *
     * @param steps gradient steps per restart (default 100)
     * @param restarts starting points, advanced together in one batch; the first is the box centre,
     *     the others uniform random (default 10)
     * @param stepFraction the initial step as a fraction of each coordinate's box width (default
     *     0.1). In an L-inf ball of radius eps that is {@code 0.2·eps}, eight times Madry's
     *     {@code 2.5·eps/steps} for 100 steps, since the default schedule shrinks it as progress
     *     stalls
     * @param schedule how the step evolves (default {@link Schedule#HALVE_ON_STALL}). Chosen on the
     *     VNN-COMP benchmarks with 100 steps and 10 restarts: of the 47 {@code sat} ACAS Xu
     *     instances, halving from 0.1 found 38, cosine decay from 0.1 found 32 and Madry's constant
     *     step ({@code 0.025} of the width) 33; on the 8 {@code sat} instances of mnist-net_256x2
     *     they found 6, 5 and 5
     * @param signGradient L-inf steps {@code −step·width_i·sign(g_i)} (default); otherwise the
     *     width-scaled gradient normalised so its largest coordinate moves {@code step·width_i}
     * @param earlyStop stop at the first (re-checked) counterexample (default); otherwise run every
     *     step and return the point with the lowest objective
     * @param seed seeds the random starts: the same seed gives the same result (default 0)
     * @param timeLimitSeconds wall-time budget, checked once per step (default: none, infinity)
     * @param perTarget restart {@code s} steers by disjunct {@code s mod D} alone, rather than by
     *     whichever disjunct is currently lowest (default); success is still any disjunct holding.
     *     It helps when a disjunct that scores low cannot hold, but each disjunct then gets only
     *     {@code restarts / D} restarts: on mnist_fc and ACAS Xu it found nothing more (see
     *     bench/RESULTS.md, 2026-11-26), so it is off by default
     * @param odiSteps output-diversified initialisation (Tashiro et al. 2020; default 5): the random
     *     restarts first take this many steps of half the box width each that minimise
     *     {@code w·y} for a random {@code w ∈ [−1, 1]^outputs} of their own, and count among
     *     {@code steps}. The centre restart skips it. On mnist_fc it finds every sat instance
     *     (plain PGD missed 4 of 14, among them 256x4 prop_6_0.05 with each of 20 seeds); 2 or 10
     *     steps missed 256x6 prop_1_0.05 with most seeds (bench/RESULTS.md, 2026-11-26)
     */
    public record Options(int steps, int restarts, double stepFraction, Schedule schedule, boolean signGradient,
            boolean earlyStop, long seed, double timeLimitSeconds, boolean perTarget, int odiSteps) {
        public Options {
            if (steps < 0) {
                throw new IllegalArgumentException("steps must be non-negative, found " + steps);
            }
            if (restarts < 1) {
                throw new IllegalArgumentException("restarts must be at least 1, found " + restarts);
            }
            if (!(stepFraction > 0) || Double.isInfinite(stepFraction)) {
                throw new IllegalArgumentException("stepFraction must be positive and finite, found " + stepFraction);
            }
            if (schedule == null) {
                throw new IllegalArgumentException("schedule must not be null");
            }
            if (!(timeLimitSeconds > 0)) {
                throw new IllegalArgumentException("timeLimitSeconds must be positive, found " + timeLimitSeconds);
            }
            if (odiSteps < 0) {
                throw new IllegalArgumentException("odiSteps must be non-negative, found " + odiSteps);
            }
        }

        /** The defaults listed above. */
        public static Options defaults() {
            return new Options(100, 10, 0.1, Schedule.HALVE_ON_STALL, true, true, 0L, Double.POSITIVE_INFINITY,
                    false, 5);
        }

        public Options withSteps(int v) {
            return new Options(v, restarts, stepFraction, schedule, signGradient, earlyStop, seed, timeLimitSeconds,
                    perTarget, odiSteps);
        }

        public Options withRestarts(int v) {
            return new Options(steps, v, stepFraction, schedule, signGradient, earlyStop, seed, timeLimitSeconds,
                    perTarget, odiSteps);
        }

        public Options withStepFraction(double v) {
            return new Options(steps, restarts, v, schedule, signGradient, earlyStop, seed, timeLimitSeconds,
                    perTarget, odiSteps);
        }

        public Options withSchedule(Schedule v) {
            return new Options(steps, restarts, stepFraction, v, signGradient, earlyStop, seed, timeLimitSeconds,
                    perTarget, odiSteps);
        }

        public Options withSignGradient(boolean v) {
            return new Options(steps, restarts, stepFraction, schedule, v, earlyStop, seed, timeLimitSeconds,
                    perTarget, odiSteps);
        }

        public Options withEarlyStop(boolean v) {
            return new Options(steps, restarts, stepFraction, schedule, signGradient, v, seed, timeLimitSeconds,
                    perTarget, odiSteps);
        }

        public Options withSeed(long v) {
            return new Options(steps, restarts, stepFraction, schedule, signGradient, earlyStop, v, timeLimitSeconds,
                    perTarget, odiSteps);
        }

        public Options withTimeLimitSeconds(double v) {
            return new Options(steps, restarts, stepFraction, schedule, signGradient, earlyStop, seed, v, perTarget,
                    odiSteps);
        }

        public Options withPerTarget(boolean v) {
            return new Options(steps, restarts, stepFraction, schedule, signGradient, earlyStop, seed,
                    timeLimitSeconds, v, odiSteps);
        }

        public Options withOdiSteps(int v) {
            return new Options(steps, restarts, stepFraction, schedule, signGradient, earlyStop, seed,
                    timeLimitSeconds, perTarget, v);
        }
    }

    /**
     * Searches {@code domain} for an input whose output satisfies some disjunct of {@code unsafe}
     * (each disjunct a conjunction {@code C·y <= d} over the model's outputs).
     */
    public static AttackResult attack(Graph graph, InputDomain domain, List<OutputConstraint> unsafe,
            Options options) {
        return run(graph, domain, new Objective(unsafe, graph.outputSize()), options, Map.of());
    }

    /**
     * Searches for a misclassification: an input where some class {@code j != label} scores at
     * least as high as {@code label} (disjuncts {@code y_label − y_j <= 0}).
     */
    public static AttackResult misclassify(Graph graph, InputDomain domain, int label, Options options) {
        return attack(graph, domain, misclassification(label, graph.outputSize()), options);
    }

    /** Searches the case's input box for an output in one of its disjuncts. */
    public static AttackResult violate(Graph graph, PropertyCase pc, Options options) {
        return attack(graph, caseBox(pc), pc.disjuncts(), options);
    }

    /**
     * Attacks the cases of {@code property} in order, each with the same options (the time limit is
     * shared), and returns the first counterexample, or when there is none the {@code NOT_FOUND}
     * result with the lowest objective. The provenance names the case ({@code case} setting); the
     * disjunct index is within that case.
     */
    public static AttackResult violate(Graph graph, Property property, Options options) {
        long t0 = System.nanoTime();
        AttackResult best = null;
        List<PropertyCase> cases = property.cases();
        for (int i = 0; i < cases.size(); i++) {
            double left = options.timeLimitSeconds() - (System.nanoTime() - t0) * 1e-9;
            if (left <= 0) {
                break;
            }
            PropertyCase pc = cases.get(i);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("property", property.source());
            extra.put("case", i);
            AttackResult r = run(graph, caseBox(pc), new Objective(pc.disjuncts(), graph.outputSize()),
                    options.withTimeLimitSeconds(left), extra);
            if (r.found()) {
                return r;
            }
            if (best == null || r.objective() < best.objective()) {
                best = r;
            }
        }
        if (best == null) {
            Map<String, Object> s = settings(options, null, 0);
            s.put("property", property.source());
            return AttackResult.notFound(Double.POSITIVE_INFINITY, new AttackResult.Provenance(NAME, s, options.seed()),
                    0, 0, (System.nanoTime() - t0) * 1e-9, cases.isEmpty() ? "the property has no case" : "time limit");
        }
        return best;
    }

    /** Disjuncts {@code y_label − y_j <= 0} for every {@code j != label}. */
    public static List<OutputConstraint> misclassification(int label, int outputs) {
        if (label < 0 || label >= outputs) {
            throw new IllegalArgumentException("label " + label + " outside 0.." + (outputs - 1));
        }
        List<OutputConstraint> list = new ArrayList<>();
        for (int j = 0; j < outputs; j++) {
            if (j != label) {
                double[] row = new double[outputs];
                row[label] = 1;
                row[j] = -1;
                list.add(new OutputConstraint(outputs, new double[][] {row}, new double[] {0}));
            }
        }
        return list;
    }

    static Box caseBox(PropertyCase pc) {
        return new Box(pc.inputLower(), pc.inputUpper(), "vnnlib-case");
    }

    /** Checks the domain against the model and returns the box widths. */
    static double[] widths(Graph graph, InputDomain domain) {
        int n = graph.inputSize();
        double[] lo = domain.lower();
        double[] hi = domain.upper();
        if (lo.length != n || hi.length != n) {
            throw new IllegalArgumentException("the domain has " + lo.length + " features but the model takes " + n);
        }
        double[] width = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(lo[i]) || !Double.isFinite(hi[i]) || lo[i] > hi[i]) {
                throw new IllegalArgumentException("the attack needs a finite box; feature " + i + " has ["
                        + lo[i] + ", " + hi[i] + "]");
            }
            width[i] = hi[i] - lo[i];
        }
        return width;
    }

    private static Map<String, Object> settings(Options o, InputDomain domain, int disjuncts) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (domain != null) {
            s.put("domain", domain.describe());
            s.put("disjuncts", disjuncts);
        }
        s.put("steps", o.steps());
        s.put("restarts", o.restarts());
        s.put("stepFraction", o.stepFraction());
        s.put("schedule", o.schedule().name());
        s.put("signGradient", o.signGradient());
        s.put("earlyStop", o.earlyStop());
        s.put("timeLimitSeconds", o.timeLimitSeconds());
        s.put("perTarget", o.perTarget());
        s.put("odiSteps", o.odiSteps());
        return s;
    }

    /** The attack with a given objective (tests may pass a doctored one). */
    static AttackResult run(Graph graph, InputDomain domain, Objective obj, Options o, Map<String, Object> extra) {
        long t0 = System.nanoTime();
        final double[] lo = domain.lower();
        final double[] hi = domain.upper();
        final double[] width = widths(graph, domain);
        final int n = graph.inputSize();
        final int m = graph.outputSize();
        final int batch = o.restarts();
        Map<String, Object> settings = settings(o, domain, obj.disjunctCount());
        settings.putAll(extra);
        AttackResult.Provenance prov = new AttackResult.Provenance(NAME, settings, o.seed());

        // ----- buffers, all allocated once
        final double[] x = new double[batch * n];
        final double[] grad = new double[batch * n];
        final double[] w = new double[batch * m];
        final double[] xs = new double[batch * n];
        final double[] ws = new double[batch * m];
        final double[] bestX = new double[batch * n];
        final double[] bestV = new double[batch];
        final double[] scale = new double[batch];
        final int[] stall = new int[batch];
        final int[] row = new int[batch];
        final int[] changed = new int[batch];
        final int[] where = new int[2];
        final double[] candidate = new double[n];
        // The lowest objective f over every point evaluated, and that point: what a NOT_FOUND result
        // reports. bestV/bestX hold each restart's steering value, which per-target is f_k >= f.
        final double[] lowestX = new double[n];
        double lowestF = Double.POSITIVE_INFINITY;
        Arrays.fill(bestV, Double.POSITIVE_INFINITY);
        Arrays.fill(scale, 1.0);
        Arrays.fill(row, Integer.MIN_VALUE); // unknown: every restart needs a gradient pass at step 0
        final int patience = Math.max(2, o.steps() / 10);

        Random rng = new Random(o.seed());
        for (int i = 0; i < n; i++) {
            x[i] = lo[i] + 0.5 * width[i];
        }
        for (int s = 1; s < batch; s++) {
            for (int i = 0; i < n; i++) {
                x[s * n + i] = Math.min(hi[i], lo[i] + rng.nextDouble() * width[i]);
            }
        }
        // Per-target: every disjunct gets descents of its own; with the aggregated min, all
        // restarts chase whichever disjunct is lowest near their start, often the same one.
        final int disjuncts = obj.disjunctCount();
        final boolean perTarget = o.perTarget() && disjuncts > 1;
        // ODI: uniform random starts in a high-dimensional box give nearly the same outputs, so
        // their descents tend to end alike; a random output direction spreads them out first.
        final int odiSteps = batch > 1 ? Math.min(o.odiSteps(), o.steps()) : 0;
        final double[] odiW = new double[batch * m];
        for (int q = m; q < odiW.length; q++) {
            odiW[q] = 2 * rng.nextDouble() - 1;
        }

        GradientPass gp = new GradientPass(graph, batch);
        String note = "";
        int t = 0;
        while (true) {
            double[] g = gp.gradient(x, w, batch);
            double[] y = gp.output();
            int nChanged = 0;
            int winner = -1;
            double winnerV = 0;
            final boolean odi = t < odiSteps;
            for (int s = 0; s < batch; s++) {
                double v = obj.evaluate(y, s * m, where);
                if (v < lowestF) {
                    lowestF = v;
                    System.arraycopy(x, s * n, lowestX, 0, n);
                }
                if (v <= 0 && (winner < 0 || v < winnerV)) {
                    winner = s;
                    winnerV = v;
                }
                if (odi && s > 0) {
                    // ODI phase: steer by the random direction; the best point starts after it.
                    if (row[s] != ODI_ROW) {
                        row[s] = ODI_ROW;
                        System.arraycopy(odiW, s * m, w, s * m, m);
                        changed[nChanged++] = s;
                    } else {
                        System.arraycopy(g, s * n, grad, s * n, n);
                    }
                    continue;
                }
                if (perTarget) {
                    v = obj.evaluateDisjunct(s % disjuncts, y, s * m, where);
                }
                if (v < bestV[s]) {
                    if (v < bestV[s] - 1e-9 * Math.max(1.0, Math.abs(bestV[s]))) {
                        stall[s] = 0;
                    } else {
                        stall[s]++;
                    }
                    bestV[s] = v;
                    System.arraycopy(x, s * n, bestX, s * n, n);
                } else {
                    stall[s]++;
                }
                int r = where[1];
                if (r != row[s]) {
                    row[s] = r;
                    obj.rowWeights(r, w, s * m);
                    changed[nChanged++] = s;
                } else {
                    System.arraycopy(g, s * n, grad, s * n, n);
                }
            }
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            if (winner >= 0 && o.earlyStop()) {
                System.arraycopy(x, winner * n, candidate, 0, n);
                AttackResult res = AttackResult.checked(graph, domain, obj.disjuncts(), candidate, prov, t, batch,
                        (System.nanoTime() - t0) * 1e-9);
                if (res.found()) {
                    return res;
                }
                note = res.note();
            }
            if (t >= o.steps()) {
                break;
            }
            if (elapsed > o.timeLimitSeconds()) {
                note = note.isEmpty() ? "time limit reached" : note + "; time limit reached";
                break;
            }
            if (nChanged > 0) {
                // Gradients of the restarts whose maximising row changed, packed into one smaller batch.
                for (int q = 0; q < nChanged; q++) {
                    int s = changed[q];
                    System.arraycopy(x, s * n, xs, q * n, n);
                    System.arraycopy(w, s * m, ws, q * m, m);
                }
                double[] g2 = gp.gradient(xs, ws, nChanged);
                for (int q = 0; q < nChanged; q++) {
                    System.arraycopy(g2, q * n, grad, changed[q] * n, n);
                }
            }
            double base = o.stepFraction();
            if (o.schedule() == Schedule.COSINE) {
                base *= 0.5 * (1 + Math.cos(Math.PI * t / Math.max(1, o.steps())));
            }
            for (int s = 0; s < batch; s++) {
                int off = s * n;
                double a = base;
                if (t < odiSteps && s > 0) {
                    a = ODI_STEP_FRACTION;
                } else if (o.schedule() == Schedule.HALVE_ON_STALL) {
                    if (stall[s] >= patience) {
                        scale[s] *= 0.5;
                        stall[s] = 0;
                        System.arraycopy(bestX, off, x, off, n); // resume from this restart's best point
                        continue;
                    }
                    a *= scale[s];
                }
                double k = 0; // scaled-gradient mode: the factor that moves the largest coordinate a·width
                if (!o.signGradient()) {
                    double norm = 0;
                    for (int i = 0; i < n; i++) {
                        norm = Math.max(norm, Math.abs(grad[off + i] * width[i]));
                    }
                    if (!(norm > 0 && Double.isFinite(norm))) {
                        continue;
                    }
                    k = a / norm;
                }
                for (int i = 0; i < n; i++) {
                    double gi = grad[off + i];
                    double step = o.signGradient() ? (gi > 0 ? -a * width[i] : gi < 0 ? a * width[i] : 0.0)
                            : -k * gi * width[i] * width[i];
                    x[off + i] = clip(x[off + i] + step, lo[i], hi[i]);
                }
            }
            t++;
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (lowestF <= 0) {
            AttackResult res = AttackResult.checked(graph, domain, obj.disjuncts(), lowestX, prov, t, batch, seconds);
            if (res.found()) {
                return res;
            }
            // The objective claimed success but the independent re-check disagrees: report the
            // re-checked value, never the attack's own.
            String why = note.isEmpty() || note.equals(res.note()) ? res.note() : res.note() + "; " + note;
            return AttackResult.notFound(res.objective(), prov, t, batch, seconds, why);
        }
        return AttackResult.notFound(lowestF, prov, t, batch, seconds, note);
    }

    static double clip(double v, double lo, double hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }
}
