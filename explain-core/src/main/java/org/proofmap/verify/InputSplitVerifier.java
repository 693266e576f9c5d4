package org.proofmap.verify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.proofmap.attack.AttackResult;
import org.proofmap.attack.Pgd;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.BoundMethod;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.InputDomain;
import org.proofmap.bounds.JacobianBounds;
import org.proofmap.bounds.PtLirpa;
import org.proofmap.bounds.ReluSplitting;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

/**
 * Branch and bound over the input box for VNN-COMP properties, suited to low-dimensional inputs
 * (ACAS Xu). Boxes wait in a priority queue, worst first (the most negative margin of an unproven
 * disjunct); each is bounded with CROWN or alpha-CROWN on the rows of its unproven disjuncts, its
 * intermediate bounds starting from those of the box it was split from. A disjunct is proved on a
 * box when one of its rows has a positive lower margin {@code C_r·y − d_r > 0} everywhere in the
 * box, or a convex combination of its rows' linear lower bounds does ({@link ConjunctionCertificate}).
 * Before any bound, the points of a regular grid over the box ({@link GridPoints}) and PGD on the
 * whole box look for a counterexample. Boxes not proved are searched for one (centre, the corner
 * that minimises the worst row's linear lower bound, and PGD on a schedule) and then split in two
 * along the dimension the heuristic picks, unless the box has few unstable ReLUs left: then a branch
 * and bound over those neurons tries to settle the box first ({@link LocalActivationSearch}), which
 * closes thin margins that splitting the input would only approach. Workers on every core share
 * the queue.
 *
 * <p>Every {@code SAT} witness is re-checked by a double-precision forward pass before it is
 * reported; a candidate that fails the check is ignored.
 *
 * <p>With the bound {@code pt-lirpa}, each box is bounded by CROWN first, and only a box CROWN cannot
 * close is bounded by PT-LiRPA ({@link ConfidenceBudget}: each call at its share of the failure
 * probability); a box PT-LiRPA closes is closed probably, not provably, and a search that ends with
 * every box closed and any of them closed so answers {@code PROBABLY_UNSAT} with the budget's
 * confidence. The counterexample search is the same as with sound bounds, so {@code SAT} stays a
 * re-checked counterexample.
 */
public final class InputSplitVerifier {
    /**
     * Settings.
     *
     * @param bound {@code crown}, {@code alpha-crown} or {@code pt-lirpa} (CROWN, then PT-LiRPA with
     *     {@code probabilistic} on the boxes CROWN leaves)
     * @param split the split heuristic
     * @param timeoutSeconds wall-time limit for the whole property
     * @param threads worker threads (0: one per core)
     * @param pgdEvery run PGD on every n-th box (0: only on the whole box at the start)
     * @param pgd the attack's settings
     * @param probabilistic PT-LiRPA's settings (overall confidence, samples, ...) for the bound
     *     {@code pt-lirpa}
     * @param localBranching a box the bound does not prove and with at most this many unstable ReLUs
     *     is first given to a branch and bound over those ReLUs ({@link LocalActivationSearch}); 0 turns
     *     it off
     */
    public record Options(String bound, SplitHeuristic split, double timeoutSeconds, int threads, int pgdEvery,
            Pgd.Options pgd, PtLirpa.Options probabilistic, int localBranching) {
        public Options {
            if (!BOUNDS.contains(bound)) {
                throw new IllegalArgumentException("unknown bound method '" + bound + "' for input splitting (known: "
                        + String.join(", ", BOUNDS) + ")");
            }
        }

        public static Options defaults() {
            return new Options("crown", SplitHeuristics.byName("reciph"), 60, 0, 64,
                    Pgd.Options.defaults().withSteps(50).withRestarts(5).withTimeLimitSeconds(5.0),
                    PtLirpa.Options.defaults(), LOCAL_BRANCHING);
        }

        public Options withSplit(SplitHeuristic s) {
            return new Options(bound, s, timeoutSeconds, threads, pgdEvery, pgd, probabilistic, localBranching);
        }

        public Options withTimeout(double seconds) {
            return new Options(bound, split, seconds, threads, pgdEvery, pgd, probabilistic, localBranching);
        }

        public Options withBound(String b) {
            return new Options(b, split, timeoutSeconds, threads, pgdEvery, pgd, probabilistic, localBranching);
        }

        public Options withThreads(int n) {
            return new Options(bound, split, timeoutSeconds, n, pgdEvery, pgd, probabilistic, localBranching);
        }

        public Options withProbabilistic(PtLirpa.Options p) {
            return new Options(bound, split, timeoutSeconds, threads, pgdEvery, pgd, p, localBranching);
        }

        public Options withLocalBranching(int maxUnstable) {
            return new Options(bound, split, timeoutSeconds, threads, pgdEvery, pgd, probabilistic, maxUnstable);
        }
    }

