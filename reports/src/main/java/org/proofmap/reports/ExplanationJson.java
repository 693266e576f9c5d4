package org.proofmap.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.proofmap.ProofmapException;
import org.proofmap.explain.Decision;
import org.proofmap.explain.EfxResult;
import org.proofmap.explain.Explanation;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.OracleVerdict;
import org.proofmap.explain.Outcome;
import org.proofmap.explain.ProbablyIrrelevant;

/**
 * The explanation certificate as JSON ({@code explanation.json}) and back. Numbers are written in
 * full double precision (shortest round-trip form), so a stored explanation re-checks exactly.
 *
 * <p>Top-level fields: {@code model}, {@code model_sha256}, {@code input_shape}, {@code input},
 * {@code label}, {@code eps}, {@code range}, {@code order}, {@code order_scores}, {@code algorithm},
 * {@code oracle}, {@code relevant}, {@code irrelevant}, {@code unknown} (flat NCHW feature indices),
 * {@code decisions} (per feature: outcome, oracle, seconds, query, group, and for an unknown one a
 * {@code note} saying why), {@code witnesses} (per relevant feature, the witness as the features where it
 * differs from the input: {@code indices} and {@code values}), {@code proof} (of the joint irrelevant
 * set), {@code efx} ({@code result} and its evidence), {@code oracle_stats}, {@code queries},
 * {@code seconds}, {@code settings}; {@code probably_irrelevant} (always, empty without a probabilistic
 * step: features PT-LiRPA found irrelevant together with the irrelevant set, not proven, in none of the
 * other three sets) and, when that step ran, {@code probabilistic}: its provenance ({@code probabilistic:
 * true}, {@code method}, {@code confidence}, {@code samples}, {@code estimator}, {@code max_tail_index},
 * {@code calls}, {@code bound}, {@code seconds}). The {@code proof} covers the irrelevant set alone.
 */
