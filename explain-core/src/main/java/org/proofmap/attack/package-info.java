/**
 * Falsification by gradient attacks: search an input box for a point whose output lies in an unsafe
 * region, the union of conjunctions {@code C·y <= d} ({@link org.proofmap.vnnlib.OutputConstraint}).
 *
 * <ul>
 *   <li>{@link org.proofmap.attack.Pgd}: projected (sign-)gradient descent with random restarts, all
 *       restarts advancing together in one batch, the random ones diversified first by a few
 *       output-diversified (ODI) steps.
 *   <li>{@link org.proofmap.attack.Fgsm}: one signed step from the box centre per disjunct.
 *   <li>{@link org.proofmap.attack.AttackResult}: the outcome with provenance.
 * </ul>
 *
 * <p>An attack can only ever show that a property is violated, never that it holds. To keep that
 * one-sided claim trustworthy, every {@code FOUND} result is re-checked before it is returned: the
 * witness is evaluated by a fresh double-precision {@link org.proofmap.model.Graph#forward} pass,
 * must lie in the domain, and must satisfy every row of some disjunct exactly (no tolerance),
 * through {@link org.proofmap.vnnlib.OutputConstraint#isViolatedBy} rather than the attack's own
 * objective code. A witness that fails the re-check is reported as {@code NOT_FOUND}.
 *
 * <p>The objective for disjuncts {@code D}: {@code f_D(x) = max_r (C_r·y(x) − d_r)}, and the
 * attack minimises {@code min_D f_D}; the unsafe region is reached when it is {@code <= 0}.
 */
package org.proofmap.attack;
