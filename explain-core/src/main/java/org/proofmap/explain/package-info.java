/**
 * Formal explanations: which input features can move by {@code eps} without changing the
 * prediction.
 *
 * <p>An {@link org.proofmap.explain.ExplanationProblem} fixes the model, the input, its predicted
 * label, the radius and the data range. A {@link org.proofmap.explain.FeatureQuery} asks whether a
 * free set of features is <em>irrelevant</em> (every input that agrees with the original outside the
 * set and moves by at most eps on it keeps the label). An {@link org.proofmap.explain.OracleChain}
 * answers with the cheapest {@link org.proofmap.explain.Oracle} that decides it: a sound bound proves
 * irrelevance, only a counterexample re-checked by a forward pass proves relevance, and anything else
 * stays {@link org.proofmap.explain.Outcome#UNKNOWN}. A {@link org.proofmap.explain.TraversalOrder}
 * ranks the features (most likely irrelevant first) and an {@link org.proofmap.explain.Explainer}
 * algorithm grows the irrelevant set; the resulting {@link org.proofmap.explain.Explanation} carries
 * the proof of the joint irrelevant set and one witness per relevant feature, which
 * {@link org.proofmap.explain.CertificateChecker} re-verifies independently. Exact queries late in an
 * explanation share a {@link org.proofmap.explain.BoundEnvelope}: MIP-refined bounds of a box that
 * encloses all of them.
 */
package org.proofmap.explain;
