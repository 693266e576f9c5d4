package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.Outcome;
import org.proofmap.explain.OracleVerdict;

/** A resumed run's progress lines count what the journal restored, not only what the run settles. */
class ExplainProgressTest {
    @Test
    void aResumedRunCountsTheRestoredFeatures() {
        BitSet free = new BitSet();
        free.set(0, 5);
        OracleVerdict proof = new OracleVerdict(Outcome.IRRELEVANT, "crown", 0.1, null, 0, "");
        OracleVerdict witness = new OracleVerdict(Outcome.RELEVANT, "mip", Double.NaN, new double[10], 0, "");
        ExplanationSearch.Settled replay = new ExplanationSearch.Settled(free, proof, Map.of(), Map.of(7, witness),
                Map.of(7, 3), 3);
        StringWriter out = new StringWriter();
        ExplainProgress p = new ExplainProgress(new PrintWriter(out), 10, 0).restored(replay);
        BitSet added = new BitSet();
        added.set(5);
        p.freed(added, proof, 4);
        String line = out.toString().trim();
        assertTrue(line.startsWith("explain: 7 of 10 features settled (6 irrelevant, 1 relevant, 0 unknown), 4 queries"),
                line);
    }
}
