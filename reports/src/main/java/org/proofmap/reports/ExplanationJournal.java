package org.proofmap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proofmap.explain.Decision;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.OracleVerdict;
import org.proofmap.explain.Outcome;

/**
 * What a running explanation has settled, appended to a file as it happens (one JSON object per
 * line), so that a run that crashes or is stopped resumes where it was: an explanation of a hard image
 * takes tens of minutes, almost all of it in exact queries whose answers would otherwise be lost.
 *
 * <p>The first line identifies the run ({@code key}: model hash, input, eps, settings — whatever the
 * caller puts in); a journal whose key differs is kept aside as {@code <name>.previous} and a fresh
 * one started. Then one line per event of the monotone part of the search's state: each growth of
 * the free set with the verdict proving the new set ({@code freed}), and each relevant feature with
 * its witness ({@code relevant}, stored as the features where it differs from the input); each
 * feature left unknown ({@code unknown}, dropped on replay once a later line settles it), which a
 * resumed run sends straight to its retries; and after each event the effort so far
 * ({@code effort}, every run's included). A last line cut short by a crash is skipped.
 *
 * <p>On resume, {@link ExplanationSearch#restore} takes the free set on trust from the journal (it was
 * proven when it was written; {@code proofmap check} proves the final set independently), and
 * re-checks every witness by a forward pass, dropping any that fails.
 */
