package org.proofmap.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

/**
 * Runs a per-case search over every case of a property, sharing one deadline: {@code SAT} as soon as
 * one case has a counterexample, {@code UNSAT} when every case is proved, {@code PROBABLY_UNSAT} when
 * every case is proved or probably holds and at least one only probably, otherwise the first case's
 * timeout or unknown. Counters of the cases are added up; with a {@link ConfidenceBudget} (shared by
 * all cases, so its confidence covers the whole property) its provenance is added to the statistics.
 */
final class CaseLoop {
    private CaseLoop() {}

    static VerificationResult run(Graph graph, Property property, double timeoutSeconds, Map<String, Object> settings,
            ConfidenceBudget budget, BiFunction<PropertyCase, Long, VerificationResult> perCase) {
        if (property.numInputs() != graph.inputSize() || property.numOutputs() != graph.outputSize()) {
            throw new IllegalArgumentException("the property has " + property.numInputs() + " inputs and "
                    + property.numOutputs() + " outputs but the model has " + graph.inputSize() + " and "
                    + graph.outputSize());
        }
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (timeoutSeconds * 1e9);
        long subproblems = 0;
        Map<String, Object> stats = new LinkedHashMap<>(settings);
        java.util.Set<String> provers = new java.util.LinkedHashSet<>();
        for (int c = 0; c < property.cases().size(); c++) {
            VerificationResult r = perCase.apply(property.cases().get(c), deadline);
            subproblems += r.subproblems();
            stats.put("case" + c, r.verdict().word() + " (" + r.subproblems() + " subproblems, " + r.decidedBy() + ")");
            r.statistics().forEach((k, v) -> stats.merge(k, v,
                    (a, b) -> a instanceof Long x && b instanceof Long y ? Long.valueOf(x + y) : b));
            provers.add(r.decidedBy());
            if (r.verdict() != Verdict.UNSAT && r.verdict() != Verdict.PROBABLY_UNSAT) {
                if (budget != null) {
                    stats.putAll(budget.provenance());
                    stats.put("probabilistic", false); // no unsat verdict here rests on the sampled bounds
                }
                return new VerificationResult(r.verdict(), r.witness(), r.witnessOutput(), r.decidedBy(),
                        (System.nanoTime() - t0) / 1e9, subproblems, stats);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (budget != null) {
            stats.putAll(budget.provenance());
            if (budget.used()) {
                return new VerificationResult(Verdict.PROBABLY_UNSAT, null, null, "bounds and pt-lirpa", seconds,
                        subproblems, stats, budget.confidence());
            }
        }
        // What proved the cases (bounds, the exact MIP), in order of first use.
        String by = provers.isEmpty() ? "bounds" : String.join(" and ", provers);
        return new VerificationResult(Verdict.UNSAT, null, null, by, seconds, subproblems, stats);
    }
}
