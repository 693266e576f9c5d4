package org.proofmap.verify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.proofmap.attack.AttackResult;
import org.proofmap.attack.Pgd;
import org.proofmap.bounds.AlphaCrown;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.InputDomain;
import org.proofmap.bounds.PtLirpa;
import org.proofmap.bounds.ReluSplitting;
import org.proofmap.mip.ExactMinimizer;
import org.proofmap.mip.MipBoundRefinement;
import org.proofmap.mip.MipSolver;
import org.proofmap.mip.MipSolvers;
import org.proofmap.mip.NetworkEncoder;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

/**
 * Branch and bound over ReLU activations, for inputs too many to split (MNIST): a subdomain is the
 * case's input box with sign constraints on chosen unstable neurons; it is bounded under those
 * constraints ({@link ReluSplitting}) and, when not proved, split into {@code z >= 0} and
 * {@code z <= 0} on a neuron chosen among the best BaBSR-like scores by the bounds of its children.
 * Counterexample candidates (the corner that minimises the worst row's linear bound, PGD on the
 * whole box on a schedule) are re-checked by a forward pass before they are reported.
 *
 * <p>By default the root's intermediate bounds are optimised by alpha-CROWN, layer by layer
 * ({@link BoundContext#optimised}), and every subdomain starts from them; each subdomain is then
 * bounded by alpha-beta-CROWN: relaxation lines and one multiplier per split optimised together, so
 * the splits act inside the backward pass. The exact MIP (over the same optimised bounds, which
 * makes its big-M constants tight and leaves fewer binaries) runs alongside on a core of its own,
 * and whichever decides first stops the other.
 *
 * <p>The split constraints also enter through the clamped intermediate bounds and, as linear cuts on
 * the input with Lagrange multipliers, through the final concretisation ({@code SplitCuts}). On networks with few inputs, a disjunct the rows do not
 * prove one by one is also tried with an LP over its rows and the cuts together
 * ({@link ConjunctionCertificate}), which makes conjunctions (ACAS Xu prop_2) provable here. A
 * subdomain whose neurons are all decided but that the bound still cannot prove is left undecided,
 * and the answer is then {@code UNKNOWN}, never a guess.
 *
 * <p>With PT-LiRPA settings ({@code probabilistic}), PT-LiRPA bounds the whole box once, before the
 * search, with its share of a {@link ConfidenceBudget}; it is the last step: only when branching and
 * the exact fallback end without a verdict and without a counterexample, and PT-LiRPA proved every
 * disjunct, the answer is {@code PROBABLY_UNSAT} with the budget's confidence. A sound verdict found
 * by the search always wins.
 */
