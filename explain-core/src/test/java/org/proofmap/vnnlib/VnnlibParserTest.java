package org.proofmap.vnnlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.ProofmapException;

/** The parser on small inline properties: semantics, DNF, and every kind of error with its position. */
class VnnlibParserTest {
    /** Three lines: one input, two outputs. Errors in text appended after it are on line 4. */
    private static final String DECL = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n";
    /** One line: X_0 in [0, 1]. */
    private static final String BOX = "(assert (>= X_0 0)) (assert (<= X_0 1))\n";

    private static Property parse(String text) {
        Property p = VnnlibParser.parse(text, "t.vnnlib");
        assertEquals("t.vnnlib", p.source());
        return p;
    }

    private static String error(String text) {
        ProofmapException e = assertThrows(ProofmapException.class, () -> VnnlibParser.parse(text, "t.vnnlib"));
        assertEquals("t.vnnlib", e.file());
        assertFalse(e.getMessage().contains("\n"), "message must be one line: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertRow(OutputConstraint oc, int row, double[] c, double d) {
        assertArrayEquals(c, oc.c()[row], "row " + row + " of " + oc);
        assertEquals(d, oc.d(row), "d of row " + row + " of " + oc);
    }

    // ---------------------------------------------------------------- semantics

    @Test
    void simplePropertyIsOneCaseWithOneRow() {
        Property p = parse(DECL + "(assert (>= X_0 -1))\n(assert (<= X_0 2))\n(assert (<= Y_0 Y_1))\n");
        assertEquals(1, p.numInputs());
        assertEquals(2, p.numOutputs());
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        assertArrayEquals(new double[] {-1}, pc.inputLower());
        assertArrayEquals(new double[] {2}, pc.inputUpper());
        assertEquals(1, pc.disjuncts().size());
        OutputConstraint oc = pc.disjuncts().get(0);
        assertEquals(1, oc.numRows());
        assertRow(oc, 0, new double[] {1, -1}, 0.0);
    }

    @Test
    void nestedAndOrIsMultipliedOut() {
        Property p = parse(DECL + BOX
                + "(assert (or (and (<= Y_0 1) (or (>= Y_1 2) (<= Y_1 -2))) (> Y_0 5)))");
        assertEquals(1, p.cases().size());
        List<OutputConstraint> ds = p.cases().get(0).disjuncts();
        assertEquals(3, ds.size());
        assertEquals(2, ds.get(0).numRows());
        assertRow(ds.get(0), 0, new double[] {1, 0}, 1);
        assertRow(ds.get(0), 1, new double[] {0, -1}, -2);
        assertEquals(2, ds.get(1).numRows());
        assertRow(ds.get(1), 0, new double[] {1, 0}, 1);
        assertRow(ds.get(1), 1, new double[] {0, 1}, -2);
        assertEquals(1, ds.get(2).numRows());
        assertRow(ds.get(2), 0, new double[] {-1, 0}, -5);
    }

    @Test
    void andOverOrsAndTopLevelOrsMultiply() {
        Property p = parse(DECL + BOX
                + "(assert (or (<= Y_0 1) (<= Y_0 2)))\n"
                + "(assert (and (or (<= Y_1 3) (<= Y_1 4)) (<= Y_0 Y_1)))\n");
        List<OutputConstraint> ds = p.cases().get(0).disjuncts();
        assertEquals(4, ds.size());
        double[][] expectedD = {{1, 3, 0}, {1, 4, 0}, {2, 3, 0}, {2, 4, 0}};
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(expectedD[k], ds.get(k).d(), "disjunct " + k);
            assertRow(ds.get(k), 2, new double[] {1, -1}, 0);
        }
    }

