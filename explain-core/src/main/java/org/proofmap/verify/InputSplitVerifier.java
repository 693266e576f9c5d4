package org.proofmap.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.proofmap.attack.AttackResult;
import org.proofmap.attack.Pgd;
import org.proofmap.bounds.BoundMethod;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.Spec;
import org.proofmap.model.GradientPass;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

/**
 * Branch and bound over the input box for VNN-COMP properties, suited to low-dimensional inputs
 * (ACAS Xu). Boxes wait in a priority queue, worst first (the most negative margin of an unproven
 * disjunct); each is bounded with CROWN or alpha-CROWN on the rows of its unproven disjuncts. A
 * disjunct is proved on a box when one of its rows has a positive lower margin
 * {@code C_r·y − d_r > 0} everywhere in the box. Boxes not proved are searched for a counterexample
 * (centre, the corner that minimises the worst row's linear lower bound, and PGD on a schedule) and
 * then split in two along the dimension the heuristic picks. Workers on every core share the queue.
 *
 * <p>Every {@code SAT} witness is re-checked by a double-precision forward pass before it is
 * reported; a candidate that fails the check is ignored.
 */
public final class InputSplitVerifier {
    /**
     * Settings.
     *
     * @param bound {@code crown} or {@code alpha-crown}
     * @param split the split heuristic
     * @param timeoutSeconds wall-time limit for the whole property
     * @param threads worker threads (0: one per core)
     * @param pgdEvery run PGD on every n-th box (0: only on the whole box at the start)
     * @param pgd the attack's settings
     */
    public record Options(String bound, SplitHeuristic split, double timeoutSeconds, int threads, int pgdEvery,
            Pgd.Options pgd) {
        public static Options defaults() {
            return new Options("crown", SplitHeuristics.byName("reciph"), 60, 0, 64,
                    new Pgd.Options(50, 5, 0.1, Pgd.Options.defaults().schedule(), true, true, 0L, 5.0));
        }

        public Options withSplit(SplitHeuristic s) {
            return new Options(bound, s, timeoutSeconds, threads, pgdEvery, pgd);
        }

        public Options withTimeout(double seconds) {
            return new Options(bound, split, seconds, threads, pgdEvery, pgd);
        }

        public Options withBound(String b) {
            return new Options(b, split, timeoutSeconds, threads, pgdEvery, pgd);
        }
    }

    /** A box still to decide: its corners, the indices of its unproven disjuncts, its worst margin. */
    private record Task(double[] lo, double[] hi, int[] open, double priority, int depth) {}

    private final Options options;

    public InputSplitVerifier(Options options) {
        this.options = options;
    }

    /** Verifies every case of {@code property}: SAT as soon as one case has a counterexample. */
    public VerificationResult verify(Graph graph, Property property) {
        if (property.numInputs() != graph.inputSize() || property.numOutputs() != graph.outputSize()) {
            throw new IllegalArgumentException("the property has " + property.numInputs() + " inputs and "
                    + property.numOutputs() + " outputs but the model has " + graph.inputSize() + " and "
                    + graph.outputSize());
        }
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (options.timeoutSeconds() * 1e9);
        long boxes = 0;
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("heuristic", options.split().name());
        stats.put("bound", options.bound());
        Verdict overall = Verdict.UNSAT;
        String decidedBy = "bounds";
        for (int c = 0; c < property.cases().size(); c++) {
            CaseRun run = new CaseRun(graph, property.cases().get(c), deadline);
            VerificationResult r = run.run();
            boxes += r.subproblems();
            stats.put("case" + c, r.verdict().word() + " (" + r.subproblems() + " boxes, " + r.decidedBy() + ")");
            if (r.verdict() == Verdict.SAT) {
                return new VerificationResult(Verdict.SAT, r.witness(), r.witnessOutput(), r.decidedBy(),
                        (System.nanoTime() - t0) / 1e9, boxes, merge(stats, r.statistics()));
            }
            if (r.verdict() != Verdict.UNSAT) {
                overall = r.verdict();
                decidedBy = r.decidedBy();
                merge(stats, r.statistics());
                break;
            }
            merge(stats, r.statistics());
        }
        return new VerificationResult(overall, null, null, decidedBy, (System.nanoTime() - t0) / 1e9, boxes, stats);
    }