public final class ExplanationJournal implements ExplanationSearch.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "proofmap-explanation-journal";

    private final Path file;
    private final double[] input;
    private final BufferedWriter out;
    private final ExplanationSearch.Settled replay;
    /** Where a journal written for other settings was moved, and which key fields differed; null when none. */
    private Path setAside;
    private List<String> differing = List.of();

    private ExplanationJournal(Path file, double[] input, BufferedWriter out, ExplanationSearch.Settled replay) {
        this.file = file;
        this.input = input.clone();
        this.out = out;
        this.replay = replay;
    }

    /**
     * Opens {@code file}: when it exists and was written for the same {@code key}, what it holds is
     * kept for {@link #replay()} and new events are appended; otherwise it is started afresh.
     *
     * @param input the explained input (witnesses are stored as their differences from it)
     */
    public static ExplanationJournal open(Path file, ObjectNode key, double[] input) {
        ExplanationSearch.Settled replay = empty();
        boolean resume = false;
        Path aside = null;
        List<String> differs = List.of();
        try {
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && matches(lines.get(0), key)) {
                    replay = read(lines, input);
                    resume = true;
                } else if (lines.stream().skip(1).anyMatch(l -> !l.isBlank())) {
                    // Written for other settings (another --order, say, or the default of an older
                    // version): not resumable, but not thrown away either. It is moved aside, so
                    // that the same command with those settings can still resume it.
                    aside = file.resolveSibling(file.getFileName() + ".previous");
                    differs = differingFields(lines.get(0), key);
                    Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            BufferedWriter w = resume
                    ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)
                    : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            ExplanationJournal j = new ExplanationJournal(file, input, w, replay);
            j.setAside = aside;
            j.differing = differs;
            if (!resume) {
                ObjectNode head = JSON.createObjectNode();
                head.put("format", FORMAT);
                head.put("version", 1);
                head.set("key", key);
                j.write(head);
            } else {
                // A line cut short by a crash has no newline: start the next one on a line of its own.
                w.newLine();
                w.flush();
            }
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Key fields that never decide whether a journal is resumed: time limits. Every proof and
     * witness of a journal is valid whatever limit produced it, and the features a limit left
     * unknown are asked again by a run resumed with a longer limit.
     */
    static final List<String> LIMITS = List.of("timeout");

    private static ExplanationSearch.Settled empty() {
        return new ExplanationSearch.Settled(new BitSet(), null, Map.of(), Map.of(), Map.of(), 0);
    }

    private static boolean matches(String head, ObjectNode key) {
        try {
            JsonNode h = JSON.readTree(head);
            if (!FORMAT.equals(h.path("format").asText()) || h.path("version").asInt() != 1
                    || !(h.get("key") instanceof ObjectNode stored)) {
                return false;
            }
            // Recorded, but not compared: see LIMITS.
            ObjectNode given = key.deepCopy();
            stored = stored.deepCopy();
            for (String limit : LIMITS) {
                given.remove(limit);
                stored.remove(limit);
            }
            // Compared as text: a key read back holds an int where the caller's may hold a long.
            return JSON.writeValueAsString(given).equals(JSON.writeValueAsString(stored));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The key fields (time limits aside) in which the journal's head differs from {@code key}; the
     * whole head when it is not a journal head of this format.
     */
    private static List<String> differingFields(String head, ObjectNode key) {
        try {
            JsonNode h = JSON.readTree(head);
            if (!FORMAT.equals(h.path("format").asText()) || h.path("version").asInt() != 1
                    || !(h.get("key") instanceof ObjectNode stored)) {
                return List.of("format");
            }
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            stored.fieldNames().forEachRemaining(names::add);
            key.fieldNames().forEachRemaining(names::add);
            List<String> out = new java.util.ArrayList<>();
            for (String n : names) {
                if (!LIMITS.contains(n)
                        && !JSON.writeValueAsString(stored.get(n)).equals(JSON.writeValueAsString(key.get(n)))) {
                    out.add(n);
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            return List.of("format");
        }
    }

    /**
     * Where a journal found in place but written for other settings was moved (the journal's name
     * plus {@code .previous}), or null when there was none: it is kept, not resumed.
     */
    public Path setAside() {
        return setAside;
    }

    /** With {@link #setAside()}: the key fields that differed (e.g. {@code order}). */
    public List<String> differingFields() {
        return differing;
    }

    private static ExplanationSearch.Settled read(List<String> lines, double[] input) {
        BitSet free = new BitSet();
        OracleVerdict proof = null;
        Map<Integer, Decision> freed = new LinkedHashMap<>();
        Map<Integer, OracleVerdict> relevant = new LinkedHashMap<>();
        Map<Integer, Integer> relevantQueries = new LinkedHashMap<>();
        Map<Integer, OracleVerdict> unknown = new LinkedHashMap<>();
        int queries = 0;
        // The last effort line: it includes every earlier run's (see ExplanationSearch.Listener#effort).
        JsonNode lastEffort = null;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue; // the line a crash cut short
            }
            if (n.has("effort")) {
                lastEffort = n.get("effort");
                continue;
            }
            int query = n.path("query").asInt();
            queries = Math.max(queries, query);
            String oracle = n.path("oracle").asText();
            double seconds = n.path("seconds").asDouble();
            if (n.has("freed")) {
                int group = n.get("freed").size();
                for (JsonNode f : n.get("freed")) {
                    free.set(f.asInt());
                    freed.put(f.asInt(), new Decision(f.asInt(), Outcome.IRRELEVANT, oracle, seconds, query, group));
                }
                proof = new OracleVerdict(Outcome.IRRELEVANT, oracle, n.path("bound").asDouble(), null, seconds,
                        n.path("note").asText());
            } else if (n.has("relevant")) {
                double[] w = input.clone();
                JsonNode idx = n.get("indices");
                JsonNode val = n.get("values");
                for (int i = 0; i < idx.size(); i++) {
                    w[idx.get(i).asInt()] = val.get(i).asDouble();
                }
                int f = n.get("relevant").asInt();
                relevant.put(f, new OracleVerdict(Outcome.RELEVANT, oracle, Double.NaN, w, seconds,
                        n.path("note").asText()));
                relevantQueries.put(f, query);
            } else if (n.has("unknown")) {
                unknown.put(n.get("unknown").asInt(), new OracleVerdict(Outcome.UNKNOWN, oracle, Double.NaN, null,
                        seconds, n.path("note").asText()));
            }
        }
        Map<String, ExplanationSearch.OracleStats> effort = new LinkedHashMap<>();
        double effortSeconds = 0;
        if (lastEffort != null) {
            lastEffort.path("oracles").fields().forEachRemaining(en -> effort.put(en.getKey(),
                    new ExplanationSearch.OracleStats(en.getValue().path(0).asInt(), en.getValue().path(1).asInt(),
                            en.getValue().path(2).asDouble())));
            effortSeconds = lastEffort.path("seconds").asDouble();
        }
        // Settled since it was unknown (journals of runs that retried it): no longer unknown.
        unknown.keySet().removeIf(f -> free.get(f) || relevant.containsKey(f));
        return new ExplanationSearch.Settled(free, proof, freed, relevant, relevantQueries, queries, unknown, effort,
                effortSeconds);
    }

    /** What the journal held when it was opened (empty for a fresh one). */
    public ExplanationSearch.Settled replay() {
        return replay;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void freed(BitSet added, OracleVerdict proof, int query) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode a = n.putArray("freed");
        added.stream().forEach(a::add);
        put(n, proof, query);
        n.put("bound", proof.bound());
        write(n);
    }

    @Override
    public synchronized void settled(int feature, OracleVerdict verdict, int query) {
        ObjectNode n = JSON.createObjectNode();
        if (verdict.outcome() != Outcome.RELEVANT) {
            // A resumed run sends it straight to its retries (ExplanationSearch#restore).
            n.put("unknown", feature);
            put(n, verdict, query);
            write(n);
            return;
        }
        n.put("relevant", feature);
        put(n, verdict, query);
        ArrayNode idx = n.putArray("indices");
        ArrayNode val = n.putArray("values");
        double[] w = verdict.witness();
        for (int i = 0; i < w.length; i++) {
            if (Double.doubleToLongBits(w[i]) != Double.doubleToLongBits(input[i])) {
                idx.add(i);
                val.add(w[i]);
            }
        }
        write(n);
    }

    /**
     * Records the explanation's effort so far, every run's included: search wall time and, per
     * oracle, {@code [asked, decided, seconds]}. Only the last such line is read back.
     */
    @Override
    public synchronized void effort(Map<String, ExplanationSearch.OracleStats> stats, double seconds) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode e = n.putObject("effort");
        e.put("seconds", seconds);
        ObjectNode o = e.putObject("oracles");
        stats.forEach((name, st) -> o.putArray(name).add(st.asked()).add(st.decided()).add(st.seconds()));
        write(n);
    }

    private static void put(ObjectNode n, OracleVerdict v, int query) {
        n.put("oracle", v.oracle());
        n.put("seconds", v.seconds());
        n.put("query", query);
        if (v.note() != null && !v.note().isEmpty()) {
            n.put("note", v.note());
        }
    }

    private void write(ObjectNode n) {
        try {
            out.write(JSON.writeValueAsString(n));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes the file, keeping it (a later run with the same key resumes from it). */
    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes and deletes the file: the explanation it served is complete and written. */
    public synchronized void finish() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the journal " + file + ": " + e.getMessage(), e);
        }
    }
}
