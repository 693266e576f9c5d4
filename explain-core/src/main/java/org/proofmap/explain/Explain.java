package org.proofmap.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.proofmap.bounds.PtLirpa;

/**
 * The explanation API in one call:
 *
 * <pre>{@code
 * ExplanationProblem p = new ExplanationProblem(model, image, 0.05, 0, 1);
 * Explanation e = Explain.run(p, Explain.Options.defaults().withOrder("saliency"));
 * System.out.println(e.summary());
 * }</pre>
 */
public final class Explain {
    /** The oracle names {@link #run} understands: the sound chains of {@link OracleChain} and {@code pt-lirpa}. */
    public static final List<String> ORACLES = names();

    private Explain() {}

    private static List<String> names() {
        List<String> n = new ArrayList<>(OracleChain.NAMES);
        n.add(ProbabilisticStep.NAME);
        return List.copyOf(n);
    }

    /**
     * Settings of an explanation.
     *
     * @param order traversal order name ({@link TraversalOrders#NAMES}; default {@code reciph}: on
     *     mnist-net_256x2 with the exact chain it took 1.7× less time than {@code sensitivity}
     *     (VeriX's) over images 0–4, gave 15% smaller explanations, and finished the images whose
     *     exact tail {@code sensitivity} left undecided (5, 14, 17); with CROWN alone it was the
     *     fastest order on 256x2 and 256x4 ({@code bench/RESULTS.md})
     * @param algorithm algorithm name ({@link Explainers#NAMES}; default {@code binary})
     * @param oracle oracle chain name ({@link #ORACLES}; default {@code auto}); {@code pt-lirpa}: no
     *     proof at all, only a batched attack for relevance and then PT-LiRPA on every other feature,
     *     so that everything freed is probably irrelevant
     * @param queryTimeoutSeconds budget of one query over the whole chain (default 20 s); a query
     *     that runs out stays unknown
     * @param threads worker threads for the complete oracles (0: one per core)
     * @param seed seeds the {@code random} order
     * @param efx whether to run the EFX check (default true)
     * @param probabilistic PT-LiRPA's settings for the probabilistic last step on the features the
     *     chain left unknown ({@link ProbabilisticStep}); null: no such step (the default), except
     *     that the oracle {@code pt-lirpa} always takes it, with PT-LiRPA's defaults when null
     * @param budgetSeconds wall time (s) the search of one run may take, 0 for no limit (the default):
     *     past it the features not settled stay unknown, visibly, and a resumed run asks them afresh
     *     ({@link ExplanationSearch#budget}); for deep networks whose exact queries take minutes each
     */
    public record Options(String order, String algorithm, String oracle, double queryTimeoutSeconds, int threads,
            long seed, boolean efx, PtLirpa.Options probabilistic, double budgetSeconds) {
        public Options {
            if (!(budgetSeconds >= 0) || Double.isInfinite(budgetSeconds)) {
                throw new IllegalArgumentException("the time budget must be positive (or 0 for none), found "
                        + budgetSeconds);
            }
        }

        /** Without a time budget. */
        public Options(String order, String algorithm, String oracle, double queryTimeoutSeconds, int threads,
                long seed, boolean efx, PtLirpa.Options probabilistic) {
            this(order, algorithm, oracle, queryTimeoutSeconds, threads, seed, efx, probabilistic, 0);
        }

        public static Options defaults() {
            return new Options("reciph", "binary", "auto", 20, 0, 0, true, null);
        }

        /** With a time budget of {@code seconds} for the search (0: none). */
        public Options withBudget(double seconds) {
            return new Options(order, algorithm, oracle, queryTimeoutSeconds, threads, seed, efx,
                    probabilistic, seconds);
        }

        public Options withOrder(String v) {
            return new Options(v, algorithm, oracle, queryTimeoutSeconds, threads, seed, efx, probabilistic,
                    budgetSeconds);
        }

        public Options withAlgorithm(String v) {
            return new Options(order, v, oracle, queryTimeoutSeconds, threads, seed, efx, probabilistic, budgetSeconds);
        }

        public Options withOracle(String v) {
            return new Options(order, algorithm, v, queryTimeoutSeconds, threads, seed, efx, probabilistic,
                    budgetSeconds);
        }

        public Options withQueryTimeout(double v) {
            return new Options(order, algorithm, oracle, v, threads, seed, efx, probabilistic, budgetSeconds);
        }

        public Options withThreads(int v) {
            return new Options(order, algorithm, oracle, queryTimeoutSeconds, v, seed, efx, probabilistic,
                    budgetSeconds);
        }

        public Options withSeed(long v) {
            return new Options(order, algorithm, oracle, queryTimeoutSeconds, threads, v, efx, probabilistic,
                    budgetSeconds);
        }

        public Options withEfx(boolean v) {
            return new Options(order, algorithm, oracle, queryTimeoutSeconds, threads, seed, v,
                    probabilistic, budgetSeconds);
        }

        public Options withProbabilistic(PtLirpa.Options v) {
            return new Options(order, algorithm, oracle, queryTimeoutSeconds, threads, seed, efx, v, budgetSeconds);
        }

        /** Whether PT-LiRPA runs as the last step. */
        public boolean probabilisticStep() {
            return probabilistic != null || oracle.equals(ProbabilisticStep.NAME);
        }
    }

