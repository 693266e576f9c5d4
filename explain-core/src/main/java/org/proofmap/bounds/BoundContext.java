package org.proofmap.bounds;

import org.proofmap.model.Graph;

/**
 * One model over one input domain, with the intermediate bounds that every query over that domain
 * shares, computed once and on first use: interval bounds of every value, and CROWN bounds of the
 * inputs of every nonlinear operator. Many spec queries over the same box (a VNNLIB case's
 * disjuncts, margins against each class, several methods) reuse them:
 *
 * <pre>{@code
 * BoundContext ctx = new BoundContext(model, new LinfBall(x, 0.01, 0, 1));
 * Bounds a = ctx.compute(BoundMethods.byName("crown"), Spec.margins(label, 10));
 * Bounds b = ctx.compute(BoundMethods.byName("alpha-crown"), Spec.identity(10)); // same CROWN intermediates
 * }</pre>
 *
 * Thread-safe: the shared bounds are computed under a lock and never change afterwards.
 */
public final class BoundContext {
    private final Graph graph;
    private final InputDomain domain;
    private BoundPropagation intervals;
    private BoundPropagation crown;
    /** The context this one's domain lies in, until its bounds have been used (see the constructor). */
    private BoundContext enclosing;
    /** Settings of alpha-CROWN's optimisation of the intermediate bounds, null for CROWN's (see {@link #optimised}). */
    private AlphaCrown.Options optimise;
    /** {@link #optimisedIntermediates} of a plain context, and the settings they were made with. */
    private BoundPropagation optimisedOnDemand;
    private AlphaCrown.Options optimisedOnDemandOptions;

    public BoundContext(Graph graph, InputDomain domain) {
        if (domain.size() != graph.inputSize()) {
            throw new IllegalArgumentException("the domain has " + domain.size() + " inputs but the model takes "
                    + graph.inputSize());
        }
        this.graph = graph;
        this.domain = domain;
    }

    /**
     * A context over a sub-box of {@code enclosing}'s domain (branch and bound over the input box).
     * Every bound of the enclosing context holds on the smaller domain too, so the CROWN intermediate
     * bounds here are intersected with them (never looser than the parent's), and CROWN recomputes
     * only the neurons the parent left unstable. The reference to {@code enclosing} is dropped once
     * used, so a chain of nested boxes does not keep its ancestors alive.
     *
     * @throws IllegalArgumentException when {@code domain} is not inside {@code enclosing}'s domain
     *     (its bounds would then be unsound here)
     */
    public BoundContext(BoundContext enclosing, InputDomain domain) {
        this(enclosing.graph, domain);
        double[] l = domain.lower();
        double[] u = domain.upper();
        double[] el = enclosing.domain.lower();
        double[] eu = enclosing.domain.upper();
        for (int i = 0; i < l.length; i++) {
            if (!(l[i] >= el[i] && u[i] <= eu[i])) {
                throw new IllegalArgumentException("input " + i + ": [" + l[i] + ", " + u[i]
                        + "] is not inside the enclosing domain's [" + el[i] + ", " + eu[i] + "]");
            }
        }
        this.enclosing = enclosing;
    }

    /**
     * A context whose intermediate bounds are CROWN's tightened by alpha-CROWN, layer by layer: each
     * unstable element's lower and upper bound is optimised over the relaxation lines of every
     * nonlinear operator before it, and the next layer starts from the tightened bounds. On deep
     * ReLU networks this is what closes most of the gap to the LP relaxation: on mnist-net_256x4 at
     * eps 0.05 it turns a CROWN margin of −17 into −3.5 and leaves 177 unstable ReLUs of 266, for
     * half a second. Everything computed from this context (CROWN, alpha-CROWN, the MIP's big-M
     * constants, branching on activations) uses these bounds. Worth it for a search that runs many
     * queries from one root; a single cheap query is better served by {@link #BoundContext(Graph, InputDomain)}.
     */
    public static BoundContext optimised(Graph graph, InputDomain domain, AlphaCrown.Options options) {
        BoundContext ctx = new BoundContext(graph, domain);
        ctx.optimise = options;
        return ctx;
    }

    /**
     * This context restricted to {@code prefix} ({@link Graph#prefix} of this context's graph): the
     * same domain and the same bounds for every value the prefix computes (shared, not recomputed).
     * For exact encodings of an intermediate value, whose big-M constants come from these bounds.
     */
    public BoundContext restrictedTo(Graph prefix) {
        if (prefix.valueCount() != graph.valueCount() || prefix.inputSize() != graph.inputSize()) {
            throw new IllegalArgumentException("not a prefix of this context's graph");
        }
        BoundPropagation p = new BoundPropagation(prefix, domain);
        p.inheritAll(crownIntermediates()); // value ids are shared with the prefix
        return withIntermediates(prefix, p);
    }

