package org.proofmap.explain;

import java.util.BitSet;
import org.proofmap.bounds.AlphaCrown;
import org.proofmap.bounds.BoundContext;
import org.proofmap.bounds.FeatureSubsetBox;
import org.proofmap.mip.MipBoundRefinement;
import org.proofmap.mip.MipSolvers;
import org.proofmap.model.Graph;

/**
 * Intermediate bounds tightened by the MIP ({@link MipBoundRefinement}, every ReLU layer from the
 * second to the last) over the box of a free set that encloses the queries still to come: in an
 * explanation the free set only grows, by the features asked about, so the box of the free set and
 * the next features of the order contains every query about them, and one refinement serves them
 * all ({@link ExplanationSearch} picks the box). Each such query's bounds start from these
 * ({@link FeatureQuery#context}), intersected with its own.
 *
 * <p>Why: near the end of an explanation the single-feature MIP queries are where the time goes,
 * and CROWN's bounds of the last ReLU layer make their big-M constants loose. On mnist-net_256x2
 * (image 3, 750 features free) one query took CBC 30 s over CROWN's bounds; over bounds refined on
 * its box (82 unstable second-layer neurons down to 51, 45 s of refinement on a loaded machine) it
 * took 1 s. Refining once per envelope instead of once per query is what makes that affordable.
 *
 * <p>Sound when the refinement is: each bound is a proven bound of the enclosing box (padded for
 * the solver's tolerances), so it holds on every box inside it.
 */
public final class BoundEnvelope {
    /**
     * Time (s) slow MIP queries must have taken before the first envelope is built: about what one
     * refinement of mnist-net_256x2's second layer costs here.
     */
    static final double FIRST_AFTER_SECONDS = 20;
    /**
     * Longest refinement of one envelope (s); neurons left when it runs out keep their bounds (the
     * loosest go first). A 10 s budget, neurons in index order, refined too few of mnist-net_256x2's
     * ~100 unstable second-layer neurons to help; a full refinement takes 40–80 s there.
     */
    static final double BUILD_SECONDS = 120;

    private final BitSet free;
    private final BoundContext context;
    private final MipBoundRefinement.Result refinement;

    private BoundEnvelope(BitSet free, BoundContext context, MipBoundRefinement.Result refinement) {
        this.free = free;
        this.context = context;
        this.refinement = refinement;
    }

    /**
     * Whether envelopes help on {@code graph}: CBC is installed (ojAlgo proves no bound), the
     * network has an exact encoding, and a ReLU layer after the first (the first layer's bounds are
     * exact already).
     */
    static boolean available(Graph graph) {
        return MipBoundRefinement.canRefine(graph, true);
    }

    /**
     * Refines the bounds of {@code free}'s box within {@code budgetSeconds}, starting from
     * {@code previous}'s bounds when it encloses the box (they hold on it, and are tighter than a
     * fresh start). Otherwise networks with more than one refinable layer start from alpha-CROWN's
     * intermediate bounds, so that each layer's encoding is as tight as it can be before the MIP
     * works on it.
     */
    static BoundEnvelope build(ExplanationProblem problem, BitSet free, double budgetSeconds, BoundEnvelope previous) {
        Graph graph = problem.graph();
        FeatureSubsetBox box = new FeatureSubsetBox(problem.inputView(), free, problem.eps(), problem.rangeLo(),
                problem.rangeHi());
        BoundContext root = previous != null && previous.encloses(free) ? new BoundContext(previous.context(), box)
                : MipBoundRefinement.refinableLayers(graph, true) > 1
                        ? BoundContext.optimised(graph, box, AlphaCrown.Options.defaults())
                        : new BoundContext(graph, box);
        MipBoundRefinement.Result r = MipBoundRefinement.refine(root,
                MipBoundRefinement.boundSolver(MipSolvers.best()),
                MipBoundRefinement.Options.allLayers(budgetSeconds), () -> false);
        return new BoundEnvelope((BitSet) free.clone(), r.context(), r);
    }

    /** Whether a query of free set {@code queryFree} lies in this envelope's box. */
    public boolean encloses(BitSet queryFree) {
        BitSet outside = (BitSet) queryFree.clone();
        outside.andNot(free);
        return outside.isEmpty();
    }

    /** The refined bounds of the enclosing box. */
    public BoundContext context() {
        return context;
    }

    /** Number of features free in the enclosing box. */
    public int freeCount() {
        return free.cardinality();
    }

    /** What the refinement did (time, unstable neurons before and after). */
    public MipBoundRefinement.Result refinement() {
        return refinement;
    }
}
