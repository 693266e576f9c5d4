package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.cli.Cli.assertBadInput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.explain.Explain;
import org.proofmap.explain.ExplanationProblem;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.OracleVerdict;
import org.proofmap.explain.Outcome;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.reports.ExplanationJournal;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;

class ExplainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path model() {
        return OnnxModels.mlp(7, 6, 16, 16, 3).write(dir.resolve("mlp.onnx"));
    }

    private Path input() throws Exception {
        return Files.writeString(dir.resolve("x.csv"), "0.25,-0.5,0.75,0.1,-0.3,0.6\n");
    }

    private JsonNode explain(Path out, String... extra) throws Exception {
        String[] base = {"explain", model().toString(), "--input", input().toString(), "--eps", "0.4", "--range",
            "-1,1", "--out", out.toString()};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        Cli.Result r = Cli.ok(args);
        assertTrue(r.out().startsWith("label "), r.out());
        assertTrue(Files.size(out.resolve("heatmap.png")) > 0);
        return JSON.readTree(out.resolve("explanation.json").toFile());
    }

    @Test
    void explanationPartitionsTheFeaturesAndChecks() throws Exception {
        Path out = dir.resolve("e");
        JsonNode e = explain(out);
        for (String f : new String[] {"model_sha256", "label", "eps", "range", "order", "algorithm", "relevant",
            "irrelevant", "unknown", "decisions", "witnesses", "efx", "seconds", "proof"}) {
            assertTrue(e.has(f), "missing field " + f);
        }
        assertEquals(Output.sha256(dir.resolve("mlp.onnx")), e.get("model_sha256").asText());
        Set<Integer> seen = new HashSet<>();
        for (String f : new String[] {"relevant", "irrelevant", "unknown"}) {
            e.get(f).forEach(n -> assertTrue(seen.add(n.asInt()), "feature " + n + " twice"));
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), seen);
        assertEquals(e.get("relevant").size(), e.get("witnesses").size());
        assertTrue(e.get("efx").has("result"));
        Cli.Result c = Cli.ok("check", dir.resolve("mlp.onnx").toString(), out.resolve("explanation.json").toString());
        assertTrue(c.out().contains("check passed"), c.out());
    }

    /**
     * PT-LiRPA as the whole chain: everything it frees is probably irrelevant — its own array and
     * provenance in explanation.json, its own count in the summary, amber in the heatmap — and check
     * does not count it as proven (a PT-LiRPA re-check is a note).
     */
    @Test
    void ptLirpaFeaturesAreProbablyIrrelevantEverywhere() throws Exception {
        Path out = dir.resolve("pt");
        String[] args = {"explain", model().toString(), "--input", input().toString(), "--eps", "0.4", "--range",
            "-1,1", "--out", out.toString(), "--oracle", "pt-lirpa", "--confidence", "0.9", "--no-efx"};
        Cli.Result r = Cli.ok(args);
        JsonNode e = JSON.readTree(out.resolve("explanation.json").toFile());
        int probable = e.get("probably_irrelevant").size();
        assertTrue(probable > 0, r.out());
        assertEquals(0, e.get("irrelevant").size());
        assertTrue(r.out().contains(", " + probable + " probably irrelevant (pt-lirpa, confidence 0.9, not proven)"),
                r.out());
        JsonNode prov = e.get("probabilistic");
        assertTrue(prov.get("probabilistic").asBoolean());
        assertEquals(0.9, prov.get("confidence").asDouble());
        assertEquals(1000, prov.get("samples").asInt());
        assertEquals("weibull-tail-pivot", prov.get("estimator").asText());
        Set<Integer> seen = new HashSet<>();
        for (String f : new String[] {"relevant", "irrelevant", "unknown", "probably_irrelevant"}) {
            e.get(f).forEach(n -> assertTrue(seen.add(n.asInt()), "feature " + n + " twice"));
        }
        assertEquals(6, seen.size());
        assertTrue(amberPixels(out.resolve("heatmap.png")) > 0, "probably irrelevant pixels are amber");

        Cli.Result c = Cli.ok("check", dir.resolve("mlp.onnx").toString(), out.resolve("explanation.json").toString());
        assertTrue(c.out().contains("check passed: label " + e.get("label").asInt() + ", " + e.get("relevant").size()
                + " relevant features with witnesses, 0 irrelevant proved by "), c.out());
        assertTrue(c.out().contains(", " + probable + " probably irrelevant (not proven), "), c.out());
        assertTrue(c.out().contains("note: " + probable + " probably irrelevant features (pt-lirpa, confidence 0.9):"
                + " not proven"), c.out());
        Cli.Result again = Cli.ok("check", dir.resolve("mlp.onnx").toString(), out.resolve("explanation.json").toString(),
                "--recheck-probable=3");
        assertTrue(again.out().contains("note: re-checked with pt-lirpa (seed 3): "), again.out());
    }

    /** --probabilistic after a weak chain takes only what the chain left unknown; its settings need it. */
    @Test
    void probabilisticLastStepAfterTheChain() throws Exception {
        Path plain = dir.resolve("plain");
        Path prob = dir.resolve("prob");
        JsonNode a = explain(plain, "--oracle", "ibp", "--no-efx");
        JsonNode b = explain(prob, "--oracle", "ibp", "--no-efx", "--probabilistic", "--samples", "500");
        assertEquals(a.get("irrelevant"), b.get("irrelevant"));
        assertEquals(a.get("relevant"), b.get("relevant"));
        assertEquals(a.get("proof").get("bound"), b.get("proof").get("bound"));
        Set<Integer> unknown = new HashSet<>();
        a.get("unknown").forEach(n -> unknown.add(n.asInt()));
        b.get("probably_irrelevant").forEach(n -> assertTrue(unknown.contains(n.asInt()), "from the unknown: " + n));
        assertEquals(0, a.get("probably_irrelevant").size());
        assertTrue(!a.has("probabilistic"));
        assertEquals(500, b.get("probabilistic").get("samples").asInt());
        Cli.Result u = Cli.run("explain", model().toString(), "--input", input().toString(), "--eps", "0.4",
                "--out", dir.resolve("u").toString(), "--samples", "100");
        assertEquals(2, u.code(), u::toString);
        assertTrue(u.err().contains("settings of --probabilistic or --oracle pt-lirpa"), u::toString);
    }

    /** Pixels of the input panel (above the legend strip) with the amber tint's colour ratios. */
    private static int amberPixels(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        int count = 0;
        for (int y = 0; y < img.getHeight() - 2 * org.proofmap.reports.Heatmap.MARGIN
                - org.proofmap.reports.Heatmap.LEGEND_HEIGHT; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                double r = rgb >> 16 & 255;
                double g = rgb >> 8 & 255;
                double bl = rgb & 255;
                if (r > 50 && Math.abs(g / r - 166.0 / 245) < 0.03 && Math.abs(bl / r - 35.0 / 245) < 0.03) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void checkRejectsATamperedCertificate() throws Exception {
        Path out = dir.resolve("t");
        JsonNode e = explain(out, "--algorithm", "deletion", "--order", "index");
        if (e.get("relevant").isEmpty()) {
            return; // nothing to tamper with in this direction; the other tests cover the file format
        }
        ObjectNode t = (ObjectNode) e.deepCopy();
        int f = t.get("relevant").get(0).asInt();
        ((ArrayNode) t.get("irrelevant")).add(f);
        ArrayNode rel = JSON.createArrayNode();
        t.get("relevant").forEach(n -> {
            if (n.asInt() != f) {
                rel.add(n);
            }
        });
        t.set("relevant", rel);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, t.toString());
        Cli.Result r = Cli.run("check", dir.resolve("mlp.onnx").toString(), bad.toString());
        assertEquals(CheckCommand.FAILED, r.code(), r::toString);
        assertTrue(r.out().contains("check failed"), r.out());
    }

    /**
     * Without --timeout, check gives the irrelevant-set proof twice the time the explanation's own
     * proof took (at least 60 s) and says so; --timeout overrides it and must be positive.
     */
    @Test
    void checkTimeLimitFollowsTheRecordedProof() throws Exception {
        Path out = dir.resolve("t");
        JsonNode e = explain(out, "--oracle", "crown", "--no-efx");
        ObjectNode t = (ObjectNode) e.deepCopy();
        ((ObjectNode) t.get("proof")).put("seconds", 95.2);
        Path slow = Files.writeString(dir.resolve("slow.json"), t.toString());
        String model = dir.resolve("mlp.onnx").toString();
        Cli.Result c = Cli.ok("check", model, slow.toString());
        assertTrue(c.out().startsWith("note: time limit 191 s, twice the explanation's own proof (95.2 s)\n"), c.out());
        assertTrue(c.out().contains("check passed"), c.out());
        Cli.Result given = Cli.ok("check", model, slow.toString(), "--timeout", "30");
        assertFalse(given.out().contains("note: time limit"), given.out());
        assertTrue(given.out().contains("check passed"), given.out());
        Cli.Result quick = Cli.ok("check", model, out.resolve("explanation.json").toString());
        assertFalse(quick.out().contains("note: time limit"), quick.out()); // a fast proof: the 60 s floor, no note
        Cli.Result zero = Cli.run("check", model, slow.toString(), "--timeout", "0");
        assertEquals(2, zero.code(), zero::toString);
        assertTrue(zero.err().startsWith("error: --timeout must be a positive number of seconds"), zero::toString);
    }

    @Test
    void checkRejectsAnotherModel() throws Exception {
        Path out = dir.resolve("m");
        explain(out, "--oracle", "crown", "--no-efx");
        Path other = OnnxModels.mlp(8, 6, 16, 16, 3).write(dir.resolve("other.onnx"));
        Cli.Result r = Cli.run("check", other.toString(), out.resolve("explanation.json").toString());
        assertEquals(CheckCommand.FAILED, r.code(), r::toString);
        assertTrue(r.out().contains("not the model"), r.out());
    }

    @Test
    void checkUsesTheRecordedNormalisation() throws Exception {
        Path out = dir.resolve("n");
        JsonNode e = explain(out, "--mean", "0.1", "--std", "0.5", "--oracle", "crown", "--no-efx");
        assertEquals(0.5, e.get("normalization").get("std").get(0).asDouble());
        Cli.Result c = Cli.ok("check", dir.resolve("mlp.onnx").toString(), out.resolve("explanation.json").toString());
        assertTrue(c.out().contains("check passed"), c.out());
        // A different normalisation is a different function: its label or proof no longer holds.
        Cli.Result other = Cli.run("check", dir.resolve("mlp.onnx").toString(),
                out.resolve("explanation.json").toString(), "--mean", "0.9", "--std", "0.05");
        assertEquals(CheckCommand.FAILED, other.code(), other::toString);
    }

    @Test
    void explainsAnImageFile() throws Exception {
        Path m = OnnxModels.mlp(3, 16, 12, 4).write(dir.resolve("img.onnx"));
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 16; i++) {
            img.getRaster().setSample(i % 4, i / 4, 0, (i * 37) % 256);
        }
        Path png = dir.resolve("x.png");
        ImageIO.write(img, "png", png.toFile());
        Cli.Result r = Cli.ok("explain", m.toString(), "--image", png.toString(), "--eps", "0.1", "--out",
                dir.resolve("i").toString(), "--json");
        JsonNode e = JSON.readTree(r.out());
        assertEquals(16, e.get("input").size());
        assertEquals(37.0 / 255, e.get("input").get(1).asDouble(), 1e-12);
    }

    @Test
    void explainsADatasetSampleOfMnist() throws Exception {
        Path net = SharedData.resolve("benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx");
        Path csv = SharedData.resolve("datasets/mnist_test_100.csv");
        Path out = dir.resolve("mnist");
        Cli.Result r = Cli.ok("explain", net.toString(), "--dataset", csv.toString(), "--index", "0", "--eps", "0.05",
                "--oracle", "crown", "--no-efx", "--out", out.toString());
        assertTrue(r.out().startsWith("label 7 (true 7)"), r.out());
        Cli.Result c = Cli.ok("check", net.toString(), out.resolve("explanation.json").toString());
        assertTrue(c.out().contains("check passed"), c.out());
    }

    /**
     * A run stopped part way leaves its journal in the output folder; the same command again resumes
     * from it (said on standard error, recorded in the settings), finishes a certificate that checks,
     * and deletes the journal. --fresh ignores it.
     */
    @Test
    void anInterruptedRunResumesFromItsJournal() throws Exception {
        Path out = dir.resolve("r");
        explain(out);
        assertFalse(Files.exists(out.resolve(ExplainCommand.JOURNAL)), "a finished run leaves no journal");
        // The first run again, in process, "crashing" after its first two events.
        Path m = dir.resolve("mlp.onnx");
        double[] x = {0.25, -0.5, 0.75, 0.1, -0.3, 0.6};
        ExplanationProblem problem = new ExplanationProblem(OnnxLoader.load(m), x, 0.4, -1, 1);
        Explain.Options options = Explain.Options.defaults();
        BitSet journaled = new BitSet();
        try (ExplanationJournal j = ExplanationJournal.open(out.resolve(ExplainCommand.JOURNAL),
                ExplainCommand.journalKey(Output.sha256(m), x, 0.4, new double[] {-1, 1}, null, null, options), x)) {
            int[] events = {0};
            Explain.run(problem, options.withEfx(false), null, List.of(new ExplanationSearch.Listener() {
                @Override
                public void freed(BitSet added, OracleVerdict proof, int query) {
                    if (events[0]++ < 2) {
                        j.freed(added, proof, query);
                        journaled.or(added);
                    }
                }

                @Override
                public void settled(int feature, OracleVerdict verdict, int query) {
                    if (verdict.outcome() == Outcome.RELEVANT && events[0]++ < 2) {
                        j.settled(feature, verdict, query);
                    }
                }
            }));
        }
        assertTrue(Files.exists(out.resolve(ExplainCommand.JOURNAL)));
        String[] args = {"explain", m.toString(), "--input", input().toString(), "--eps", "0.4", "--range", "-1,1",
            "--out", out.toString()};
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().startsWith("explain: resuming from "), r.err());
        JsonNode e = JSON.readTree(out.resolve("explanation.json").toFile());
        assertTrue(e.get("settings").has("resumed"), e.get("settings").toString());
        Set<Integer> irrelevant = new HashSet<>();
        e.get("irrelevant").forEach(n -> irrelevant.add(n.asInt()));
        journaled.stream().forEach(f -> assertTrue(irrelevant.contains(f), "journaled feature " + f + " lost"));
        assertFalse(Files.exists(out.resolve(ExplainCommand.JOURNAL)), "the journal is deleted once the run is written");
        Cli.Result c = Cli.ok("check", m.toString(), out.resolve("explanation.json").toString());
        assertTrue(c.out().contains("check passed"), c.out());
        // --fresh: the journal is ignored.
        Files.writeString(out.resolve(ExplainCommand.JOURNAL), "not even json\n");
        JsonNode again = explain(out, "--fresh");
        assertFalse(again.get("settings").has("resumed"));
    }

    /**
     * A run that leaves features unknown keeps its journal, and the same command with another
     * --timeout resumes from it (the limit is not part of the key): the settled features are
     * restored, only the unknown ones are asked again. With CROWN alone the fixture keeps some
     * unknown whatever the limit, so the journal is kept again.
     */
    @Test
    void aRunWithUnknownFeaturesKeepsItsJournalForALongerTimeout() throws Exception {
        Path out = dir.resolve("u");
        JsonNode first = explain(out, "--oracle", "crown", "--no-efx");
        assertTrue(first.get("unknown").size() > 0, "fixture: CROWN alone leaves features unknown: " + first);
        assertTrue(first.get("relevant").size() + first.get("irrelevant").size() > 0,
                "fixture: CROWN and the attacks settle some: " + first);
        assertTrue(Files.exists(out.resolve(ExplainCommand.JOURNAL)), "kept while features are unknown");
        JsonNode firstEffort = null; // the first run's last effort line
        for (String line : Files.readAllLines(out.resolve(ExplainCommand.JOURNAL))) {
            if (line.contains("\"effort\"")) {
                firstEffort = JSON.readTree(line).get("effort");
            }
        }
        assertTrue(firstEffort != null, "the journal records the run's effort");
        String[] args = {"explain", model().toString(), "--input", input().toString(), "--eps", "0.4", "--range",
            "-1,1", "--out", out.toString(), "--oracle", "crown", "--no-efx", "--timeout", "60"};
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().startsWith("explain: resuming from "), r.err());
        assertTrue(r.err().contains(", " + first.get("unknown").size() + " unknown to retry)"), r.err());
        assertTrue(r.err().contains("features unknown;"), r.err());
        JsonNode second = JSON.readTree(out.resolve("explanation.json").toFile());
        for (String f : new String[] {"relevant", "irrelevant", "unknown"}) {
            assertEquals(first.get(f), second.get(f), f);
        }
        assertEquals(60.0, second.get("settings").get("query_timeout_seconds").asDouble());
        assertTrue(Files.exists(out.resolve(ExplainCommand.JOURNAL)));
        // The first run's effort is carried over: its search time, and its CROWN queries in the
        // oracle statistics (up to its last settled feature), beside the second run's own.
        JsonNode resumed = second.get("settings").get("resumed");
        assertEquals(firstEffort.get("seconds").asDouble(), resumed.path("earlier_seconds").asDouble(), resumed::toString);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, " s (+%.1f s in earlier runs); wrote ",
                firstEffort.get("seconds").asDouble())), r.out());
        int restoredAsked = firstEffort.get("oracles").get("crown").get(0).asInt();
        assertTrue(restoredAsked > 0, firstEffort::toString);
        assertTrue(second.get("oracle_stats").get("crown").get("asked").asInt() >= restoredAsked,
                second.get("oracle_stats")::toString);
        // Another order is another explanation: the journal is kept aside, not resumed, and said so.
        Cli.Result other = Cli.run(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--order", "index")).toArray(String[]::new));
        assertEquals(0, other.code(), other::toString);
        assertTrue(other.err().startsWith("explain: the journal in " + out + " was written for other settings"
                + " (differing: order); kept as " + out.resolve(ExplainCommand.JOURNAL + ".previous")
                + ", starting afresh"), other.err());
        assertFalse(other.err().contains("resuming"), other.err());
        assertTrue(Files.exists(out.resolve(ExplainCommand.JOURNAL + ".previous")));
    }

    /**
     * --budget: a run whose budget runs out writes its explanation with the features it did not get
     * to as unknown (check says why), keeps the journal without them, and the same command without
     * the budget goes on from there to the complete explanation.
     */
    @Test
    void aSpentBudgetKeepsTheJournalAndTheNextRunGoesOn() throws Exception {
        Path out = dir.resolve("b");
        String[] args = {"explain", model().toString(), "--input", input().toString(), "--eps", "0.4", "--range",
            "-1,1", "--out", out.toString(), "--no-efx"};
        Cli.Result r = Cli.run(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--budget", "1e-9")).toArray(String[]::new));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().contains("explain: the time budget ran out with 6 features not asked (6 unknown in all); "
                + out.resolve(ExplainCommand.JOURNAL) + " is kept"), r.err());
        JsonNode first = JSON.readTree(out.resolve("explanation.json").toFile());
        assertEquals(6, first.get("unknown").size());
        assertEquals(1e-9, first.get("settings").get("budget_seconds").asDouble());
        assertTrue(Files.exists(out.resolve(ExplainCommand.JOURNAL)));
        Cli.Result c = Cli.run("check", dir.resolve("mlp.onnx").toString(), out.resolve("explanation.json").toString());
        assertTrue(c.out().contains("not asked, the time budget ran out: 6"), c.out());

        Cli.Result again = Cli.run(args);
        assertEquals(0, again.code(), again::toString);
        JsonNode second = JSON.readTree(out.resolve("explanation.json").toFile());
        assertEquals(0, second.get("unknown").size(), second::toString);
        assertEquals(6, second.get("relevant").size() + second.get("irrelevant").size());
        assertFalse(Files.exists(out.resolve(ExplainCommand.JOURNAL)), "complete: the journal is gone");
        assertTrue(Cli.ok("check", dir.resolve("mlp.onnx").toString(), out.resolve("explanation.json").toString())
                .out().contains("check passed"));
        for (String bad : new String[] {"0", "-5", "Infinity"}) {
            Cli.Result b = Cli.run(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--budget", bad)).toArray(String[]::new));
            assertEquals(2, b.code(), b::toString);
            assertTrue(b.err().contains("--budget must be a positive number of seconds"), b.err());
        }
    }

    @Test
    void badInputsGetOneLine() throws Exception {
        Path m = model();
        Path wrong = Files.writeString(dir.resolve("wrong.csv"), "1,2,3\n");
        assertBadInput(Cli.run("explain", m.toString(), "--input", wrong.toString(), "--eps", "0.1", "--out",
                dir.resolve("o").toString()), wrong.toString(), "6");
        Path missing = dir.resolve("missing.onnx");
        assertBadInput(Cli.run("explain", missing.toString(), "--input", input().toString(), "--eps", "0.1", "--out",
                dir.resolve("o").toString()), missing.toString(), "not found");
        Path junk = Files.writeString(dir.resolve("junk.json"), "{not json");
        assertBadInput(Cli.run("check", m.toString(), junk.toString()), junk.toString(), "not valid JSON");
        Path empty = Files.writeString(dir.resolve("empty.json"), "{}");
        assertBadInput(Cli.run("check", m.toString(), empty.toString()), empty.toString(), "missing");
        Cli.Result r = Cli.run("explain", m.toString(), "--input", input().toString(), "--eps", "0.1", "--order",
                "nonsense", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("unknown value 'nonsense' for --order"), r.err());
    }
}