    @Test
    void clausesWithTheSameBoxAreGroupedInOrderOfFirstAppearance() {
        Property p = parse(DECL + "(assert (or\n"
                + "  (and (>= X_0 0) (<= X_0 1) (<= Y_0 0))\n"
                + "  (and (>= X_0 2) (<= X_0 3) (<= Y_0 0))\n"
                + "  (and (<= X_0 1) (>= X_0 0) (<= Y_1 0))))\n");
        assertEquals(2, p.cases().size());
        PropertyCase first = p.cases().get(0);
        assertEquals(0.0, first.lower(0));
        assertEquals(1.0, first.upper(0));
        assertEquals(2, first.disjuncts().size());
        assertRow(first.disjuncts().get(0), 0, new double[] {1, 0}, 0);
        assertRow(first.disjuncts().get(1), 0, new double[] {0, 1}, 0);
        PropertyCase second = p.cases().get(1);
        assertEquals(2.0, second.lower(0));
        assertEquals(3.0, second.upper(0));
        assertEquals(1, second.disjuncts().size());
    }

    @Test
    void scientificNotationAndDecimalForms() {
        Property p = parse(DECL + "(assert (<= X_0 1e-05)) (assert (>= X_0 -2.5E+3))\n"
                + "(assert (<= Y_0 1.5e2)) (assert (<= Y_1 .25)) (assert (<= Y_1 +7)) (assert (<= Y_1 -.5))");
        PropertyCase pc = p.cases().get(0);
        assertEquals(1e-5, pc.upper(0));
        assertEquals(-2500.0, pc.lower(0));
        assertArrayEquals(new double[] {150, 0.25, 7, -0.5}, pc.disjuncts().get(0).d());
    }

    @Test
    void negationSubtractionAndScaling() {
        Property p = parse(DECL
                + "(assert (<= (- X_0) 0.5))\n" // X_0 >= -0.5
                + "(assert (<= (* 2 X_0) 3))\n" // X_0 <= 1.5
                + "(assert (<= (* 0.5 (+ X_0 X_0)) 4))\n" // X_0 <= 4 (looser)
                + "(assert (>= (+ (* Y_0 3) (- Y_1) 1) (- 4 2 1)))\n" // -3 Y_0 + Y_1 <= 0
                + "(assert (<= (- Y_0 Y_1 Y_1) (* -1 2)))\n" // Y_0 - 2 Y_1 <= -2
                + "(assert (>= (- 5) (- (+ X_0 Y_0) X_0)))\n" // Y_0 <= -5 (X_0 cancels)
                + "(assert (<= (- (+ X_0 Y_1) Y_1) 9))\n"); // X_0 <= 9 (Y_1 cancels)
        PropertyCase pc = p.cases().get(0);
        assertEquals(-0.5, pc.lower(0));
        assertEquals(1.5, pc.upper(0));
        OutputConstraint oc = pc.disjuncts().get(0);
        assertEquals(3, oc.numRows());
        assertRow(oc, 0, new double[] {-3, 1}, 0);
        assertRow(oc, 1, new double[] {1, -2}, -2);
        assertRow(oc, 2, new double[] {1, 0}, -5);
    }

    @Test
    void negativeCoefficientFlipsTheBound() {
        Property p = parse(DECL + "(assert (>= (* -4 X_0) -8)) (assert (<= 1 X_0))");
        assertEquals(2.0, p.cases().get(0).upper(0)); // -4x >= -8  <=>  x <= 2
        assertEquals(1.0, p.cases().get(0).lower(0)); // 1 <= x
    }

    @Test
    void boundsAreIntersected() {
        Property p = parse(DECL + BOX + "(assert (<= X_0 0.75)) (assert (>= X_0 0.25)) (assert (<= X_0 3))");
        assertEquals(0.25, p.cases().get(0).lower(0));
        assertEquals(0.75, p.cases().get(0).upper(0));
    }

    @Test
    void strictInequalitiesAreReadAsNonStrict() {
        Property strict = parse(DECL + "(assert (> X_0 0)) (assert (< X_0 1)) (assert (< Y_0 Y_1)) (assert (> Y_1 2))");
        Property loose = parse(DECL + "(assert (>= X_0 0)) (assert (<= X_0 1)) (assert (<= Y_0 Y_1)) (assert (>= Y_1 2))");
        assertEquals(loose.cases(), strict.cases());
        OutputConstraint oc = strict.cases().get(0).disjuncts().get(0);
        assertRow(oc, 0, new double[] {1, -1}, 0);
        assertRow(oc, 1, new double[] {0, -1}, -2);
    }

