package org.proofmap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.proofmap.datasets.Dataset;
import org.proofmap.datasets.Datasets;
import org.proofmap.explain.CertificateChecker;
import org.proofmap.explain.Explain;
import org.proofmap.explain.Explanation;
import org.proofmap.explain.ExplanationProblem;
import org.proofmap.model.Graph;
import org.proofmap.model.Shape;
import org.proofmap.onnx.OnnxLoader;

/**
 * End-to-end explanation benchmark: explains images {@code FROM..TO-1} of a data set with every
 * combination of the given orders and algorithms, checks each certificate, appends one JSON line
 * per explanation to {@code OUT} (a rerun skips what is already there, so a crash loses nothing),
 * then prints the markdown table for {@code bench/RESULTS.md} from everything in {@code OUT}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.proofmap.bench.ExplainBench MODEL DATASET FROM TO EPS
 *     ORDERS ALGORITHMS ORACLE QUERY_TIMEOUT OUT.jsonl [BUDGET]
 * java -cp bench/target/benchmarks.jar org.proofmap.bench.ExplainBench --table OUT.jsonl...
 * </pre>
 * ORDERS and ALGORITHMS are comma-separated lists. BUDGET (seconds, default 0: none) bounds each
 * explanation's search ({@code explain --budget}): what it does not reach counts as unknown. Each
 * certificate is checked with {@code check}'s default time limit.
 */
