package org.proofmap.explain;

import java.util.BitSet;

/**
 * VeriX's sequential deletion: one single-feature query per feature, in order. Two passes: first
 * every feature with the chain's cheap provers (group scope), then the features still open with the
 * whole chain. Doing the cheap pass first lets the cheap provers free every feature they can before
 * an expensive exact proof uses up part of the margin, so fewer exact queries are needed.
 */
public final class DeletionExplainer implements Explainer {
    @Override
    public String name() {
        return "deletion";
    }

    @Override
    public void run(ExplanationSearch search, int[] order) {
        for (int f : order) {
            if (!search.settled(f)) {
                BitSet one = new BitSet();
                one.set(f);
                search.tryFree(one, OracleChain.Scope.GROUP);
            }
        }
        search.decideOpen(order);
    }
}
