package org.proofmap.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;

/**
 * Runs a per-case search over every case of a property, sharing one deadline: {@code SAT} as soon as
 * one case has a counterexample, {@code UNSAT} when every case is proved, otherwise the first case's
 * timeout or unknown. Counters of the cases are added up.
 */
final class CaseLoop {
    private CaseLoop() {}

    static VerificationResult run(Graph graph, Property property, double timeoutSeconds, Map<String, Object> settings,
            BiFunction<PropertyCase, Long, VerificationResult> perCase) {
        if (property.numInputs() != graph.inputSize() || property.numOutputs() != graph.outputSize()) {
            throw new IllegalArgumentException("the property has " + property.numInputs() + " inputs and "
                    + property.numOutputs() + " outputs but the model has " + graph.inputSize() + " and "
                    + graph.outputSize());
        }
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (timeoutSeconds * 1e9);
        long subproblems = 0;
        Map<String, Object> stats = new LinkedHashMap<>(settings);
        for (int c = 0; c < property.cases().size(); c++) {
            VerificationResult r = perCase.apply(property.cases().get(c), deadline);
            subproblems += r.subproblems();
            stats.put("case" + c, r.verdict().word() + " (" + r.subproblems() + " subproblems, " + r.decidedBy() + ")");
            r.statistics().forEach((k, v) -> stats.merge(k, v,
                    (a, b) -> a instanceof Long x && b instanceof Long y ? Long.valueOf(x + y) : b));
            if (r.verdict() != Verdict.UNSAT) {
                return new VerificationResult(r.verdict(), r.witness(), r.witnessOutput(), r.decidedBy(),
                        (System.nanoTime() - t0) / 1e9, subproblems, stats);
            }
        }
        return new VerificationResult(Verdict.UNSAT, null, null, "bounds", (System.nanoTime() - t0) / 1e9, subproblems,
                stats);
    }
}
