package org.proofmap.explain;

import java.util.BitSet;

/**
 * Binary search over the order (VeriX+): try to free a whole block of consecutive features with one
 * query of the chain's cheap provers; when it cannot be proven, split it in halves and recurse down
 * to single features. Blocks of irrelevant features cost one query each, so an order that puts the
 * irrelevant features first needs far fewer queries than deletion. The features still open after
 * this cheap pass then get single-feature queries over the whole chain, in order.
 */
public final class BinaryExplainer implements Explainer {
    @Override
    public String name() {
        return "binary";
    }

    @Override
    public void run(ExplanationSearch search, int[] order) {
        block(search, order, 0, order.length);
        search.decideOpen(order);
    }

    private static void block(ExplanationSearch search, int[] order, int from, int to) {
        BitSet open = new BitSet();
        for (int i = from; i < to; i++) {
            if (!search.settled(order[i])) {
                open.set(order[i]);
            }
        }
        if (open.isEmpty() || search.tryFree(open, OracleChain.Scope.GROUP).outcome() == Outcome.IRRELEVANT
                || to - from == 1) {
            return;
        }
        int mid = (from + to) >>> 1;
        block(search, order, from, mid);
        block(search, order, mid, to);
    }
}
