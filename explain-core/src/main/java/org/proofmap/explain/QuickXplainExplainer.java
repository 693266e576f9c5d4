package org.proofmap.explain;

import java.util.BitSet;

/**
 * Junker's QuickXplain, read as abduction: find a small set {@code S} of features to keep fixed so
 * that freeing everything else is provably irrelevant, preferring to keep the features that the
 * order ranks as least likely irrelevant. Group queries use the chain's cheap provers; a final pass
 * then asks a single-feature query for every kept feature, which either frees it (the group provers
 * were too weak, or bounds are not monotone) or records its witness — so the result meets the same
 * minimality guarantee as {@link DeletionExplainer}.
 */
public final class QuickXplainExplainer implements Explainer {
    @Override
    public String name() {
        return "quickxplain";
    }

    @Override
    public void run(ExplanationSearch search, int[] order) {
        int n = order.length;
        // Candidates with the least likely irrelevant first: QuickXplain keeps the earliest it can.
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = order[n - 1 - i];
        }
        BitSet all = new BitSet();
        for (int f : order) {
            all.set(f);
        }
        if (!proves(search, all, new BitSet())) {
            BitSet keep = qx(search, all, new BitSet(), false, c, 0, n);
            BitSet release = (BitSet) all.clone();
            release.andNot(keep);
            // The set QuickXplain found is usually proven by its last query; ask once more to record it.
            search.tryFree(release, OracleChain.Scope.GROUP);
        } else {
            search.tryFree(all, OracleChain.Scope.GROUP);
        }
        search.decideOpen(c);
    }

    /**
     * A restored search goes straight to the final pass: QuickXplain's group queries ask sets apart
     * from the free set, which the restored relevant features would only make fail. The final pass
     * alone gives the same guarantee; the group phase takes seconds, the final pass the minutes a
     * journal saves.
     */
    @Override
    public void resume(ExplanationSearch search, int[] order) {
        int n = order.length;
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = order[n - 1 - i];
        }
        search.decideOpen(c);
    }

    /** Whether keeping {@code fixed} (and freeing the rest of {@code all}) is proven irrelevant. */
    private static boolean proves(ExplanationSearch search, BitSet all, BitSet fixed) {
        BitSet release = (BitSet) all.clone();
        release.andNot(fixed);
        return search.ask(release, OracleChain.Scope.GROUP).outcome() == Outcome.IRRELEVANT;
    }

    private static BitSet qx(ExplanationSearch search, BitSet all, BitSet background, boolean changed, int[] c,
            int from, int to) {
        if (changed && proves(search, all, background)) {
            return new BitSet();
        }
        if (to - from == 1) {
            BitSet one = new BitSet();
            one.set(c[from]);
            return one;
        }
        int mid = (from + to) >>> 1;
        BitSet b1 = (BitSet) background.clone();
        for (int i = from; i < mid; i++) {
            b1.set(c[i]);
        }
        BitSet s2 = qx(search, all, b1, true, c, mid, to);
        BitSet b2 = (BitSet) background.clone();
        b2.or(s2);
        BitSet s1 = qx(search, all, b2, !s2.isEmpty(), c, from, mid);
        s1.or(s2);
        return s1;
    }
}
