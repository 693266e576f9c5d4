package org.proofmap.attack;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.proofmap.bounds.InputDomain;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.OutputConstraint;

/**
 * The outcome of an attack: {@link State#FOUND} with a counterexample that lies in the domain and
 * whose output satisfies every row of some unsafe disjunct, or {@link State#NOT_FOUND}, which proves
 * nothing. Immutable; array accessors return copies.
 *
 * <p>A {@code FOUND} result can only be made by {@link #checked}, which re-evaluates the candidate
 * with a fresh double-precision {@link Graph#forward} pass and the domain's
 * {@link InputDomain#contains} (no tolerance) and tests the disjuncts with
 * {@link OutputConstraint#isViolatedBy} (no tolerance), independently of the attack's own objective
 * code. A candidate that fails is reported as {@code NOT_FOUND} with a {@link #note()} saying why.
 */
public final class AttackResult {
    /** Whether a counterexample was found (and re-checked). */
    public enum State { FOUND, NOT_FOUND }

    /**
     * Where a result came from: the attack's name ({@code pgd}, {@code fgsm}), its settings (domain,
     * steps, restarts, step size...) and its random seed.
     */
    public record Provenance(String attack, Map<String, Object> settings, long seed) {
        public Provenance {
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }

    private final State state;
    private final double[] input;
    private final double[] output;
    private final double objective;
    private final int disjunct;
    private final int iterations;
    private final int restarts;
    private final double seconds;
    private final Provenance provenance;
    private final String note;

    private AttackResult(State state, double[] input, double[] output, double objective, int disjunct, int iterations,
            int restarts, double seconds, Provenance provenance, String note) {
        this.state = state;
        this.input = input;
        this.output = output;
        this.objective = objective;
        this.disjunct = disjunct;
        this.iterations = iterations;
        this.restarts = restarts;
        this.seconds = seconds;
        this.provenance = provenance;
        this.note = note;
    }

    /**
     * Re-checks {@code candidate} and returns {@code FOUND} only if it lies in {@code domain} and the
     * fresh double-precision output {@code graph.forward(candidate)} satisfies every row of some
     * disjunct of {@code unsafe} exactly; otherwise {@code NOT_FOUND}, with the objective re-evaluated
     * at the candidate and a note saying which check failed.
     *
     * @param iterations gradient steps the attack took (the most any restart took)
     * @param restarts starting points the attack used
     */
    public static AttackResult checked(Graph graph, InputDomain domain, List<OutputConstraint> unsafe,
            double[] candidate, Provenance provenance, int iterations, int restarts, double seconds) {
        double[] x = candidate.clone();
        if (x.length != graph.inputSize() || x.length != domain.size()) {
            return notFound(Double.POSITIVE_INFINITY, provenance, iterations, restarts, seconds,
                    "re-check failed: candidate has " + x.length + " values, the model takes " + graph.inputSize());
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return notFound(Double.POSITIVE_INFINITY, provenance, iterations, restarts, seconds,
                        "re-check failed: candidate is not finite");
            }
        }
        double[] y = graph.forward(x);
        double value = Double.POSITIVE_INFINITY;
        int best = -1;
        for (int k = 0; k < unsafe.size(); k++) {
            OutputConstraint oc = unsafe.get(k);
            double fk = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < oc.numRows(); r++) {
                double s = -oc.d(r);
                for (int j = 0; j < y.length; j++) {
                    s += oc.c(r, j) * y[j];
                }
                fk = Double.isNaN(s) ? Double.POSITIVE_INFINITY : Math.max(fk, s);
            }
            if (oc.isViolatedBy(y, 0.0) && (best < 0 || fk < value)) {
                best = k;
                value = fk;
            } else if (best < 0) {
                value = Math.min(value, fk);
            }
        }
        if (!domain.contains(x, 0.0)) {
            return notFound(value, provenance, iterations, restarts, seconds,
                    "re-check failed: candidate lies outside the domain " + domain.describe());
        }
        if (best < 0) {
            return notFound(value, provenance, iterations, restarts, seconds,
                    "re-check failed: no disjunct holds at the candidate (objective " + value + ")");
        }
        return new AttackResult(State.FOUND, x, y, value, best, iterations, restarts, seconds, provenance, "");
    }

    /** A result without a counterexample; {@code bestObjective} is the lowest objective the attack saw. */
    public static AttackResult notFound(double bestObjective, Provenance provenance, int iterations, int restarts,
            double seconds, String note) {
        return new AttackResult(State.NOT_FOUND, null, null, bestObjective, -1, iterations, restarts, seconds,
                provenance, note == null ? "" : note);
    }

    public State state() {
        return state;
    }

    public boolean found() {
        return state == State.FOUND;
    }

    /** The counterexample (a copy), or {@code null} when none was found. */
    public double[] input() {
        return input == null ? null : input.clone();
    }

    /** The counterexample's outputs from the re-check's forward pass (a copy), or {@code null}. */
    public double[] output() {
        return output == null ? null : output.clone();
    }

    /**
     * {@code min_D max_r (C_r·y − d_r)}: for {@code FOUND}, its value at the counterexample
     * ({@code <= 0}); for {@code NOT_FOUND}, the lowest value the attack reached (positive, or
     * re-evaluated at a rejected candidate).
     */
    public double objective() {
        return objective;
    }

    /** Index of the violated disjunct among those given to the attack, or {@code -1}. */
    public int disjunct() {
        return disjunct;
    }

    /** Gradient steps taken (per restart; restarts advance together). */
    public int iterations() {
        return iterations;
    }

    /** Number of starting points used. */
    public int restarts() {
        return restarts;
    }

    /** Wall time of the attack in seconds. */
    public double seconds() {
        return seconds;
    }

    public Provenance provenance() {
        return provenance;
    }

    /** Why a result is {@code NOT_FOUND} when a candidate was rejected or time ran out; otherwise empty. */
    public String note() {
        return note;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AttackResult[").append(state).append(", ").append(provenance.attack())
                .append(", objective=").append(objective);
        if (found()) {
            sb.append(", disjunct=").append(disjunct);
            if (input.length <= 8) {
                sb.append(", x=").append(Arrays.toString(input)).append(", y=").append(Arrays.toString(output));
            }
        }
        sb.append(", iterations=").append(iterations).append(", restarts=").append(restarts)
                .append(String.format(java.util.Locale.ROOT, ", %.3fs", seconds)).append(", seed=")
                .append(provenance.seed());
        if (!note.isEmpty()) {
            sb.append(", ").append(note);
        }
        return sb.append(']').toString();
    }
}
