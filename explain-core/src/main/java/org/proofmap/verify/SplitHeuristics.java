package org.proofmap.verify;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The input-split heuristics by name.
 *
 * <ul>
 *   <li>{@code width}: the widest dimension, {@code u_i − l_i}.
 *   <li>{@code smear}: gradient smear, {@code Σ_rows max|∂row/∂x_i| · (u_i − l_i)} over the rows of the
 *       unproven disjuncts, with the largest {@code |∂row/∂x_i|} anywhere in the box taken from
 *       interval bounds of the gradient ({@link org.proofmap.bounds.JacobianBounds}): how much
 *       dimension i can move the rows across the box.
 *   <li>{@code reciph}: the ReCIPH score {@code (|a_i| + |b_i|)/2 · (u_i − l_i)}, where {@code a} and
 *       {@code b} are the input coefficients of CROWN's linear lower and upper bounds of the worst row:
 *       how much of the row's relaxation gap dimension i is responsible for. When these scores add up
 *       to less than a fifth of the gap between the row's upper and lower bound, the gap comes mostly
 *       from the constant offsets of unstable neurons' relaxations, which the coefficients do not see
 *       (CROWN's lower lines of slope 0 can cancel an input's coefficient while that input still
 *       drives the unstable neurons); then {@code smear} on the worst row decides. Without this
 *       fallback ReCIPH can keep halving dimensions that are already a few ulps wide (seen on ACAS Xu
 *       prop_6, net 1_1: split depth above 13,000).
 * </ul>
 */
public final class SplitHeuristics {
    public static final List<String> NAMES = List.of("width", "smear", "reciph");

    /**
     * The share of the worst row's gap below which ReCIPH's coefficient scores give way to smear.
     * Boxes on ACAS Xu with 0.5, 0.2 and 0.05: 1_1 prop_3 14,191, 4,431 and 3,705; 1_1 prop_6 5,516,
     * 5,126 and 5,662; 1_8 prop_2 1,961, 957 and 889; 2_2 prop_1 259, 259 and 253.
     */
    private static final double FALLBACK_SHARE = 0.2;

    private SplitHeuristics() {}

    public static SplitHeuristic byName(String name) {
        return switch (name) {
            case "width" -> named("width", SplitHeuristics::width);
            case "smear" -> named("smear", c -> smear(c, allRows(c)));
            case "reciph" -> named("reciph", SplitHeuristics::reciph);
            default -> throw new IllegalArgumentException("unknown split heuristic '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    private static SplitHeuristic named(String name, ToIntFunction<SplitContext> rule) {
        return new SplitHeuristic() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int choose(SplitContext c) {
                return rule.applyAsInt(c);
            }
        };
    }

    private static int width(SplitContext c) {
        double[] w = new double[c.lower().length];
        for (int i = 0; i < w.length; i++) {
            w[i] = c.upper()[i] - c.lower()[i];
        }
        return SplitContext.argmax(w, c.lower(), c.upper());
    }

    private static int[] allRows(SplitContext c) {
        int[] all = new int[c.rows().length];
        for (int r = 0; r < all.length; r++) {
            all[r] = r;
        }
        return all;
    }

    /** The smear score summed over spec rows {@code rows}. */
    private static int smear(SplitContext c, int[] rows) {
        double[] s = new double[c.lower().length];
        for (int r : rows) {
            double[][] g = c.gradientBounds(r);
            for (int i = 0; i < s.length; i++) {
                s[i] += Math.max(Math.abs(g[0][i]), Math.abs(g[1][i])) * (c.upper()[i] - c.lower()[i]);
            }
        }
        return SplitContext.argmax(s, c.lower(), c.upper());
    }

    private static int reciph(SplitContext c) {
        if (!c.bounds().hasLinearBounds()) {
            return width(c);
        }
        int r = c.worstRow();
        double[] a = c.bounds().lowerCoefficients(r);
        double[] b = c.bounds().upperCoefficients(r);
        double[] s = new double[c.lower().length];
        double explained = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = 0.5 * (Math.abs(a[i]) + Math.abs(b[i])) * (c.upper()[i] - c.lower()[i]);
            explained += s[i];
        }
        double gap = c.bounds().upper(r) - c.bounds().lower(r);
        if (explained < FALLBACK_SHARE * gap) {
            return smear(c, new int[] {r});
        }
        return SplitContext.argmax(s, c.lower(), c.upper());
    }
}
