package org.proofmap.explain;

import org.proofmap.bounds.BoundMethod;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;

/**
 * Proves irrelevance with a sound bound method: irrelevant when the lower bound of every margin
 * {@code y_label − y_j} is positive. Never proves relevance.
 */
public final class BoundOracle implements Oracle {
    private final BoundMethod method;

    public BoundOracle(BoundMethod method) {
        this.method = method;
    }

    /** The oracle of the bound method called {@code name} ({@code ibp}, {@code crown}, ...). */
    public static BoundOracle byName(String name) {
        return new BoundOracle(BoundMethods.byName(name));
    }

    @Override
    public String name() {
        return method.name();
    }

    @Override
    public Kind kind() {
        return Kind.PROVER;
    }

    @Override
    public OracleVerdict decide(FeatureQuery query, double timeLimitSeconds) {
        long t0 = System.nanoTime();
        Bounds b = query.bounds(method);
        double min = Double.POSITIVE_INFINITY;
        for (int r = 0; r < b.rows(); r++) {
            min = Math.min(min, b.lower(r));
        }
        if (Double.isNaN(min)) {
            min = Double.NEGATIVE_INFINITY;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (min > 0) {
            return new OracleVerdict(Outcome.IRRELEVANT, name(), min, null, seconds, "");
        }
        return OracleVerdict.unknown(name(), min, seconds, "lower bound " + min + " <= 0");
    }

    /**
     * The bounds themselves, for orders and certificates that need the linear coefficients as well as
     * the verdict.
     */
    public Bounds bounds(FeatureQuery query) {
        return query.bounds(method);
    }
}
