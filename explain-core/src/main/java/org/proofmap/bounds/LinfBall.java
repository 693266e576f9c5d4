package org.proofmap.bounds;

/**
 * The L-inf ball of radius {@code eps} around a centre, clipped to a data range
 * {@code [clipLo, clipHi]} (use infinities for no clipping).
 */
public final class LinfBall implements InputDomain {
    private final double[] center;
    private final double eps;
    private final double clipLo;
    private final double clipHi;
    private final double[] lower;
    private final double[] upper;

    public LinfBall(double[] center, double eps, double clipLo, double clipHi) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite non-negative number, found " + eps);
        }
        if (!(clipLo <= clipHi)) {
            throw new IllegalArgumentException("empty clipping range [" + clipLo + ", " + clipHi + "]");
        }
        this.center = center.clone();
        this.eps = eps;
        this.clipLo = clipLo;
        this.clipHi = clipHi;
        this.lower = new double[center.length];
        this.upper = new double[center.length];
        for (int i = 0; i < center.length; i++) {
            lower[i] = Math.max(clipLo, center[i] - eps);
            upper[i] = Math.min(clipHi, center[i] + eps);
            if (lower[i] > upper[i]) {
                // The centre lies outside the data range by more than eps: keep the nearest point.
                double p = Math.min(clipHi, Math.max(clipLo, center[i]));
                lower[i] = p;
                upper[i] = p;
            }
        }
    }

    /** The ball without clipping. */
    public LinfBall(double[] center, double eps) {
        this(center, eps, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public double[] center() {
        return center.clone();
    }

    public double eps() {
        return eps;
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
        return "linf(eps=" + eps + (Double.isInfinite(clipLo) && Double.isInfinite(clipHi) ? ""
                : ", clip=[" + clipLo + "," + clipHi + "]") + ")";
    }
}
