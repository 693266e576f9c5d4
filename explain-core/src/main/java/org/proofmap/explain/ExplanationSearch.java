package org.proofmap.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.proofmap.mip.MipSolvers;

/**
 * The state an {@link Explainer} algorithm grows: the free (irrelevant) set, proven jointly at every
 * step, the relevant features with their witnesses, the unknown ones, and the record of every
 * query. The free set only ever grows, which keeps every witness valid to the end: a witness for
 * {@code F ∪ {p}} also lies in the box of {@code F' ∪ {p}} for any {@code F' ⊇ F}.
 *
 * <p>Not thread-safe: one algorithm drives one search.
 */
public final class ExplanationSearch {
    private final ExplanationProblem problem;
    private final OracleChain chain;
    private final BitSet free = new BitSet();
    private final BitSet relevant = new BitSet();
    private final BitSet unknown = new BitSet();
    private final Map<Integer, double[]> witnesses = new TreeMap<>();
    private final Map<Integer, Decision> decisions = new TreeMap<>();
    private final Map<String, OracleStats> stats = new LinkedHashMap<>();
    private final int parallel;
    private OracleVerdict proof;
    private int queries;
    /** Per single feature: the free-set size when the group provers last failed on it, else -1. */
    private final Map<Integer, Integer> cheapFailedAt = new java.util.HashMap<>();
    /** Whether the chain has a complete oracle, which can prove a group the cheap provers could not. */
    private final boolean complete;
    /** The falsifier started next to the free set's boundary, for the final pass. */
    private final BoundaryFalsifier boundary;
    /** Features whose query a batched attack has tried already. */
    private final java.util.Set<Integer> batchAttacked = new java.util.HashSet<>();
    /** The current bound envelope (null: none yet); read by the pair's second thread. */
    private volatile BoundEnvelope envelope;
    /** Whether envelopes are built: an exact chain on a network they help. */
    private final boolean envelopes;
    /** MIP time spent by slow queries since the last envelope was built (or since the start). */
    private double mipSecondsSinceEnvelope;
    /** How long the last envelope took to build. */
    private double lastEnvelopeSeconds;
    /** The time the last envelope's refinement was given. */
    private double envelopeBudget;
    /** MIP time before the first envelope ({@link BoundEnvelope#FIRST_AFTER_SECONDS}; tests set 0). */
    private double envelopeAfterSeconds = BoundEnvelope.FIRST_AFTER_SECONDS;
    /** How many upcoming features the next envelope's box holds ({@link #nextWindow}). */
    private int envelopeWindow = ENVELOPE_WINDOW;
    /** Slow MIP queries since the last envelope that ran out of time, and those that were decided. */
    private int slowTimedOut, slowDecided;
    /** The latest envelopes, newest last: a new one starts from the newest that encloses its box. */
    private final java.util.Deque<BoundEnvelope> recentEnvelopes = new java.util.ArrayDeque<>();
    /** Whether the retry stage has begun: its envelopes hold just the pair being retried. */
    private boolean retrying;

    /**
     * Observes a search as it settles features: journals (the reports module's
     * {@code ExplanationJournal}) and progress displays. Called on the thread that runs the search.
     */
    public interface Listener {
        /** The free set grew by {@code added}; {@code proof} proves the new free set, asked as query {@code query}. */
        void freed(BitSet added, OracleVerdict proof, int query);

        /** {@code feature} was settled relevant (with its witness) or unknown. */
        void settled(int feature, OracleVerdict verdict, int query);

        /**
         * Right after each {@link #freed} or {@link #settled}: what the explanation has spent so far,
         * per oracle and in search wall time (seconds), both including what the restored runs had
         * spent — so that a journal's last such record carries every run's effort across a crash.
         */
        default void effort(Map<String, OracleStats> stats, double seconds) {}
    }

    private final List<Listener> listeners = new ArrayList<>();

    /**
     * The monotone part of a search's state, as a journal of an interrupted run recorded it: the free
     * set with the verdict that proved it and each feature's decision, the relevant features with
     * their witnesses, and the features its final pass left unknown, with the verdict that did
     * ({@link #restore}).
     */
    public record Settled(BitSet free, OracleVerdict proof, Map<Integer, Decision> freedDecisions,
            Map<Integer, OracleVerdict> relevant, Map<Integer, Integer> relevantQueries, int queries,
            Map<Integer, OracleVerdict> unknown, Map<String, OracleStats> effort, double seconds) {
        /**
         * Without the earlier runs' effort.
         *
         * @param unknown features left unknown
         */
        public Settled(BitSet free, OracleVerdict proof, Map<Integer, Decision> freedDecisions,
                Map<Integer, OracleVerdict> relevant, Map<Integer, Integer> relevantQueries, int queries,
                Map<Integer, OracleVerdict> unknown) {
            this(free, proof, freedDecisions, relevant, relevantQueries, queries, unknown, Map.of(), 0);
        }

        /** Without unknown features. */
        public Settled(BitSet free, OracleVerdict proof, Map<Integer, Decision> freedDecisions,
                Map<Integer, OracleVerdict> relevant, Map<Integer, Integer> relevantQueries, int queries) {
            this(free, proof, freedDecisions, relevant, relevantQueries, queries, Map.of());
        }

        public boolean isEmpty() {
            return free.isEmpty() && relevant.isEmpty() && unknown.isEmpty();
        }
    }

    public ExplanationSearch(ExplanationProblem problem, OracleChain chain) {
        this(problem, chain, 1);
    }

    /** Adds a listener, told of every later change of the settled features. */
    public void listen(Listener l) {
        listeners.add(l);
    }

