package org.proofmap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Turns a JMH JSON result of {@link BoundsBenchmark} into the markdown table of
 * {@code bench/RESULTS.md}: model, eps, method, Proofmap ms, auto_LiRPA ms (centre 0 of
 * {@code models-ref/reference_bounds.json}, one thread), ratio.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.proofmap.bench.BoundsTable jmh.json}
 */
public final class BoundsTable {
    private BoundsTable() {}

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode results = json.readTree(Paths.get(args[0]).toFile());
        JsonNode refs = json.readTree(BenchData.shared().resolve("models-ref/reference_bounds.json").toFile());
        System.out.println("| model | eps | method | Proofmap ms | ± | auto_LiRPA ms | ratio |");
        System.out.println("|---|---|---|---:|---:|---:|---:|");
        for (JsonNode r : results) {
            String[] me = r.get("params").get("modelEps").asText().split(":");
            String method = r.get("params").get("method").asText();
            double ms = r.get("primaryMetric").get("score").asDouble();
            double err = r.get("primaryMetric").get("scoreError").asDouble();
            double ref = reference(refs, me[0], Double.parseDouble(me[1]), method);
            System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %s | %s |", me[0], me[1], method,
                    ms, err, Double.isNaN(ref) ? "–" : String.format(Locale.ROOT, "%.3f", ref),
                    Double.isNaN(ref) ? "–" : String.format(Locale.ROOT, "%.3f", ms / ref)));
        }
    }

    static double reference(JsonNode refs, String model, double eps, String method) {
        String name = switch (method) {
            case "ibp" -> "IBP";
            case "crown" -> "CROWN";
            case "alpha-crown" -> "alpha-CROWN";
            default -> "";
        };
        for (JsonNode n : refs) {
            if (n.get("model").asText().equals(model) && n.get("center_index").asInt() == 0
                    && Math.abs(n.get("eps").asDouble() - eps) < 1e-12 && n.get("method").asText().equals(name)) {
                return n.get("seconds").asDouble() * 1000;
            }
        }
        return Double.NaN;
    }
}