    @Test
    void constantOnlyAtoms() {
        // true atoms vanish; a false atom drops its clause
        Property p = parse(DECL + BOX + "(assert (<= 1 2)) (assert (< 1 1))\n"
                + "(assert (or (and (<= 3 2) (<= Y_0 0)) (<= Y_1 0) (>= (- 2 2) 0.5)))");
        List<OutputConstraint> ds = p.cases().get(0).disjuncts();
        assertEquals(1, ds.size());
        assertEquals(1, ds.get(0).numRows());
        assertRow(ds.get(0), 0, new double[] {0, 1}, 0);

        // a false top-level assert leaves no case at all: the property can never be violated
        Property never = parse(DECL + BOX + "(assert (>= 0 1)) (assert (<= Y_0 0))");
        assertEquals(0, never.cases().size());
        assertFalse(never.isViolatedBy(new double[] {0.5}, new double[] {-1, 0}, 0));
    }

    @Test
    void noOutputAtomsMeansTrue() {
        Property p = parse(DECL + BOX);
        OutputConstraint oc = p.cases().get(0).disjuncts().get(0);
        assertEquals(0, oc.numRows());
        assertEquals(2, oc.numOutputs());
        assertEquals("true", oc.toString());
        assertTrue(oc.isViolatedBy(new double[] {123, -4}, 0));
    }

    @Test
    void emptyBoxClausesAreDropped() {
        Property p = parse(DECL + "(assert (or (and (>= X_0 2) (<= X_0 1)) (and (>= X_0 0) (<= X_0 1))))\n"
                + "(assert (<= Y_0 0))");
        assertEquals(1, p.cases().size());
        assertEquals(0.0, p.cases().get(0).lower(0));
        // a point box is not empty
        assertEquals(1, parse(DECL + "(assert (<= X_0 0.0)) (assert (>= X_0 0.0))").cases().size());
    }

    @Test
    void commentsCrlfAndDeclarationOrder() {
        Property p = parse("; header ( with ) parens\r\n(declare-const Y_1 Real) ; trailing\r\n"
                + "(declare-const Y_0 Real)\r\n(declare-const X_0 Real)\r\n"
                + "(assert ; inside\r\n  (<= X_0 1)) (assert (>= X_0 0)) ;; end");
        assertEquals(1, p.numInputs());
        assertEquals(2, p.numOutputs());
        assertEquals(1.0, p.cases().get(0).upper(0));
    }

    @Test
    void violationAndContainmentHelpers() {
        Property p = parse(DECL + BOX + "(assert (or (and (>= Y_0 Y_1)) (and (>= Y_1 10) (<= Y_0 0))))");
        PropertyCase pc = p.cases().get(0);
        assertTrue(pc.contains(new double[] {0.0}));
        assertTrue(pc.contains(new double[] {1.0}));
        assertFalse(pc.contains(new double[] {1.0 + 1e-9}));
        assertTrue(pc.contains(new double[] {1.0 + 1e-9}, 1e-6));

        assertTrue(pc.isViolatedBy(new double[] {2, 1}, 0)); // first disjunct
        assertTrue(pc.isViolatedBy(new double[] {-1, 11}, 0)); // second disjunct
        assertFalse(pc.isViolatedBy(new double[] {1, 5}, 0)); // neither
        assertFalse(pc.isViolatedBy(new double[] {1, 1 + 1e-9}, 0));
        assertTrue(pc.isViolatedBy(new double[] {1, 1 + 1e-9}, 1e-6)); // within tolerance

        OutputConstraint second = pc.disjuncts().get(1);
        assertFalse(second.isViolatedBy(new double[] {0.5, 11}, 0)); // only one of its two rows holds
        assertTrue(second.isViolatedBy(new double[] {0, 10}, 0));

        assertTrue(p.isViolatedBy(new double[] {0.5}, new double[] {2, 1}, 0));
        assertFalse(p.isViolatedBy(new double[] {1.5}, new double[] {2, 1}, 0)); // x outside the box
    }

