package org.proofmap.explain;

import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished explanation and its certificate: the input, label, radius and range; the relevant
 * (explanation), irrelevant (proven jointly free) and unknown features; how each was decided; the
 * proof of the joint irrelevant set; one witness per relevant feature; the EFX check; provenance.
 * Optionally, apart from all of these, the probably irrelevant features of PT-LiRPA's last step
 * ({@link ProbablyIrrelevant}): taken out of the unknown ones, never part of the irrelevant set or
 * its proof. Immutable. Feature indices are flat NCHW indices.
 */
public final class Explanation {
    private final double[] input;
    private final int label;
    private final double eps;
    private final double rangeLo;
    private final double rangeHi;
    private final String order;
    private final double[] orderScores;
    private final String algorithm;
    private final String oracle;
    private final BitSet relevant;
    private final BitSet irrelevant;
    private final BitSet unknown;
    private final List<Decision> decisions;
    private final Map<Integer, double[]> witnesses;
    private final OracleVerdict proof;
    private final EfxResult efx;
    private final Map<String, ExplanationSearch.OracleStats> oracleStats;
    private final int queries;
    private final double seconds;
    private final Map<String, Object> settings;
    private final ProbablyIrrelevant probable;

    /** {@code probable}: PT-LiRPA's last step, or null; its features are taken out of the unknown ones. */
    Explanation(ExplanationProblem problem, String order, double[] orderScores, String algorithm, String oracle,
            ExplanationSearch search, EfxResult efx, double seconds, Map<String, Object> settings,
            ProbablyIrrelevant probable) {
        this(problem.input(), problem.label(), problem.eps(), problem.rangeLo(), problem.rangeHi(), order,
                orderScores, algorithm, oracle, search.relevant(), search.free(), without(search.unknown(), probable),
                search.decisions(), search.witnesses(), search.proof(), efx, search.stats(), search.queries(),
                seconds, settings, probable);
    }

    private static BitSet without(BitSet unknown, ProbablyIrrelevant probable) {
        if (probable != null) {
            unknown.andNot(probable.features());
        }
        return unknown;
    }

    /** For readers of stored explanations; prefer {@link Explain#run} to make one. */
    public Explanation(double[] input, int label, double eps, double rangeLo, double rangeHi, String order,
            double[] orderScores, String algorithm, String oracle, BitSet relevant, BitSet irrelevant,
            BitSet unknown, List<Decision> decisions, Map<Integer, double[]> witnesses, OracleVerdict proof,
            EfxResult efx, Map<String, ExplanationSearch.OracleStats> oracleStats, int queries, double seconds,
            Map<String, Object> settings) {
        this(input, label, eps, rangeLo, rangeHi, order, orderScores, algorithm, oracle, relevant, irrelevant, unknown,
                decisions, witnesses, proof, efx, oracleStats, queries, seconds, settings, null);
    }

