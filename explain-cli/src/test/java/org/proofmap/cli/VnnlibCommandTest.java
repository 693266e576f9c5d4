package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.testing.SharedData;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;
import org.proofmap.vnnlib.VnnlibParser;

class VnnlibCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Two inputs (one fixed), three outputs, one box with two disjuncts (one of two rows). */
    private static final String SMALL = String.join("\n",
            "(declare-const X_0 Real)",
            "(declare-const X_1 Real)",
            "(declare-const Y_0 Real)",
            "(declare-const Y_1 Real)",
            "(declare-const Y_2 Real)",
            "(assert (>= X_0 -0.5))",
            "(assert (<= X_0 0.25))",
            "(assert (>= X_1 1))",
            "(assert (<= X_1 1))",
            "(assert (or",
            "  (and (>= Y_0 3.99112564586))",
            "  (and (<= Y_0 Y_1) (>= (* 2 Y_2) (+ Y_1 0.5)))))",
            "");

    @Test
    void summarisesASmallProperty() throws Exception {
        Path p = Files.writeString(dir.resolve("small.vnnlib"), SMALL);
        String out = Cli.ok("vnnlib", p.toString()).out();
        assertEquals(String.join("\n",
                "file:     " + p,
                "inputs:   2 (X_0 .. X_1)",
                "outputs:  3 (Y_0 .. Y_2)",
                "cases:    1",
                "",
                "case 1 of 1",
                "  input box: 2 inputs, width min 0, max 0.75, mean 0.375; 1 fixed (lower == upper)",
                "    X_0 in [-0.5, 0.25]",
                "    X_1 in [1, 1]",
                "  unsafe outputs: 2 disjuncts (violated if all rows of any one hold), rows per disjunct: 1 to 2"
                        + " (3 in all)",
                "    disjunct 1: -1·Y_0 <= -3.99112564586",
                "    disjunct 2: 1·Y_0 - 1·Y_1 <= 0",
                "                1·Y_1 - 2·Y_2 <= -0.5",
                ""), out);
    }

    @Test
    void printsAtMostTenRowsPerCase() throws Exception {
        StringBuilder sb = new StringBuilder("(declare-const X_0 Real)\n");
        for (int j = 0; j < 14; j++) {
            sb.append("(declare-const Y_").append(j).append(" Real)\n");
        }
        sb.append("(assert (>= X_0 0))\n(assert (<= X_0 1))\n(assert (or\n");
        for (int j = 1; j < 14; j++) {
            sb.append("  (and (>= Y_").append(j).append(" Y_0))\n");
        }
        sb.append("))\n");
        Path p = Files.writeString(dir.resolve("many.vnnlib"), sb.toString());
        String out = Cli.ok("vnnlib", p.toString()).out();
        assertTrue(out.contains("13 disjuncts (violated if all rows of any one hold), rows per disjunct: 1 each"), out);
        assertTrue(out.contains("    disjunct 10: 1·Y_0 - 1·Y_10 <= 0\n"), out);
        assertTrue(!out.contains("disjunct 11:"), out);
        assertTrue(out.endsWith("    ... 3 more rows\n"), out);
    }

    @Test
    void jsonOfASmallProperty() throws Exception {
        Path p = Files.writeString(dir.resolve("small.vnnlib"), SMALL);
        Cli.Result r = Cli.ok("vnnlib", "--json", p.toString());
        assertEquals(1, r.outLines().length);
        assertEquals("{\"file\":" + JSON.writeValueAsString(p.toString()) + ",\"inputs\":2,\"outputs\":3,\"cases\":["
                + "{\"lower\":[-0.5,1.0],\"upper\":[0.25,1.0],\"disjuncts\":["
                + "{\"c\":[[-1.0,0.0,0.0]],\"d\":[-3.99112564586]},"
                + "{\"c\":[[1.0,-1.0,0.0],[0.0,1.0,-2.0]],\"d\":[0.0,-0.5]}]}]}\n", r.out());
    }

    @Test
    void sharedMnistPropertyMatchesTheParser() throws Exception {
        Path p = SharedData.resolve("benchmarks/mnist_fc/vnnlib/prop_0_0.03.vnnlib");
        Property prop = VnnlibParser.parse(p);

        String out = Cli.ok("vnnlib", p.toString()).out();
        assertTrue(out.contains("inputs:   " + prop.numInputs() + " (X_0 .. X_" + (prop.numInputs() - 1) + ")"), out);
        assertTrue(out.contains("cases:    " + prop.cases().size() + "\n"), out);
        assertTrue(out.contains("  input box: 784 inputs, width min "), out);

        JsonNode j = JSON.readTree(Cli.ok("vnnlib", p.toString(), "--json").out());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("file", "inputs", "outputs", "cases"), keys);
        assertEquals(p.toString(), j.get("file").asText());
        assertEquals(prop.numInputs(), j.get("inputs").asInt());
        assertEquals(prop.numOutputs(), j.get("outputs").asInt());
        assertEquals(prop.cases().size(), j.get("cases").size());
        for (int k = 0; k < prop.cases().size(); k++) {
            PropertyCase pc = prop.cases().get(k);
            JsonNode c = j.get("cases").get(k);
            assertArrayEquals(pc.inputLower(), doubles(c.get("lower")));
            assertArrayEquals(pc.inputUpper(), doubles(c.get("upper")));
            assertEquals(pc.disjuncts().size(), c.get("disjuncts").size());
            for (int d = 0; d < pc.disjuncts().size(); d++) {
                OutputConstraint oc = pc.disjuncts().get(d);
                JsonNode dj = c.get("disjuncts").get(d);
                assertArrayEquals(oc.d(), doubles(dj.get("d")));
                for (int r = 0; r < oc.numRows(); r++) {
                    assertArrayEquals(oc.c()[r], doubles(dj.get("c").get(r)));
                }
            }
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).doubleValue();
        }
        return v;
    }
}
