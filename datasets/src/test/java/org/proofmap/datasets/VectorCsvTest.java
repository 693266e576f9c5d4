package org.proofmap.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.ProofmapException;

class VectorCsvTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("v.csv");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private ProofmapException fails(String text) throws IOException {
        Path p = write(text);
        ProofmapException e = assertThrows(ProofmapException.class, () -> VectorCsv.read(p));
        assertEquals(p.toString(), e.file());
        assertFalse(e.oneLine().contains("\n"), e.oneLine());
        return e;
    }

    @Test
    void readsOneRowWithTrailingNewline() throws IOException {
        double[] v = VectorCsv.read(write("0.669963,0.193108,-0.422274,-0.914097,0.947309\n"));
        assertArrayEquals(new double[] {0.669963, 0.193108, -0.422274, -0.914097, 0.947309}, v);
    }

    @Test
    void acceptsWhitespaceBlankLinesCrlfBomAndNumberForms() throws IOException {
        double[] v = VectorCsv.read(write("\uFEFF\r\n  1 ,\t-2.5, .25 ,1e-05, 2.5E+3,+3.,-0\r\n\r\n  \n"));
        assertArrayEquals(new double[] {1, -2.5, 0.25, 1e-05, 2500, 3, -0.0}, v);
    }

    @Test
    void withoutTrailingNewlineAndSingleValue() throws IOException {
        assertArrayEquals(new double[] {42}, VectorCsv.read(write("42")));
    }

    @Test
    void roundTripsFullPrecision() throws IOException {
        double[] x = {0.1, 1.0 / 3, -Math.PI, Double.MIN_VALUE, Double.MAX_VALUE, 123456789.123456789};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            sb.append(i == 0 ? "" : ",").append(x[i]);
        }
        assertArrayEquals(x, VectorCsv.read(write(sb.toString())));
    }

    @Test
    void sharedCenterFormat() throws IOException {
        // Same layout as ../shared/models-ref/center_*.csv: 784 six-decimal values on one line.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format("%.6f", i / 784.0));
        }
        double[] v = VectorCsv.read(write(sb + "\n"));
        assertEquals(784, v.length);
        assertEquals(Double.parseDouble(String.format("%.6f", 783 / 784.0)), v[783]);
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.csv");
        ProofmapException e = assertThrows(ProofmapException.class, () -> VectorCsv.read(p));
        assertEquals(p + ": file not found", e.oneLine());
    }

    @Test
    void directory() {
        ProofmapException e = assertThrows(ProofmapException.class, () -> VectorCsv.read(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        assertTrue(fails("").getMessage().startsWith("the file is empty"));
    }

    @Test
    void whitespaceOnlyFile() throws IOException {
        assertTrue(fails(" \n\n\t\n").getMessage().contains("only white space"));
    }

    @Test
    void notANumber() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 16; i++) {
            sb.append(i).append(',');
        }
        assertEquals("value 17 is not a number: 'abc'", fails(sb + "abc,18\n").getMessage());
    }

    @Test
    void javaSpecificNumberFormsAreRejected() throws IOException {
        assertEquals("value 2 is not a number: '2d'", fails("1,2d").getMessage());
        assertEquals("value 1 is not a number: '0x1p3'", fails("0x1p3").getMessage());
        assertEquals("value 1 is not a number: '1 2'", fails("1 2").getMessage());
        assertEquals("value 2 is not a number: '1;2'", fails("1,1;2").getMessage());
    }

    @Test
    void controlCharactersAreEscapedAndLongValuesShortened() throws IOException {
        assertEquals("value 1 is not a number: 'a\\x00b'", fails("a\u0000b").getMessage());
        String msg = fails("1," + "x".repeat(100)).getMessage();
        assertTrue(msg.endsWith("'" + "x".repeat(40) + "...'"), msg);
    }

    @Test
    void nanAndInfinity() throws IOException {
        assertEquals("value 2 is not finite: 'NaN'", fails("1,NaN,3").getMessage());
        assertEquals("value 3 is not finite: '-inf'", fails("1,2,-inf").getMessage());
        assertEquals("value 1 is not finite: 'Infinity'", fails("Infinity").getMessage());
        assertTrue(fails("1e999").getMessage().startsWith("value 1 is not finite: '1e999' is too large"));
    }

    @Test
    void emptyValues() throws IOException {
        assertEquals("value 2 of 3 is empty", fails("1,,3").getMessage());
        assertEquals("value 3 of 3 is empty (trailing comma?)", fails("1,2,\n").getMessage());
    }

    @Test
    void moreThanOneNonEmptyLine() throws IOException {
        String msg = fails("1,2,3\n\n4,5,6\n").getMessage();
        assertEquals("expected exactly one non-empty line (one input vector), found 2 non-empty lines", msg);
    }
}
