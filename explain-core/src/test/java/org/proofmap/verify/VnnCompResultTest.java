package org.proofmap.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.proofmap.ProofmapException;

class VnnCompResultTest {
    @TempDir
    Path dir;

    private static VerificationResult result(Verdict v, double[] x, double[] y) {
        return new VerificationResult(v, x, y, "test", 0.5, 7, Map.of());
    }

    @Test
    void satFileHasTheVnnCompLayout() {
        VnnCompResult r = VnnCompResult.of(result(Verdict.SAT, new double[] {0.5, -1, 1e-7},
                new double[] {-0.0182, 3}));
        assertEquals(String.join("\n",
                "sat",
                "((X_0 0.5)",
                " (X_1 -1.0)",
                " (X_2 1.0E-7)",
                " (Y_0 -0.0182)",
                " (Y_1 3.0))",
                ""), r.text());
    }

    @ParameterizedTest
    @EnumSource(value = Verdict.class, names = {"UNSAT", "TIMEOUT", "UNKNOWN"})
    void otherVerdictsAreOneWord(Verdict v) {
        VnnCompResult r = VnnCompResult.of(result(v, null, null));
        assertEquals(v.word() + "\n", r.text());
        assertEquals(r, VnnCompResult.parse(r.text(), "r.txt"));
    }

    @Test
    void roundTripKeepsEveryBit() {
        double[] x = {Math.PI, 0.1 + 0.2, -0.0, Double.MIN_VALUE, -1e-300, 1.2345678901234567e20, 0.6399288845};
        double[] y = {-Math.E, Double.MAX_VALUE, 1.0 / 3, -7.000000000000001};
        VnnCompResult r = new VnnCompResult(Verdict.SAT, x, y);
        VnnCompResult back = VnnCompResult.parse(r.text(), "r.txt");
        assertEquals(Verdict.SAT, back.verdict());
        // assertArrayEquals on doubles compares bit patterns, so -0.0 must stay -0.0
        assertArrayEquals(x, back.inputs());
        assertArrayEquals(y, back.outputs());
        assertEquals(r, back);
    }

    @Test
    void writeAndReadAFile() {
        Path f = dir.resolve("result.txt");
        VnnCompResult r = new VnnCompResult(Verdict.SAT, new double[] {1, 2}, new double[] {3});
        r.write(f);
        assertEquals(r, VnnCompResult.read(f));
        new VnnCompResult(Verdict.UNSAT, null, null).write(f);
        VnnCompResult u = VnnCompResult.read(f);
        assertEquals(Verdict.UNSAT, u.verdict());
        assertNull(u.inputs());
        assertNull(u.outputs());
    }

    /**
     * What the organisers' checker ({@code SCORING/counterexamples.py}, VNN-COMP 2022) does with the
     * counterexample after the result line: newlines to spaces, strip, the outer parentheses off, split
     * on ')', every part '(' NAME ' ' VALUE with exactly one space, X_ and Y_ indices in order.
     */
    @Test
    void theOrganisersCheckerCanReadIt() {
        double[] x = {0.25, -0.125, 1e-9};
        double[] y = {4.5, -6};
        String text = new VnnCompResult(Verdict.SAT, x, y).text();
        String[] lines = text.split("\n", 2);
        assertEquals("sat", lines[0]);
        String content = lines[1].replace('\n', ' ').strip();
        assertTrue(content.startsWith("(") && content.endsWith(")"), content);
        content = content.substring(1, content.length() - 1);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (String part : content.split("\\)")) {
            part = part.strip();
            if (part.isEmpty()) {
                continue;
            }
            assertTrue(part.startsWith("("), part);
            String[] nameNum = part.substring(1).split(" ", -1);
            assertEquals(2, nameNum.length, part);
            List<Double> into = nameNum[0].startsWith("X_") ? xs : ys;
            assertEquals(into.size(), Integer.parseInt(nameNum[0].substring(2)), part);
            into.add(Double.parseDouble(nameNum[1]));
        }
        assertEquals(List.of(0.25, -0.125, 1e-9), xs);
        assertEquals(List.of(4.5, -6.0), ys);
    }

