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
 * Immutable. Feature indices are flat NCHW indices.
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

    Explanation(ExplanationProblem problem, String order, double[] orderScores, String algorithm, String oracle,
            ExplanationSearch search, EfxResult efx, double seconds, Map<String, Object> settings) {
        this(problem.input(), problem.label(), problem.eps(), problem.rangeLo(), problem.rangeHi(), order,
                orderScores, algorithm, oracle, search.relevant(), search.free(), search.unknown(),
                search.decisions(), search.witnesses(), search.proof(), efx, search.stats(), search.queries(),
                seconds, settings);
    }

    /** For readers of stored explanations; prefer {@link Explain#run} to make one. */
    public Explanation(double[] input, int label, double eps, double rangeLo, double rangeHi, String order,
            double[] orderScores, String algorithm, String oracle, BitSet relevant, BitSet irrelevant,
            BitSet unknown, List<Decision> decisions, Map<Integer, double[]> witnesses, OracleVerdict proof,
            EfxResult efx, Map<String, ExplanationSearch.OracleStats> oracleStats, int queries, double seconds,
            Map<String, Object> settings) {
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

    /** Features no oracle decided: kept fixed, but without proof that they must be. */
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

    /** Whether every feature was decided (then the explanation is subset-minimal). */
    public boolean complete() {
        return unknown.isEmpty();
    }

    /** One line: label, sizes, EFX and time. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "label %d: %d relevant, %d irrelevant, %d unknown; EFX %s; %d queries; %.2f s", label,
                relevant.cardinality(), irrelevant.cardinality(), unknown.cardinality(),
                efx == null ? "not checked" : efx.holds() ? "yes" : "no", queries, seconds);
    }
}