    /**
     * Restores what an interrupted run of the same problem and settings settled, from its journal:
     * the free set with the verdict that proved it, taken on trust (the final set is proven again by
     * {@code proofmap check}), and each relevant feature whose witness still re-checks by a forward
     * pass against the restored free set (a witness stays valid as the free set grows, so all should).
     * Only before the first query.
     *
     * @return how many relevant features were restored
     */
    public int restore(Settled r) {
        if (queries > 0 || !decisions.isEmpty()) {
            throw new IllegalStateException("a search can only be restored before it starts");
        }
        if (r.proof() != null) {
            free.or(r.free());
            proof = r.proof();
            decisions.putAll(r.freedDecisions());
        }
        int restored = 0;
        for (Map.Entry<Integer, OracleVerdict> e : r.relevant().entrySet()) {
            int f = e.getKey();
            BitSet box = free();
            box.set(f);
            if (!free.get(f) && problem.query(box).isCounterexample(e.getValue().witness())) {
                relevant.set(f);
                witnesses.put(f, e.getValue().witness().clone());
                lastWitnesses.addFirst(Map.entry(f, e.getValue().witness().clone()));
                if (lastWitnesses.size() > SHIFT_WITNESSES) {
                    lastWitnesses.removeLast();
                }
                decisions.put(f, new Decision(f, Outcome.RELEVANT, e.getValue().oracle(), e.getValue().seconds(),
                        r.relevantQueries().getOrDefault(f, 0), 1));
                restored++;
            }
        }
        // Unknown features go straight to the retry stage: the final pass would ask them again at
        // the limit that just failed (mnist-net_256x2 image 14, resumed twice: 711 s and about
        // 1 450 s of such queries, none decided, before the retries that freed pixels).
        for (Map.Entry<Integer, OracleVerdict> e : r.unknown().entrySet()) {
            int f = e.getKey();
            if (!free.get(f) && !relevant.get(f)) {
                OracleVerdict v = e.getValue();
                unknown.set(f);
                restoredUnknown++;
                decisions.put(f, new Decision(f, Outcome.UNKNOWN, v.oracle(), v.seconds(), 0, 1,
                        RESTORED_UNKNOWN + v.note()));
            }
        }
        queries = r.queries();
        // The earlier runs' effort: the oracle statistics of the explanation cover every run.
        r.effort().forEach((name, st) -> stats.computeIfAbsent(name, k -> new OracleStats()).add(st));
        earlierSeconds = r.seconds();
        return restored;
    }

    /** Wall time (s) the restored runs' searches had spent, as their journal recorded it. */
    private double earlierSeconds;

    /** Wall time (s) the searches of the runs this one resumed had spent (0 for a fresh search). */
    public double earlierSeconds() {
        return earlierSeconds;
    }

    /**
     * Tells the listeners what the search has spent, once more at its end: the time after the last
     * settled feature (a budget spent on queries that settled nothing) is effort too.
     */
    void tellEffort() {
        double seconds = earlierSeconds + (System.nanoTime() - created) / 1e9;
        for (Listener l : listeners) {
            l.effort(stats, seconds);
        }
    }

    /** How the note of a feature restored as unknown begins. */
    public static final String RESTORED_UNKNOWN = "unknown in an earlier run: ";
    /** Features restored as unknown ({@link #restore}); the retry stage's budget covers them all. */
    private int restoredUnknown;

    /**
     * @param parallel how many single-feature queries of the final pass may run at once (1 or 2;
     *     see {@link #decidePair})
     */
    public ExplanationSearch(ExplanationProblem problem, OracleChain chain, int parallel) {
        this.problem = problem;
        this.chain = chain;
        this.parallel = parallel;
        this.complete = chain.oracles().stream().anyMatch(o -> o.kind() == Oracle.Kind.COMPLETE);
        boolean exact = chain.oracles().stream().anyMatch(o -> o instanceof MipOracle) && MipSolvers.isCbcAvailable();
        this.boundary = new BoundaryFalsifier(problem, exact ? MipSolvers.best() : null, ANCHOR_MIP_SECONDS,
                BoundaryFalsifier.MIP_MIN_OPEN);
        this.envelopes = exact && BoundEnvelope.available(problem.graph());
        double m = problem.minMargin(problem.output());
        // The empty free set is the input itself: proven by the forward pass when the label wins strictly.
        this.proof = m > 0 ? new OracleVerdict(Outcome.IRRELEVANT, "forward", m, null, 0, "no feature free")
                : OracleVerdict.unknown("forward", m, 0, "the label ties with another class at the input");
    }

    public ExplanationProblem problem() {
        return problem;
    }

    public OracleChain chain() {
        return chain;
    }

    /** The proven free set so far (a copy). */
    public BitSet free() {
        return (BitSet) free.clone();
    }

    /** Whether feature {@code f} has been settled (free, relevant or unknown). */
    public boolean settled(int f) {
        return decisions.containsKey(f);
    }

    /**
     * Asks whether {@code F ∪ add} is irrelevant. When it is, every feature of {@code add} joins the
     * free set (decided by this query). A relevant or unknown answer leaves the state unchanged;
     * callers decide what it means for the features ({@link #settle}).
     */
    public OracleVerdict tryFree(BitSet add, OracleChain.Scope scope) {
        return tryFree(add, scope, false);
    }

    private OracleVerdict tryFree(BitSet add, OracleChain.Scope scope, boolean skipAttacks) {
        return apply(query(free, add, scope, skipAttacks));
    }

    /** A query asked against free set {@code base}, not yet applied to the state. */
    private record Pending(BitSet add, OracleChain.Scope scope, int baseSize, OracleChain.ChainVerdict cv) {}

    /** Asks whether {@code base ∪ add} is irrelevant; reads nothing else of the state (thread-safe). */
    private Pending query(BitSet base, BitSet add, OracleChain.Scope scope, boolean skipAttacks) {
        return query(base, add, scope, skipAttacks, chain.timeLimitSeconds());
    }

    /**
     * {@link #query(BitSet, BitSet, OracleChain.Scope, boolean)} within {@code limitSeconds}, and
     * within what is left of the {@link #budget}: once it has run out, nothing is asked and the answer
     * is unknown ({@link #BUDGET}).
     */
    private Pending query(BitSet base, BitSet add, OracleChain.Scope scope, boolean skipAttacks, double limitSeconds) {
        double left = budgetLeft();
        if (left <= 0) {
            return new Pending(add, scope, base.cardinality(), new OracleChain.ChainVerdict(List.of(budgetVerdict()), 0));
        }
        BitSet q = (BitSet) base.clone();
        q.or(add);
        OracleChain.ChainVerdict cv = chain.decide(newQuery(q), scope, skipAttacks, Math.min(limitSeconds, left));
        if (left < limitSeconds && cv.outcome() == Outcome.UNKNOWN
                && !String.valueOf(cv.verdict().note()).contains(MipOracle.PRECISION)) {
            // Cut short by the budget, not by its own limit: as good as not asked, so that a journal
            // leaves the features open for the next run's main pass rather than for its retries.
            // (Not "once the budget has run out": an oracle may stop a moment before its limit.)
            List<OracleVerdict> trail = new ArrayList<>(cv.trail());
            trail.add(budgetVerdict());
            cv = new OracleChain.ChainVerdict(trail, cv.seconds());
        }
        return new Pending(add, scope, base.cardinality(), cv);
    }

