package org.proofmap.mip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.proofmap.bounds.BoundContext;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.ops.Activation;

/**
 * Intermediate bounds tightened by the exact MIP, one neuron at a time: the lower and the upper
 * bound of every unstable ReLU input are minimised and maximised over an encoding of the network up
 * to that layer, each solve under a short time limit, and the solver's proven bound (not its
 * incumbent) replaces the bound-propagation one where it is tighter. Later layers are then
 * recomputed (alpha-optimised when the context is) from the tightened layer. This is what
 * alpha-beta-CROWN runs before branching on the deep mnist_fc networks ("bab-refine").
 *
 * <p>Why it pays: on deep MNIST MLPs the LP relaxation, and so alpha-CROWN, is far from the network.
 * On mnist-net_256x4 prop_5_0.05 a second-layer neuron's lower bound is −5.57 by alpha-CROWN (which
 * equals the LP's here), −4.05 after CBC's root node with cuts, −3.96 after 5 s of CBC, while the
 * lowest value found is −1.27. Tightening the second layer alone raised that property's root
 * margin from −0.86 to about −0.25 and halved the unstable ReLUs of the last layer (142 to 68–81).
 *
 * <p>Each layer's neurons go loosest relaxation first ({@link #byLooseness}), so that a budget
 * that runs out has been spent where it matters most.
 *
 * <p>Only a back-end that proves its bounds helps (CBC's {@code Lower bound:}); ojAlgo reports none,
 * and its solves leave every bound as it was. The solver's bound is padded outwards by its
 * tolerances before use. Sound whenever the context's bounds are: each MIP encodes the exact
 * network over the same domain.
 */
public final class MipBoundRefinement {
    /**
     * Settings.
     *
     * @param neuronSeconds time limit of each solve (two per unstable neuron), a cap: with
     *     {@link #boundSolver} CBC stops after its root node, well before it
     * @param budgetSeconds wall time for the whole refinement; neurons left when it runs out keep
     *     their bounds
     * @param threads concurrent solver processes (0: one per core)
     * @param layers how many ReLU layers to refine, from the second (at most
     *     {@link #refinableLayers(Graph, boolean)}); each later one is encoded with the tightened
     *     bounds of those before it
     * @param lastLayer whether the last ReLU layer may be refined too. Not for one verification,
     *     whose output bound alpha-CROWN and branching work on directly; but where many exact
     *     queries share one box it is the layer that matters most: on mnist-net_256x2 (whose only
     *     refinable layer it is) an explanation query that CBC proved in 30 s over CROWN's bounds
     *     took 1 s after its 82 unstable second-layer neurons were refined to 51
     */
    public record Options(double neuronSeconds, double budgetSeconds, int threads, int layers, boolean lastLayer) {
        public static Options defaults() {
            return new Options(2, 120, 0, 2, false);
        }

        /** Every layer from the second to the last, within {@code budgetSeconds}. */
        public static Options allLayers(double budgetSeconds) {
            return new Options(2, budgetSeconds, 0, Integer.MAX_VALUE, true);
        }

        public Options withBudget(double seconds) {
            return new Options(neuronSeconds, seconds, threads, layers, lastLayer);
        }

        public Options withThreads(int n) {
            return new Options(neuronSeconds, budgetSeconds, n, layers, lastLayer);
        }
    }

    /**
     * What a refinement did.
     *
     * @param context the tightened context (the given one when nothing was tightened)
     * @param solves solver calls made
     * @param tightened bounds (lower or upper) the MIP improved
     * @param stabilised neurons that the tightened bounds made stable
     * @param unstableBefore unstable ReLUs in all layers before the refinement
     * @param unstableAfter and after it
     * @param complete every neuron of every requested layer was solved within the budget
     * @param seconds wall time
     */
    public record Result(BoundContext context, int solves, int tightened, int stabilised, int unstableBefore,
            int unstableAfter, boolean complete, double seconds) {}

    /** Padding of a solver's bound: its feasibility and integrality tolerances act on big-M rows. */
    static final double PAD_ABSOLUTE = 1e-5;
    static final double PAD_RELATIVE = 1e-6;

    /**
     * The solver as refinement runs it. CBC: the root node only ({@code maxNodes 0}), five rounds of
     * cuts, no primal heuristics (they search for incumbents, which a bound does not need, and took
     * the first half second). That makes each bound deterministic, which a time limit does not (the
     * bounds, and so the verifier's later MIP, changed from run to run), and costs about 0.45 s on a
     * second-layer neuron of mnist-net_256x4, mostly reading and presolving the model: there it
     * raised the LP relaxation's bound by 1.11, where a 0.3 s limit raised it by 1.05 and 3 s of
     * branching by 1.23.
     */
    public static MipSolver boundSolver(MipSolver solver) {
        return solver instanceof CbcSolver cbc
                ? cbc.withOptions(List.of("heuristicsOnOff", "off", "maxNodes", "0", "passCuts", "5"))
                : solver;
    }

    private MipBoundRefinement() {}

