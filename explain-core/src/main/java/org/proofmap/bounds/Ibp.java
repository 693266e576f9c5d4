package org.proofmap.bounds;

import java.util.Map;

/**
 * Interval bound propagation. The spec is applied by back-substituting {@code C} through the
 * trailing affine operators before taking intervals, which keeps their correlations (as auto_LiRPA
 * merges {@code C} into the last linear layer); for the identity spec this is plain IBP.
 */
public final class Ibp implements BoundMethod {
    @Override
    public String name() {
        return "ibp";
    }

    @Override
    public Bounds compute(BoundContext context, Spec spec) {
        long t0 = System.nanoTime();
        BoundPropagation p = context.intervals();
        double[][] b = Crown.specBounds(p, spec, true);
        return new Bounds(b[0], b[1], null, null, null, null, name(), Map.of("domain", context.domain().describe()),
                (System.nanoTime() - t0) / 1e9);
    }
}
