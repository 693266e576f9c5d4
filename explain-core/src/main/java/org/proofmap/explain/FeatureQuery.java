package org.proofmap.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.proofmap.attack.Pgd;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.BoundMethod;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.FeatureSubsetBox;
import org.proofmap.bounds.Spec;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

/**
 * "Is this free feature set irrelevant?": the features in {@code free} move by up to eps (clipped to
 * the data range), all others stay at the input; irrelevant means every such input keeps the label
 * strictly ({@code y_label − y_j > 0} for all {@code j != label}). Immutable.
 */
public final class FeatureQuery {
    private final ExplanationProblem problem;
    private final BitSet free;
    private FeatureSubsetBox domain;
    private BoundContext context;
    /** Bounds of an enclosing box that this query's intermediate bounds start from, or null. */
    private final BoundEnvelope envelope;
    private final java.util.Map<String, Bounds> bounds = new java.util.HashMap<>();

    FeatureQuery(ExplanationProblem problem, BitSet free) {
        this(problem, free, null);
    }

    /**
     * A query whose intermediate bounds are intersected with {@code envelope}'s (null: none), which
     * must have been made for a free set containing {@code free}.
     */
    FeatureQuery(ExplanationProblem problem, BitSet free, BoundEnvelope envelope) {
        if (free.length() > problem.features()) {
            throw new IllegalArgumentException("feature " + (free.length() - 1) + " is outside the input ("
                    + problem.features() + " features)");
        }
        if (envelope != null && !envelope.encloses(free)) {
            throw new IllegalArgumentException("the bound envelope was made for a smaller free set");
        }
        this.problem = problem;
        this.free = (BitSet) free.clone();
        this.envelope = envelope;
    }

    public ExplanationProblem problem() {
        return problem;
    }

    /** The free features (a copy). */
    public BitSet free() {
        return (BitSet) free.clone();
    }

    public int freeCount() {
        return free.cardinality();
    }

    /** The input box of the query. */
    public synchronized FeatureSubsetBox domain() {
        if (domain == null) {
            domain = new FeatureSubsetBox(problem.inputView(), free, problem.eps(), problem.rangeLo(),
                    problem.rangeHi());
        }
        return domain;
    }

    /**
     * The bound context of the query's box, shared by every oracle that asks this query, so that
     * CROWN's intermediate bounds are computed once for IBP, CROWN, alpha-CROWN and the MIP's big-M.
     * With an envelope, they start from its (MIP-refined) bounds of an enclosing box: every bound
     * of that box holds on this smaller one.
     */
    public synchronized BoundContext context() {
        if (context == null) {
            context = envelope == null ? new BoundContext(problem.graph(), domain())
                    : new BoundContext(envelope.context(), domain());
        }
        return context;
    }

    /**
     * The margins' bounds by {@code method}, computed once per query and method: the bound oracle
     * proves with them and the attack starts from the corners that minimise their linear lower
     * bounds.
     */
    public Bounds bounds(BoundMethod method) {
        synchronized (bounds) {
            Bounds b = bounds.get(method.name());
            if (b == null) {
                b = context().compute(method, spec());
                bounds.put(method.name(), b);
            }
            return b;
        }
    }

    /** The bounds computed so far by the method called {@code name}, or null. */
    public Bounds boundsIfComputed(String name) {
        synchronized (bounds) {
            return bounds.get(name);
        }
    }

    /** The margins {@code y_label − y_j}, one row per other class. */
    public Spec spec() {
        return Spec.margins(problem.label(), problem.classes());
    }

    /**
     * The unsafe region as a VNNLIB-style property over the query's box: one disjunct
     * {@code y_label − y_j <= 0} per other class, so {@code unsat} means irrelevant.
     */
    public Property property() {
        List<OutputConstraint> disjuncts = Pgd.misclassification(problem.label(), problem.classes());
        FeatureSubsetBox d = domain();
        PropertyCase pc = new PropertyCase(d.lower(), d.upper(), disjuncts);
        return new Property(problem.features(), problem.classes(), List.of(pc), "feature query (" + d.describe() + ")");
    }

    /**
     * Whether {@code x} proves this free set relevant: it lies in the box (exactly, no tolerance) and
     * a fresh double-precision forward pass gives a smallest margin {@code <= 0}.
     */
    public boolean isCounterexample(double[] x) {
        if (x == null || x.length != problem.features() || !domain().contains(x, 0.0)) {
            return false;
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return problem.minMargin(problem.graph().forward(x)) <= 0;
    }
}
