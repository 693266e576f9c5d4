package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.Outcome;
import org.proofmap.explain.OracleVerdict;

/** Progress lines of explain. */
class ExplainProgressTest {
    /** A resumed run's progress lines count what the journal restored, not only what the run settles. */
    @Test
    void aResumedRunCountsTheRestoredFeatures() throws Exception {
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
        // Before anything settles, a resumed run's quiet lines count the restored queries.
        StringWriter quiet = new StringWriter();
        try (ExplainProgress q = new ExplainProgress(new PrintWriter(quiet), 10, 15).restored(replay).heartbeat(0.05)) {
            long until = System.nanoTime() + 5_000_000_000L;
            while (!quiet.toString().contains(", working") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
        }
        assertTrue(quiet.toString().startsWith("explain: 6 of 10 features settled (5 irrelevant, 1 relevant, 0 unknown),"
                + " 3 queries"), quiet.toString());
    }

    /** A run with nothing settled for a while still prints its line, marked "working", until closed. */
    @Test
    void aQuietRunStillShowsItIsWorking() throws Exception {
        StringWriter out = new StringWriter();
        String seen;
        try (ExplainProgress p = new ExplainProgress(new PrintWriter(out), 10, 15).heartbeat(0.1)) {
            long until = System.nanoTime() + 5_000_000_000L;
            while (!out.toString().contains(", working") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            seen = out.toString();
        }
        assertTrue(seen.startsWith("explain: 0 of 10 features settled (0 irrelevant, 0 relevant, 0 unknown), 0 queries")
                && seen.contains(", working"), seen);
        String closed = out.toString();
        Thread.sleep(300);
        assertEquals(closed, out.toString(), "a line after close");
    }
}
