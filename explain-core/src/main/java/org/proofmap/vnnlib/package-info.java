/**
 * VNNLIB properties (the VNN-COMP dialect of SMT-LIB) parsed into disjunctive normal form.
 *
 * <h2>The dialect</h2>
 *
 * A file is a sequence of commands; {@code ;} starts a comment that runs to the end of the line.
 *
 * <pre>
 * (declare-const X_0 Real)        ; network input 0
 * (declare-const Y_0 Real)        ; network output 0
 * (assert (&lt;= X_0 0.5))
 * (assert (or (and (&gt;= Y_0 Y_1)) (and (&gt;= Y_0 Y_2))))
 * </pre>
 *
 * <ul>
 *   <li>{@code (declare-const X_i Real)} declares input {@code i}, {@code (declare-const Y_j Real)}
 *       output {@code j}. Indices are plain decimals without leading zeros; the declared inputs must
 *       be exactly {@code X_0 .. X_(n-1)} and the outputs {@code Y_0 .. Y_(m-1)} (in any order).
 *       A variable must be declared before it is used, and only once.
 *   <li>{@code (assert F)} asserts a formula; the asserts together form a conjunction.
 *   <li>Formulas: atoms {@code (<= a b)}, {@code (>= a b)}, {@code (< a b)}, {@code (> a b)} with
 *       exactly two terms, and {@code (and F ...)}, {@code (or F ...)} with at least one formula.
 *       <b>Strict inequalities are read as non-strict</b>, the VNN-COMP convention (the difference
 *       has measure zero and verifiers treat them alike).
 *   <li>Terms: numbers ({@code 3}, {@code -0.5}, {@code .25}, {@code 1e-05}, {@code 2.5E+3});
 *       declared variables; {@code (+ t ...)}; {@code (- t)} (negation) and {@code (- t t ...)}
 *       (subtraction); {@code (* c t)} or {@code (* t c)} where one factor is constant. Terms must
 *       stay linear.
 * </ul>
 *
 * <h2>Meaning: VNNLIB asserts the unsafe condition</h2>
 *
 * A VNNLIB query is <em>satisfiable</em> ({@code sat}) iff there is an input {@code x} and its network
 * output {@code y = f(x)} satisfying every assert, i.e. iff the safety property is <em>violated</em>.
 *
 * <h2>The disjunctive normal form</h2>
 *
 * The conjunction of the asserts is multiplied out into a disjunction of clauses, each a conjunction
 * of atoms (at most {@link org.proofmap.vnnlib.VnnlibParser#MAX_DNF_CLAUSES} clauses, else an error).
 * Each atom is normalised to {@code e <= 0} with {@code e} linear, and then:
 *
 * <ul>
 *   <li>over inputs only, it must bound a single input ({@code X_i <= c}, {@code c <= X_i},
 *       {@code (* 2 X_i) >= c}, ...): an <em>input bound</em>; a combination of several inputs is an
 *       error ({@code input constraint is not a box bound});
 *   <li>over outputs only (constants allowed), it becomes a row {@code c·y <= d}: for example
 *       {@code (>= Y_0 3.99)} is {@code [-1, 0, ..] · y <= -3.99} and {@code (<= Y_1 Y_0)} is
 *       {@code [-1, 1, 0, ..] · y <= 0};
 *   <li>mixing inputs and outputs is an error;
 *   <li>over constants only, it is dropped when true, and its clause is dropped when false.
 * </ul>
 *
 * Within a clause the input bounds are intersected into a box; every input must end up with a lower
 * and an upper bound (else an error such as {@code X_3 has no lower bound}), and a clause with an
 * empty box ({@code lower > upper}) is dropped because it cannot be violated. The rows of a clause
 * form one {@link org.proofmap.vnnlib.OutputConstraint} {@code C·y <= d} (zero rows means
 * {@code true}). Clauses with the same box are grouped, in order of first appearance, into one
 * {@link org.proofmap.vnnlib.PropertyCase} whose disjuncts are their output constraints, in order.
 *
 * <p>So a {@link org.proofmap.vnnlib.Property} is violated iff for some case there is an {@code x}
 * in its box such that {@code f(x)} satisfies all rows of at least one of its disjuncts.
 *
 * <h2>Errors</h2>
 *
 * Bad input raises {@link org.proofmap.ProofmapException} with a one-line message; syntax errors
 * (unbalanced parentheses, unknown commands or operators, wrong arity, undeclared, misnamed or
 * duplicate variables, malformed numbers, trailing garbage) begin with {@code line L, column C:}.
 */
package org.proofmap.vnnlib;