public final class ExplainBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplainBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("--table")) {
            List<JsonNode> rows = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                rows.addAll(read(Path.of(args[i])));
            }
            System.out.print(table(rows));
            return;
        }
        if (args.length != 10 && args.length != 11) {
            System.err.println("usage: ExplainBench MODEL DATASET FROM TO EPS ORDERS ALGORITHMS ORACLE QUERY_TIMEOUT"
                    + " OUT.jsonl [BUDGET]"
                    + "\n       ExplainBench --table OUT.jsonl...");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        Graph g = OnnxLoader.load(model);
        Shape in = g.inputShape();
        Dataset ds = Datasets.open(Path.of(args[1]), in.rank() == 4 ? in : null);
        int from = Integer.parseInt(args[2]);
        int to = Integer.parseInt(args[3]);
        double eps = Double.parseDouble(args[4]);
        String[] orders = args[5].split(",");
        String[] algorithms = args[6].split(",");
        String oracle = args[7];
        double timeout = Double.parseDouble(args[8]);
        Path out = Path.of(args[9]);
        double budget = args.length > 10 ? Double.parseDouble(args[10]) : 0;
        String net = model.getFileName().toString().replaceFirst("\\.onnx$", "");
        Set<String> done = new HashSet<>();
        for (JsonNode r : read(out)) {
            done.add(key(r.get("net").asText(), r.get("image").asInt(), r.get("order").asText(),
                    r.get("algorithm").asText(), r.get("oracle").asText(), r.get("eps").asDouble(),
                    r.path("budget").asDouble()));
        }
        for (int img = from; img < to; img++) {
            ExplanationProblem p = new ExplanationProblem(g, ds.get(img).features(), eps, 0, 1);
            for (String order : orders) {
                for (String alg : algorithms) {
                    String k = key(net, img, order, alg, oracle, eps, budget);
                    if (done.contains(k)) {
                        continue;
                    }
                    Explanation e = Explain.run(p, Explain.Options.defaults().withOrder(order).withAlgorithm(alg)
                            .withOracle(oracle).withQueryTimeout(timeout).withEfx(false).withBudget(budget));
                    CertificateChecker.Report check = CertificateChecker.check(g, e, CertificateChecker.defaultTimeLimit(e));
                    ObjectNode r = JSON.createObjectNode();
                    r.put("net", net);
                    r.put("image", img);
                    r.put("eps", eps);
                    r.put("order", order);
                    r.put("algorithm", alg);
                    r.put("oracle", oracle);
                    r.put("budget", budget);
                    r.put("label", e.label());
                    r.put("seconds", e.seconds());
                    r.put("relevant", e.relevant().cardinality());
                    r.put("irrelevant", e.irrelevant().cardinality());
                    r.put("unknown", e.unknown().cardinality());
                    r.put("queries", e.queries());
                    r.put("checked", check.passed());
                    ObjectNode mix = r.putObject("decided_by");
                    e.oracleStats().forEach((name, s) -> mix.put(name, s.decided()));
                    ObjectNode time = r.putObject("oracle_seconds");
                    e.oracleStats().forEach((name, s) -> time.put(name, s.seconds()));
                    Files.writeString(out, r + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    System.err.printf(Locale.ROOT, "%s image %d %s/%s/%s: %s%n", net, img, order, alg, oracle,
                            e.summary());
                }
            }
        }
        System.out.print(table(read(out)));
    }

    private static String key(String net, int img, String order, String alg, String oracle, double eps,
            double budget) {
        return net + "|" + img + "|" + order + "|" + alg + "|" + oracle + "|" + eps + "|" + budget;
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                try {
                    rows.add(JSON.readTree(line));
                } catch (IOException e) {
                    // A line cut short by a crash: that explanation is simply run again.
                }
            }
        }
        return rows;
    }

    /** One row per (net, eps, oracle, order, algorithm). */
    static String table(List<JsonNode> rows) {
        Map<String, List<JsonNode>> groups = new TreeMap<>();
        for (JsonNode r : rows) {
            double b = r.path("budget").asDouble();
            String oracle = r.get("oracle").asText() + (b > 0 ? String.format(Locale.ROOT, " (budget %.0f s)", b) : "");
            String k = r.get("net").asText() + "|" + r.get("eps").asDouble() + "|" + oracle + "|"
                    + r.get("order").asText() + "|" + r.get("algorithm").asText();
            groups.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| net | eps | oracle | order | algorithm | images | median s | max s | mean relevant | mean irrelevant"
                + " | unknown (total) | queries (mean) | decided by (share of queries) | certificates pass |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<JsonNode>> en : groups.entrySet()) {
            List<JsonNode> g = en.getValue();
            String[] k = en.getKey().split("\\|");
            double[] secs = g.stream().mapToDouble(r -> r.get("seconds").asDouble()).sorted().toArray();
            double median = secs.length % 2 == 1 ? secs[secs.length / 2]
                    : (secs[secs.length / 2 - 1] + secs[secs.length / 2]) / 2;
            Map<String, Double> mix = new LinkedHashMap<>();
            double decided = 0;
            for (JsonNode r : g) {
                var it = r.get("decided_by").fields();
                while (it.hasNext()) {
                    var f = it.next();
                    mix.merge(f.getKey(), f.getValue().asDouble(), Double::sum);
                    decided += f.getValue().asDouble();
                }
            }
            StringBuilder m = new StringBuilder();
            for (Map.Entry<String, Double> e : mix.entrySet()) {
                if (e.getValue() > 0) {
                    m.append(m.length() > 0 ? ", " : "").append(e.getKey()).append(' ')
                            .append(String.format(Locale.ROOT, "%.0f%%", 100 * e.getValue() / decided));
                }
            }
            long pass = g.stream().filter(r -> r.get("checked").asBoolean()).count();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %.2f | %.2f | %.1f | %.1f | %d | %.0f | %s | %d/%d |%n",
                    k[0], k[1], k[2], k[3], k[4], g.size(), median, secs[secs.length - 1],
                    g.stream().mapToInt(r -> r.get("relevant").asInt()).average().orElse(0),
                    g.stream().mapToInt(r -> r.get("irrelevant").asInt()).average().orElse(0),
                    g.stream().mapToInt(r -> r.get("unknown").asInt()).sum(),
                    g.stream().mapToInt(r -> r.get("queries").asInt()).average().orElse(0), m, pass, g.size()));
        }
        return sb.toString();
    }
}
