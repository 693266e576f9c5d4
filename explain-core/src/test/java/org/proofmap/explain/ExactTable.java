package org.proofmap.explain;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.BitSet;
import org.proofmap.verify.InputSplitVerifier;
import org.proofmap.verify.Verdict;
import org.proofmap.verify.VerificationResult;

/**
 * Brute force: the exact irrelevance of every subset of the features of a small problem, each
 * decided by complete input-splitting branch and bound (independent of the explanation engine's
 * oracle chain and its order of queries).
 */
final class ExactTable {
    private final boolean[] irrelevant;
    private final int n;

    ExactTable(ExplanationProblem p) {
        n = p.features();
        if (n > 12) {
            throw new IllegalArgumentException("brute force over 2^" + n + " subsets is too much");
        }
        irrelevant = new boolean[1 << n];
        InputSplitVerifier v = new InputSplitVerifier(InputSplitVerifier.Options.defaults().withTimeout(60));
        for (int mask = 0; mask < (1 << n); mask++) {
            FeatureQuery q = p.query(BitSet.valueOf(new long[] {mask}));
            VerificationResult r = v.verify(p.graph(), q.property());
            if (r.verdict() == Verdict.UNSAT) {
                irrelevant[mask] = true;
            } else if (r.verdict() != Verdict.SAT) {
                fail("subset " + mask + " undecided by input splitting: " + r.verdict());
            }
        }
    }

    boolean irrelevant(BitSet free) {
        return irrelevant[(int) (free.isEmpty() ? 0 : free.toLongArray()[0])];
    }

    int features() {
        return n;
    }

    /** Whether some single feature is irrelevant and the full set is not: an explanation with content. */
    boolean interesting() {
        if (irrelevant[(1 << n) - 1]) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (irrelevant[1 << i]) {
                return true;
            }
        }
        return false;
    }
}