    /** How the note of a feature left unknown because the explanation's time budget ran out begins. */
    public static final String BUDGET = "not asked: the explanation's time budget ran out";
    /** Wall time (s) this run's search may take ({@link #budget}); infinite: no budget. */
    private double budgetSeconds = Double.POSITIVE_INFINITY;

    /**
     * Limits this run's search to {@code seconds} of wall time, counted from the search's creation:
     * past it no oracle is asked any more, each query's limit is cut to what is left, and every
     * feature not settled by then stays unknown with a {@link #BUDGET} note. Those are not told to the
     * listeners, so a journal does not record them: a resumed run asks them afresh, in its main pass.
     * Sound as any unknown is: nothing is freed or called relevant without its proof or witness.
     */
    public void budget(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("the time budget must be positive, found " + seconds);
        }
        budgetSeconds = seconds;
    }

    /** Seconds of the budget left: infinite without one, at most 0 once it has run out. */
    private double budgetLeft() {
        return budgetSeconds - (System.nanoTime() - created) / 1e9;
    }

    /** Whether the {@link #budget} has run out. */
    public boolean outOfBudget() {
        return budgetLeft() <= 0;
    }

    private OracleVerdict budgetVerdict() {
        return OracleVerdict.unknown("budget", Double.NaN, 0,
                String.format(java.util.Locale.ROOT, "%s (%.0f s)", BUDGET, budgetSeconds));
    }

    private static boolean isBudget(OracleVerdict v) {
        return v.note() != null && v.note().startsWith(BUDGET);
    }

    /** The query of {@code freeSet}, over the current {@link BoundEnvelope} when it encloses it. */
    private FeatureQuery newQuery(BitSet freeSet) {
        BoundEnvelope e = envelope;
        return e != null && e.encloses(freeSet) ? new FeatureQuery(problem, freeSet, e) : problem.query(freeSet);
    }

    /** Builds envelopes once the MIP has taken {@code seconds} (0: at the first chance; for tests). */
    void envelopesAfter(double seconds) {
        envelopeAfterSeconds = seconds;
    }

    /** The current bound envelope, or null. */
    BoundEnvelope envelope() {
        return envelope;
    }

    /** How many upcoming features an envelope's box holds besides the free set, at most. */
    static final int ENVELOPE_WINDOW = 32;
    /** The fewest: the two features a pair of queries asks about. */
    static final int MIN_ENVELOPE_WINDOW = 2;

    /**
     * The window of the next envelope: a quarter of the last one (at least
     * {@link #MIN_ENVELOPE_WINDOW}) when most slow queries over it ran out of time, twice it (at most
     * {@link #ENVELOPE_WINDOW}) when none did, else the same; in the retry stage, the pair retried.
     * Every feature of the window the query does not free loosens its relaxation: on mnist-net_256x2
     * image 14 (ReCIPH, 763 pixels free, 21 unknown), over an envelope of all 21 (129 unstable
     * ReLUs after refinement) a single-pixel query was not decided in 120 s; over one of the pixel
     * and one other (108 unstable) CBC proved it in 35-46 s, and the pair jointly in 60 s.
     */
    private int nextWindow() {
        return nextWindow(envelopeWindow, envelope != null, retrying, slowTimedOut, slowDecided);
    }

    /**
     * {@link #nextWindow()} as a rule: the window after one of {@code window} features over which
     * {@code timedOut} slow queries ran out of time and {@code decided} were decided.
     */
    static int nextWindow(int window, boolean built, boolean retrying, int timedOut, int decided) {
        if (retrying) {
            return MIN_ENVELOPE_WINDOW;
        }
        if (!built) {
            return window;
        }
        if (timedOut > decided) {
            return Math.max(MIN_ENVELOPE_WINDOW, window / 4);
        }
        return timedOut == 0 ? Math.min(ENVELOPE_WINDOW, window * 2) : window;
    }

    /** The order of the current final pass (empty before it). */
    private int[] passOrder = new int[0];

    /**
     * The next {@code n} features the final pass will ask about: those not settled yet, in its order;
     * in the retry stage, the unknown features not retried yet.
     */
    private List<Integer> upcoming(int n) {
        List<Integer> out = new ArrayList<>();
        for (int f : passOrder) {
            if (out.size() < n && !settled(f)) {
                out.add(f);
            }
        }
        if (out.isEmpty()) {
            for (int f : passOrder) {
                if (out.size() < n && unknown.get(f) && !retried.contains(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** Name of the envelope refinement in the statistics (asked: envelopes built; decides nothing). */
    public static final String ENVELOPE = "mip-envelope";

    /**
     * Builds a new {@link BoundEnvelope} when the slow MIP queries (those
     * {@link MipOracle#FIRST_SLICE_SECONDS} did not decide) since the last one have taken at least as
     * long as that one took to build (and at least {@link BoundEnvelope#FIRST_AFTER_SECONDS}), and
     * either the last one does not enclose the next queries or its refinement ran out of time. None
     * is built when the exact queries are quick: on mnist-net_256x2 image 0 (43 MIP queries, 55 s in
     * all) an envelope cost 77 s and saved little.
     *
     * <p>Its box is the free set with the next {@link #ENVELOPE_WINDOW} open features of the pass: it
     * encloses every query about them (the free set only grows, by features of the window). The box of
     * every feature not proven relevant, which encloses all later queries, was the first choice, but on
     * an image with few relevant features it is nearly the whole ball, much looser than the queries
     * (mnist-net_256x2 image 5: 28 features unknown with 160 left, none relevant).
     */
    private void maybeBuildEnvelope() {
        if (!envelopes || outOfBudget() || mipSecondsSinceEnvelope < Math.max(envelopeAfterSeconds, lastEnvelopeSeconds)) {
            return;
        }
        int window = nextWindow();
        List<Integer> upcoming = upcoming(window);
        if (upcoming.isEmpty()) {
            return;
        }
        BoundEnvelope last = envelope;
        boolean incomplete = last != null && !last.refinement().complete();
        BitSet next = (BitSet) free.clone();
        upcoming.stream().limit(2).forEach(next::set);
        BitSet box = (BitSet) free.clone();
        upcoming.forEach(box::set);
        // Kept while it encloses the next queries, was refined completely and is no wider than the
        // window asks (a window that shrank wants a tighter box).
        if (last != null && !incomplete && last.encloses(next) && last.freeCount() <= box.cardinality()) {
            return;
        }
        // About the slow MIP time spent since the last envelope (so envelopes never cost much more than
        // the queries they are meant to speed up), and twice the last one's budget when that ran out on
        // the same box: with the same budget the refinement would stop at the same neuron.
        envelopeBudget = Math.min(BoundEnvelope.BUILD_SECONDS, Math.max(Math.max(BoundEnvelope.FIRST_AFTER_SECONDS,
                mipSecondsSinceEnvelope), incomplete ? 2 * envelopeBudget : 0));
        envelopeBudget = Math.min(envelopeBudget, budgetLeft());
        long t0 = System.nanoTime();
        // From the newest envelope that encloses the box (its bounds hold there and are tighter than
        // a fresh start): a window that shrank starts from the wider one before it, at about half
        // the cost (image 14 above: 46 s against 74 s, the same 108 unstable ReLUs).
        BoundEnvelope parent = null;
        for (java.util.Iterator<BoundEnvelope> it = recentEnvelopes.descendingIterator(); it.hasNext() && parent == null;) {
            BoundEnvelope r = it.next();
            parent = r.encloses(box) ? r : null;
        }
        BoundEnvelope e = BoundEnvelope.build(problem, box, envelopeBudget, parent);
        lastEnvelopeSeconds = (System.nanoTime() - t0) / 1e9;
        mipSecondsSinceEnvelope = 0;
        slowTimedOut = 0;
        slowDecided = 0;
        envelopeWindow = window;
        envelope = e;
        recentEnvelopes.addLast(e);
        if (recentEnvelopes.size() > 4) {
            recentEnvelopes.removeFirst();
        }
        var r = e.refinement();
        stats.computeIfAbsent(ENVELOPE, k -> new OracleStats()).add(OracleVerdict.unknown(ENVELOPE, Double.NaN,
                lastEnvelopeSeconds, String.format(java.util.Locale.ROOT, "%d features free, unstable ReLUs %d -> %d",
                        e.freeCount(), r.unstableBefore(), r.unstableAfter())));
    }

    /**
     * Records a query: statistics always; a proof of irrelevance frees {@code add}, but only if the
     * free set is still the one the query was asked against (a proof for a smaller free set says
     * nothing about the joint set). Returns the verdict, or for a stale proof an unknown one.
     */
    private OracleVerdict apply(Pending p) {
        OracleChain.ChainVerdict cv = p.cv();
        record(cv, true);
        if (isBudget(cv.verdict())) {
            return cv.verdict(); // not asked, or cut short by the budget: the state is unchanged
        }
        OracleVerdict v = cv.verdict();
        boolean current = p.baseSize() == free.cardinality();
        if (p.scope() == OracleChain.Scope.GROUP && p.add().cardinality() == 1 && v.outcome() == Outcome.UNKNOWN) {
            cheapFailedAt.put(p.add().nextSetBit(0), p.baseSize());
        }
        if (v.outcome() == Outcome.IRRELEVANT) {
            if (!current) {
                return OracleVerdict.unknown(v.oracle(), v.bound(), cv.seconds(), "proof for a smaller free set");
            }
            free.or(p.add());
            proof = v;
            for (Listener l : listeners) {
                l.freed(p.add(), v, queries);
            }
            tellEffort();
            int group = p.add().cardinality();
            for (int f = p.add().nextSetBit(0); f >= 0; f = p.add().nextSetBit(f + 1)) {
                decisions.put(f, new Decision(f, Outcome.IRRELEVANT, v.oracle(), cv.seconds(), queries, group));
            }
        }
        return withSeconds(v, cv.seconds());
    }

    /**
     * Asks whether {@code freeSet} is irrelevant without changing the state (the query is counted
     * and its oracles' time recorded); for algorithms that probe sets other than {@code F ∪ add}.
     */
    public OracleVerdict ask(BitSet freeSet, OracleChain.Scope scope) {
        OracleChain.ChainVerdict cv = query(freeSet, new BitSet(), scope, false).cv();
        record(cv, false);
        return withSeconds(cv.verdict(), cv.seconds());
    }

    /**
     * Counts an asked query and its oracles' time in the statistics; nothing when the budget's end
     * left it unasked. With {@code slowMip}, the MIP's slow answers also count towards the next
     * envelope ({@link #maybeBuildEnvelope}).
     */
    private void record(OracleChain.ChainVerdict cv, boolean slowMip) {
        if (isBudget(cv.verdict()) && cv.trail().size() == 1) {
            return;
        }
        queries++;
        for (OracleVerdict v : cv.trail()) {
            if (isBudget(v)) {
                continue;
            }
            stats.computeIfAbsent(v.oracle(), k -> new OracleStats()).add(v);
            // Only slow MIP queries count: those the first slice did not decide (mnist-net_256x2 image
            // 0: 33 single-feature MIP queries, one above 4 s; image 3: 47, all above 20 s).
            if (slowMip && v.oracle().equals("mip") && v.seconds() >= MipOracle.FIRST_SLICE_SECONDS) {
                mipSecondsSinceEnvelope += v.seconds();
                if (v.outcome() != Outcome.UNKNOWN) {
                    slowDecided++;
                } else if (v.note() != null && v.note().startsWith(MipOracle.TIME_LIMIT)) {
                    slowTimedOut++;
                }
            }
        }
    }

    /**
     * Settles one feature with a single-feature query over the whole chain: free, relevant (with
     * the query's witness) or unknown. First, cheaply, the latest witnesses are tried as starting
     * points of a short attack ({@link #reuseWitnesses}).
     */
    public Outcome decide(int feature) {
        if (outOfBudget()) {
            settle(feature, budgetVerdict());
            return Outcome.UNKNOWN;
        }
        if (reuse(feature)) {
            return Outcome.RELEVANT;
        }
        OracleVerdict v = apply(query(free, singleton(feature), scopeFor(feature), batchAttacked.contains(feature)));
        if (v.outcome() != Outcome.IRRELEVANT) {
            settle(feature, v);
        }
        return v.outcome();
    }

    private static BitSet singleton(int feature) {
        BitSet one = new BitSet();
        one.set(feature);
        return one;
    }

    /** The chain without its group provers when they failed on exactly this query already. */
    private OracleChain.Scope scopeFor(int feature) {
        // The free set only grows: the same size means the same query.
        return cheapFailedAt.getOrDefault(feature, -1) == free.cardinality() ? OracleChain.Scope.REST
                : OracleChain.Scope.FEATURE;
    }

    /** The witness-reusing attack on {@code feature}'s query; settles it as relevant when it succeeds. */
    private boolean reuse(int feature) {
        if (witnesses.isEmpty() || outOfBudget()) {
            return false;
        }
        long t0 = System.nanoTime();
        double[] w = reuseWitnesses(feature);
        double seconds = (System.nanoTime() - t0) / 1e9;
        OracleVerdict v = w == null ? OracleVerdict.unknown(REUSE_ATTACK, Double.NaN, seconds, "")
                : new OracleVerdict(Outcome.RELEVANT, REUSE_ATTACK, Double.NaN, w, seconds, "from a recent witness");
        stats.computeIfAbsent(REUSE_ATTACK, k -> new OracleStats()).add(v);
        if (w != null) {
            queries++;
            settle(feature, v);
        }
        return w != null;
    }

    /**
     * Two open features at once, each on its own core, both asked against the current free set
     * {@code F}. Sound by the monotonicity of relevance: a witness for {@code F ∪ {b}} stays a
     * witness however {@code F} grows, so {@code b}'s relevance stands even when {@code a} is freed
     * first; only a proof for {@code b} is dropped then (it covers {@code F ∪ {b}}, not
     * {@code F ∪ {a, b}}), and {@code b} is asked again. Near the end of an explanation most answers
     * are "relevant", so most pairs cost one query time instead of two.
     */
    private void decidePair(int a, int b, java.util.concurrent.ExecutorService pool) {
        BitSet base = (BitSet) free.clone();
        OracleChain.Scope sa = scopeFor(a);
        OracleChain.Scope sb = scopeFor(b);
        java.util.concurrent.Future<Pending> fb = pool.submit(() -> query(base, singleton(b), sb, batchAttacked.contains(b)));
        Pending pa = query(base, singleton(a), sa, batchAttacked.contains(a));
        Pending pb = await(fb);
        OracleVerdict va = apply(pa);
        noteAnswer(va.outcome());
        if (va.outcome() != Outcome.IRRELEVANT) {
            settle(a, va);
        }
        boolean freeGrew = free.cardinality() != base.cardinality();
        OracleVerdict vb = apply(pb);
        if (vb.outcome() == Outcome.RELEVANT || vb.outcome() == Outcome.UNKNOWN && !freeGrew) {
            settle(b, vb);
        }
        // A proof made stale by a's is still an answer: b was irrelevant next to the free set it had.
        noteAnswer(pb.cv().verdict().outcome());
        // Otherwise b is irrelevant (now freed by apply) or its query is stale: asked again later.
    }

    /**
     * Two open features at once when most recent answers were "irrelevant": {@code F ∪ {a}} on this
     * core and {@code F ∪ {a, b}} on the other. {@link #decidePair} wastes half its work there: a
     * proof for {@code F ∪ {b}} is dropped once {@code a} is freed (mnist-net_256x2 image 2: 63 of
     * the final pass's 88 single-feature MIP answers were proofs, 5–50 s each). Here:
     * <ul>
     *   <li>{@code F ∪ {a, b}} proven: both are freed at once;</li>
     *   <li>{@code F ∪ {a}} proven: {@code a} is freed, and a witness for {@code F ∪ {a, b}} is one for
     *       the new {@code F ∪ {b}}, so {@code b} is relevant; a proof cannot happen (it would cover
     *       the first query), an unknown leaves {@code b} open;</li>
     *   <li>{@code a} relevant or unknown: settled so, and {@code b} stays open (its query had
     *       {@code a} free).</li>
     * </ul>
     */
    private void decideNested(int a, int b, java.util.concurrent.ExecutorService pool) {
        nestedRounds++;
        BitSet base = (BitSet) free.clone();
        BitSet both = singleton(a);
        both.set(b);
        boolean skipBoth = batchAttacked.contains(a) && batchAttacked.contains(b);
        java.util.concurrent.Future<Pending> fb = pool.submit(() -> query(base, both, OracleChain.Scope.FEATURE,
                skipBoth));
        Pending pa = query(base, singleton(a), scopeFor(a), batchAttacked.contains(a));
        Pending pb = await(fb);
        if (pb.cv().verdict().outcome() == Outcome.IRRELEVANT) {
            apply(pb);
            apply(pa); // counted; its proof (if any) is covered by the pair's
            noteAnswer(Outcome.IRRELEVANT);
            noteAnswer(Outcome.IRRELEVANT);
            return;
        }
        OracleVerdict va = apply(pa);
        OracleVerdict vb = apply(pb);
        noteAnswer(va.outcome());
        if (va.outcome() != Outcome.IRRELEVANT) {
            settle(a, va);
        } else if (vb.outcome() == Outcome.RELEVANT) {
            settle(b, vb);
            noteAnswer(Outcome.RELEVANT);
        }
    }

    /** The other core's query, once it is answered. */
    private static Pending await(java.util.concurrent.Future<Pending> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** Outcomes of the final pass's latest single-feature answers, newest first (irrelevant: true). */
    private final java.util.ArrayDeque<Boolean> recentAnswers = new java.util.ArrayDeque<>();
    /** How many latest answers {@link #nestedPairs} looks at. */
    private static final int RECENT_ANSWERS = 6;
    /** Answers needed before nested pairs are considered (tests set 0 to force them). */
    private int nestedAfter = 4;

    private void noteAnswer(Outcome o) {
        if (o == Outcome.UNKNOWN) {
            return;
        }
        recentAnswers.addFirst(o == Outcome.IRRELEVANT);
        if (recentAnswers.size() > RECENT_ANSWERS) {
            recentAnswers.removeLast();
        }
    }

    /** Whether most latest answers were proofs, so that {@link #decideNested} beats {@link #decidePair}. */
    private boolean nestedPairs() {
        if (nestedAfter == 0) {
            return true;
        }
        if (recentAnswers.size() < nestedAfter) {
            return false;
        }
        long proofs = recentAnswers.stream().filter(x -> x).count();
        return 2 * proofs > recentAnswers.size();
    }

    /** Uses {@link #decideNested} for every pair of the final pass (for tests). */
    void alwaysNestedPairs() {
        nestedAfter = 0;
    }

    /** How many times {@link #decideNested} ran. */
    private int nestedRounds;

    int nestedRounds() {
        return nestedRounds;
    }

    /**
     * {@link #decide} for every feature of {@code order} not settled yet, in that order. First one
     * batched PGD run attacks every open feature's query at once ({@link BatchAttack}): its
     * counterexamples settle those features as relevant without a query of their own (they stay
     * valid as the free set grows), and the others skip the chain's attack. Then, and again whenever
     * a query has grown the free set (by {@link #BOUNDARY_BACKOFF} features when its last run found
     * nothing), the {@link BoundaryFalsifier} attacks every feature still open
     * from next to the free set's boundary, so that the chain's exact oracle is asked only about
     * features no cheap attack could refute; and before any single-feature query, a chain with a
     * complete oracle frees what it can in small groups ({@link #freeInGroups}). Once the exact
     * queries have taken long enough, they start from a {@link BoundEnvelope}'s MIP-refined bounds
     * ({@link #maybeBuildEnvelope}). Features the pass leaves unknown get one retry at the end with a
     * longer time limit ({@link #retryUnknown}).
     */
    public void decideOpen(int[] order) {
        int[] open = java.util.Arrays.stream(order).filter(f -> !settled(f)).toArray();
        if (open.length == 0 && unknown.isEmpty()) {
            return;
        }
        passOrder = open;
        if (open.length > 0 && !outOfBudget()) {
            long t0 = System.nanoTime();
            Map<Integer, double[]> found = BatchAttack.run(problem, free, open, BATCH_ATTACK_STEPS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (int f : open) {
                batchAttacked.add(f);
            }
            settleFound(BATCH_ATTACK, "batched PGD", found, seconds, open.length);
        }
        java.util.concurrent.ExecutorService pool = parallel < 2 ? null
                : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "proofmap-explain");
                    t.setDaemon(true);
                    return t;
                });
        try {
            int boundaryFound = open.length == 0 ? 0 : falsifyNearBoundary(open);
            int falsifiedAt = free.cardinality();
            if (complete) {
                freeInGroups(open);
            }
            int i = 0;
            while (true) {
                maybeBuildEnvelope();
                if (free.cardinality() - falsifiedAt >= (boundaryFound > 0 ? 1 : BOUNDARY_BACKOFF)) {
                    falsifiedAt = free.cardinality();
                    boundaryFound = falsifyNearBoundary(open);
                }
                while (i < open.length && settled(open[i])) {
                    i++;
                }
                if (i == open.length) {
                    break;
                }
                int a = open[i];
                if (pool == null) {
                    decide(a);
                    continue;
                }
                if (reuse(a)) {
                    continue;
                }
                int j = i + 1;
                while (j < open.length && (settled(open[j]) || reuse(open[j]))) {
                    j++;
                }
                if (j == open.length) {
                    decide(a);
                } else if (nestedPairs()) {
                    decideNested(a, open[j], pool);
                } else {
                    decidePair(a, open[j], pool);
                }
            }
            retryUnknown(order, pool); // also the features a restored run left unknown
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * How much longer than the chain's per-query limit a feature the final pass left unknown gets in
     * its one retry. On mnist-net_256x2 (quiet machine, 20 s per query) image 1 left 2 of 784 pixels
     * unknown, both single-pixel MIP queries that ran out of time, against 0 on image 0.
     */
    static final double RETRY_FACTOR = 3;
    /** Features retried already (once each). */
    private final java.util.Set<Integer> retried = new java.util.HashSet<>();
    /** When this search began (for the retries' budget). */
    private final long created = System.nanoTime();

    /**
     * Asks the chain's oracles past the group provers once more about each feature of {@code order}
     * left unknown, against the final free set, with {@link #RETRY_FACTOR} times the per-query
     * limit. Sound for the same reasons as the pass itself: a proof frees the feature jointly with
     * the current free set, a witness proves it relevant for good. The retries together stop after
     * as long as the search had taken before them (at least two retries' limits): on a machine
     * loaded enough to leave dozens of features unknown, retrying each for a minute would more than
     * double the run (measured: mnist-net_256x2 image 2 with two explanations sharing the two cores).
     */
    private void retryUnknown(int[] order, java.util.concurrent.ExecutorService pool) {
        if (!complete) {
            return; // without a complete oracle more time decides nothing the bounds did not
        }
        retrying = true;
        long start = System.nanoTime();
        double limit = RETRY_FACTOR * chain.timeLimitSeconds();
        // A resumed run is there for its restored unknown features: time for each, at least.
        double budget = Math.max((start - created) / 1e9, Math.max(2, restoredUnknown) * limit);
        // past the budget (or the explanation's) the rest stay unknown, visibly
        while ((System.nanoTime() - start) / 1e9 <= budget && !outOfBudget()) {
            int a = nextRetry(order, -1);
            if (a < 0) {
                return;
            }
            maybeBuildEnvelope(); // before a counts as retried: the envelope's window must still hold it
            retried.add(a);
            int b = pool == null ? -1 : nextRetry(order, a);
            if (b < 0) {
                settleRetry(a, apply(query(free, singleton(a), OracleChain.Scope.REST, false, limit)));
                continue;
            }
            // Two queries at once, one per core: the pair jointly and a alone, both over an envelope of
            // just the two (nextWindow). The features left unknown are almost always irrelevant one
            // at a time, and a joint proof frees both (mnist-net_256x2 image 14: the pair proven in
            // 60 s), where two single proofs free one, the other's made stale by it. b is retried
            // in the next round unless the joint query freed it.
            BitSet base = (BitSet) free.clone();
            BitSet pair = singleton(a);
            pair.set(b);
            java.util.concurrent.Future<Pending> fj = pool.submit(() -> query(base, pair, OracleChain.Scope.REST, true,
                    limit));
            Pending pa = query(base, singleton(a), OracleChain.Scope.REST, false, limit);
            Pending pj = await(fj);
            if (pj.cv().verdict().outcome() == Outcome.IRRELEVANT) {
                apply(pj);
                unknown.clear(a);
                unknown.clear(b);
                retried.add(b);
                apply(pa); // counted; its proof, if any, is for the smaller free set
            } else {
                apply(pj);
                settleRetry(a, apply(pa));
            }
        }
    }

    /**
     * The next feature of {@code order} after {@code after} (-1: from the start) still unknown and
     * not retried yet, or -1. The one-pixel witness move is tried on each first: witnesses found
     * since the feature was asked may break it.
     */
    private int nextRetry(int[] order, int after) {
        boolean past = after < 0;
        for (int f : order) {
            if (!past) {
                past = f == after;
                continue;
            }
            if (!unknown.get(f) || retried.contains(f)) {
                continue;
            }
            if (reuse(f)) {
                retried.add(f);
                unknown.clear(f);
                continue;
            }
            return f;
        }
        return -1;
    }

    /**
     * Records a retry's applied verdict: freed (by apply) or relevant settles the feature for good;
     * unknown again replaces the feature's decision (its note says why the longer query failed too).
     */
    private void settleRetry(int feature, OracleVerdict v) {
        if (v.outcome() == Outcome.UNKNOWN) {
            decisions.put(feature, new Decision(feature, Outcome.UNKNOWN, v.oracle(), v.seconds(), queries, 1,
                    "retried: " + v.note()));
        } else if (v.outcome() == Outcome.IRRELEVANT) {
            unknown.clear(feature); // apply freed it and recorded the decision
        } else if (v.outcome() == Outcome.RELEVANT) {
            unknown.clear(feature);
            settle(feature, v);
        }
    }

    /**
     * Before the single-feature queries, the chain's complete oracle is asked about small groups of
     * the open features, in order. Right after the cheap provers the free set's box is usually still
     * far from the boundary (mnist-net_256x2, image 0: a point of the box with margin 0.36 and none
     * lower found, while CROWN's bound is 0.001), so open features are often irrelevant together and
     * one exact query frees several
     * (8 pixels in 0.3 s there, on a loaded machine). The group doubles after each success and halves
     * after each failure, and the stage ends when a pair fails: a failure (relevant or unknown)
     * changes nothing, its features are asked about one by one later.
     */
    private void freeInGroups(int[] open) {
        int size = FIRST_GROUP;
        int i = 0;
        while (size >= 2) {
            BitSet group = new BitSet();
            int j = i;
            for (; j < open.length && group.cardinality() < size; j++) {
                if (!settled(open[j])) {
                    group.set(open[j]);
                }
            }
            if (group.cardinality() < 2) {
                return;
            }
            maybeBuildEnvelope();
            // Scope REST: the cheap provers failed on each of these features alone already; the
            // attacks are skipped, the batched ones have tried every open feature.
            if (tryFree(group, OracleChain.Scope.REST, true).outcome() == Outcome.IRRELEVANT) {
                i = j;
                size = Math.min(2 * size, MAX_GROUP);
            } else {
                size /= 2;
            }
        }
    }

    /** First and largest group of the exact group stage ({@link #freeInGroups}). */
    private static final int FIRST_GROUP = 8;
    private static final int MAX_GROUP = 32;

    /**
     * How many features the free set must grow by before the {@link BoundaryFalsifier} runs again
     * after a run that found nothing (after a run that found something: one). Each run costs
     * 1.5–2 s (its anchor MIP); on mnist-net_256x2 image 6, 27 runs found nothing in 57 s (of 351),
     * while on images 7 and 8 they found 175 and 252 relevant pixels.
     */
    static final int BOUNDARY_BACKOFF = 8;

    /** Runs the {@link BoundaryFalsifier} on the features of {@code order} still open; how many it settled. */
    private int falsifyNearBoundary(int[] order) {
        int[] open = java.util.Arrays.stream(order).filter(f -> !settled(f)).toArray();
        if (open.length == 0 || outOfBudget()) {
            return 0;
        }
        long t0 = System.nanoTime();
        Map<Integer, double[]> found = boundary.run(free, open);
        double seconds = (System.nanoTime() - t0) / 1e9;
        settleFound(BOUNDARY_ATTACK, String.format(java.util.Locale.ROOT, "from the free set's boundary (anchor by %s,"
                + " margin %.3g)", boundary.anchorSource(), boundary.anchorMargin()), found, seconds, open.length);
        return found.size();
    }

    /**
     * Records one batched attack over {@code asked} features (time shared evenly among them) and
     * settles every feature it found a counterexample for as relevant.
     */
    private void settleFound(String attack, String note, Map<Integer, double[]> found, double seconds, int asked) {
        OracleStats st = stats.computeIfAbsent(attack, k -> new OracleStats());
        st.add(OracleVerdict.unknown(attack, Double.NaN, seconds, asked + " queries"));
        for (Map.Entry<Integer, double[]> e : found.entrySet()) {
            st.decided++;
            settle(e.getKey(), new OracleVerdict(Outcome.RELEVANT, attack, Double.NaN, e.getValue(), seconds / asked,
                    note));
        }
    }

    /**
     * Near the end of an explanation the free set has used up nearly all of the margin, and a
     * feature is often relevant by a hair (margins around −0.003 on mnist-net_256x2) — too little
     * for PGD from the input to find, while the exact oracle needs ~1 s. The latest witnesses lie
     * right at that boundary: each, with its own feature put back to the input value, is a point of
     * the current free set's box (the free set only grows). First each is tried with {@code feature}
     * alone moved to either end of its interval ({@link #shiftedWitness}); then a few sign-gradient
     * steps from the most recent ones on the box of {@code F ∪ {feature}}. Returns a re-checked
     * counterexample or null.
     */
    private double[] reuseWitnesses(int feature) {
        double[] shifted = shiftedWitness(problem, free, feature, lastWitnesses);
        if (shifted != null) {
            return shifted;
        }
        List<Map.Entry<Integer, double[]>> recent = new ArrayList<>(lastWitnesses).subList(0,
                Math.min(REUSE_WITNESSES, lastWitnesses.size()));
        double[][] starts = new double[recent.size()][];
        int[] features = new int[recent.size()];
        for (int i = 0; i < starts.length; i++) {
            double[] w = recent.get(i).getValue().clone();
            int p = recent.get(i).getKey();
            w[p] = problem.inputView()[p];
            starts[i] = w;
            features[i] = feature;
        }
        return BatchAttack.run(problem, free, features, starts, REUSE_STEPS, REUSE_FIRST_STEP).get(feature);
    }

    /**
     * A counterexample for {@code free ∪ {feature}} made from one of {@code witnesses} (feature →
     * witness, each a counterexample for a free set contained in {@code free} plus its own feature):
     * that feature put back to its input value and {@code feature} moved to either end of its
     * interval, all candidates in one batched forward pass; null when none re-checks. The gradient
     * steps of the reuse attack jump away from such a witness, which sits at a vertex the MIP chose:
     * on mnist-net_256x2 image 6 they found none of the 217 relevant pixels, all left to the MIP
     * (~1.3 s each), while this move from one of the 4 (32, all) latest witnesses breaks 190 (203,
     * 210) of them.
     */
    static double[] shiftedWitness(ExplanationProblem problem, BitSet free, int feature,
            java.util.Collection<Map.Entry<Integer, double[]>> witnesses) {
        if (witnesses.isEmpty()) {
            return null;
        }
        int n = problem.features();
        int k = problem.classes();
        int c = problem.label();
        double[] x0 = problem.inputView();
        org.proofmap.bounds.FeatureSubsetBox ball = problem.fullBall().domain();
        double[] ends = {ball.lower()[feature], ball.upper()[feature]};
        int b = 2 * witnesses.size();
        double[] batch = new double[b * n];
        int s = 0;
        for (Map.Entry<Integer, double[]> e : witnesses) {
            for (double v : ends) {
                System.arraycopy(e.getValue(), 0, batch, s * n, n);
                batch[s * n + e.getKey()] = x0[e.getKey()];
                batch[s * n + feature] = v;
                s++;
            }
        }
        double[] y = new org.proofmap.model.ForwardPass(problem.graph(), b).run(batch, b);
        FeatureQuery query = null;
        for (s = 0; s < b; s++) {
            double margin = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (j != c) {
                    margin = Math.min(margin, y[s * k + c] - y[s * k + j]);
                }
            }
            if (margin <= 0) {
                double[] x = java.util.Arrays.copyOfRange(batch, s * n, (s + 1) * n);
                if (query == null) {
                    BitSet q = (BitSet) free.clone();
                    q.set(feature);
                    query = problem.query(q);
                }
                if (query.isCounterexample(x)) {
                    return x;
                }
            }
        }
        return null;
    }

    /** The name of the witness-reusing attack in decisions and statistics. */
    public static final String REUSE_ATTACK = "witness-reuse";
    private static final int REUSE_STEPS = 8;
    /**
     * The reuse attack's first step (share of each interval): as large as from the input, since a
     * witness with its own feature put back may lie well inside the box.
     */
    private static final double REUSE_FIRST_STEP = 0.5;
    private static final int REUSE_WITNESSES = 4;
    /** How many latest witnesses {@link #shiftedWitness} tries. */
    private static final int SHIFT_WITNESSES = 32;
    private final java.util.ArrayDeque<Map.Entry<Integer, double[]>> lastWitnesses = new java.util.ArrayDeque<>();

    /** The name of the batched attack in decisions and statistics. */
    public static final String BATCH_ATTACK = "pgd-batch";
    private static final int BATCH_ATTACK_STEPS = 10;

    /** The name of the {@link BoundaryFalsifier} in decisions and statistics. */
    public static final String BOUNDARY_ATTACK = "pgd-boundary";
    /**
     * Time limit of the MIP that refines the boundary falsifier's anchor (its incumbent is used
     * when it runs out).
     */
    private static final double ANCHOR_MIP_SECONDS = 2.0;

    /** Records a relevant or unknown verdict for {@code feature} (irrelevant ones are recorded by tryFree). */
    private void settle(int feature, OracleVerdict v) {
        if (isBudget(v)) {
            // Not told to the listeners: a journal leaves the feature open, to be asked afresh.
            unknown.set(feature);
            decisions.put(feature, new Decision(feature, Outcome.UNKNOWN, v.oracle(), 0, queries, 1, v.note()));
            return;
        }
        if (v.outcome() == Outcome.RELEVANT) {
            relevant.set(feature);
            witnesses.put(feature, v.witness().clone());
            lastWitnesses.addFirst(Map.entry(feature, v.witness().clone()));
            if (lastWitnesses.size() > SHIFT_WITNESSES) {
                lastWitnesses.removeLast();
            }
        } else {
            unknown.set(feature);
        }
        decisions.put(feature, new Decision(feature, v.outcome(), v.oracle(), v.seconds(), queries, 1,
                v.outcome() == Outcome.UNKNOWN ? v.note() : ""));
        for (Listener l : listeners) {
            l.settled(feature, v, queries);
        }
        tellEffort();
    }

    private static OracleVerdict withSeconds(OracleVerdict v, double seconds) {
        return new OracleVerdict(v.outcome(), v.oracle(), v.bound(), v.witness(), seconds, v.note());
    }

    public int queries() {
        return queries;
    }

    /** The verdict proving the current free set jointly irrelevant. */
    public OracleVerdict proof() {
        return proof;
    }

    BitSet relevant() {
        return (BitSet) relevant.clone();
    }

    BitSet unknown() {
        return (BitSet) unknown.clone();
    }

    Map<Integer, double[]> witnesses() {
        return witnesses;
    }

    List<Decision> decisions() {
        return new ArrayList<>(decisions.values());
    }

    Map<String, OracleStats> stats() {
        return stats;
    }

    /** Per oracle: how often it was asked, how often it decided, and the time it took. */
    public static final class OracleStats {
        private int asked;
        private int decided;
        private double seconds;

        OracleStats() {}

        /** Stored figures (for readers of saved explanations). */
        public OracleStats(int asked, int decided, double seconds) {
            this.asked = asked;
            this.decided = decided;
            this.seconds = seconds;
        }

        void add(OracleStats o) {
            asked += o.asked;
            decided += o.decided;
            seconds += o.seconds;
        }

        void add(OracleVerdict v) {
            asked++;
            if (v.decided()) {
                decided++;
            }
            seconds += v.seconds();
        }

        public int asked() {
            return asked;
        }

        public int decided() {
            return decided;
        }

        public double seconds() {
            return seconds;
        }
    }
}