    /**
     * Tightens the bounds of {@code ctx} (see the class comment). {@code stop} is polled between
     * solves: when it says true the refinement ends with what it has.
     */
    public static Result refine(BoundContext ctx, MipSolver solver, Options options, BooleanSupplier stop) {
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (options.budgetSeconds() * 1e9);
        Graph graph = ctx.graph();
        NetworkEncoder.checkSupported(graph);
        List<Integer> values = reluInputs(graph);
        int before = unstable(ctx, values);
        int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "proofmap-mip-refine");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger solves = new AtomicInteger();
        int tightened = 0;
        int stabilised = 0;
        boolean complete = true;
        BoundContext current = ctx;
        try {
            int last = 1 + Math.min(options.layers(), refinableLayers(graph, options.lastLayer()));
            for (int li = 1; li < last; li++) {
                int v = values.get(li);
                double[] lo = current.lower(v);
                double[] hi = current.upper(v);
                int[] open = byLooseness(unstableElements(lo, hi), lo, hi);
                if (open.length == 0) {
                    continue;
                }
                Graph prefix = graph.prefix(v);
                NetworkEncoder.Encoding enc = NetworkEncoder.encode(prefix, current.domain(),
                        current.restrictedTo(prefix));
                double[] newLo = lo.clone();
                double[] newHi = hi.clone();
                List<Future<double[]>> jobs = new ArrayList<>();
                for (int e : open) {
                    jobs.add(pool.submit(() -> {
                        double[] b = {Double.NaN, Double.NaN};
                        for (int side = 0; side < 2; side++) {
                            if (stop.getAsBoolean() || System.nanoTime() >= deadline) {
                                return b;
                            }
                            double[] row = new double[lo.length];
                            row[e] = side == 0 ? 1 : -1;
                            double left = (deadline - System.nanoTime()) / 1e9;
                            MipSolver.Result r = solver.solve(enc.withObjective(row),
                                    Math.max(0.05, Math.min(options.neuronSeconds(), left)));
                            solves.incrementAndGet();
                            if (r.state() != MipSolver.State.INFEASIBLE && Double.isFinite(r.bestBound())) {
                                double pad = PAD_ABSOLUTE + PAD_RELATIVE * Math.abs(r.bestBound());
                                b[side] = side == 0 ? r.bestBound() - pad : -(r.bestBound() - pad);
                            }
                        }
                        return b;
                    }));
                }
                for (int j = 0; j < open.length; j++) {
                    double[] b = get(jobs.get(j));
                    int e = open[j];
                    if (Double.isNaN(b[0]) || Double.isNaN(b[1])) {
                        complete = false;
                    }
                    if (b[0] > newLo[e]) {
                        newLo[e] = b[0];
                        tightened++;
                    }
                    if (b[1] < newHi[e]) {
                        newHi[e] = b[1];
                        tightened++;
                    }
                    if (!(newLo[e] < 0 && newHi[e] > 0)) {
                        stabilised++;
                    }
                }
                if (!Arrays.equals(lo, newLo) || !Arrays.equals(hi, newHi)) {
                    current = current.tightened(v, newLo, newHi);
                }
                if (!complete) {
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(current, solves.get(), tightened, stabilised, before, unstable(current, values), complete,
                (System.nanoTime() - t0) / 1e9);
    }

    private static double[] get(Future<double[]> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new double[] {Double.NaN, Double.NaN};
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /**
     * How many ReLU layers of {@code graph} refinement can tighten: those from the second to the one
     * before the last. The first layer's inputs are affine in the box (their interval bounds are
     * exact); the last one's feed only the output, whose bound alpha-CROWN and branching work on
     * directly (on mnist-net_256x4 prop_5_0.05, 68 last-layer neurons at 1 s each tightened nothing
     * that mattered, 0.05 in total width in 171 s).
     */
    public static int refinableLayers(Graph graph) {
        return refinableLayers(graph, false);
    }

    /**
     * Whether refining {@code graph}'s bounds can change anything here: CBC is installed (ojAlgo
     * proves no bound), the network has an exact encoding, and it has a refinable layer
     * ({@link #refinableLayers(Graph, boolean)}).
     */
    public static boolean canRefine(Graph graph, boolean lastLayer) {
        if (!MipSolvers.isCbcAvailable()) {
            return false;
        }
        try {
            NetworkEncoder.checkSupported(graph);
        } catch (UnsupportedOperationException e) {
            return false;
        }
        return refinableLayers(graph, lastLayer) > 0;
    }

    /** {@link #refinableLayers(Graph)}, counting the last ReLU layer too when {@code lastLayer}. */
    public static int refinableLayers(Graph graph, boolean lastLayer) {
        return Math.max(0, reluInputs(graph).size() - (lastLayer ? 1 : 2));
    }

    /** The inputs of the ReLU nodes, in topological order. */
    static List<Integer> reluInputs(Graph graph) {
        List<Integer> vs = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Activation) {
                vs.add(n.inputs()[0]);
            }
        }
        return vs;
    }

    /**
     * {@code elements} with the loosest relaxation first: descending height {@code −l·u/(u−l)} of
     * the ReLU's triangle, so that a refinement stopped by its budget has spent it where the
     * relaxation loses most.
     */
    static int[] byLooseness(int[] elements, double[] lo, double[] hi) {
        return Arrays.stream(elements).boxed()
                .sorted((a, b) -> Double.compare(height(lo[b], hi[b]), height(lo[a], hi[a])))
                .mapToInt(Integer::intValue).toArray();
    }

    private static double height(double l, double u) {
        return -l * u / (u - l);
    }

    private static int[] unstableElements(double[] lo, double[] hi) {
        int[] sel = new int[lo.length];
        int c = 0;
        for (int i = 0; i < lo.length; i++) {
            if (lo[i] < 0 && hi[i] > 0) {
                sel[c++] = i;
            }
        }
        return Arrays.copyOf(sel, c);
    }

    /** Unstable ReLUs over all layers of {@code ctx}. */
    static int unstable(BoundContext ctx, List<Integer> values) {
        int n = 0;
        for (int v : values) {
            n += unstableElements(ctx.lower(v), ctx.upper(v)).length;
        }
        return n;
    }
}
