package org.proofmap.verify;

/**
 * Chooses the input dimension to split a box on. Implementations are picked by name through
 * {@link SplitHeuristics}.
 */
public interface SplitHeuristic {
    String name();

    /** The dimension to split; only dimensions with {@code hi > lo} may be chosen. */
    int choose(SplitContext context);
}
