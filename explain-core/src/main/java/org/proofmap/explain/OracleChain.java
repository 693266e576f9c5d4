package org.proofmap.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.proofmap.mip.MipSolvers;

/**
 * Oracles in order of cost; a query goes to each in turn until one decides it. Sound by
 * construction: each oracle is sound, and a verdict is final once one decides.
 *
 * <p>Queries come at two scopes. A {@link Scope#FEATURE} query asks about one more feature and uses
 * the whole chain, so that nothing it could decide stays unknown. A {@link Scope#GROUP} query tries
 * many features at once (binary search, QuickXplain); when it fails the algorithm simply splits the
 * group, so only the oracles named in {@code groupOracles} (cheap provers) are asked.
 */
public final class OracleChain {
    /** The chain names understood by {@link #byName}. */
    public static final List<String> NAMES = List.of("auto", "ibp", "crown", "alpha-crown", "bab", "mip");

    /**
     * Which oracles a query goes to: {@code FEATURE} all, {@code GROUP} the cheap group provers,
     * {@code REST} all but those (for a query the group provers have just failed on).
     */
    public enum Scope { FEATURE, GROUP, REST }

    private final String name;
    private final List<Oracle> oracles;
    private final Set<String> groupOracles;
    private final double timeLimitSeconds;

    /**
     * @param name the chain's name in provenance
     * @param oracles in order of cost
     * @param groupOracles names of the oracles asked at {@link Scope#GROUP}
     * @param timeLimitSeconds budget of one query over the whole chain
     */
    public OracleChain(String name, List<Oracle> oracles, Set<String> groupOracles, double timeLimitSeconds) {
        if (oracles.isEmpty()) {
            throw new IllegalArgumentException("an oracle chain needs at least one oracle");
        }
        if (!(timeLimitSeconds > 0)) {
            throw new IllegalArgumentException("the per-query time limit must be positive, found " + timeLimitSeconds);
        }
        this.name = name;
        this.oracles = List.copyOf(oracles);
        this.groupOracles = Set.copyOf(groupOracles);
        this.timeLimitSeconds = timeLimitSeconds;
    }

    /**
     * The chain called {@code name}, each name meaning "up to and including this oracle":
     * <ul>
     *   <li>{@code ibp}: IBP, then a quick PGD attack (so relevant features get witnesses);</li>
     *   <li>{@code crown}: CROWN, PGD;</li>
     *   <li>{@code alpha-crown}: CROWN, PGD, alpha-CROWN;</li>
     *   <li>{@code bab}: CROWN, PGD, alpha-CROWN, activation branch and bound with the exact MIP as its
     *       fallback;</li>
     *   <li>{@code mip}: CROWN, PGD, the exact MIP;</li>
     *   <li>{@code auto}: CROWN, PGD, input splitting (queries with at most
     *       {@link InputSplitOracle#MAX_FREE} free features), the exact MIP — every query decided unless
     *       it times out; alpha-CROWN before the MIP when CBC is not installed.</li>
     * </ul>
     * IBP is left out of the other chains: on MNIST at eps 0.05 it decided none of ~600 queries
     * that CROWN then decided (mnist-net_256x2), so it only cost time. Group queries use the chain's
     * bound oracles up to CROWN.
     *
     * @param threads worker threads for branch and bound (0: one per core)
     */
    public static OracleChain byName(String name, double timeLimitSeconds, int threads) {
        String n = name.toLowerCase(Locale.ROOT);
        List<Oracle> list = new ArrayList<>();
        switch (n) {
            case "ibp" -> {
                list.add(BoundOracle.byName("ibp"));
                list.add(AttackOracle.quick());
            }
            case "crown" -> {
                list.add(BoundOracle.byName("crown"));
                list.add(AttackOracle.quick());
            }
            case "alpha-crown" -> {
                list.add(BoundOracle.byName("crown"));
                list.add(AttackOracle.quick());
                list.add(BoundOracle.byName("alpha-crown"));
            }
            case "bab" -> {
                list.add(BoundOracle.byName("crown"));
                list.add(AttackOracle.quick());
                list.add(BoundOracle.byName("alpha-crown"));
                list.add(new BranchAndBoundOracle(threads));
            }
            case "mip" -> {
                list.add(BoundOracle.byName("crown"));
                list.add(AttackOracle.quick());
                list.add(new MipOracle(MipSolvers.best()));
            }
            case "auto" -> {
                list.add(BoundOracle.byName("crown"));
                list.add(AttackOracle.quick());
                list.add(new InputSplitOracle(threads));
                // With CBC the sign MIP decides a single-feature query in ~0.04 s (mnist-net_256x2),
                // faster than alpha-CROWN's ~0.08 s and complete; without it (ojAlgo proves no
                // bounds) alpha-CROWN is the strongest prover and the MIP only finds witnesses.
                if (!MipSolvers.isCbcAvailable()) {
                    list.add(BoundOracle.byName("alpha-crown"));
                }
                list.add(MipOracle.best());
            }
            default -> throw new IllegalArgumentException("unknown oracle '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        }
        return new OracleChain(n, list, Set.of("ibp", "crown"), timeLimitSeconds);
    }

    public String name() {
        return name;
    }

    public List<Oracle> oracles() {
        return oracles;
    }

    public Set<String> groupOracles() {
        return groupOracles;
    }

    public double timeLimitSeconds() {
        return timeLimitSeconds;
    }

    /**
     * Asks the oracles of {@code scope} in order until one decides; every oracle asked appears in the
     * returned trail, the deciding one (or the last one asked) last.
     */
    public ChainVerdict decide(FeatureQuery query, Scope scope) {
        return decide(query, scope, false);
    }

    /**
     * {@link #decide(FeatureQuery, Scope)}, skipping the attacks ({@link Oracle.Kind#FALSIFIER}) when
     * {@code skipAttacks}: for queries a batched attack has just tried.
     */
    public ChainVerdict decide(FeatureQuery query, Scope scope, boolean skipAttacks) {
        return decide(query, scope, skipAttacks, timeLimitSeconds);
    }

    /** {@link #decide(FeatureQuery, Scope, boolean)} within {@code limitSeconds} instead of the chain's limit. */
    public ChainVerdict decide(FeatureQuery query, Scope scope, boolean skipAttacks, double limitSeconds) {
        long t0 = System.nanoTime();
        List<OracleVerdict> trail = new ArrayList<>();
        for (Oracle o : oracles) {
            if (scope == Scope.GROUP && !groupOracles.contains(o.name())
                    || scope == Scope.REST && groupOracles.contains(o.name())
                    || skipAttacks && o.kind() == Oracle.Kind.FALSIFIER) {
                continue;
            }
            double left = limitSeconds - (System.nanoTime() - t0) / 1e9;
            if (left <= 0) {
                break;
            }
            OracleVerdict v = o.decide(query, left);
            trail.add(v);
            if (v.decided()) {
                break;
            }
        }
        return new ChainVerdict(trail, (System.nanoTime() - t0) / 1e9);
    }

    /** The oracles asked for one query, in order, and the total time. */
    public record ChainVerdict(List<OracleVerdict> trail, double seconds) {
        public ChainVerdict {
            trail = List.copyOf(trail);
        }

        /** The final verdict: the deciding oracle's, or an unknown one when none decided. */
        public OracleVerdict verdict() {
            if (trail.isEmpty()) {
                return OracleVerdict.unknown("none", Double.NaN, seconds, "no oracle had time");
            }
            return trail.get(trail.size() - 1);
        }

        public Outcome outcome() {
            return verdict().outcome();
        }
    }
}
