package org.proofmap.verify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.ReluSplitting;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.Activation;

/**
 * Settles a small input box of input splitting by branching on its few unstable ReLUs instead of
 * splitting the box further. Near a point where the property's margin is tiny and an unstable neuron
 * changes sign (ACAS Xu 3_3 prop_2: margin about 2e-6), the relaxation's error shrinks only in
 * proportion to the box's width, so input splitting needs ever smaller boxes around that point; with
 * its neurons split, each subdomain's bounds are exact and the cut LP ({@link ConjunctionCertificate})
 * decides it. A subdomain is bounded under its splits ({@link ReluSplitting}, intermediate bounds
 * recomputed) and proved by a row's bound or by the rows and the splits' cuts together; otherwise it
 * is split on its best unstable neuron. The search is depth first and gives up (the caller splits the
 * box as usual) when a subdomain with every neuron decided is still not proved, when it has bounded
 * {@code maxDomains} subdomains, or when {@code halt} says so (deadline, counterexample found): it never answers anything but "proved".
 */
final class LocalActivationSearch {
    private LocalActivationSearch() {}

    /** Number of unstable ReLU (and LeakyReLU) inputs under the context's intermediate bounds. */
    static int unstable(Graph graph, BoundContext ctx) {
        int count = 0;
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Activation) {
                int v = n.inputs()[0];
                double[] l = ctx.lower(v);
                double[] u = ctx.upper(v);
                for (int i = 0; i < l.length; i++) {
                    if (l[i] < 0 && u[i] > 0) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /**
     * Whether every open disjunct of {@code od} is proved on {@code ctx}'s domain (a box), branching
     * from the context's intermediate bounds.
     */
    static boolean proves(BoundContext ctx, OpenDisjuncts od, int maxDomains, BooleanSupplier halt) {
        Graph graph = ctx.graph();
        double[] lo = ctx.domain().lower();
        double[] hi = ctx.domain().upper();
        ReluSplitting splitting = new ReluSplitting(ctx);
        Deque<ReluSplitting.Splits> stack = new ArrayDeque<>();
        stack.push(splitting.none());
        int domains = 0;
        while (!stack.isEmpty()) {
            if (++domains > maxDomains || halt.getAsBoolean()) {
                return false;
            }
            ReluSplitting.Splits s = stack.pop();
            ReluSplitting.Result res = splitting.bound(s, od.spec(), od.rhs, l -> od.evaluate(l).worstRow(), true);
            if (res.infeasible() || od.evaluate(res, lo, hi).proved()) {
                continue;
            }
            ReluSplitting.Candidate best = res.best();
            if (best == null) {
                return false;
            }
            stack.push(s.with(graph, best.value(), best.index(), false));
            stack.push(s.with(graph, best.value(), best.index(), true));
        }
        return true;
    }
}