    /** Explains {@code problem} with the named order, algorithm and oracle chain. */
    public static Explanation run(ExplanationProblem problem, Options options) {
        return run(problem, options, null, List.of());
    }

    /**
     * {@link #run(ExplanationProblem, Options)}, resuming from {@code resume} (what an interrupted
     * run of the same problem and options had settled; null or empty: from the start) and telling
     * every listener of each feature settled (a journal, a progress display).
     */
    public static Explanation run(ExplanationProblem problem, Options options, ExplanationSearch.Settled resume,
            List<ExplanationSearch.Listener> listeners) {
        TraversalOrder order = TraversalOrders.byName(options.order(), options.seed());
        Explainer algorithm = Explainers.byName(options.algorithm());
        // pt-lirpa proves nothing: the sound part is an attack (the batched one of the final pass), and
        // every feature it leaves goes to the probabilistic step.
        OracleChain chain = options.oracle().equals(ProbabilisticStep.NAME)
                ? new OracleChain(ProbabilisticStep.NAME, List.of(AttackOracle.quick()), Set.of(),
                        options.queryTimeoutSeconds())
                : OracleChain.byName(options.oracle(), options.queryTimeoutSeconds(), options.threads());
        return run(problem, order, algorithm, chain, options, resume, listeners);
    }

    /** Explains {@code problem} with the given parts (for custom orders, algorithms or chains). */
    public static Explanation run(ExplanationProblem problem, TraversalOrder order, Explainer algorithm,
            OracleChain chain, Options options) {
        return run(problem, order, algorithm, chain, options, null, List.of());
    }

    private static Explanation run(ExplanationProblem problem, TraversalOrder order, Explainer algorithm,
            OracleChain chain, Options options, ExplanationSearch.Settled resume,
            List<ExplanationSearch.Listener> listeners) {
        long t0 = System.nanoTime();
        double[] scores = order.scores(problem);
        int[] sequence = TraversalOrder.sort(scores);
        double orderSeconds = (System.nanoTime() - t0) / 1e9;
        int cores = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        ExplanationSearch search = new ExplanationSearch(problem, chain, Math.min(2, cores));
        Map<String, Object> resumed = null;
        if (resume != null && !resume.isEmpty()) {
            int relevant = search.restore(resume);
            resumed = new LinkedHashMap<>();
            resumed.put("irrelevant", search.free().cardinality());
            resumed.put("relevant", relevant);
            resumed.put("relevant_dropped", resume.relevant().size() - relevant);
            // What the earlier runs' searches took (the explanation's own seconds are this run's);
            // journals written before effort was recorded do not say.
            if (search.earlierSeconds() > 0) {
                resumed.put("earlier_seconds", search.earlierSeconds());
            }
        }
        if (options.budgetSeconds() > 0) {
            search.budget(options.budgetSeconds());
        }
        listeners.forEach(search::listen);
        if (resumed != null) {
            algorithm.resume(search, sequence);
        } else {
            algorithm.run(search, sequence);
        }
        search.tellEffort();
        // A run whose budget ran out still gets a short EFX check: its evidence is mostly at hand.
        EfxResult efx = options.efx()
                ? EfxCheck.check(problem, search.free(), search.proof(), search.witnesses(),
                        search.outOfBudget() ? 1 : Math.max(1, options.queryTimeoutSeconds()))
                : null;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("query_timeout_seconds", options.queryTimeoutSeconds());
        if (options.budgetSeconds() > 0) {
            settings.put("budget_seconds", options.budgetSeconds());
            settings.put("budget_ran_out", search.outOfBudget());
        }
        settings.put("threads", options.threads());
        settings.put("seed", options.seed());
        settings.put("order_seconds", orderSeconds);
        settings.put("chain", chain.oracles().stream().map(Oracle::name).toList());
        settings.put("group_oracles", chain.groupOracles().stream().sorted().toList());
        if (resumed != null) {
            settings.put("resumed", resumed);
        }
        ProbablyIrrelevant probable = null;
        if (options.probabilisticStep()) {
            // After the proven part is final: the unknown features, in the traversal order.
            BitSet unknown = search.unknown();
            int[] candidates = java.util.Arrays.stream(sequence).filter(unknown::get).toArray();
            PtLirpa.Options pt = options.probabilistic() != null ? options.probabilistic() : PtLirpa.Options.defaults();
            probable = ProbabilisticStep.run(problem, search.free(), candidates, pt);
            settings.put("probabilistic_step", ProbabilisticStep.NAME);
        }
        return new Explanation(problem, order.name(), scores, algorithm.name(), chain.name(), search, efx,
                (System.nanoTime() - t0) / 1e9, settings, probable);
    }
}
