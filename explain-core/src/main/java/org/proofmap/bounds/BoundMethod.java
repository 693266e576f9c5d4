package org.proofmap.bounds;

import org.proofmap.model.Graph;

/**
 * A sound bound method: every input in the domain gives outputs whose spec rows lie within the
 * returned bounds. Implementations are picked by name through {@link BoundMethods}.
 */
public interface BoundMethod {
    /** The name used on the command line ({@code ibp}, {@code crown}, ...). */
    String name();

    /** Bounds of {@code spec} over the context's domain, reusing the context's intermediate bounds. */
    Bounds compute(BoundContext context, Spec spec);

    /** Bounds of {@code spec} over {@code domain} (a fresh context). */
    default Bounds compute(Graph graph, InputDomain domain, Spec spec) {
        return compute(new BoundContext(graph, domain), spec);
    }
}
