package org.proofmap.attack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proofmap.bounds.InputDomain;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.GradientPass;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.PropertyCase;

/**
 * The fast gradient sign method (Goodfellow et al.) over an input box: from the box centre, one
 * signed step per disjunct-target, {@code x_D = clip(centre − stepFraction·width·sign(∇f_D))},
 * where {@code f_D = max_r (C_{D,r}·y − d_{D,r})} and the gradient is that of its maximising row at
 * the centre. All targets share one batched gradient pass and one batched forward pass; the
 * candidate with the lowest objective {@code min_D f_D} is re-checked by
 * {@link AttackResult#checked}. Deterministic (no randomness; the seed in provenance is 0).
 */
public final class Fgsm {
    /** The attack's name in provenance. */
    public static final String NAME = "fgsm";

    private Fgsm() {}

    /**
     * @param stepFraction the step as a fraction of each coordinate's box width; the default 0.5
     *     takes the centre of the box to a corner (in an L-inf ball: a step of eps)
     */
    public record Options(double stepFraction) {
        public Options {
            if (!(stepFraction > 0) || Double.isInfinite(stepFraction)) {
                throw new IllegalArgumentException("stepFraction must be positive and finite, found " + stepFraction);
            }
        }

        public static Options defaults() {
            return new Options(0.5);
        }
    }

    public static AttackResult attack(Graph graph, InputDomain domain, List<OutputConstraint> unsafe,
            Options options) {
        return run(graph, domain, new Objective(unsafe, graph.outputSize()), options);
    }

    /** A misclassification: some class {@code j != label} scores at least as high as {@code label}. */
    public static AttackResult misclassify(Graph graph, InputDomain domain, int label, Options options) {
        return attack(graph, domain, Pgd.misclassification(label, graph.outputSize()), options);
    }

    /** An output in one of the case's disjuncts, from inside its input box. */
    public static AttackResult violate(Graph graph, PropertyCase pc, Options options) {
        return attack(graph, Pgd.caseBox(pc), pc.disjuncts(), options);
    }

    static AttackResult run(Graph graph, InputDomain domain, Objective obj, Options o) {
        long t0 = System.nanoTime();
        double[] lo = domain.lower();
        double[] hi = domain.upper();
        double[] width = Pgd.widths(graph, domain);
        int n = graph.inputSize();
        int m = graph.outputSize();
        int targets = obj.disjunctCount();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("domain", domain.describe());
        settings.put("disjuncts", targets);
        settings.put("stepFraction", o.stepFraction());
        AttackResult.Provenance prov = new AttackResult.Provenance(NAME, settings, 0L);

        double[] centre = new double[n];
        for (int i = 0; i < n; i++) {
            centre[i] = lo[i] + 0.5 * width[i];
        }
        int[] where = new int[2];
        double[] y0 = graph.forward(centre);
        if (obj.evaluate(y0, 0, where) <= 0) {
            return AttackResult.checked(graph, domain, obj.disjuncts(), centre, prov, 0, 1,
                    (System.nanoTime() - t0) * 1e-9);
        }
        // One gradient per disjunct: of its maximising row at the centre.
        double[] x = new double[targets * n];
        double[] w = new double[targets * m];
        for (int k = 0; k < targets; k++) {
            System.arraycopy(centre, 0, x, k * n, n);
            obj.evaluateDisjunct(k, y0, 0, where);
            obj.rowWeights(where[1], w, k * m);
        }
        double[] g = new GradientPass(graph, targets).gradient(x, w, targets);
        for (int k = 0; k < targets; k++) {
            for (int i = 0; i < n; i++) {
                double gi = g[k * n + i];
                double step = gi > 0 ? -o.stepFraction() * width[i] : gi < 0 ? o.stepFraction() * width[i] : 0.0;
                x[k * n + i] = Pgd.clip(centre[i] + step, lo[i], hi[i]);
            }
        }
        double[] y = new ForwardPass(graph, targets).run(x, targets);
        int best = 0;
        double bestV = Double.POSITIVE_INFINITY;
        for (int k = 0; k < targets; k++) {
            double v = obj.evaluate(y, k * m, where);
            if (v < bestV) {
                bestV = v;
                best = k;
            }
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (bestV <= 0) {
            double[] candidate = java.util.Arrays.copyOfRange(x, best * n, (best + 1) * n);
            AttackResult res = AttackResult.checked(graph, domain, obj.disjuncts(), candidate, prov, 1, 1, seconds);
            return res;
        }
        return AttackResult.notFound(bestV, prov, 1, 1, seconds, "");
    }
}
