package org.proofmap.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.ProofmapException;
import org.proofmap.explain.CertificateChecker;
import org.proofmap.explain.Explain;
import org.proofmap.explain.Explanation;
import org.proofmap.explain.ExplanationProblem;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;

class ExplanationJsonTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryClaimExactly() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(7, 6, 16, 16, 3).bytes(), "mlp.onnx");
        double[] x = {0.25, -0.5, 0.75, 0.1, -0.3, 0.6};
        Explanation e = Explain.run(new ExplanationProblem(g, x, 0.4, -1, 1), Explain.Options.defaults());
        Path file = dir.resolve("sub/explanation.json");
        ExplanationJson.write(e, "mlp.onnx", "abc", new int[] {1, 6}, file);
        ExplanationJson.Stored s = ExplanationJson.read(file);
        Explanation r = s.explanation();
        assertEquals("abc", s.sha256());
        assertArrayEquals(e.input(), r.input());
        assertEquals(e.label(), r.label());
        assertEquals(e.eps(), r.eps());
        assertEquals(e.relevant(), r.relevant());
        assertEquals(e.irrelevant(), r.irrelevant());
        assertEquals(e.unknown(), r.unknown());
        assertEquals(e.decisions(), r.decisions());
        assertEquals(e.witnesses().keySet(), r.witnesses().keySet());
        e.witnesses().forEach((f, w) -> assertArrayEquals(w, r.witnesses().get(f), "witness of " + f));
        assertEquals(e.efx().holds(), r.efx().holds());
        assertTrue(CertificateChecker.check(g, r, 30).passed());
    }

    /** Unknown features keep the note of why their query was undecided, through the round trip. */
    @Test
    void unknownDecisionsKeepTheirNote() {
        Graph g = OnnxLoader.load(OnnxModels.mlp(7, 6, 16, 16, 3).bytes(), "mlp.onnx");
        double[] x = {0.25, -0.5, 0.75, 0.1, -0.3, 0.6};
        Explanation e = Explain.run(new ExplanationProblem(g, x, 0.4, -1, 1),
                Explain.Options.defaults().withOracle("crown").withEfx(false));
        assertTrue(!e.unknown().isEmpty(), "fixture: CROWN alone leaves features unknown");
        for (org.proofmap.explain.Decision d : e.decisions()) {
            assertEquals(d.outcome() == org.proofmap.explain.Outcome.UNKNOWN, !d.note().isEmpty(), d.toString());
        }
        Path file = dir.resolve("u/explanation.json");
        ExplanationJson.write(e, "mlp.onnx", "abc", new int[] {1, 6}, file);
        assertEquals(e.decisions(), ExplanationJson.read(file).explanation().decisions());
    }

    /**
     * With PT-LiRPA's last step: the probably irrelevant features and their provenance survive the
     * round trip, apart from the proven sets; such features without provenance are refused.
     */
    @Test
    void probablyIrrelevantFeaturesStayApartWithTheirProvenance() throws Exception {
        Graph g = OnnxLoader.load(OnnxModels.mlp(7, 6, 16, 16, 3).bytes(), "mlp.onnx");
        double[] x = {0.25, -0.5, 0.75, 0.1, -0.3, 0.6};
        Explanation e = Explain.run(new ExplanationProblem(g, x, 0.4, -1, 1),
                Explain.Options.defaults().withOracle("pt-lirpa").withEfx(false));
        assertTrue(!e.probablyIrrelevant().isEmpty(), e.summary());
        Path file = dir.resolve("p/explanation.json");
        ExplanationJson.write(e, "mlp.onnx", "abc", new int[] {1, 6}, file);
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                file.toFile());
        assertEquals(e.probablyIrrelevant().cardinality(), j.get("probably_irrelevant").size());
        assertEquals(0, j.get("irrelevant").size());
        assertTrue(j.get("probabilistic").get("probabilistic").asBoolean());
        assertEquals(0.99, j.get("probabilistic").get("confidence").asDouble());
        assertEquals(1000, j.get("probabilistic").get("samples").asInt());
        assertEquals("weibull-tail-pivot", j.get("probabilistic").get("estimator").asText());
        Explanation r = ExplanationJson.read(file).explanation();
        assertEquals(e.probablyIrrelevant(), r.probablyIrrelevant());
        assertEquals(e.unknown(), r.unknown());
        assertEquals(e.irrelevant(), r.irrelevant());
        assertEquals(e.probable().confidence(), r.probable().confidence());
        assertEquals(e.probable().calls(), r.probable().calls());
        assertEquals(e.summary(), r.summary());

        String text = Files.readString(file).replaceFirst("\"probabilistic\" : \\{", "\"other\" : {");
        Path bad = Files.writeString(dir.resolve("bad.json"), text);
        ProofmapException ex = assertThrows(ProofmapException.class, () -> ExplanationJson.read(bad));
        assertTrue(ex.getMessage().contains("without their 'probabilistic' provenance"), ex.getMessage());
    }

    @Test
    void badFilesAreOneLineErrors() throws Exception {
        Path missing = dir.resolve("none.json");
        ProofmapException ex = assertThrows(ProofmapException.class, () -> ExplanationJson.read(missing));
        assertTrue(ex.getMessage().contains("no such file"), ex.getMessage());
        Path partial = Files.writeString(dir.resolve("p.json"), "{\"input\":[1,2],\"label\":0}");
        ex = assertThrows(ProofmapException.class, () -> ExplanationJson.read(partial));
        assertTrue(ex.getMessage().contains("'range' is missing") || ex.getMessage().contains("missing"),
                ex.getMessage());
    }
}
