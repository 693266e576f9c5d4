package org.proofmap.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.Property;

/**
 * Reproducible measurement harness for attack settings on a VNN-COMP benchmark (not a unit test):
 * runs each named configuration with several seeds on every instance and prints, per instance,
 * how many seeds found a counterexample and the median and largest attack time.
 *
 * <pre>
 * java -cp explain-core/target/classes:explain-core/target/test-classes:$(cat cp.txt) \
 *   org.proofmap.attack.PgdBench mnist_fc 256x4.onnx:prop_6_0.05 20 old,target,odi2,default
 * </pre>
 *
 * Arguments: benchmark, a substring the instance name (benchmark:onnx:vnnlib) must contain, the number of seeds, and a
 * comma-separated list of configurations (see {@link #config}).
 */
public final class PgdBench {
    private PgdBench() {}

    /** The configurations compared in bench/RESULTS.md. */
    static Pgd.Options config(String name) {
        Pgd.Options d = Pgd.Options.defaults();
        Pgd.Options old = d.withOdiSteps(0);
        return switch (name) {
            case "default" -> d;
            case "old" -> old;
            case "target" -> old.withPerTarget(true);
            case "odi2" -> old.withOdiSteps(2);
            case "odi10" -> old.withOdiSteps(10);
            case "target+odi2" -> old.withPerTarget(true).withOdiSteps(2);
            case "target+odi5" -> d.withPerTarget(true);
            case "bigger" -> old.withRestarts(40).withSteps(200);
            default -> throw new IllegalArgumentException("unknown configuration " + name);
        };
    }

    public static void main(String[] args) {
        String benchmark = args[0];
        String net = args[1];
        int seeds = Integer.parseInt(args[2]);
        for (String name : args[3].split(",")) {
            Pgd.Options o = config(name);
            int satFound = 0;
            int satRuns = 0;
            double unsatSeconds = 0;
            int unsatRuns = 0;
            for (AttackFixtures.Instance in : AttackFixtures.expected(benchmark)) {
                if (!in.name().contains(net)) {
                    continue;
                }
                Graph g = AttackFixtures.model(in);
                Property p = AttackFixtures.property(in);
                List<Double> times = new ArrayList<>();
                int found = 0;
                for (int seed = 0; seed < seeds; seed++) {
                    AttackResult r = Pgd.violate(g, p, o.withSeed(seed));
                    times.add(r.seconds());
                    if (r.found()) {
                        found++;
                        if (!p.isViolatedBy(r.input(), g.forward(r.input()), 0.0)) {
                            throw new AssertionError(in.name() + ": witness does not violate the property");
                        }
                    }
                }
                times.sort(null);
                if (in.expected().equals("sat")) {
                    satFound += found;
                    satRuns += seeds;
                } else {
                    unsatSeconds += times.stream().mapToDouble(Double::doubleValue).sum();
                    unsatRuns += seeds;
                }
                System.out.printf(Locale.ROOT, "%-22s %-48s %-7s found %d/%d  median %.3f s  max %.3f s%n", name,
                        in.name(), in.expected(), found, seeds, times.get(times.size() / 2),
                        times.get(times.size() - 1));
            }
            System.out.printf(Locale.ROOT, "%-22s TOTAL sat found %d/%d, mean time on the others %.3f s%n", name,
                    satFound, satRuns, unsatRuns == 0 ? 0 : unsatSeconds / unsatRuns);
        }
    }
}
