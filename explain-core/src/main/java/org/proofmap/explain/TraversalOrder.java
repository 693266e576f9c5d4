package org.proofmap.explain;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranks the features, most likely irrelevant first: a score per feature, lower scores earlier, ties
 * by index. Implementations are picked by name through {@link TraversalOrders}.
 */
public interface TraversalOrder {
    String name();

    /** One score per feature (flat NCHW index); lower means more likely irrelevant. */
    double[] scores(ExplanationProblem problem);

    /** The features sorted by ascending score, ties by index. */
    static int[] sort(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparingInt(i -> i));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
