package org.proofmap.explain;

/**
 * VeriX's sequential deletion: one single-feature query per feature, in order, each over the whole
 * oracle chain. As many queries as features; the reference for the other algorithms.
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
                search.decide(f);
            }
        }
    }
}