    private static Map<String, Object> merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, v) -> into.merge(k, v, (a, b) -> a instanceof Long x && b instanceof Long y ? x + y : b));
        return into;
    }

    /** The search for one case. */
    private final class CaseRun {
        private final Graph graph;
        private final PropertyCase pc;
        private final long deadline;
        private final List<OutputConstraint> disjuncts;
        private final PriorityBlockingQueue<Task> queue =
                new PriorityBlockingQueue<>(64, (a, b) -> Double.compare(a.priority(), b.priority()));
        private final AtomicInteger busy = new AtomicInteger();
        private final AtomicLong boxes = new AtomicLong();
        private final AtomicLong proved = new AtomicLong();
        private final AtomicLong attacks = new AtomicLong();
        private final AtomicInteger maxDepth = new AtomicInteger();
        private final AtomicReference<double[]> witness = new AtomicReference<>();
        private final AtomicReference<String> foundBy = new AtomicReference<>();
        private volatile boolean stop;
        /** A box was dropped without a decision: the answer can no longer be UNSAT. */
        private volatile boolean undecided;
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final BoundMethod method;

        CaseRun(Graph graph, PropertyCase pc, long deadline) {
            this.graph = graph;
            this.pc = pc;
            this.deadline = deadline;
            this.disjuncts = pc.disjuncts();
            this.method = BoundMethods.byName(options.bound());
        }

        VerificationResult run() {
            long t0 = System.nanoTime();
            Map<String, Object> stats = new LinkedHashMap<>();
            int[] all = new int[disjuncts.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
                if (disjuncts.get(i).numRows() == 0) {
                    // "Any output is unsafe": every input of the box is a counterexample.
                    offer(pc.inputLower(), "trivial");
                }
            }
            if (all.length > 0 && witness.get() == null) {
                attack(pc.inputLower(), pc.inputUpper());
            }
            if (all.length > 0 && witness.get() == null) {
                queue.add(new Task(pc.inputLower(), pc.inputUpper(), all, Double.NEGATIVE_INFINITY, 0));
                int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread th = new Thread(this::work, "proofmap-bab-" + t);
                    th.setDaemon(true);
                    workers.add(th);
                    th.start();
                }
                for (Thread th : workers) {
                    try {
                        th.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stop = true;
                    }
                }
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            stats.put("boxes_proved", proved.get());
            stats.put("attacks", attacks.get());
            stats.put("max_depth", (long) maxDepth.get());
            double secs = (System.nanoTime() - t0) / 1e9;
            double[] w = witness.get();
            if (w != null) {
                return new VerificationResult(Verdict.SAT, w, graph.forward(w), foundBy.get(), secs, boxes.get(), stats);
            }
            if (undecided) {
                return new VerificationResult(Verdict.UNKNOWN, null, null, "undecided box", secs, boxes.get(), stats);
            }
            if (!queue.isEmpty() || stop) {
                return new VerificationResult(Verdict.TIMEOUT, null, null, "timeout", secs, boxes.get(), stats);
            }
            return new VerificationResult(Verdict.UNSAT, null, null, "bounds", secs, boxes.get(), stats);
        }

        private void work() {
            GradientPass gradients = new GradientPass(graph, 1);
            while (!stop) {
                if (System.nanoTime() > deadline) {
                    stop = true;
                    break;
                }
                Task task;
                busy.incrementAndGet();
                try {
                    task = queue.poll(5, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    busy.decrementAndGet();
                    return;
                }
                if (task == null) {
                    busy.decrementAndGet();
                    if (queue.isEmpty() && busy.get() == 0) {
                        return; // nothing left anywhere: every box is proved
                    }
                    continue;
                }
                try {
                    process(task, gradients);
                } catch (RuntimeException e) {
                    // Never lose a box silently: a failure ends the search and is rethrown to the caller.
                    failure.compareAndSet(null, e);
                    stop = true;
                } finally {
                    busy.decrementAndGet();
                }
            }
        }

        private void process(Task task, GradientPass gradients) {
            long n = boxes.incrementAndGet();
            maxDepth.accumulateAndGet(task.depth(), Math::max);
            // Rows of the open disjuncts, stacked.
            List<double[]> rows = new ArrayList<>();
            List<Double> rhs = new ArrayList<>();
            int[] firstRow = new int[task.open().length + 1];
            for (int k = 0; k < task.open().length; k++) {
                OutputConstraint d = disjuncts.get(task.open()[k]);
                firstRow[k] = rows.size();
                double[][] c = d.c();
                double[] dd = d.d();
                for (int r = 0; r < c.length; r++) {
                    rows.add(c[r]);
                    rhs.add(dd[r]);
                }
            }
            firstRow[task.open().length] = rows.size();
            double[][] c = rows.toArray(new double[0][]);
            Bounds b = method.compute(graph, new Box(task.lo(), task.hi()), Spec.rows(c, "property"));
            // Margins: a disjunct is proved when one of its rows is positive everywhere.
            List<Integer> open = new ArrayList<>();
            double worst = Double.POSITIVE_INFINITY;
            int worstRow = 0;
            for (int k = 0; k < task.open().length; k++) {
                double best = Double.NEGATIVE_INFINITY;
                int bestRow = firstRow[k];
                for (int r = firstRow[k]; r < firstRow[k + 1]; r++) {
                    double m = b.lower(r) - rhs.get(r);
                    if (m > best) {
                        best = m;
                        bestRow = r;
                    }
                }
                if (!(best > 0)) {
                    open.add(task.open()[k]);
                    if (best < worst) {
                        worst = best;
                        worstRow = bestRow;
                    }
                }
            }
            if (open.isEmpty()) {
                proved.incrementAndGet();
                return;
            }
            // Cheap counterexample candidates: the centre and the corner minimising the worst row's bound.
            double[] centre = new double[task.lo().length];
            for (int i = 0; i < centre.length; i++) {
                centre[i] = 0.5 * (task.lo()[i] + task.hi()[i]);
            }
            if (offer(centre, "centre")) {
                return;
            }
            if (b.hasLinearBounds()) {
                double[] a = b.lowerCoefficients(worstRow);
                double[] corner = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    corner[i] = a[i] > 0 ? task.lo()[i] : task.hi()[i];
                }
                if (offer(corner, "corner")) {
                    return;
                }
            }
            if (options.pgdEvery() > 0 && n % options.pgdEvery() == 0 && attack(task.lo(), task.hi())) {
                return;
            }
            int dim = options.split().choose(new SplitContext(task.lo(), task.hi(), b, c, worstRow, gradients));
            if (dim < 0) {
                // A point box that is neither proved nor a counterexample: bounds are exact on a point,
                // so this only happens on numerical ties; leave the box undecided.
                undecided = true;
                stop = true;
                return;
            }
            int[] openArr = open.stream().mapToInt(Integer::intValue).toArray();
            double mid = 0.5 * (task.lo()[dim] + task.hi()[dim]);
            double[] hiLeft = task.hi().clone();
            hiLeft[dim] = mid;
            double[] loRight = task.lo().clone();
            loRight[dim] = mid;
            queue.add(new Task(task.lo(), hiLeft, openArr, worst, task.depth() + 1));
            queue.add(new Task(loRight, task.hi(), openArr, worst, task.depth() + 1));
        }

        /** PGD on a box; true when it found a (re-checked) counterexample. */
        private boolean attack(double[] lo, double[] hi) {
            attacks.incrementAndGet();
            AttackResult r = Pgd.attack(graph, new Box(lo, hi), disjuncts, options.pgd());
            return r.found() && offer(r.input(), "pgd");
        }

        /** Re-checks a candidate with a double-precision forward pass; records it when it violates the property. */
        private boolean offer(double[] x, String source) {
            if (!pc.contains(x, 0.0)) {
                return false;
            }
            double[] y = graph.forward(x);
            if (!pc.isViolatedBy(y, 0.0)) {
                return false;
            }
            if (witness.compareAndSet(null, x.clone())) {
                foundBy.set(source);
            }
            stop = true;
            return true;
        }
    }
}