public final class ActivationSplitVerifier {
    /**
     * Settings.
     *
     * @param timeoutSeconds wall-time limit for the whole property
     * @param threads worker threads (0: one per core)
     * @param pgdEvery run PGD (with a fresh seed) on the whole box after every n subdomains
     * @param pgd the attack's settings
     * @param exactFallback when branching leaves a subdomain undecided, settle the remaining disjuncts
     *     with the exact MIP in the time left
     * @param probabilistic PT-LiRPA's settings for the probabilistic last step, null for none
     * @param intermediates alpha-CROWN settings for optimising the root's intermediate bounds, which
     *     every subdomain and the exact fallback start from ({@link BoundContext#optimised}); null for
     *     CROWN's
     * @param exactAlongside with {@code exactFallback}, start the exact MIP at once, on a core of its
     *     own beside branching, instead of after it: whichever decides first stops the other. On
     *     the hard mnist_fc instances the MIP over the optimised root bounds decides where branching
     *     does not; on easy ones branching ends first and the MIP is stopped.
     * @param refine with {@code exactFallback} and CBC installed, when a short first round of
     *     branching ({@link #QUICK_SHARE} of the time, at most {@link #QUICK_MAX_SECONDS}) does not
     *     decide, tighten the root's intermediate bounds with the MIP ({@link MipBoundRefinement}, on
     *     every core, in at most {@link #REFINE_SHARE} of the time left) and branch again from them;
     *     null for none
     */
    public record Options(double timeoutSeconds, int threads, int pgdEvery, Pgd.Options pgd, boolean exactFallback,
            PtLirpa.Options probabilistic, AlphaCrown.Options intermediates, boolean exactAlongside,
            MipBoundRefinement.Options refine) {
        public static Options defaults() {
            return new Options(60, 0, 200, Pgd.Options.defaults(), true, null, AlphaCrown.Options.defaults(), true,
                    MipBoundRefinement.Options.defaults());
        }

        public Options withTimeout(double seconds) {
            return new Options(seconds, threads, pgdEvery, pgd, exactFallback, probabilistic, intermediates, exactAlongside,
                    refine);
        }

        public Options withThreads(int n) {
            return new Options(timeoutSeconds, n, pgdEvery, pgd, exactFallback, probabilistic, intermediates, exactAlongside,
                    refine);
        }

        public Options withProbabilistic(PtLirpa.Options p) {
            return new Options(timeoutSeconds, threads, pgdEvery, pgd, exactFallback, p, intermediates, exactAlongside,
                    refine);
        }

        /** With the root's intermediate bounds optimised by {@code o} (null: CROWN's). */
        public Options withIntermediates(AlphaCrown.Options o) {
            return new Options(timeoutSeconds, threads, pgdEvery, pgd, exactFallback, probabilistic, o, exactAlongside,
                    refine);
        }

        /** With the MIP refinement of intermediate bounds {@code r} (null: none). */
        public Options withRefine(MipBoundRefinement.Options r) {
            return new Options(timeoutSeconds, threads, pgdEvery, pgd, exactFallback, probabilistic, intermediates,
                    exactAlongside, r);
        }
    }

    /** Share of a case's time that the first round of branching gets when the bounds may be refined. */
    static final double QUICK_SHARE = 0.05;
    /** At most this long (s): the mnist_fc instances that branching decides take under 10 s here. */
    static final double QUICK_MAX_SECONDS = 10;
    /** Share of the time left after the first round that the MIP refinement may take. */
    static final double REFINE_SHARE = 0.35;

    /** Proven margin the exact fallback requires (the explanation MIP oracle's cutoff). */
    private static final double EXACT_CUTOFF = 1e-5;

    /**
     * How a subdomain is bounded, in order until one proves it: whether the intermediate bounds are
     * recomputed under the splits, and whether alpha-beta-CROWN runs. Without optimisation, a cheap
     * CROWN pass over the root's bounds, then CROWN with recomputed bounds. With it, alpha-beta-CROWN over the root's
     * (optimised) bounds alone: on mnist-net_256x6 prop_7_0.03 it proved 2 741 subdomains in 100 s
     * against 1 955 with the cheap pass and a recomputation added, which cost more than they gained.
     */
    private record Stage(boolean recompute, boolean alphaBeta) {}

    private static final Stage[] ROOT_STAGES = {new Stage(true, true)};
    private static final Stage[] CROWN_STAGES = {new Stage(false, false), new Stage(true, false)};
    private static final Stage[] ALPHA_BETA_STAGES = {new Stage(false, true)};

    /**
     * Adam's steps on subdomains, for the lines and for the split multipliers (beta-CROWN's choice
     * for branch and bound: smaller than alpha-CROWN's 0.5 on a whole box). With 0.5 and 0.05 the
     * children of a subdomain often came out looser than their parent after 20 steps; with 0.1 and
     * 0.01 the worst child's bound improved along a path of 12 splits on mnist-net_256x6.
     */
    static final double SUBDOMAIN_LINE_RATE = 0.1;
    static final double SUBDOMAIN_SPLIT_RATE = 0.01;

    private record Task(ReluSplitting.Splits splits, int[] open, double priority) {}

    private final Options options;

    public ActivationSplitVerifier(Options options) {
        this.options = options;
    }

