package org.proofmap.bounds;

import java.util.BitSet;

/**
 * The query shape of explanations: only the features in a free set move, each by up to {@code eps}
 * around the centre (clipped to the data range); every other feature stays at the centre.
 */
public final class FeatureSubsetBox implements InputDomain {
    private final double[] center;
    private final BitSet free;
    private final double eps;
    private final double[] lower;
    private final double[] upper;

    public FeatureSubsetBox(double[] center, BitSet free, double eps, double clipLo, double clipHi) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite non-negative number, found " + eps);
        }
        if (free.length() > center.length) {
            throw new IllegalArgumentException("free feature " + (free.length() - 1) + " is outside the input ("
                    + center.length + " features)");
        }
        this.center = center.clone();
        this.free = (BitSet) free.clone();
        this.eps = eps;
        this.lower = center.clone();
        this.upper = center.clone();
        for (int i = free.nextSetBit(0); i >= 0; i = free.nextSetBit(i + 1)) {
            lower[i] = Math.min(center[i], Math.max(clipLo, center[i] - eps));
            upper[i] = Math.max(center[i], Math.min(clipHi, center[i] + eps));
        }
    }

    /** The free features (a copy). */
    public BitSet free() {
        return (BitSet) free.clone();
    }

    public double eps() {
        return eps;
    }

    public double[] center() {
        return center.clone();
    }

    @Override
    public double[] lower() {
        return lower;
    }

    @Override
    public double[] upper() {
        return upper;
    }

    @Override
    public String describe() {
        return "feature-subset(free=" + free.cardinality() + "/" + center.length + ", eps=" + eps + ")";
    }
}