    /**
     * A context with this one's intermediate bounds where value {@code value} is narrowed to
     * {@code [lower, upper]} elementwise (never widened), and the intermediate bounds of every later
     * value recomputed from it (alpha-optimised again when this context is {@link #optimised}),
     * intersected with this context's. The caller vouches for the given bounds: they must hold on the
     * whole domain (an exact solver's proven bounds, e.g. {@code MipBoundRefinement}); the result is
     * only as sound as they are.
     *
     * @throws IllegalArgumentException when the arrays do not match the value's size or are NaN
     */
    public BoundContext tightened(int value, double[] lower, double[] upper) {
        BoundPropagation mine = crownIntermediates();
        int size = graph.valueShape(value).size();
        if (lower.length != size || upper.length != size) {
            throw new IllegalArgumentException("value " + value + " has " + size + " elements, bounds given for "
                    + lower.length + " and " + upper.length);
        }
        BoundPropagation given = new BoundPropagation(graph, domain);
        given.inheritAll(mine);
        double[] l = mine.lo[value].clone();
        double[] h = mine.hi[value].clone();
        for (int i = 0; i < size; i++) {
            if (Double.isNaN(lower[i]) || Double.isNaN(upper[i])) {
                throw new IllegalArgumentException("NaN bound at element " + i + " of value " + value);
            }
            l[i] = Math.max(l[i], lower[i]);
            h[i] = Math.min(h[i], upper[i]);
        }
        given.lo[value] = l;
        given.hi[value] = h;
        // Values before the narrowed one keep their bounds; from it on, everything is recomputed.
        int from = mine.producerOf(value);
        BoundPropagation p = new BoundPropagation(graph, domain);
        p.inheritPrefix(given, from);
        if (optimise != null) {
            p.computeOptimisedIntermediateBounds(from, given, optimise);
        } else {
            p.computeIntermediateBounds(from, given);
        }
        return withIntermediates(graph, p);
    }

    /** A context over {@code g} (this graph or a prefix of it) holding {@code p} as its intermediate bounds. */
    private BoundContext withIntermediates(Graph g, BoundPropagation p) {
        BoundContext ctx = new BoundContext(g, domain);
        ctx.optimise = optimise;
        ctx.crown = p;
        return ctx;
    }

    /** Whether the intermediate bounds are alpha-optimised ({@link #optimised}). */
    public boolean isOptimised() {
        return optimise != null;
    }

    public Graph graph() {
        return graph;
    }

    public InputDomain domain() {
        return domain;
    }

    /** Runs {@code method} for {@code spec} over this domain. */
    public Bounds compute(BoundMethod method, Spec spec) {
        return method.compute(this, spec);
    }

    /**
     * Lower bounds of every element of value {@code value} (a copy; value 0 is the model input): the
     * tightest this context holds, i.e. CROWN bounds at the inputs of nonlinear operators and interval
     * bounds propagated from them everywhere else. Read-only access for exact encodings (the MIP
     * encoder's big-M constants) and pre-checks; computes the CROWN intermediates on first use.
     */
    public double[] lower(int value) {
        return crownIntermediates().lo[value].clone();
    }

    /** Upper bounds of value {@code value}, as {@link #lower(int)}. */
    public double[] upper(int value) {
        return crownIntermediates().hi[value].clone();
    }

    /**
     * Frees what only this context's own queries use (its interval bounds when the CROWN
     * intermediates exist, and their cached relaxation lines), keeping the intermediate bounds that
     * contexts nested in it start from. A branch and bound queue holds one parent context per queued
     * box: on ACAS Xu this cuts each to about a third. Later queries recompute what they need.
     */
    public synchronized void trimForChildren() {
        if (crown != null) {
            intervals = null;
            optimisedOnDemand = null;
            crown.dropLineCache();
        }
    }

    /**
     * Intermediate bounds optimised by alpha-CROWN with {@code options} (see {@link #optimised}),
     * computed once; the context's own when it is optimised already.
     */
    synchronized BoundPropagation optimisedIntermediates(AlphaCrown.Options options) {
        if (optimise != null) {
            return crownIntermediates();
        }
        if (optimisedOnDemand == null || !optimisedOnDemandOptions.equals(options)) {
            BoundPropagation p = new BoundPropagation(graph, domain);
            p.computeOptimisedIntermediateBounds(0, crownIntermediates(), options);
            optimisedOnDemand = p;
            optimisedOnDemandOptions = options;
        }
        return optimisedOnDemand;
    }

    /** Interval bounds of every value. */
    synchronized BoundPropagation intervals() {
        if (intervals == null) {
            BoundPropagation p = new BoundPropagation(graph, domain);
            p.intervalPass();
            intervals = p;
        }
        return intervals;
    }

    /**
     * CROWN bounds of the inputs of nonlinear operators (interval bounds elsewhere), alpha-optimised
     * for an {@link #optimised} context.
     */
    synchronized BoundPropagation crownIntermediates() {
        if (crown == null) {
            BoundPropagation p = new BoundPropagation(graph, domain);
            if (optimise != null) {
                // Intersected with CROWN's own bounds: CROWN over tighter earlier bounds is not always
                // tighter (its lower slopes follow the bounds), and the result must never be looser.
                BoundPropagation plain = new BoundPropagation(graph, domain);
                plain.computeIntermediateBounds();
                p.computeOptimisedIntermediateBounds(0, plain, optimise);
            } else if (enclosing == null) {
                p.computeIntermediateBounds();
            } else {
                BoundPropagation outer = enclosing.crownIntermediates();
                p.computeIntermediateBounds(outer.lo, outer.hi);
                enclosing = null;
            }
            crown = p;
        }
        return crown;
    }
}