    @Test
    void readerIsLenient() {
        VnnCompResult expected = new VnnCompResult(Verdict.SAT, new double[] {1, 2}, new double[] {-3});
        // any whitespace, CRLF, comments, pairs in any order, exponents
        assertEquals(expected, VnnCompResult.parse(
                "  SAT\r\n; found by pgd\r\n(  (Y_0 -3e0)(X_1   2)\n\n(X_0 1.0))\r\n", "r.txt"));
        // VNN-COMP 2021 words
        assertEquals(Verdict.UNSAT, VnnCompResult.parse("holds\n", "r.txt").verdict());
        assertEquals(expected, VnnCompResult.parse("violated\n((X_0 1) (X_1 2) (Y_0 -3))", "r.txt"));
        // a bare counterexample (a .counterexample file) means sat
        assertEquals(expected, VnnCompResult.parse("((X_0 1)\n (X_1 2)\n (Y_0 -3))\n", "r.txt"));
        // sat without a counterexample
        VnnCompResult bare = VnnCompResult.parse("sat", "r.txt");
        assertEquals(Verdict.SAT, bare.verdict());
        assertNull(bare.inputs());
    }

    private static String problem(String text) {
        ProofmapException e = assertThrows(ProofmapException.class, () -> VnnCompResult.parse(text, "r.txt"));
        assertEquals("r.txt", e.file());
        return e.getMessage();
    }

    @Test
    void badFilesAreReportedWithTheLine() {
        assertTrue(problem("").contains("the file is empty"));
        assertEquals("line 1: unknown result 'proved' (expected sat, unsat, timeout or unknown)", problem("proved\n"));
        assertTrue(problem("unsat\n((X_0 1))").startsWith("line 2: unexpected '('"));
        assertTrue(problem("sat\n((X_0 1)\n (Y_0 2)\n").contains("is not closed"));
        assertEquals("line 3: 'abc' is not a number (value of Y_0)", problem("sat\n((X_0 1)\n (Y_0 abc))"));
        assertEquals("line 2: unknown variable 'Z_0' (expected X_i or Y_j)", problem("sat\n((Z_0 1))"));
        assertTrue(problem("sat\n((X_0 1)\n (X_0 2)\n (Y_0 1))").contains("X_0 is given twice"));
        assertTrue(problem("sat\n((X_0 1)\n (X_2 2)\n (Y_0 1))").contains("has no X_1"));
        assertTrue(problem("sat\n((X_0 1))").contains("no Y values"));
        assertTrue(problem("sat\n((X_0 1 2) (Y_0 1))").contains("a pair must be"));
        assertTrue(problem("sat\n((X_0 1) (Y_0 1)) extra").contains("unexpected 'extra'"));
        assertTrue(problem("sat\n((X_-1 1) (Y_0 1))").contains("bad variable name 'X_-1'"));
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("none.txt");
        ProofmapException e = assertThrows(ProofmapException.class, () -> VnnCompResult.read(f));
        assertEquals(f + ": cannot read file: no such file", e.oneLine());
        ProofmapException w = assertThrows(ProofmapException.class,
                () -> new VnnCompResult(Verdict.UNSAT, null, null).write(dir.resolve("no/such/dir.txt")));
        assertTrue(w.oneLine().contains("cannot write file"), w.oneLine());
    }

    @Test
    void onlySatHasACounterexample() {
        assertThrows(IllegalArgumentException.class,
                () -> new VnnCompResult(Verdict.UNSAT, new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new VnnCompResult(Verdict.SAT, new double[] {1}, null));
        // a SAT result without a witness still writes a valid (if weak) file
        assertEquals("sat\n", VnnCompResult.of(result(Verdict.SAT, null, null)).text());
    }

    @Test
    void writtenFileIsUtf8Text() throws Exception {
        Path f = dir.resolve("r.txt");
        new VnnCompResult(Verdict.TIMEOUT, null, null).write(f);
        assertEquals("timeout\n", Files.readString(f));
    }
}
