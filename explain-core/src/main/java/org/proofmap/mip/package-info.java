/**
 * Exact answers by mixed-integer programming: the true minimum of a linear function of a
 * piecewise-linear network's outputs over a box of inputs, with a witness input that attains it.
 * This is the exact oracle behind verification and formally verified explanations when a bound
 * method (IBP, CROWN, alpha-CROWN) cannot decide a query.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link org.proofmap.mip.MipModel}: a neutral, immutable MILP (bounded continuous variables,
 *       binaries, sparse {@code <=, >=, =} constraints, a linear objective to minimise).</li>
 *   <li>{@link org.proofmap.mip.MipSolver} and its {@link org.proofmap.mip.MipSolver.Result}: the
 *       back-ends. {@link org.proofmap.mip.OjAlgoSolver} is pure Java (ojAlgo's
 *       {@code ExpressionsBasedModel}) and always works; {@link org.proofmap.mip.CbcSolver} runs the
 *       COIN-OR CBC executable ({@code apt-get install coinor-cbc}) on an LP file and reads its
 *       solution back in full precision. {@link org.proofmap.mip.MipSolvers#best()} picks CBC when it
 *       is installed (measured several times faster on network encodings) and ojAlgo otherwise.</li>
 *   <li>{@link org.proofmap.mip.NetworkEncoder}: the exact encoding of a network over an input box.</li>
 *   <li>{@link org.proofmap.mip.ExactMinimizer}: encode, solve, and re-check the witness with the
 *       model's own forward pass.</li>
 *   <li>{@link org.proofmap.mip.MipBoundRefinement}: intermediate bounds tightened neuron by neuron
 *       with CBC's proven root-node bound over the network up to that layer
 *       ({@link org.proofmap.model.Graph#prefix}), which in turn makes the big-M constants of every
 *       later MIP tighter.</li>
 * </ul>
 *
 * <h2>The encoding</h2>
 * Every element of every value is {@code coef·x + offset} over one MIP variable, or a constant.
 * <ul>
 *   <li>Inputs: a variable in {@code [lower, upper]} per feature; a feature with
 *       {@code lower == upper} (the fixed features of a
 *       {@link org.proofmap.bounds.FeatureSubsetBox}) is a constant, so a witness keeps it exactly.</li>
 *   <li>Affine operators (Gemm/MatMul, Conv, BatchNormalization, Add/Sub/Mul/Div with a constant,
 *       Add/Sub of two tensors, AveragePool/GlobalAveragePool, Concat, Transpose/Gather/Slice,
 *       reshapes): each output element is a linear combination of input elements, read from the
 *       operator's own backward step on unit rows (exact for affine operators). A combination of two
 *       or more variables becomes a new variable with one equality when something needs it as one
 *       variable (an unstable ReLU, a max pool, the next affine layer); otherwise it is an alias or
 *       stays a combination, so reshapes, selections, fixed inputs, neurons that feed only inactive
 *       ReLUs and the output layer add no rows.</li>
 *   <li>ReLU / LeakyReLU ({@code y = max(x, a·x)}) with bounds {@code l <= x <= u}: stable elements
 *       ({@code l >= 0} or {@code u <= 0}) are the identity or {@code a·x}, without a binary; an
 *       unstable one gets a binary {@code δ} and {@code y >= x}, {@code y >= a·x},
 *       {@code y <= x − (1−a)·l·(1−δ)}, {@code y <= a·x + (1−a)·u·δ}.</li>
 *   <li>MaxPool: inputs that can never be the maximum are dropped; otherwise one binary per
 *       remaining input, {@code Σδ = 1}, {@code y >= x_k}, {@code y <= x_k + (U − l_k)(1 − δ_k)}.</li>
 *   <li>Sigmoid, Tanh, Softmax and products of two model-dependent tensors are not piecewise linear:
 *       the exact MIP is not available for such networks and the encoder says so with an
 *       {@link java.lang.UnsupportedOperationException}.</li>
 * </ul>
 *
 * <h2>Bounds decide the speed</h2>
 * Variable bounds and big-M constants come from a {@link org.proofmap.bounds.BoundContext}: CROWN
 * bounds at every nonlinear operator's input and interval bounds propagated from them elsewhere
 * ({@link org.proofmap.bounds.BoundContext#lower(int)}). They decide which neurons are stable (no
 * binary) and how tight the LP relaxation is: with CROWN big-M an exact query on an MNIST MLP took
 * 0.26 s median and CBC needed no branching, against 80× longer with interval big-M. Bounds are
 * widened by {@link org.proofmap.mip.NetworkEncoder#BOUND_PADDING} (relative 1e-9) so that floating-point
 * rounding in the bound engine cannot cut off a feasible point; the encoding is exact for any valid
 * bounds.
 *
 * <h2>Tighter bounds from the MIP itself</h2>
 * On deep MNIST MLPs the LP relaxation is far from the network even with alpha-optimised bounds: a
 * second-layer neuron of mnist-net_256x4 at eps 0.05 has lower bound −5.57 by alpha-CROWN (equal to
 * the LP's), −4.05 by CBC's root node with cuts, −3.96 after 5 s of CBC, and the lowest value
 * found is −1.27. CBC's presolve and root cuts alone, with the model read and solved once per
 * bound (about 0.45 s), recover a good part of that gap, and tightening the second layer of that net halved the unstable ReLUs of its last layer.
 * {@link org.proofmap.mip.MipBoundRefinement} does that for whole layers on all cores; the verifier
 * runs it when a short first round of branching does not decide.
 *
 * <h2>Sign questions: stop as soon as the answer is known</h2>
 * A feature query only needs the sign of the smallest margin. {@link org.proofmap.mip.MipSolver#solveBelow}
 * asks "is there a point below this cutoff?" (CBC: {@code cutoff c maxSolutions 1}: a root bound at
 * or above {@code c} ends the run as "infeasible", the first point below it ends it too), and
 * {@link org.proofmap.mip.ExactMinimizer#minimiseMinimum} puts several margins into one MIP
 * ({@code z >= r_k − M_k(1 − s_k)}, {@code Σ s_k = 1},
 * {@link org.proofmap.mip.NetworkEncoder.Encoding#withMinimumObjective}). Measured on mnist-net_256x2
 * (images 0–2, free set = CROWN-proven set plus one unknown pixel, 60 queries): minimising each
 * margin to optimality took 6.75 s median (20.3 s max, 37–57 binaries); the cutoff search at 1e-5
 * 0.046 s median (0.17 s max), same answers. On one query the root LP bound was −0.083 and CBC's root
 * cuts lifted it to +0.028: the LP relaxation alone does not decide these queries, a root node with
 * cuts does. With preprocessing and primal heuristics off ({@link org.proofmap.mip.CbcSolver#SIGN_OPTIONS})
 * proofs for 10-pixel groups took 0.13 s median (3.8 s max) against 2.9 s (11.2 s) with CBC's
 * defaults, but finding counterexamples needs the heuristics (one 5-input box: no point in 30 s
 * without them, 0.26 s with them), so {@code MipOracle} alternates the two settings.
 *
 * <h2>Trust</h2>
 * Solvers work with tolerances (~1e-7). {@link org.proofmap.mip.ExactMinimizer} therefore maps the
 * incumbent back to a model input, evaluates it with {@link org.proofmap.model.Graph#forward}, and
 * reports {@code OPTIMAL} only when that value agrees with the solver's objective to 1e-6 relative;
 * the reported optimum is the re-evaluated (attained) value. That check catches a wrong encoding or a
 * solver exploiting its tolerances, not a solver that stops at a worse point: only CBC's optima count
 * as proven ({@code Result.optimumProven()}); ojAlgo 57.1.0's branch and bound was measured to return
 * a non-minimal "optimum" in a few percent of queries (details in
 * {@link org.proofmap.mip.OjAlgoSolver}).
 *
 * <h2>Speed (this 2-core machine)</h2>
 * {@code mlp_5_50_50_5}, every output minimised, 3 centres: eps 0.05 (9–10 binaries, 15 MIPs) CBC
 * 1.0 s, ojAlgo 0.7 s in total (CBC pays ~40 ms to start a process); eps 0.1 (22–25 binaries, 9
 * MIPs) CBC 2.9 s, ojAlgo 3.7 s; eps 0.3 (67–75 binaries, 9 MIPs) CBC 40 s, all optimal, ojAlgo
 * 403 s with 5 of 9 stopped at the 60 s limit. On {@code mlp_784_100_100_10} and {@code cnn_small}
 * (24–167 binaries) CBC solved margins in 1.6–9.5 s where ojAlgo found no incumbent in 5 s.
 */
package org.proofmap.mip;
