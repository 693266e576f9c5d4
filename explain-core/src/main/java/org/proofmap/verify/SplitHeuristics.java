package org.proofmap.verify;

import java.util.List;

/**
 * The input-split heuristics by name.
 *
 * <ul>
 *   <li>{@code width}: the widest dimension, {@code u_i − l_i}.
 *   <li>{@code smear}: gradient smear, {@code Σ_rows |∂row/∂x_i| · (u_i − l_i)} over the rows of the
 *       worst disjunct, with the gradient taken at the box centre.
 *   <li>{@code reciph}: the ReCIPH score {@code (|a_i| + |b_i|)/2 · (u_i − l_i)}, where {@code a} and
 *       {@code b} are the input coefficients of CROWN's linear lower and upper bounds of the worst row:
 *       how much of the row's relaxation gap dimension i is responsible for.
 * </ul>
 */
public final class SplitHeuristics {
    public static final List<String> NAMES = List.of("width", "smear", "reciph");

    private SplitHeuristics() {}

    public static SplitHeuristic byName(String name) {
        return switch (name) {
            case "width" -> new SplitHeuristic() {
                @Override
                public String name() {
                    return "width";
                }

                @Override
                public int choose(SplitContext c) {
                    double[] w = new double[c.lower().length];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = c.upper()[i] - c.lower()[i];
                    }
                    return SplitContext.argmax(w, c.lower(), c.upper());
                }
            };
            case "smear" -> new SplitHeuristic() {
                @Override
                public String name() {
                    return "smear";
                }

                @Override
                public int choose(SplitContext c) {
                    double[] s = new double[c.lower().length];
                    double[] g = c.gradientAtCentre(c.worstRow());
                    for (int i = 0; i < s.length; i++) {
                        s[i] = Math.abs(g[i]) * (c.upper()[i] - c.lower()[i]);
                    }
                    return SplitContext.argmax(s, c.lower(), c.upper());
                }
            };
            case "reciph" -> new SplitHeuristic() {
                @Override
                public String name() {
                    return "reciph";
                }

                @Override
                public int choose(SplitContext c) {
                    double[] s = new double[c.lower().length];
                    if (!c.bounds().hasLinearBounds()) {
                        return byName("width").choose(c);
                    }
                    double[] a = c.bounds().lowerCoefficients(c.worstRow());
                    double[] b = c.bounds().upperCoefficients(c.worstRow());
                    for (int i = 0; i < s.length; i++) {
                        s[i] = 0.5 * (Math.abs(a[i]) + Math.abs(b[i])) * (c.upper()[i] - c.lower()[i]);
                    }
                    return SplitContext.argmax(s, c.lower(), c.upper());
                }
            };
            default -> throw new IllegalArgumentException("unknown split heuristic '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
