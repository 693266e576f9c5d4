package org.proofmap.vnnlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.proofmap.testing.SharedData;

/**
 * The parser on the shared VNN-COMP benchmark files. The expected numbers were read off the files
 * by hand; row {@code c·y <= d} for {@code (<= Y_a Y_b)} is {@code +1} at a and {@code -1} at b.
 */
class VnnlibBenchmarksTest {

    private static Property acas(int prop) {
        return VnnlibParser.parse(SharedData.resolve("benchmarks/acasxu/vnnlib/prop_" + prop + ".vnnlib"));
    }

    private static List<Path> vnnlibFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".vnnlib")).sorted().collect(Collectors.toList());
        }
    }

    /** A row of 5 zeros with the given (index, value) pairs set. */
    private static double[] row5(int i, double vi, int j, double vj) {
        double[] r = new double[5];
        r[i] = vi;
        r[j] = vj;
        return r;
    }

    /** Row for {@code Y_a <= Y_b}. */
    private static double[] le(int a, int b) {
        return row5(a, 1, b, -1);
    }

    private static void assertBox(PropertyCase pc, double[] lower, double[] upper) {
        assertArrayEquals(lower, pc.inputLower(), "lower bounds");
        assertArrayEquals(upper, pc.inputUpper(), "upper bounds");
    }

    /** One disjunct with exactly these rows and right-hand sides. */
    private static void assertRows(OutputConstraint oc, double[][] c, double[] d) {
        assertEquals(c.length, oc.numRows(), "rows of " + oc);
        for (int r = 0; r < c.length; r++) {
            assertArrayEquals(c[r], oc.c()[r], "row " + r + " of " + oc);
        }
        assertArrayEquals(d, oc.d(), "d of " + oc);
    }

    /** Each disjunct is a single row {@code Y_a <= Y_b} (d = 0), for the given (a, b) pairs. */
    private static void assertSingleRowDisjuncts(PropertyCase pc, int[][] pairs) {
        assertEquals(pairs.length, pc.disjuncts().size(), "disjuncts");
        for (int k = 0; k < pairs.length; k++) {
            assertRows(pc.disjuncts().get(k), new double[][] {le(pairs[k][0], pairs[k][1])}, new double[] {0});
        }
    }

    // ------------------------------------------------------------------ every file

    @Test
    void everyBenchmarkFileParses() throws IOException {
        Path benchmarks = SharedData.resolve("benchmarks");
        int acasFiles = 0;
        int mnistFiles = 0;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(benchmarks)) {
            dirs = s.filter(d -> Files.isDirectory(d.resolve("vnnlib"))).sorted().collect(Collectors.toList());
        }
        assertFalse(dirs.isEmpty(), "no benchmark folders with vnnlib/ under " + benchmarks);
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            for (Path f : vnnlibFiles(dir.resolve("vnnlib"))) {
                Property p = VnnlibParser.parse(f);
                assertFalse(p.cases().isEmpty(), f + " has no case");
                for (PropertyCase pc : p.cases()) {
                    assertFalse(pc.disjuncts().isEmpty(), f + " has a case without disjuncts");
                    for (int i = 0; i < p.numInputs(); i++) {
                        assertTrue(pc.lower(i) <= pc.upper(i), f + " X_" + i);
                    }
                }
                if (name.equals("acasxu")) {
                    assertEquals(5, p.numInputs(), f.toString());
                    assertEquals(5, p.numOutputs(), f.toString());
                    acasFiles++;
                } else if (name.equals("mnist_fc")) {
                    assertEquals(784, p.numInputs(), f.toString());
                    assertEquals(10, p.numOutputs(), f.toString());
                    assertEquals(1, p.cases().size(), f.toString());
                    assertEquals(9, p.cases().get(0).disjuncts().size(), f.toString());
                    mnistFiles++;
                }
            }
        }
        assertEquals(10, acasFiles);
        assertEquals(16, mnistFiles);
    }

    // ------------------------------------------------------------------ ACAS Xu, read off by hand

    private static final double[] P12_LOWER = {0.6, -0.5, -0.5, 0.45, -0.5};
    private static final double[] P12_UPPER = {0.679857769, 0.5, 0.5, 0.5, -0.45};

    @Test
    void acasProperty1() {
        Property p = acas(1);
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        assertBox(pc, P12_LOWER, P12_UPPER);
        assertEquals(1, pc.disjuncts().size());
        // (>= Y_0 3.991125645861615)  ->  -Y_0 <= -3.991125645861615
        assertRows(pc.disjuncts().get(0), new double[][] {{-1, 0, 0, 0, 0}}, new double[] {-3.991125645861615});
        assertTrue(pc.isViolatedBy(new double[] {4, 0, 0, 0, 0}, 0));
        assertFalse(pc.isViolatedBy(new double[] {3.99, 0, 0, 0, 0}, 0));
    }

    @Test
    void acasProperty2() {
        Property p = acas(2);
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        assertBox(pc, P12_LOWER, P12_UPPER);
        assertEquals(1, pc.disjuncts().size());
        // (<= Y_j Y_0) for j = 1..4: COC is maximal
        assertRows(pc.disjuncts().get(0),
                new double[][] {le(1, 0), le(2, 0), le(3, 0), le(4, 0)}, new double[] {0, 0, 0, 0});
    }

    @Test
    void acasProperty3() {
        Property p = acas(3);
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        assertBox(pc,
                new double[] {-0.303531156, -0.009549297, 0.493380324, 0.3, 0.3},
                new double[] {-0.298552812, 0.009549297, 0.5, 0.5, 0.5});
        assertEquals(1, pc.disjuncts().size());
        // (<= Y_0 Y_j) for j = 1..4: COC is minimal
        assertRows(pc.disjuncts().get(0),
                new double[][] {le(0, 1), le(0, 2), le(0, 3), le(0, 4)}, new double[] {0, 0, 0, 0});
    }

    @Test
    void acasProperty5() {
        Property p = acas(5);
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        assertBox(pc,
                new double[] {-0.324274257, 0.031830989, -0.499999896, -0.5, -0.5},
                new double[] {-0.321785085, 0.063661977, -0.499204121, -0.227272727, -0.166666667});
        assertSingleRowDisjuncts(pc, new int[][] {{0, 4}, {1, 4}, {2, 4}, {3, 4}});
    }

    @Test
    void acasProperty6HasTwoInputBoxes() {
        Property p = acas(6);
        assertEquals(2, p.cases().size());
        int[][] notMinimal = {{1, 0}, {2, 0}, {3, 0}, {4, 0}};
        PropertyCase first = p.cases().get(0);
        assertBox(first,
                new double[] {-0.129289109, 0.11140846, -0.499999896, -0.5, -0.5},
                new double[] {0.700434925, 0.499999896, -0.499204121, 0.5, 0.5});
        assertSingleRowDisjuncts(first, notMinimal);
        PropertyCase second = p.cases().get(1);
        assertBox(second,
                new double[] {-0.129289109, -0.499999896, -0.499999896, -0.5, -0.5},
                new double[] {0.700434925, -0.11140846, -0.499204121, 0.5, 0.5});
        assertSingleRowDisjuncts(second, notMinimal);

        double[] inFirst = {0, 0.3, -0.4996, 0, 0};
        double[] inNeither = {0, 0.0, -0.4996, 0, 0};
        double[] cocNotMinimal = {1, 0, 2, 2, 2};
        assertTrue(p.isViolatedBy(inFirst, cocNotMinimal, 0));
        assertFalse(p.isViolatedBy(inNeither, cocNotMinimal, 0));
        assertFalse(p.isViolatedBy(inFirst, new double[] {0, 1, 2, 3, 4}, 0));
    }

    @Test
    void acasProperty7() {
        Property p = acas(7);
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        assertBox(pc,
                new double[] {-0.328422877, -0.499999896, -0.499999896, -0.5, -0.5},
                new double[] {0.679857769, 0.499999896, 0.499999896, 0.5, 0.5});
        assertEquals(2, pc.disjuncts().size());
        assertRows(pc.disjuncts().get(0), new double[][] {le(3, 0), le(3, 1), le(3, 2)}, new double[] {0, 0, 0});
        assertRows(pc.disjuncts().get(1), new double[][] {le(4, 0), le(4, 1), le(4, 2)}, new double[] {0, 0, 0});
    }

    @Test
    void acasProperty9() {
        Property p = acas(9);
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        assertBox(pc,
                new double[] {-0.295233916, -0.063661977, -0.499999896, -0.5, -0.5},
                new double[] {-0.212261512, -0.022281692, -0.498408347, -0.454545455, -0.375});
        assertSingleRowDisjuncts(pc, new int[][] {{0, 3}, {1, 3}, {2, 3}, {4, 3}});
    }

    // ------------------------------------------------------------------ MNIST

    @Test
    void mnistProperty0Eps003() {
        Property p = VnnlibParser.parse(SharedData.resolve("benchmarks/mnist_fc/vnnlib/prop_0_0.03.vnnlib"));
        assertEquals(784, p.numInputs());
        assertEquals(10, p.numOutputs());
        assertEquals(1, p.cases().size());
        PropertyCase pc = p.cases().get(0);
        // pixel bounds as written in the file
        assertEquals(0.0, pc.lower(0));
        assertEquals(0.029999999329447746, pc.upper(0));
        assertEquals(0.9543137550354004, pc.lower(150));
        assertEquals(1.0, pc.upper(150));
        assertEquals(0.5268628001213074, pc.lower(152));
        assertEquals(0.5868627429008484, pc.upper(152));
        assertEquals(0.0, pc.lower(783));
        assertEquals(0.029999999329447746, pc.upper(783));
        // label 4: unsafe if (>= Y_j Y_4) for some j != 4, i.e. -Y_j + Y_4 <= 0
        List<OutputConstraint> ds = pc.disjuncts();
        assertEquals(9, ds.size());
        int k = 0;
        for (int j = 0; j < 10; j++) {
            if (j == 4) {
                continue;
            }
            double[] row = new double[10];
            row[j] = -1;
            row[4] = 1;
            OutputConstraint oc = ds.get(k++);
            assertEquals(1, oc.numRows());
            assertArrayEquals(row, oc.c()[0], "disjunct for Y_" + j);
            assertEquals(0.0, oc.d(0));
        }
    }

    @Test
    void parsingAllMnistFilesIsFast() throws IOException {
        List<Path> files = vnnlibFiles(SharedData.resolve("benchmarks/mnist_fc/vnnlib"));
        assertEquals(16, files.size());
        long t0 = System.nanoTime();
        int cases = 0;
        for (Path f : files) {
            cases += VnnlibParser.parse(f).cases().size();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("VnnlibBenchmarksTest: parsed %d mnist_fc files in %.1f ms (cold JVM)%n",
                files.size(), seconds * 1e3);
        assertEquals(16, cases);
        assertTrue(seconds < 5.0, "parsing 16 mnist_fc files took " + seconds + " s");
    }
}
