/**
 * The bound engine: sound lower and upper bounds on spec rows {@code C·f(x)} over an input domain.
 *
 * <ul>
 *   <li>{@link org.proofmap.bounds.InputDomain}: {@link org.proofmap.bounds.Box},
 *       {@link org.proofmap.bounds.LinfBall}, {@link org.proofmap.bounds.FeatureSubsetBox}.
 *   <li>{@link org.proofmap.bounds.Spec}: identity, margins, or VNNLIB rows.
 *   <li>{@link org.proofmap.bounds.BoundMethod}: {@code ibp}, {@code crown-ibp}, {@code crown},
 *       {@code alpha-crown}, picked by name through {@link org.proofmap.bounds.BoundMethods}.
 *   <li>{@link org.proofmap.bounds.Bounds}: the bounds, the input coefficients of the final linear
 *       bounds, and provenance.
 * </ul>
 *
 * <p>The graph walker ({@code BoundPropagation}) knows no operator; each operator family owns its
 * interval rule and its backward relaxation.
 */
package org.proofmap.bounds;