    /** As above, with the probably irrelevant features of a probabilistic last step (null: none). */
    public Explanation(double[] input, int label, double eps, double rangeLo, double rangeHi, String order,
            double[] orderScores, String algorithm, String oracle, BitSet relevant, BitSet irrelevant,
            BitSet unknown, List<Decision> decisions, Map<Integer, double[]> witnesses, OracleVerdict proof,
            EfxResult efx, Map<String, ExplanationSearch.OracleStats> oracleStats, int queries, double seconds,
            Map<String, Object> settings, ProbablyIrrelevant probable) {
        this.probable = probable;
        this.input = input.clone();
        this.label = label;
        this.eps = eps;
        this.rangeLo = rangeLo;
        this.rangeHi = rangeHi;
        this.order = order;
        this.orderScores = orderScores == null ? null : orderScores.clone();
        this.algorithm = algorithm;
        this.oracle = oracle;
        this.relevant = (BitSet) relevant.clone();
        this.irrelevant = (BitSet) irrelevant.clone();
        this.unknown = (BitSet) unknown.clone();
        this.decisions = List.copyOf(decisions);
        Map<Integer, double[]> w = new TreeMap<>();
        witnesses.forEach((k, v) -> w.put(k, v.clone()));
        this.witnesses = Collections.unmodifiableMap(w);
        this.proof = proof;
        this.efx = efx;
        this.oracleStats = Collections.unmodifiableMap(new LinkedHashMap<>(oracleStats));
        this.queries = queries;
        this.seconds = seconds;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public double[] input() {
        return input.clone();
    }

    public int label() {
        return label;
    }

    public double eps() {
        return eps;
    }

    public double rangeLo() {
        return rangeLo;
    }

    public double rangeHi() {
        return rangeHi;
    }

    public String order() {
        return order;
    }

    /** The order's score per feature (lower: tried earlier), null when not stored. */
    public double[] orderScores() {
        return orderScores == null ? null : orderScores.clone();
    }

    public String algorithm() {
        return algorithm;
    }

    public String oracle() {
        return oracle;
    }

    /** The explanation: features that must stay fixed (each with a witness). */
    public BitSet relevant() {
        return (BitSet) relevant.clone();
    }

    /** Features proven jointly irrelevant. */
    public BitSet irrelevant() {
        return (BitSet) irrelevant.clone();
    }

    /**
     * Features PT-LiRPA's last step found irrelevant together with the proven irrelevant set, with the
     * confidence of {@link #probable()} only: not proven; empty without that step.
     */
    public BitSet probablyIrrelevant() {
        return probable == null ? new BitSet() : probable.features();
    }

    /** The probabilistic last step (its features, confidence and provenance), or null when none ran. */
    public ProbablyIrrelevant probable() {
        return probable;
    }

    /** Features no oracle decided (nor the probabilistic step): kept fixed, but without proof that they must be. */
    public BitSet unknown() {
        return (BitSet) unknown.clone();
    }

    public List<Decision> decisions() {
        return decisions;
    }

    /** Per relevant feature, an input of the box "irrelevant set plus that feature" with another label. */
    public Map<Integer, double[]> witnesses() {
        return witnesses;
    }

    /** The verdict that proved the final irrelevant set. */
    public OracleVerdict proof() {
        return proof;
    }

    public EfxResult efx() {
        return efx;
    }

    public Map<String, ExplanationSearch.OracleStats> oracleStats() {
        return oracleStats;
    }

    public int queries() {
        return queries;
    }

    public double seconds() {
        return seconds;
    }

    public Map<String, Object> settings() {
        return settings;
    }

    /**
     * Whether every feature was decided by proof (then the explanation is subset-minimal); probably
     * irrelevant features are not decided.
     */
    public boolean complete() {
        return unknown.isEmpty() && probablyIrrelevant().isEmpty();
    }

    /**
     * One line: label, sizes, EFX and time; the probably irrelevant features, when there are any,
     * counted apart with their confidence.
     */
    public String summary() {
        String probably = probable == null ? ""
                : String.format(java.util.Locale.ROOT, ", %d probably irrelevant (pt-lirpa, confidence %s, not proven)",
                        probable.features().cardinality(), probable.confidence());
        // A resumed run's own time, and what the runs it resumed had searched (their journal's record).
        String earlier = settings != null && settings.get("resumed") instanceof Map<?, ?> r
                && r.get("earlier_seconds") instanceof Number n
                        ? String.format(java.util.Locale.ROOT, " (+%.1f s in earlier runs)", n.doubleValue()) : "";
        return String.format(java.util.Locale.ROOT,
                "label %d: %d relevant, %d irrelevant%s, %d unknown; EFX %s; %d queries; %.2f s%s", label,
                relevant.cardinality(), irrelevant.cardinality(), probably, unknown.cardinality(),
                efx == null ? "not checked" : efx.holds() ? "yes" : "no", queries, seconds, earlier);
    }
}
