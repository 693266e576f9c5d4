package org.proofmap.explain;

import java.util.BitSet;

/**
 * Binary search over the order (VeriX+): try to free a whole block of consecutive features with one
 * group query; when it cannot be proven, split it in halves and recurse, down to single features,
 * which get the whole oracle chain. Blocks of irrelevant features cost one query each, so an order
 * that puts the irrelevant features first needs far fewer queries than deletion.
 */
public final class BinaryExplainer implements Explainer {
    @Override
    public String name() {
        return "binary";
    }

    @Override
    public void run(ExplanationSearch search, int[] order) {
        block(search, order, 0, order.length);
    }

    private static void block(ExplanationSearch search, int[] order, int from, int to) {
        BitSet open = new BitSet();
        for (int i = from; i < to; i++) {
            if (!search.settled(order[i])) {
                open.set(order[i]);
            }
        }
        int n = open.cardinality();
        if (n == 0) {
            return;
        }
        if (n == 1) {
            search.decide(open.nextSetBit(0));
            return;
        }
        if (search.tryFree(open, OracleChain.Scope.GROUP).outcome() == Outcome.IRRELEVANT) {
            return;
        }
        int mid = (from + to) >>> 1;
        block(search, order, from, mid);
        block(search, order, mid, to);
    }
}
