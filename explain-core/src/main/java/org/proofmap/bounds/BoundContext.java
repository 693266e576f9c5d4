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

    public BoundContext(Graph graph, InputDomain domain) {
        if (domain.size() != graph.inputSize()) {
            throw new IllegalArgumentException("the domain has " + domain.size() + " inputs but the model takes "
                    + graph.inputSize());
        }
        this.graph = graph;
        this.domain = domain;
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

    /** Interval bounds of every value. */
    synchronized BoundPropagation intervals() {
        if (intervals == null) {
            BoundPropagation p = new BoundPropagation(graph, domain);
            p.intervalPass();
            intervals = p;
        }
        return intervals;
    }

    /** CROWN bounds of the inputs of nonlinear operators (interval bounds elsewhere). */
    synchronized BoundPropagation crownIntermediates() {
        if (crown == null) {
            BoundPropagation p = new BoundPropagation(graph, domain);
            p.computeIntermediateBounds();
            crown = p;
        }
        return crown;
    }
}
