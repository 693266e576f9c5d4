package org.proofmap.explain;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.proofmap.bounds.Bounds;
import org.proofmap.model.ForwardPass;
import org.proofmap.model.GradientPass;
import org.proofmap.model.Graph;

/** The traversal orders by name. */
public final class TraversalOrders {
    public static final List<String> NAMES = List.of("sensitivity", "saliency", "reciph", "bounds", "index", "random");

    private TraversalOrders() {}

    /** @param seed used by {@code random} only */
    public static TraversalOrder byName(String name, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sensitivity" -> new Sensitivity();
            case "saliency" -> new Saliency();
            case "reciph" -> new Reciph();
            case "bounds" -> new PerFeatureBound();
            case "index" -> new Index();
            case "random" -> new RandomOrder(seed);
            default -> throw new IllegalArgumentException("unknown order '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * VeriX's sensitivity, unsigned: the L1 change of the output vector when the feature alone moves
     * to either end of its eps-interval (clipped to the range), the larger of the two. Both
     * perturbations of every feature go through the forward pass in batches.
     */
    static final class Sensitivity implements TraversalOrder {
        private static final int BATCH = 64;

        @Override
        public String name() {
            return "sensitivity";
        }

        @Override
        public double[] scores(ExplanationProblem p) {
            Graph g = p.graph();
            int n = p.features();
            int k = p.classes();
            double[] x = p.inputView();
            double[] y0 = p.output();
            double[] scores = new double[n];
            ForwardPass fp = new ForwardPass(g, BATCH);
            double[] batch = new double[BATCH * n];
            for (int start = 0; start < 2 * n; start += BATCH) {
                int b = Math.min(BATCH, 2 * n - start);
                for (int s = 0; s < b; s++) {
                    int q = start + s;
                    int f = q >> 1;
                    System.arraycopy(x, 0, batch, s * n, n);
                    double v = (q & 1) == 0 ? Math.max(p.rangeLo(), x[f] - p.eps()) : Math.min(p.rangeHi(), x[f] + p.eps());
                    batch[s * n + f] = v;
                }
                double[] y = fp.run(batch, b);
                for (int s = 0; s < b; s++) {
                    double d = 0;
                    for (int j = 0; j < k; j++) {
                        d += Math.abs(y[s * k + j] - y0[j]);
                    }
                    int f = (start + s) >> 1;
                    scores[f] = Math.max(scores[f], d);
                }
            }
            return scores;
        }
    }

    /** Saliency: {@code |∂y_label/∂x_i|} at the input. */
    static final class Saliency implements TraversalOrder {
        @Override
        public String name() {
            return "saliency";
        }

        @Override
        public double[] scores(ExplanationProblem p) {
            double[] w = new double[p.classes()];
            w[p.label()] = 1;
            double[] grad = new GradientPass(p.graph(), 1).gradient(p.inputView(), w, 1);
            double[] s = new double[p.features()];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.abs(grad[i]);
            }
            return s;
        }
    }

    /**
     * ReCIPH: CROWN's linear lower and upper bounds of every margin over the full eps-ball; feature
     * i scores {@code Σ_rows (|a_i| + |b_i|)/2 · (u_i − l_i)}, its share of the bounds' width.
     */
    static final class Reciph implements TraversalOrder {
        @Override
        public String name() {
            return "reciph";
        }

        @Override
        public double[] scores(ExplanationProblem p) {
            FeatureQuery q = p.fullBall();
            Bounds b = BoundOracle.byName("crown").bounds(q);
            double[] lo = q.domain().lower();
            double[] hi = q.domain().upper();
            double[] s = new double[p.features()];
            for (int r = 0; r < b.rows(); r++) {
                double[] a = b.lowerCoefficients(r);
                double[] c = b.upperCoefficients(r);
                for (int i = 0; i < s.length; i++) {
                    s[i] += (Math.abs(a[i]) + Math.abs(c[i])) / 2 * (hi[i] - lo[i]);
                }
            }
            return s;
        }
    }

    /**
     * The CROWN lower bound of the smallest margin when the feature alone moves, negated (a larger
     * margin means more likely irrelevant). One CROWN query per feature, on every core.
     */
    static final class PerFeatureBound implements TraversalOrder {
        @Override
        public String name() {
            return "bounds";
        }

        @Override
        public double[] scores(ExplanationProblem p) {
            BoundOracle crown = BoundOracle.byName("crown");
            double[] s = new double[p.features()];
            ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
            try {
                pool.submit(() -> IntStream.range(0, s.length).parallel().forEach(i -> {
                    BitSet one = new BitSet();
                    one.set(i);
                    Bounds b = crown.bounds(p.query(one));
                    double min = Double.POSITIVE_INFINITY;
                    for (int r = 0; r < b.rows(); r++) {
                        min = Math.min(min, b.lower(r));
                    }
                    s[i] = -min;
                })).join();
            } finally {
                pool.shutdown();
            }
            return s;
        }
    }

    /** Feature index order. */
    static final class Index implements TraversalOrder {
        @Override
        public String name() {
            return "index";
        }

        @Override
        public double[] scores(ExplanationProblem p) {
            double[] s = new double[p.features()];
            for (int i = 0; i < s.length; i++) {
                s[i] = i;
            }
            return s;
        }
    }

    /** A seeded random permutation: the score of a feature is its position. */
    static final class RandomOrder implements TraversalOrder {
        private final long seed;

        RandomOrder(long seed) {
            this.seed = seed;
        }

        @Override
        public String name() {
            return "random";
        }

        @Override
        public double[] scores(ExplanationProblem p) {
            int n = p.features();
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            Random rnd = new Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[perm[i]] = i;
            }
            return s;
        }
    }
}