    @Test
    void accessorsReturnCopies() {
        Property p = parse(DECL + BOX + "(assert (<= Y_0 Y_1))");
        PropertyCase pc = p.cases().get(0);
        pc.inputLower()[0] = 99;
        pc.inputUpper()[0] = 99;
        assertEquals(0.0, pc.lower(0));
        assertEquals(1.0, pc.upper(0));
        OutputConstraint oc = pc.disjuncts().get(0);
        oc.c()[0][0] = 99;
        oc.d()[0] = 99;
        assertEquals(1.0, oc.c(0, 0));
        assertEquals(0.0, oc.d(0));
        assertThrows(UnsupportedOperationException.class, () -> p.cases().clear());
        assertThrows(UnsupportedOperationException.class, () -> pc.disjuncts().clear());
    }

    @Test
    void parsesFromAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.vnnlib");
        Files.writeString(f, DECL + BOX);
        Property p = VnnlibParser.parse(f);
        assertEquals(f.toString(), p.source());
        assertEquals(1, p.cases().size());
    }

    // ---------------------------------------------------------------- errors: files

    @Test
    void missingFile(@TempDir Path dir) {
        Path f = dir.resolve("nope.vnnlib");
        ProofmapException e = assertThrows(ProofmapException.class, () -> VnnlibParser.parse(f));
        assertEquals(f.toString(), e.file());
        assertEquals("cannot read file: no such file", e.getMessage());
    }

    @Test
    void directoryIsNotAFile(@TempDir Path dir) {
        ProofmapException e = assertThrows(ProofmapException.class, () -> VnnlibParser.parse(dir));
        assertEquals("cannot read file: it is a directory", e.getMessage());
    }

    // ---------------------------------------------------------------- errors: meaning

    @Test
    void mixedInputAndOutputIsAnError() {
        assertEquals("constraint mixes input and output variables (X_0 and Y_0) (line 4, column 9)",
                error(DECL + "(assert (<= X_0 Y_0))"));
    }

    @Test
    void nonBoxInputConstraintIsAnError() {
        String decl2 = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n";
        assertEquals("input constraint is not a box bound (line 4, column 9)",
                error(decl2 + "(assert (<= (+ X_0 X_1) 1))"));
        assertEquals("input constraint is not a box bound (line 5, column 24)",
                error(decl2 + BOX + "(assert (or (<= X_1 1) (>= X_1 (- X_0 1))))"));
    }

    @Test
    void unboundedInputsAreNamed() {
        assertEquals("X_0 has no lower bound", error(DECL + "(assert (<= X_0 1))"));
        assertEquals("X_0 has no upper bound", error(DECL + "(assert (>= X_0 1))"));
        assertEquals("X_0 has no upper bound (in clause 2 of 2 of the disjunctive normal form)",
                error(DECL + "(assert (>= X_0 1)) (assert (or (<= X_0 2) (<= Y_0 1)))"));
    }

    @Test
    void variablesMustBeContiguousAndPresent() {
        assertEquals("input variables must be X_0 .. X_(n-1) without gaps: X_1 is not declared but X_2 is"
                        + " (line 2, column 16)",
                error("(declare-const X_0 Real)\n(declare-const X_2 Real)\n(declare-const Y_0 Real)"));
        assertEquals("output variables must be Y_0 .. Y_(n-1) without gaps: Y_0 is not declared but Y_1 is"
                        + " (line 2, column 16)",
                error("(declare-const X_0 Real)\n(declare-const Y_1 Real)"));
        assertEquals("no output variables declared (expected Y_0, Y_1, ...)", error("(declare-const X_0 Real)"));
        assertEquals("no input variables declared (expected X_0, X_1, ...)", error("; nothing\n"));
    }

    @Test
    void dnfSizeIsCapped() {
        StringBuilder sb = new StringBuilder(DECL + BOX); // asserts start on line 5
        for (int i = 0; i < 17; i++) { // 2^17 = 131072 > 100000 clauses
            sb.append("(assert (or (<= Y_0 1) (<= Y_0 2)))\n");
        }
        assertEquals("the property has more than 100000 clauses in disjunctive normal form (line 21, column 1)",
                error(sb.toString()));
        // inside one formula the position is the 'and' that overflows
        String or = "(or (<= Y_0 1) (<= Y_0 2)) ";
        assertEquals("the property has more than 100000 clauses in disjunctive normal form (line 5, column 9)",
                error(DECL + BOX + "(assert (and " + or.repeat(17) + "))"));
        // 16 factors (65536 clauses) are fine
        assertEquals(65536, parse(DECL + BOX + "(assert (and " + or.repeat(16) + "))").cases().get(0).disjuncts().size());
    }

    // ---------------------------------------------------------------- errors: syntax, with positions

    @Test
    void missingCloseParenAtEndOfFile() {
        assertEquals("line 4, column 19: expected ')' but found end of file", error(DECL + "(assert (<= X_0 1)"));
        assertEquals("line 4, column 18: expected ')' but found end of file", error(DECL + "(assert (<= X_0 1"));
        assertEquals("line 5, column 1: expected ')' but found end of file", error(DECL + "(assert (and (<= X_0 1)\n"));
        assertEquals("line 4, column 24: expected ')' but found end of file", error(DECL + "(declare-const X_1 Real"));
    }

    @Test
    void unexpectedCloseParen() {
        assertEquals("line 4, column 20: unexpected ')' without a matching '('", error(DECL + "(assert (<= X_0 1)))"));
        assertEquals("line 1, column 1: unexpected ')' without a matching '('", error(")"));
    }

    @Test
    void trailingGarbage() {
        assertEquals("line 4, column 21: expected '(' but found 'foo'", error(DECL + "(assert (<= X_0 1)) foo"));
        assertEquals("line 4, column 20: expected ')' but found '('", error(DECL + "(assert (<= X_0 1) (<= X_0 2))"));
        assertEquals("line 2, column 25: expected ')' but found 'extra'",
                error("(declare-const X_0 Real)\n(declare-const X_1 Real extra)"));
    }

    @Test
    void smtLibHousekeepingIsIgnored() {
        Property p = parse("(set-logic QF_LRA)\n" + DECL + BOX + "(assert (<= Y_0 Y_1))\n(check-sat)\n(get-model)\n(exit)\n");
        assertEquals(1, p.cases().size());
        assertEquals(1, p.cases().get(0).disjuncts().get(0).numRows());
        assertEquals("line 5, column 1: expected ')' but found end of file", error(DECL + "(check-sat (a b)\n"));
    }

    @Test
    void unknownCommand() {
        assertEquals("line 4, column 2: unknown command 'push'; expected declare-const or assert",
                error(DECL + "(push 1)"));
        assertEquals("line 1, column 2: expected a command (declare-const or assert) but found '('", error("(("));
    }

    @Test
    void unknownOperators() {
        assertEquals("line 4, column 10: unknown operator 'not' in a formula; expected and, or, <=, >=, <, >",
                error(DECL + "(assert (not (<= X_0 1)))"));
        assertEquals("line 4, column 10: unknown operator '+' in a formula; expected and, or, <=, >=, <, >",
                error(DECL + "(assert (+ X_0 1))"));
        assertEquals("line 4, column 14: unknown operator '/' in a term; expected +, -, *",
                error(DECL + "(assert (<= (/ X_0 2) 1))"));
        assertEquals("line 4, column 14: expected an operator but found '2'",
                error(DECL + "(assert (<= (2 X_0) 1))"));
    }

    @Test
    void wrongArity() {
        assertEquals("line 4, column 10: '<=' expects 2 arguments but got 3", error(DECL + "(assert (<= X_0 1 2))"));
        assertEquals("line 4, column 10: '>' expects 2 arguments but got 1", error(DECL + "(assert (> X_0))"));
        assertEquals("line 4, column 10: 'and' expects at least 1 argument but got 0", error(DECL + "(assert (and))"));
        assertEquals("line 4, column 10: 'or' expects at least 1 argument but got 0", error(DECL + "(assert (or))"));
        assertEquals("line 4, column 14: '*' expects 2 arguments but got 3", error(DECL + "(assert (<= (* 2 X_0 3) 1))"));
        assertEquals("line 4, column 14: '-' expects at least 1 argument but got 0", error(DECL + "(assert (<= (-) 1))"));
        assertEquals("line 4, column 14: '+' expects at least 1 argument but got 0", error(DECL + "(assert (<= (+) 1))"));
        assertEquals("line 4, column 14: nonlinear term: '*' needs a constant factor",
                error(DECL + "(assert (<= (* X_0 X_0) 1))"));
        assertEquals("line 4, column 8: expected a formula but found ')'", error(DECL + "(assert)"));
        assertEquals("line 4, column 9: expected a formula but found 'X_0'", error(DECL + "(assert X_0)"));
    }

    @Test
    void undeclaredAndBadlyDeclaredVariables() {
        assertEquals("line 4, column 13: undeclared variable 'X_7'", error(DECL + "(assert (<= X_7 1))"));
        assertEquals("line 4, column 13: undeclared variable 'foo'", error(DECL + "(assert (<= foo 1))"));
        assertEquals("line 1, column 13: undeclared variable 'X_0'",
                error("(assert (<= X_0 1))\n(declare-const X_0 Real)"));
        assertEquals("line 1, column 16: bad variable name 'Z_0'; expected X_<index> or Y_<index>",
                error("(declare-const Z_0 Real)"));
        assertEquals("line 1, column 16: bad variable name 'X_01'; expected X_<index> or Y_<index>",
                error("(declare-const X_01 Real)"));
        assertEquals("line 1, column 16: bad variable name 'X_-1'; expected X_<index> or Y_<index>",
                error("(declare-const X_-1 Real)"));
        assertEquals("line 1, column 16: expected a variable name but found '5'", error("(declare-const 5 Real)"));
        assertEquals("line 2, column 16: duplicate declaration of X_0 (first declared at line 1, column 16)",
                error("(declare-const X_0 Real)\n(declare-const X_0 Real)"));
        assertEquals("line 1, column 20: expected sort 'Real' but found 'Int'", error("(declare-const X_0 Int)"));
    }

    @Test
    void malformedNumbers() {
        assertEquals("line 4, column 17: malformed number '1.2.3'", error(DECL + "(assert (<= X_0 1.2.3))"));
        assertEquals("line 4, column 17: malformed number '1e'", error(DECL + "(assert (<= X_0 1e))"));
        assertEquals("line 4, column 17: malformed number '0x10'", error(DECL + "(assert (<= X_0 0x10))"));
        assertEquals("line 4, column 17: malformed number '1f'", error(DECL + "(assert (<= X_0 1f))"));
        assertEquals("line 4, column 17: number out of range '1e400'", error(DECL + "(assert (<= X_0 1e400))"));
    }

    @Test
    void positionsCountCommentsTabsAndCrlf() {
        assertEquals("line 6, column 6: '<=' expects 2 arguments but got 3",
                error(DECL + "; a comment with ( parens\n(assert ; inline ) comment\n    (<= X_0 1 2))"));
        assertEquals("line 4, column 11: '<=' expects 2 arguments but got 3",
                error(DECL + "(assert\t\t(<= X_0 1 2))"));
        assertEquals("line 4, column 10: '<=' expects 2 arguments but got 3",
                error(DECL.replace("\n", "\r\n") + "(assert (<= X_0 1 2))"));
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String text = DECL + "(assert (<= " + "(- ".repeat(2000) + "X_0" + ")".repeat(2000) + " 1))";
        assertEquals("line 4, column 3010: nesting deeper than 1000 levels", error(text));
    }
}