    public VerificationResult verify(Graph graph, Property property) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("split", "activation");
        settings.put("bound", options.probabilistic() == null ? "crown" : "crown, pt-lirpa last");
        settings.put("intermediate", options.intermediates() == null ? "crown" : "alpha-crown");
        if (options.refine() != null && options.exactFallback()) {
            settings.put("refine", "mip (" + options.refine().neuronSeconds() + " s per bound, up to "
                    + options.refine().layers() + " layers) when branching does not decide within "
                    + Math.round(QUICK_SHARE * 100) + "% of the time");
        }
        ConfidenceBudget budget = options.probabilistic() == null ? null
                : new ConfidenceBudget(options.probabilistic());
        return CaseLoop.run(graph, property, options.timeoutSeconds(), settings, budget,
                (pc, deadline) -> new CaseRun(graph, pc, deadline, budget).run());
    }

    private final class CaseRun {
        private final Graph graph;
        private final PropertyCase pc;
        private final List<OutputConstraint> disjuncts;
        private SearchPool<Task> pool;
        private ReluSplitting splitting;
        private BoundContext rootContext;
        /** Subdomains bounded by the first round of branching (before a refinement). */
        private long earlierProcessed;
        private MipBoundRefinement.Result refined;
        private final AlphaCrown.Options subdomainAlpha;
        private final AtomicLong proved = new AtomicLong();
        private final AtomicLong attacks = new AtomicLong();
        private final AtomicLong exactRuns = new AtomicLong();
        private final AtomicInteger maxDepth = new AtomicInteger();

        private final long deadline;
        private final ConfidenceBudget budget;

        CaseRun(Graph graph, PropertyCase pc, long deadline, ConfidenceBudget budget) {
            this.deadline = deadline;
            this.budget = budget;
            this.graph = graph;
            this.pc = pc;
            this.disjuncts = pc.disjuncts();
            Box box = new Box(pc.inputLower(), pc.inputUpper());
            this.rootContext = options.intermediates() == null ? new BoundContext(graph, box)
                    : BoundContext.optimised(graph, box, options.intermediates());
            this.splitting = new ReluSplitting(rootContext);
            this.subdomainAlpha = options.intermediates() == null ? null
                    : options.intermediates().withLearningRates(SUBDOMAIN_LINE_RATE, SUBDOMAIN_SPLIT_RATE);
            // With the exact fallback after branching, branching gets the first half of the time and the
            // MIP the rest: the unsat instances branching cannot finish time out rather than stall, and
            // the sign MIP settles many of them in seconds (mnist_fc). Alongside, both get all of it.
            this.pool = newPool();
        }

        private SearchPool<Task> newPool() {
            long searchDeadline = options.exactFallback() && !options.exactAlongside()
                    ? System.nanoTime() + (deadline - System.nanoTime()) / 2 : deadline;
            return newPool(searchDeadline);
        }

        /** The whole box with every disjunct open: where each round of branching starts. */
        private Task rootTask() {
            return new Task(splitting.none(), OpenDisjuncts.all(disjuncts.size()), Double.NEGATIVE_INFINITY);
        }

        private SearchPool<Task> newPool(long searchDeadline) {
            return new SearchPool<>(graph, pc, searchDeadline, (a, b) -> Double.compare(a.priority(), b.priority()));
        }

        /**
         * Whether the root's bounds are worth refining by the MIP: asked for, CBC present (ojAlgo
         * proves no bound), and a ReLU layer between the second and the last one.
         */
        private boolean refinable() {
            return options.refine() != null && options.exactFallback() && MipBoundRefinement.canRefine(graph, false);
        }

        /**
         * The first round of branching, then the refinement, when {@link #refinable()}: returns the
         * verdict when the first round proved the property or found a counterexample, null when the
         * search goes on from refined bounds.
         */
        private Verdict quickRoundThenRefine(int threads) {
            long now = System.nanoTime();
            long quickEnd = now + (long) Math.min(QUICK_MAX_SECONDS * 1e9, QUICK_SHARE * (deadline - now));
            pool = newPool(quickEnd);
            pool.add(rootTask());
            Verdict v = pool.run(threads, () -> null, (task, state) -> process(task));
            if (v == Verdict.SAT || v == Verdict.UNSAT || pool.witness() != null) {
                return v;
            }
            // Undecided (the time was up, or a fully split subdomain stayed unproved): refine, then
            // the full search and the exact MIP, as without a first round.
            earlierProcessed = pool.processed.get();
            double budget = Math.min(options.refine().budgetSeconds(),
                    REFINE_SHARE * (deadline - System.nanoTime()) / 1e9);
            refined = MipBoundRefinement.refine(rootContext, MipBoundRefinement.boundSolver(MipSolvers.best()),
                    options.refine().withBudget(budget), () -> System.nanoTime() > deadline);
            rootContext = refined.context();
            splitting = new ReluSplitting(rootContext);
            pool = newPool();
            return null;
        }

        VerificationResult run() {
            long t0 = System.nanoTime();
            for (OutputConstraint d : disjuncts) {
                if (d.numRows() == 0) {
                    pool.offer(pc.inputLower(), "trivial");
                }
            }
            Verdict verdict;
            boolean probablyHolds = false;
            if (disjuncts.isEmpty()) {
                verdict = Verdict.UNSAT;
            } else {
                if (!pool.stopped()) {
                    attack(0);
                }
                probablyHolds = budget != null && !pool.stopped() && probablyHolds();
                int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
                Verdict quick = !pool.stopped() && refinable() ? quickRoundThenRefine(threads) : null;
                if (quick != null) {
                    verdict = quick;
                } else {
                    pool.add(rootTask());
                    ExactRun alongside = null;
                    if (options.exactFallback() && options.exactAlongside() && !pool.stopped()) {
                        alongside = new ExactRun(true);
                        threads = Math.max(1, threads - 1);
                    }
                    verdict = pool.run(threads, () -> null, (task, state) -> process(task));
                    if (alongside != null) {
                        verdict = alongside.settle(verdict);
                    } else if ((verdict == Verdict.UNKNOWN || verdict == Verdict.TIMEOUT) && options.exactFallback()
                            && pool.witness() == null) {
                        verdict = new ExactRun(false).settle(verdict);
                    }
                }
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("domains_proved", proved.get());
            stats.put("attacks", attacks.get());
            stats.put("exact_fallbacks", exactRuns.get());
            stats.put("max_depth", (long) maxDepth.get());
            if (exactSummary != null) {
                stats.put("mip", exactSummary);
            }
            if (refined != null) {
                stats.put("refine_seconds", Math.round(refined.seconds() * 10) / 10.0);
                stats.put("refine_solves", (long) refined.solves());
                stats.put("refine_unstable", refined.unstableBefore() + " -> " + refined.unstableAfter());
            }
            double[] w = pool.witness();
            String by = switch (verdict) {
                case SAT -> pool.foundBy();
                case UNSAT -> exactDecided ? "mip" : "bounds";
                case TIMEOUT -> "timeout";
                default -> "undecided subdomain";
            };
            double secs = (System.nanoTime() - t0) / 1e9;
            if ((verdict == Verdict.UNKNOWN || verdict == Verdict.TIMEOUT) && w == null && probablyHolds) {
                budget.decided();
                stats.put("undecided_before_pt_lirpa", verdict.word());
                return new VerificationResult(Verdict.PROBABLY_UNSAT, null, null, "pt-lirpa (after " + by + ")", secs,
                        earlierProcessed + pool.processed.get(), stats, budget.confidence());
            }
            return new VerificationResult(verdict, w, w == null ? null : graph.forward(w), by, secs,
                    earlierProcessed + pool.processed.get(), stats);
        }

        /** Whether PT-LiRPA's bounds of the whole box prove every disjunct (asked before the search). */
        private boolean probablyHolds() {
            PtLirpa pt = budget.next();
            OpenDisjuncts od = new OpenDisjuncts(disjuncts, OpenDisjuncts.all(disjuncts.size()));
            return pt != null && od.evaluate(pt.compute(graph, new Box(pc.inputLower(), pc.inputUpper()), od.spec())
                    .lower()).proved();
        }

        private void process(Task task) {
            long n = pool.processed.get();
            maxDepth.accumulateAndGet(task.splits().count(), Math::max);
            OpenDisjuncts od = new OpenDisjuncts(disjuncts, task.open());
            // A cheap bound first (the root's intermediate bounds, split neurons clamped, cuts): it
            // settles many subdomains at a tenth of the cost. Only the others pay for intermediate
            // bounds recomputed under the splits, which also choose the next split.
            ReluSplitting.Result res = null;
            OpenDisjuncts.Outcome out = null;
            Stage[] stages = task.splits().count() == 0 ? ROOT_STAGES
                    : subdomainAlpha == null ? CROWN_STAGES : ALPHA_BETA_STAGES;
            for (Stage stage : stages) {
                res = splitting.bound(task.splits(), od.spec(), od.rhs, l -> od.evaluate(l).worstRow(),
                        stage.recompute(), stage.alphaBeta() ? subdomainAlpha : null);
                if (res.infeasible()) {
                    proved.incrementAndGet(); // the constraints leave no input: nothing to prove
                    return;
                }
                out = od.evaluate(res, pc.inputLower(), pc.inputUpper());
                if (out.proved()) {
                    proved.incrementAndGet();
                    return;
                }
            }
            double[] corner = InputDomain.minimisingCorner(res.lowerCoefficients()[out.worstRow()], pc.inputLower(),
                    pc.inputUpper());
            if (pool.offer(corner, "corner")) {
                return;
            }
            if (options.pgdEvery() > 0 && n > 0 && n % options.pgdEvery() == 0 && attack(n)) {
                return;
            }
            ReluSplitting.Candidate best = res.best();
            if (best == null) {
                // Every neuron decided and still not proved. With few inputs the cut LP above is exact
                // there, so the subdomain holds a point of the unsafe region that the corner missed; with
                // many inputs the LP is not tried and the per-row multipliers may fall short.
                pool.giveUp();
                return;
            }
            ReluSplitting.Splits s = task.splits();
            pool.add(new Task(s.with(graph, best.value(), best.index(), true), out.stillOpen(), out.worstMargin()));
            pool.add(new Task(s.with(graph, best.value(), best.index(), false), out.stillOpen(), out.worstMargin()));
        }

        /** What the exact MIP ended with, for the statistics (null when it did not finish). */
        private volatile String exactSummary;

        /** Set when the exact MIP proved the property (the verdict's provenance; not its root-bound pre-check). */
        private volatile boolean exactDecided;

        /**
         * {@link #exact()} on its own thread, interrupted at the deadline or when branching decides
         * first (which kills a CBC process and stops ojAlgo): the MIP never makes the verification
         * overrun its time limit by more than the time it takes to stop a solver.
         */
        private final class ExactRun {
            private final java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors
                    .newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "proofmap-exact");
                        t.setDaemon(true);
                        return t;
                    });
            private final java.util.concurrent.Future<Verdict> future;

            /** Starts the MIP; {@code stopsSearch}: a decision stops the branching that runs beside it. */
            ExactRun(boolean stopsSearch) {
                future = ex.submit(() -> {
                    Verdict v = exact();
                    if (stopsSearch && (v == Verdict.UNSAT || v == Verdict.SAT)) {
                        pool.halt();
                    }
                    return v;
                });
            }

            /**
             * The verdict given branching's {@code searched}: branching's own when it decided (the
             * MIP is then stopped), else the MIP's when it decides by the deadline.
             */
            Verdict settle(Verdict searched) {
                try {
                    if (pool.witness() != null) {
                        return Verdict.SAT;
                    }
                    if (searched == Verdict.UNSAT) {
                        return Verdict.UNSAT; // branching proved it (a halted search says TIMEOUT)
                    }
                    Verdict v = future.get(Math.max(0, deadline - System.nanoTime()),
                            java.util.concurrent.TimeUnit.NANOSECONDS);
                    if (pool.witness() != null) {
                        return Verdict.SAT;
                    }
                    return v == Verdict.UNKNOWN ? searched : v;
                } catch (java.util.concurrent.TimeoutException e) {
                    return pool.witness() != null ? Verdict.SAT : Verdict.TIMEOUT;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Verdict.TIMEOUT;
                } finally {
                    future.cancel(true);
                    ex.shutdownNow();
                }
            }
        }

        /**
         * The exact MIP over the root's bounds: one sign MIP (CBC with a cutoff) per disjunct that
         * CROWN cannot prove on the whole box — proven bounds above every threshold prove the
         * property, a re-checked witness below one is a counterexample. Disjuncts with several rows
         * are not handled here.
         */
        private Verdict exact() {
            exactRuns.incrementAndGet();
            double remaining = (deadline - System.nanoTime()) / 1e9;
            if (remaining <= 0) {
                return Verdict.TIMEOUT;
            }
            try {
                NetworkEncoder.checkSupported(graph);
            } catch (UnsupportedOperationException e) {
                return Verdict.UNKNOWN;
            }
            Box box = new Box(pc.inputLower(), pc.inputUpper());
            OpenDisjuncts od = new OpenDisjuncts(disjuncts, OpenDisjuncts.all(disjuncts.size()));
            ReluSplitting.Result root = splitting.bound(splitting.none(), od.spec(), od.rhs, l -> od.evaluate(l).worstRow(),
                    true);
            int[] open = od.evaluate(root.lower()).stillOpen();
            if (open.length == 0) {
                return Verdict.UNSAT;
            }
            for (int k : open) {
                if (disjuncts.get(k).numRows() != 1) {
                    return Verdict.UNKNOWN;
                }
            }
            ExactMinimizer mip = new ExactMinimizer(graph, box, rootContext);
            MipSolver solver = MipSolvers.best();
            // One sign MIP per open disjunct: is c_k·y − d_k positive on the whole box? Separate MIPs
            // rather than one over the minimum of the rows: on mnist-net_256x4 prop_5_0.05 (refined
            // bounds) the nine rows took 35 s one by one, six of them 0.2 s each, where the single
            // MIP over their minimum took 65 s to more than 160 s. Each cutoff leaves a margin for the
            // solver's tolerances.
            int provedRows = 0;
            double mipSeconds = 0;
            int binaries = 0;
            for (int k : open) {
                double left = (deadline - System.nanoTime()) / 1e9;
                if (left < 1) {
                    return Verdict.TIMEOUT;
                }
                OutputConstraint d = disjuncts.get(k);
                double threshold = d.d()[0];
                // The run is cancelled (and CBC killed) at the deadline; the limit only has to end it there.
                ExactMinimizer.Result r = mip.minimiseMinimum(new double[][] {d.c()[0]}, solver,
                        threshold + EXACT_CUTOFF, Math.max(0.5, left - 1));
                mipSeconds += r.seconds();
                binaries = r.binaries();
                if (r.witness() != null && r.witnessValue() <= threshold && pool.offer(r.witness(), "mip")) {
                    exactSummary = "sat on disjunct " + k + " after " + format(mipSeconds) + " s";
                    return Verdict.SAT;
                }
                if (r.lowerBound() - threshold < EXACT_CUTOFF) {
                    exactSummary = r.state().name().toLowerCase(java.util.Locale.ROOT) + " on disjunct " + k
                            + " (proven margin bound "
                            + String.format(java.util.Locale.ROOT, "%.4g", r.lowerBound() - threshold) + ") after "
                            + provedRows + " of " + open.length
                            + " proved, " + format(mipSeconds) + " s";
                    return r.state() == ExactMinimizer.State.TIMEOUT_WITH_INCUMBENT
                            || r.state() == ExactMinimizer.State.UNKNOWN ? Verdict.TIMEOUT : Verdict.UNKNOWN;
                }
                provedRows++;
            }
            exactSummary = open.length + " disjuncts proved one by one, " + binaries + " binaries, "
                    + format(mipSeconds) + " s";
            exactDecided = true;
            return Verdict.UNSAT;
        }

        private static String format(double seconds) {
            return String.format(java.util.Locale.ROOT, "%.1f", seconds);
        }

        private boolean attack(long seed) {
            attacks.incrementAndGet();
            Pgd.Options seeded = options.pgd().withSeed(options.pgd().seed() + seed);
            AttackResult r = Pgd.attack(graph, new Box(pc.inputLower(), pc.inputUpper()), disjuncts, seeded);
            return r.found() && pool.offer(r.input(), "pgd");
        }
    }
}