    /**
     * Default of {@link Options#localBranching}: on ACAS Xu 3_3 prop_2 (one thread) the local search
     * proved every box it was given; with at most 6 unstable ReLUs input splitting still had 44,000
     * boxes open after 200,000, with 10 the property was proved in 22 s, with 14 in 16 s.
     */
    public static final int LOCAL_BRANCHING = 12;

    /**
     * Subdomains one local search may bound before it gives the box back to input splitting: it
     * fails this way only on boxes with a counterexample or a margin too thin for the LP's rounding.
     */
    static final int LOCAL_DOMAINS = 4096;

    /** The bound methods a box can be bounded with. */
    public static final List<String> BOUNDS = List.of("crown", "alpha-crown", "pt-lirpa");

    /**
     * A box still to decide: its corners, the indices of its unproven disjuncts, its worst margin, and
     * the bound context of the box it was split from (null for the whole box), whose intermediate
     * bounds hold here too.
     */
    private record Task(double[] lo, double[] hi, int[] open, double priority, int depth, BoundContext parent) {}

    private final Options options;

    public InputSplitVerifier(Options options) {
        this.options = options;
    }

    /** Verifies every case of {@code property}: SAT as soon as one case has a counterexample. */
    public VerificationResult verify(Graph graph, Property property) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("split", "input");
        settings.put("heuristic", options.split().name());
        settings.put("bound", options.bound());
        ConfidenceBudget budget = options.bound().equals("pt-lirpa") ? new ConfidenceBudget(options.probabilistic())
                : null;
        return CaseLoop.run(graph, property, options.timeoutSeconds(), settings, budget,
                (pc, deadline) -> new CaseRun(graph, pc, deadline, budget).run());
    }

    /** The search for one case. */
    private final class CaseRun {
        private final Graph graph;
        private final PropertyCase pc;
        private final List<OutputConstraint> disjuncts;
        private final SearchPool<Task> pool;
        private final AtomicLong proved = new AtomicLong();
        private final AtomicLong attacks = new AtomicLong();
        private final AtomicInteger maxDepth = new AtomicInteger();
        private final AtomicLong probablyProved = new AtomicLong();
        private final AtomicLong locallyProved = new AtomicLong();
        /** {@link Options#localBranching}, or 0 for networks with activations other than ReLU. */
        private final int localBranching;
        private final BoundMethod method;
        private final ConfidenceBudget budget;
        /** Gradient bounds for the {@code smear} heuristic (extracts the model's Jacobians on first use). */
        private final JacobianBounds jacobian;

        CaseRun(Graph graph, PropertyCase pc, long deadline, ConfidenceBudget budget) {
            this.graph = graph;
            this.pc = pc;
            this.disjuncts = pc.disjuncts();
            this.budget = budget;
            // With pt-lirpa, CROWN bounds every box first: a box it closes is closed provably.
            this.method = BoundMethods.byName(budget != null ? "crown" : options.bound());
            this.jacobian = new JacobianBounds(graph);
            this.localBranching = ReluSplitting.supports(graph) ? options.localBranching() : 0;
            this.pool = new SearchPool<>(graph, pc, deadline, (a, b) -> Double.compare(a.priority(), b.priority()));
        }

        VerificationResult run() {
            long t0 = System.nanoTime();
            int[] all = OpenDisjuncts.all(disjuncts.size());
            for (OutputConstraint d : disjuncts) {
                if (d.numRows() == 0) {
                    pool.offer(pc.inputLower(), "trivial"); // "any output is unsafe"
                }
            }
            Verdict verdict;
            if (all.length == 0) {
                verdict = Verdict.UNSAT; // no unsafe output at all
            } else {
                if (!pool.stopped()) {
                    GridPoints.search(pc.inputLower(), pc.inputUpper(), x -> pool.offer(x, "grid"));
                }
                if (!pool.stopped()) {
                    attack(pc.inputLower(), pc.inputUpper());
                }
                pool.add(new Task(pc.inputLower(), pc.inputUpper(), all, Double.NEGATIVE_INFINITY, 0, null));
                int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
                verdict = pool.run(threads, () -> null, (task, state) -> process(task));
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("boxes_proved", proved.get());
            if (budget != null) {
                stats.put("boxes_proved_probabilistically", probablyProved.get());
            }
            stats.put("boxes_proved_by_local_branching", locallyProved.get());
            stats.put("attacks", attacks.get());
            stats.put("max_depth", (long) maxDepth.get());
            double secs = (System.nanoTime() - t0) / 1e9;
            double[] w = pool.witness();
            String by = switch (verdict) {
                case SAT -> pool.foundBy();
                case UNSAT -> "bounds";
                case TIMEOUT -> "timeout";
                default -> "undecided box";
            };
            if (verdict == Verdict.UNSAT && probablyProved.get() > 0) {
                return new VerificationResult(Verdict.PROBABLY_UNSAT, null, null, "bounds and pt-lirpa", secs,
                        pool.processed.get(), stats, budget.confidence());
            }
            return new VerificationResult(verdict, w, w == null ? null : graph.forward(w), by, secs,
                    pool.processed.get(), stats);
        }

        /** Whether PT-LiRPA closes the box (only asked after CROWN could not). */
        private boolean probablyClosed(OpenDisjuncts od, Box box) {
            PtLirpa pt = budget.next();
            if (pt == null || !od.evaluate(pt.compute(graph, box, od.spec()).lower()).proved()) {
                return false;
            }
            budget.decided();
            probablyProved.incrementAndGet();
            return true;
        }

        private void process(Task task) {
            long n = pool.processed.get();
            maxDepth.accumulateAndGet(task.depth(), Math::max);
            OpenDisjuncts od = new OpenDisjuncts(disjuncts, task.open());
            Box box = new Box(task.lo(), task.hi());
            BoundContext ctx = task.parent() == null ? new BoundContext(graph, box) : new BoundContext(task.parent(), box);
            Bounds b = method.compute(ctx, od.spec());
            OpenDisjuncts.Outcome out = od.evaluate(b, task.lo(), task.hi());
            if (out.proved()) {
                proved.incrementAndGet();
                return;
            }
            if (budget != null && probablyClosed(od, box)) {
                return;
            }
            // Cheap counterexample candidates: the centre and the corner minimising the worst row's bound.
            double[] centre = new double[task.lo().length];
            for (int i = 0; i < centre.length; i++) {
                centre[i] = 0.5 * (task.lo()[i] + task.hi()[i]);
            }
            if (pool.offer(centre, "centre")) {
                return;
            }
            if (b.hasLinearBounds() && pool.offer(
                    InputDomain.minimisingCorner(b.lowerCoefficients(out.worstRow()), task.lo(), task.hi()), "corner")) {
                return;
            }
            if (options.pgdEvery() > 0 && n % options.pgdEvery() == 0 && attack(task.lo(), task.hi())) {
                return;
            }
            if (localBranching > 0 && LocalActivationSearch.unstable(graph, ctx) <= localBranching
                    && LocalActivationSearch.proves(ctx, od, LOCAL_DOMAINS, pool::over)) {
                proved.incrementAndGet();
                locallyProved.incrementAndGet();
                return;
            }
            int dim = options.split().choose(new SplitContext(task.lo(), task.hi(), b, od.rows, out.worstRow(),
                    ctx, jacobian));
            if (dim < 0) {
                // A point box that is neither proved nor a counterexample: bounds are exact on a point,
                // so this only happens on numerical ties; the box stays undecided.
                pool.giveUp();
                return;
            }
            ctx.trimForChildren(); // the children keep it while they wait in the queue
            double mid = 0.5 * (task.lo()[dim] + task.hi()[dim]);
            double[] hiLeft = task.hi().clone();
            hiLeft[dim] = mid;
            double[] loRight = task.lo().clone();
            loRight[dim] = mid;
            pool.add(new Task(task.lo(), hiLeft, out.stillOpen(), out.worstMargin(), task.depth() + 1, ctx));
            pool.add(new Task(loRight, task.hi(), out.stillOpen(), out.worstMargin(), task.depth() + 1, ctx));
        }

        /** PGD on a box; true when it found a (re-checked) counterexample. */
        private boolean attack(double[] lo, double[] hi) {
            attacks.incrementAndGet();
            AttackResult r = Pgd.attack(graph, new Box(lo, hi), disjuncts, options.pgd());
            return r.found() && pool.offer(r.input(), "pgd");
        }
    }
}
