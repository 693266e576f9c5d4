package org.proofmap.explain;

/**
 * An explanation algorithm: settles every feature of {@code order} (most likely irrelevant first) in
 * {@code search}. When no query is unknown the result is subset-minimal: the free set is proven
 * jointly irrelevant and every other feature has a witness that freeing it as well changes the
 * prediction. Implementations are picked by name through {@link Explainers}.
 */
public interface Explainer {
    String name();

    void run(ExplanationSearch search, int[] order);

    /**
     * Continues a search restored from a journal ({@link ExplanationSearch#restore}): by default
     * {@link #run}, for algorithms that skip the features already settled.
     */
    default void resume(ExplanationSearch search, int[] order) {
        run(search, order);
    }
}
