package org.proofmap.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.OracleVerdict;
import org.proofmap.explain.Outcome;

/** The journal keeps what a run settled across a crash, for the same run only. */
class ExplanationJournalTest {
    @TempDir
    Path dir;

    private static final double[] INPUT = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};

    private static ObjectNode key(double eps) {
        ObjectNode k = new ObjectMapper().createObjectNode();
        k.put("model_sha256", "abc");
        k.put("eps", eps);
        return k;
    }

    private static BitSet set(int... fs) {
        BitSet b = new BitSet();
        for (int f : fs) {
            b.set(f);
        }
        return b;
    }

    @Test
    void aReopenedJournalReplaysWhatWasSettledAndKeepsAppending() {
        Path file = dir.resolve("j.jsonl");
        double[] w = INPUT.clone();
        w[4] = 0.5 + 1.0 / 3; // a witness value that only survives in full precision
        w[1] = 0.15;
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertTrue(j.replay().isEmpty());
            j.freed(set(1, 2), new OracleVerdict(Outcome.IRRELEVANT, "crown", 0.25, null, 0.01, ""), 3);
            j.settled(4, new OracleVerdict(Outcome.RELEVANT, "mip", Double.NaN, w, 1.5, "margin -0.1"), 5);
            j.settled(5, new OracleVerdict(Outcome.UNKNOWN, "mip", -0.2, null, 20, "time limit"), 6);
        }
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            ExplanationSearch.Settled r = j.replay();
            assertEquals(set(1, 2), r.free());
            assertEquals("crown", r.proof().oracle());
            assertEquals(0.25, r.proof().bound());
            assertEquals(2, r.freedDecisions().get(1).group());
            assertEquals(set(4), bits(r));
            assertArrayEquals(w, r.relevant().get(4).witness());
            assertEquals("mip", r.relevant().get(4).oracle());
            assertFalse(r.relevant().containsKey(5), "an unknown feature is not relevant");
            assertEquals(java.util.Set.of(5), r.unknown().keySet(), "unknown features are replayed, for the retries");
            assertEquals("time limit", r.unknown().get(5).note());
            assertEquals(6, r.queries(), "queries up to the last event recorded");
            j.freed(set(0), new OracleVerdict(Outcome.IRRELEVANT, "mip", 1e-5, null, 2.0, ""), 7);
        }
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertEquals(set(0, 1, 2), j.replay().free());
            assertEquals("mip", j.replay().proof().oracle(), "the latest proof covers the whole free set");
            assertEquals(java.util.Set.of(5), j.replay().unknown().keySet());
            j.freed(set(5), new OracleVerdict(Outcome.IRRELEVANT, "mip", 1e-5, null, 60.0, ""), 8);
        }
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertEquals(set(0, 1, 2, 5), j.replay().free());
            assertTrue(j.replay().unknown().isEmpty(), "a feature freed by a retry is no longer unknown");
            j.finish();
        }
        assertFalse(Files.exists(file), "a finished journal is deleted");
    }

    private static Map<String, ExplanationSearch.OracleStats> stats(Object... nameAskedDecidedSeconds) {
        Map<String, ExplanationSearch.OracleStats> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameAskedDecidedSeconds.length; i += 4) {
            m.put((String) nameAskedDecidedSeconds[i], new ExplanationSearch.OracleStats(
                    (Integer) nameAskedDecidedSeconds[i + 1], (Integer) nameAskedDecidedSeconds[i + 2],
                    (Double) nameAskedDecidedSeconds[i + 3]));
        }
        return m;
    }

    /**
     * Each run's effort (oracle statistics and search time) survives a crash: a resumed search
     * reports the restored figures plus its own, and the journal's last record is what the next
     * resume restores.
     */
    @Test
    void theEffortOfEveryRunIsCarriedAcrossResumes() {
        Path file = dir.resolve("j.jsonl");
        OracleVerdict proof = new OracleVerdict(Outcome.IRRELEVANT, "crown", 0.25, null, 0.01, "");
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertTrue(j.replay().effort().isEmpty());
            j.freed(set(1), proof, 1);
            j.effort(stats("crown", 1, 1, 0.5), 2.0);
            j.freed(set(2), proof, 2);
            j.effort(stats("crown", 2, 2, 0.75, "mip", 1, 0, 20.0), 30.0);
        }
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            ExplanationSearch.Settled r = j.replay();
            assertEquals(30.0, r.seconds(), "the run's last effort line");
            assertEquals(2, r.effort().get("crown").asked());
            assertEquals(1, r.effort().get("mip").asked());
            assertEquals(20.0, r.effort().get("mip").seconds());
            // The resumed search reports the restored figures plus its own.
            j.freed(set(3), proof, 3);
            j.effort(stats("crown", 2, 2, 0.75, "mip", 3, 1, 50.0), 30.0 + 12.0);
        }
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            ExplanationSearch.Settled r = j.replay();
            assertEquals(42.0, r.seconds(), 1e-12);
            assertEquals(2, r.effort().get("crown").asked(), "the second run asked CROWN nothing");
            assertEquals(3, r.effort().get("mip").asked());
            assertEquals(1, r.effort().get("mip").decided());
            assertEquals(50.0, r.effort().get("mip").seconds(), 1e-12);
            assertEquals(set(1, 2, 3), r.free());
        }
    }

    /**
     * Another run's journal is not resumed but kept aside (name + ".previous"), with the key fields
     * that differ; moved back, it resumes under its own settings.
     */
    @Test
    void anotherRunsJournalIsKeptAsideAndStartedAfresh() throws Exception {
        Path file = dir.resolve("j.jsonl");
        Path previous = dir.resolve("j.jsonl.previous");
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertNull(j.setAside());
            j.freed(set(1, 2), new OracleVerdict(Outcome.IRRELEVANT, "crown", 0.25, null, 0.01, ""), 1);
        }
        List<String> written = Files.readAllLines(file);
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.1), INPUT)) {
            assertTrue(j.replay().isEmpty(), "another eps is another explanation");
            assertEquals(previous, j.setAside());
            assertEquals(List.of("eps"), j.differingFields());
        }
        assertEquals(1, Files.readAllLines(file).size(), "only the new key is left");
        assertEquals(written, Files.readAllLines(previous), "the other run's journal is kept as it was");
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertTrue(j.replay().isEmpty());
            assertNull(j.setAside(), "a journal without events is simply started afresh");
        }
        Files.move(previous, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertEquals(set(1, 2), j.replay().free(), "moved back, it resumes under its own settings");
        }
    }

    /** The per-query time limit is recorded but does not decide: a resumed run may give more time. */
    @Test
    void aLongerTimeLimitResumesTheSameJournal() {
        Path file = dir.resolve("j.jsonl");
        ObjectNode first = key(0.05);
        first.put("timeout", 20.0);
        try (ExplanationJournal j = ExplanationJournal.open(file, first, INPUT)) {
            j.freed(set(1, 2), new OracleVerdict(Outcome.IRRELEVANT, "crown", 0.25, null, 0.01, ""), 1);
        }
        ObjectNode longer = key(0.05);
        longer.put("timeout", 120.0);
        try (ExplanationJournal j = ExplanationJournal.open(file, longer, INPUT)) {
            assertEquals(set(1, 2), j.replay().free());
        }
        ObjectNode other = key(0.1);
        other.put("timeout", 120.0);
        try (ExplanationJournal j = ExplanationJournal.open(file, other, INPUT)) {
            assertTrue(j.replay().isEmpty(), "the other fields still decide");
        }
    }

    @Test
    void aLineCutShortByACrashIsSkipped() throws Exception {
        Path file = dir.resolve("j.jsonl");
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            j.freed(set(3), new OracleVerdict(Outcome.IRRELEVANT, "crown", 0.25, null, 0.01, ""), 1);
        }
        Files.writeString(file, "{\"freed\":[0,1,", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertEquals(set(3), j.replay().free());
            j.freed(set(5), new OracleVerdict(Outcome.IRRELEVANT, "crown", 0.2, null, 0.01, ""), 2);
        }
        try (ExplanationJournal j = ExplanationJournal.open(file, key(0.05), INPUT)) {
            assertEquals(set(3, 5), j.replay().free(), "the line after the cut one is read");
        }
    }

    private static BitSet bits(ExplanationSearch.Settled r) {
        BitSet b = new BitSet();
        r.relevant().keySet().forEach(b::set);
        return b;
    }
}
