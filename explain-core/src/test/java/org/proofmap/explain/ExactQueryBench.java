package org.proofmap.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.mip.MipSolvers;
import org.proofmap.mip.NetworkEncoder;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;

/**
 * Reproducible timing harness for the exact single-feature decision (not a unit test): for MNIST
 * images, gets the CROWN-proven free set F from {@code Explain.run(..crown..)}, then times exact
 * oracles on {@code F ∪ {p}} for pixels p of the unknown set, and on {@code F ∪ G} for small groups G.
 *
 * <pre>
 * java -cp explain-core/target/classes:explain-core/target/test-classes:$(cat cp.txt) \
 *   org.proofmap.explain.ExactQueryBench --images 0,1,2 --pixels 20 --groups 3 --group-size 5 \
 *   --oracles mip,bab --limit 20
 * </pre>
 *
 * Every query gets a fresh {@link FeatureQuery} (so no oracle profits from another's cached bounds).
 */
public final class ExactQueryBench {
    private ExactQueryBench() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path shared = Paths.get(a.getOrDefault("shared", "/work/shared"));
        Graph g = OnnxLoader.load(shared.resolve(a.getOrDefault("model",
                "benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx")));
        List<String> csv = Files.readAllLines(shared.resolve("datasets/mnist_test_100.csv"));
        int[] images = Arrays.stream(a.getOrDefault("images", "0,1,2").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int pixels = Integer.parseInt(a.getOrDefault("pixels", "20"));
        int groups = Integer.parseInt(a.getOrDefault("groups", "3"));
        int groupSize = Integer.parseInt(a.getOrDefault("group-size", "5"));
        double limit = Double.parseDouble(a.getOrDefault("limit", "20"));
        List<String> oracleNames = List.of(a.getOrDefault("oracles", "mip").split(","));
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, Map<Outcome, Integer>> outcomes = new LinkedHashMap<>();
        for (int img : images) {
            String[] f = csv.get(img).split(",");
            double[] x = new double[f.length - 1];
            for (int i = 0; i < x.length; i++) {
                x[i] = Double.parseDouble(f[i + 1]) / 255.0;
            }
            ExplanationProblem p = new ExplanationProblem(g, x, 0.05, 0, 1);
            long t0 = System.nanoTime();
            Explanation e = Explain.run(p, Explain.Options.defaults().withOracle("crown").withEfx(false));
            if (a.containsKey("explain")) {
                // The whole explanation with another chain (e.g. mip), for the end-to-end time.
                long t1 = System.nanoTime();
                // The named chain with its last (exact) oracle logged per query.
                OracleChain named = OracleChain.byName(a.get("explain"), limit, 0);
                List<Oracle> logged = new ArrayList<>(named.oracles());
                Oracle last = logged.remove(logged.size() - 1);
                int[] count = {0};
                logged.add(new Oracle() {
                    @Override
                    public String name() {
                        return last.name();
                    }

                    @Override
                    public Kind kind() {
                        return last.kind();
                    }

                    @Override
                    public OracleVerdict decide(FeatureQuery q, double t) {
                        OracleVerdict v = last.decide(q, t);
                        System.out.printf(Locale.ROOT, "    exact query %d |F|=%d: %s %.3f s %s%n", ++count[0],
                                q.freeCount(), v.outcome(), v.seconds(), v.note());
                        return v;
                    }
                });
                OracleChain chain = new OracleChain(named.name(), logged, named.groupOracles(), limit);
                Explain.Options opts = Explain.Options.defaults().withOracle(a.get("explain")).withEfx(false)
                        .withQueryTimeout(limit);
                Explanation full = Explain.run(p, TraversalOrders.byName(opts.order(), opts.seed()),
                        Explainers.byName(opts.algorithm()), chain, opts);
                System.out.printf(Locale.ROOT, "image %d: %s explanation %.2f s, %d irrelevant, %d unknown, %d "
                        + "relevant, %d queries; oracle stats %s%n", img, a.get("explain"), (System.nanoTime() - t1) / 1e9,
                        full.irrelevant().cardinality(), full.unknown().cardinality(), full.relevant().cardinality(),
                        full.queries(), full.oracleStats());
            }
            BitSet free = e.irrelevant();
            BitSet unknown = e.unknown();
            System.out.printf(Locale.ROOT, "image %d label %d: crown explanation %.2f s, %d irrelevant, %d unknown, "
                    + "%d relevant%n", img, p.label(), (System.nanoTime() - t0) / 1e9, free.cardinality(),
                    unknown.cardinality(), e.relevant().cardinality());
            int[] u = unknown.stream().toArray();
            List<BitSet> adds = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            int n = Math.min(pixels, u.length);
            for (int k = 0; k < n; k++) {
                int px = u[(int) ((long) k * u.length / n)];
                BitSet s = new BitSet();
                s.set(px);
                adds.add(s);
                labels.add("p" + px);
            }
            for (int k = 0; k < groups && (k + 1) * groupSize <= u.length; k++) {
                BitSet s = new BitSet();
                int start = (int) ((long) k * u.length / Math.max(1, groups));
                for (int q = 0; q < groupSize; q++) {
                    s.set(u[(start + q) % u.length]);
                }
                adds.add(s);
                labels.add("g" + s);
            }
            for (int k = 0; k < adds.size(); k++) {
                BitSet fs = (BitSet) free.clone();
                fs.or(adds.get(k));
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  img%d %-16s", img,
                        labels.get(k).replace(" ", "")));
                FeatureQuery probe = p.query(fs);
                Bounds crown = probe.context().compute(BoundMethods.byName("crown"), probe.spec());
                double cmin = Double.POSITIVE_INFINITY;
                int bad = 0;
                for (int r = 0; r < crown.rows(); r++) {
                    cmin = Math.min(cmin, crown.lower(r));
                    if (crown.lower(r) <= 0) {
                        bad++;
                    }
                }
                NetworkEncoder.Encoding enc = NetworkEncoder.encode(g, probe.domain(), probe.context());
                if (a.containsKey("dump")) {
                    int row = 0;
                    for (int j = 0; j < p.classes(); j++) {
                        if (j == p.label()) {
                            continue;
                        }
                        if (crown.lower(row++) <= 0) {
                            double[] c = new double[p.classes()];
                            c[p.label()] = 1;
                            c[j] = -1;
                            org.proofmap.mip.LpDump.write(enc.withObjective(c),
                                    Paths.get(a.get("dump"), "img" + img + "_" + labels.get(k).replace(" ", "")
                                            .replace(",", "_").replace("{", "").replace("}", "") + "_c" + j + ".lp"));
                        }
                    }
                }
                line.append(String.format(Locale.ROOT, " crown %.4f (%d rows) bin %d |", cmin, bad,
                        enc.binaryCount()));
                for (String on : oracleNames) {
                    Oracle o = oracle(on).get();
                    FeatureQuery q = p.query(fs);
                    long s0 = System.nanoTime();
                    OracleVerdict v = o.decide(q, limit);
                    double sec = (System.nanoTime() - s0) / 1e9;
                    if (v.outcome() == Outcome.RELEVANT && !q.isCounterexample(v.witness())) {
                        throw new AssertionError(on + " gave a witness that fails the re-check");
                    }
                    String key = on + (labels.get(k).startsWith("g") ? "/group" : "/pixel");
                    times.computeIfAbsent(key, z -> new ArrayList<>()).add(sec);
                    outcomes.computeIfAbsent(key, z -> new java.util.EnumMap<>(Outcome.class)).merge(v.outcome(), 1,
                            Integer::sum);
                    line.append(String.format(Locale.ROOT, " %s %s %.3fs", on, v.outcome().name().substring(0, 3),
                            sec));
                    if (a.containsKey("verbose")) {
                        line.append(" [").append(v.note()).append(" bound ").append(v.bound()).append("]");
                    }
                }
                System.out.println(line);
            }
        }
        System.out.println("summary (median / max / total seconds, outcomes):");
        for (Map.Entry<String, List<Double>> en : times.entrySet()) {
            double[] t = en.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "  %-24s n=%d median %.3f max %.3f total %.1f %s%n", en.getKey(), t.length,
                    t[t.length / 2], t[t.length - 1], Arrays.stream(t).sum(), outcomes.get(en.getKey()));
        }
    }

    static Supplier<Oracle> oracle(String name) {
        return switch (name) {
            case "mip" -> MipOracle::best;
            case "mip-row" -> MipOracle::perRow;
            case "mip-perrow-sign" -> () -> MipOracle.best(MipOracle.Strategy.SIGN_PER_ROW);
            case "mip-sign-default" -> () -> new MipOracle(MipSolvers.best(), null, MipOracle.Strategy.SIGN);
            case "bab" -> () -> new BranchAndBoundOracle(1);
            case "alpha-crown" -> () -> BoundOracle.byName("alpha-crown");
            default -> throw new IllegalArgumentException("unknown oracle " + name);
        };
    }
}
