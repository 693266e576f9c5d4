package org.proofmap.explain;

import java.util.BitSet;

/**
 * Features that are irrelevant together with the proven irrelevant set only with a stated
 * confidence: PT-LiRPA's sampled bounds, not a proof, say so. Kept apart from the proven sets
 * everywhere (the {@link Explanation}, explanation.json, the heatmap, the summary, {@code check}).
 *
 * @param features the probably irrelevant features (none of them proven irrelevant, relevant or
 *     part of the proven certificate)
 * @param confidence the probability, over the sampling, that the proven irrelevant set together
 *     with {@code features} is irrelevant (under PT-LiRPA's tail assumption)
 * @param samples PT-LiRPA's sample size per call
 * @param estimator the order-statistics estimator
 * @param maxTailIndex the tail index assumed
 * @param calls PT-LiRPA calls made (they share {@code 1 - confidence}, see
 *     {@link org.proofmap.verify.ConfidenceBudget})
 * @param bound PT-LiRPA's lower bound of the smallest margin over the final set's box (NaN when no
 *     feature was freed)
 * @param seconds time of the probabilistic step
 */
public record ProbablyIrrelevant(BitSet features, double confidence, int samples, String estimator,
        double maxTailIndex, long calls, double bound, double seconds) {
    public ProbablyIrrelevant {
        features = (BitSet) features.clone();
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("the confidence must lie in (0, 1), found " + confidence);
        }
    }

    @Override
    public BitSet features() {
        return (BitSet) features.clone();
    }
}