public final class ExplanationJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExplanationJson() {}

    /** The JSON tree of {@code e}; {@code model}, {@code sha256} and {@code inputShape} may be null. */
    public static ObjectNode toJson(Explanation e, String model, String sha256, int[] inputShape) {
        return toJson(e, model, sha256, inputShape, null, null);
    }

    /**
     * As {@link #toJson(Explanation, String, String, int[])}, recording the per-channel
     * normalisation {@code (x − mean) / std} that was put in front of the model (both null: none),
     * so that a check rebuilds the same function.
     */
    public static ObjectNode toJson(Explanation e, String model, String sha256, int[] inputShape, double[] mean,
            double[] std) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model);
        o.put("model_sha256", sha256);
        if (mean != null && std != null) {
            ObjectNode n = o.putObject("normalization");
            n.set("mean", doubles(mean));
            n.set("std", doubles(std));
        }
        if (inputShape != null) {
            o.set("input_shape", ints(inputShape));
        }
        double[] x = e.input();
        o.set("input", doubles(x));
        o.put("label", e.label());
        o.put("eps", e.eps());
        ArrayNode range = o.putArray("range");
        range.add(e.rangeLo());
        range.add(e.rangeHi());
        o.put("order", e.order());
        if (e.orderScores() != null) {
            o.set("order_scores", doubles(e.orderScores()));
        }
        o.put("algorithm", e.algorithm());
        o.put("oracle", e.oracle());
        o.set("relevant", ints(e.relevant()));
        o.set("irrelevant", ints(e.irrelevant()));
        o.set("unknown", ints(e.unknown()));
        o.set("probably_irrelevant", ints(e.probablyIrrelevant()));
        ProbablyIrrelevant pi = e.probable();
        if (pi != null) {
            ObjectNode n = o.putObject("probabilistic");
            n.put("probabilistic", true);
            n.put("method", "pt-lirpa");
            n.put("confidence", pi.confidence());
            n.put("samples", pi.samples());
            n.put("estimator", pi.estimator());
            n.put("max_tail_index", pi.maxTailIndex());
            n.put("calls", pi.calls());
            putNumber(n, "bound", pi.bound());
            n.put("seconds", pi.seconds());
        }
        ArrayNode decisions = o.putArray("decisions");
        for (Decision d : e.decisions()) {
            ObjectNode n = decisions.addObject();
            n.put("feature", d.feature());
            n.put("outcome", d.outcome().word());
            n.put("oracle", d.oracle());
            n.put("seconds", d.seconds());
            n.put("query", d.query());
            n.put("group", d.group());
            if (!d.note().isEmpty()) {
                n.put("note", d.note());
            }
        }
        ArrayNode witnesses = o.putArray("witnesses");
        e.witnesses().forEach((f, w) -> {
            ObjectNode n = witnesses.addObject();
            n.put("feature", f);
            sparse(n, x, w);
        });
        OracleVerdict p = e.proof();
        ObjectNode proof = o.putObject("proof");
        proof.put("outcome", p.outcome().word());
        proof.put("oracle", p.oracle());
        putNumber(proof, "bound", p.bound());
        proof.put("seconds", p.seconds());
        proof.put("note", p.note());
        proof.put("free", e.irrelevant().cardinality());
        if (e.efx() != null) {
            EfxResult r = e.efx();
            ObjectNode efx = o.putObject("efx");
            efx.put("result", r.holds());
            efx.put("adversarial_found", r.adversarial() != null);
            efx.put("adversarial_by", r.adversarialBy());
            efx.put("ball_robust", r.robust());
            efx.put("irrelevant", r.irrelevantCount());
            efx.put("seconds", r.seconds());
            if (r.adversarial() != null) {
                sparse(efx.putObject("adversarial"), x, r.adversarial());
            }
        }
        ObjectNode stats = o.putObject("oracle_stats");
        e.oracleStats().forEach((name, s) -> {
            ObjectNode n = stats.putObject(name);
            n.put("asked", s.asked());
            n.put("decided", s.decided());
            n.put("seconds", s.seconds());
        });
        o.put("queries", e.queries());
        o.put("seconds", e.seconds());
        o.set("settings", JSON.valueToTree(e.settings()));
        return o;
    }

    /** Writes {@code e} to {@code file}. */
    public static void write(Explanation e, String model, String sha256, int[] inputShape, Path file) {
        write(e, model, sha256, inputShape, null, null, file);
    }

    /** Writes {@code e} with its normalisation (see {@link #toJson(Explanation, String, String, int[], double[], double[])}). */
    public static void write(Explanation e, String model, String sha256, int[] inputShape, double[] mean, double[] std,
            Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, JSON.writeValueAsString(toJson(e, model, sha256, inputShape, mean, std)) + "\n");
        } catch (IOException ex) {
            throw new ProofmapException(file.toString(), "cannot write: " + ex.getMessage());
        }
    }

    /** The JSON text of {@code e}. */
    public static String text(Explanation e, String model, String sha256, int[] inputShape, double[] mean,
            double[] std) {
        try {
            return JSON.writeValueAsString(toJson(e, model, sha256, inputShape, mean, std));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A stored explanation with the model fields of its file; mean and std null without a normalisation. */
    public record Stored(Explanation explanation, String model, String sha256, double[] mean, double[] std) {}

    /** Reads an explanation written by {@link #write}; any problem is a one-line {@link ProofmapException}. */
    public static Stored read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException ex) {
            throw new ProofmapException(file.toString(), "no such file");
        } catch (IOException ex) {
            throw new ProofmapException(file.toString(), "not valid JSON: " + firstLine(ex.getMessage()));
        }
        try {
            return parse(root);
        } catch (RuntimeException ex) {
            throw new ProofmapException(file.toString(), "not a Proofmap explanation: " + ex.getMessage());
        }
    }

    private static Stored parse(JsonNode r) {
        double[] x = doubles(need(r, "input"));
        JsonNode range = need(r, "range");
        List<Decision> decisions = new ArrayList<>();
        for (JsonNode d : r.path("decisions")) {
            decisions.add(new Decision(need(d, "feature").asInt(), outcome(need(d, "outcome").asText()),
                    d.path("oracle").asText(""), d.path("seconds").asDouble(), d.path("query").asInt(),
                    d.path("group").asInt(1), d.path("note").asText("")));
        }
        Map<Integer, double[]> witnesses = new TreeMap<>();
        for (JsonNode w : r.path("witnesses")) {
            witnesses.put(need(w, "feature").asInt(), dense(x, w));
        }
        JsonNode p = need(r, "proof");
        OracleVerdict proof = new OracleVerdict(outcome(need(p, "outcome").asText()), p.path("oracle").asText(""),
                p.path("bound").isNumber() ? p.path("bound").asDouble() : Double.NaN, null,
                p.path("seconds").asDouble(), p.path("note").asText(""));
        EfxResult efx = null;
        JsonNode e = r.path("efx");
        if (e.isObject()) {
            efx = new EfxResult(need(e, "result").asBoolean(),
                    e.has("adversarial") ? dense(x, e.get("adversarial")) : null, e.path("adversarial_by").asText(""),
                    e.path("ball_robust").asBoolean(), e.path("irrelevant").asInt(), e.path("seconds").asDouble());
        }
        Map<String, ExplanationSearch.OracleStats> stats = new LinkedHashMap<>();
        r.path("oracle_stats").fields().forEachRemaining(en -> stats.put(en.getKey(),
                new ExplanationSearch.OracleStats(en.getValue().path("asked").asInt(),
                        en.getValue().path("decided").asInt(), en.getValue().path("seconds").asDouble())));
        ProbablyIrrelevant pi = null;
        JsonNode pn = r.path("probabilistic");
        if (pn.isObject()) {
            pi = new ProbablyIrrelevant(bits(need(r, "probably_irrelevant")), need(pn, "confidence").asDouble(),
                    need(pn, "samples").asInt(), pn.path("estimator").asText(""),
                    pn.path("max_tail_index").asDouble(), pn.path("calls").asLong(),
                    pn.path("bound").isNumber() ? pn.path("bound").asDouble() : Double.NaN, pn.path("seconds").asDouble());
        } else if (!r.path("probably_irrelevant").isMissingNode() && r.path("probably_irrelevant").size() > 0) {
            throw new IllegalArgumentException("probably_irrelevant features without their 'probabilistic' provenance");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = r.has("settings") ? JSON.convertValue(r.get("settings"), Map.class) : Map.of();
        Explanation ex = new Explanation(x, need(r, "label").asInt(), need(r, "eps").asDouble(), range.get(0).asDouble(),
                range.get(1).asDouble(), r.path("order").asText(""),
                r.has("order_scores") ? doubles(r.get("order_scores")) : null, r.path("algorithm").asText(""),
                r.path("oracle").asText(""), bits(need(r, "relevant")), bits(need(r, "irrelevant")),
                bits(need(r, "unknown")), decisions, witnesses, proof, efx, stats, r.path("queries").asInt(),
                r.path("seconds").asDouble(), settings, pi);
        JsonNode norm = r.path("normalization");
        return new Stored(ex, r.path("model").asText(null), r.path("model_sha256").asText(null),
                norm.isObject() ? doubles(need(norm, "mean")) : null, norm.isObject() ? doubles(need(norm, "std")) : null);
    }

    private static JsonNode need(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }

    private static Outcome outcome(String word) {
        return Outcome.valueOf(word.toUpperCase(java.util.Locale.ROOT));
    }

    private static void sparse(ObjectNode n, double[] x, double[] w) {
        ArrayNode idx = n.putArray("indices");
        ArrayNode val = n.putArray("values");
        for (int i = 0; i < w.length; i++) {
            if (Double.doubleToLongBits(w[i]) != Double.doubleToLongBits(x[i])) {
                idx.add(i);
                val.add(w[i]);
            }
        }
    }

    private static double[] dense(double[] x, JsonNode n) {
        double[] w = x.clone();
        JsonNode idx = need(n, "indices");
        JsonNode val = need(n, "values");
        if (idx.size() != val.size()) {
            throw new IllegalArgumentException("a witness has " + idx.size() + " indices but " + val.size() + " values");
        }
        for (int k = 0; k < idx.size(); k++) {
            int i = idx.get(k).asInt();
            if (i < 0 || i >= w.length) {
                throw new IllegalArgumentException("witness index " + i + " is outside the input");
            }
            w[i] = val.get(k).asDouble();
        }
        return w;
    }

    private static void putNumber(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }

    private static ArrayNode doubles(double[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (double d : v) {
            if (Double.isFinite(d)) {
                a.add(d);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    private static double[] doubles(JsonNode a) {
        if (!a.isArray()) {
            throw new IllegalArgumentException("expected an array of numbers");
        }
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).isNumber() ? a.get(i).asDouble() : Double.NaN;
        }
        return v;
    }

    private static ArrayNode ints(int[] v) {
        ArrayNode a = JSON.createArrayNode();
        for (int i : v) {
            a.add(i);
        }
        return a;
    }

    private static ArrayNode ints(BitSet b) {
        ArrayNode a = JSON.createArrayNode();
        b.stream().forEach(a::add);
        return a;
    }

    private static BitSet bits(JsonNode a) {
        BitSet b = new BitSet();
        for (JsonNode n : a) {
            if (!n.canConvertToInt() || n.asInt() < 0) {
                throw new IllegalArgumentException("feature indices must be non-negative integers");
            }
            b.set(n.asInt());
        }
        return b;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
