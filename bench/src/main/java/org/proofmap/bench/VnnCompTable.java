package org.proofmap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summarises {@code proofmap verify --instances} result files (columns onnx, vnnlib, result,
 * seconds, subproblems, heuristic) against a VNN-COMP {@code expected.csv}: per file, wrong
 * verdicts, solved count, total and median time, and subproblems per property, as markdown.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.proofmap.bench.VnnCompTable EXPECTED.csv RESULTS.csv...}
 */
public final class VnnCompTable {
    private VnnCompTable() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> expected = new HashMap<>();
        List<String> lines = Files.readAllLines(Paths.get(args[0]));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            expected.put(f[0] + "," + f[1], f[2]);
        }
        System.out.println("| results | heuristic | instances | solved | wrong | total s | median s | subproblems |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        List<Map<String, Long>> perProperty = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            Path p = Paths.get(args[a]);
            List<String> rows = Files.readAllLines(p);
            int solved = 0;
            int wrong = 0;
            double total = 0;
            long subproblems = 0;
            String heuristic = "?";
            List<Double> times = new ArrayList<>();
            Map<String, Long> props = new TreeMap<>();
            for (String r : rows.subList(1, rows.size())) {
                String[] f = r.split(",");
                String result = f[2];
                double secs = Double.parseDouble(f[3]);
                long sub = Long.parseLong(f[4]);
                heuristic = f[5];
                String want = expected.get(f[0] + "," + f[1]);
                if (result.equals("sat") || result.equals("unsat")) {
                    solved++;
                    if (want != null && !want.equals("unknown") && !want.equals(result)) {
                        wrong++;
                        System.err.println("WRONG VERDICT: " + f[0] + " " + f[1] + " gave " + result + ", expected " + want);
                    }
                }
                total += secs;
                times.add(secs);
                subproblems += sub;
                String prop = f[1].replaceAll(".*/", "").replaceAll("\\.vnnlib$", "");
                props.merge(prop, sub, Long::sum);
            }
            double[] t = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = t.length == 0 ? 0 : t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
            System.out.println(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.1f | %.2f | %d |",
                    p.getFileName(), heuristic, rows.size() - 1, solved, wrong, total, median, subproblems));
            perProperty.add(props);
            names.add(heuristic);
        }
        System.out.println();
        System.out.println("Subproblems per property:");
        System.out.println();
        System.out.println("| property | " + String.join(" | ", names) + " |");
        System.out.println("|---|" + "---:|".repeat(names.size()));
        TreeMap<String, Boolean> all = new TreeMap<>();
        perProperty.forEach(m -> m.keySet().forEach(k -> all.put(k, true)));
        for (String prop : all.keySet()) {
            StringBuilder sb = new StringBuilder("| " + prop + " |");
            for (Map<String, Long> m : perProperty) {
                sb.append(' ').append(m.getOrDefault(prop, 0L)).append(" |");
            }
            System.out.println(sb);
        }
    }
}
