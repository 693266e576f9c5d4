package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.datasets.VectorCsv;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;

class ForwardCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The values of the text output, read back from {@code y[i] = v} lines, and the argmax line. */
    private static double[] parseText(String out, int[] argmax) {
        String[] lines = out.split("\n");
        double[] y = new double[lines.length - 1];
        for (int i = 0; i < y.length; i++) {
            String prefix = "y[" + i + "] = ";
            assertEquals(prefix, lines[i].substring(0, prefix.length()), out);
            y[i] = Double.parseDouble(lines[i].substring(prefix.length()));
        }
        String last = lines[lines.length - 1];
        assertEquals("argmax = ", last.substring(0, 9), out);
        argmax[0] = Integer.parseInt(last.substring(9));
        return y;
    }

    private static void check(Path model, Path csv) throws Exception {
        Graph g = OnnxLoader.load(model);
        double[] expected = g.forward(VectorCsv.read(csv));
        int expectedArgmax = Graph.argmax(expected);

        int[] argmax = new int[1];
        double[] y = parseText(Cli.ok("forward", model.toString(), "--input", csv.toString()).out(), argmax);
        assertArrayEquals(expected, y); // exact: full double precision
        assertEquals(expectedArgmax, argmax[0]);

        Cli.Result r = Cli.ok("forward", model.toString(), "--input", csv.toString(), "--json");
        assertEquals(1, r.outLines().length, r::toString);
        JsonNode j = JSON.readTree(r.out());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("output", "argmax"), keys);
        double[] yj = new double[j.get("output").size()];
        for (int i = 0; i < yj.length; i++) {
            yj[i] = j.get("output").get(i).doubleValue();
        }
        assertArrayEquals(expected, yj);
        assertEquals(expectedArgmax, j.get("argmax").asInt());
    }

    @Test
    void fixtureMlp() throws Exception {
        Path model = OnnxModels.mlp(3, 5, 8, 3).write(dir.resolve("mlp.onnx"));
        Path csv = Files.writeString(dir.resolve("x.csv"), "0.5,-0.25,1e-3, 0.75 ,-1\n");
        check(model, csv);
    }

    @Test
    void sharedMlpOnItsCenter() throws Exception {
        check(SharedData.resolve("models-ref/mlp_5_50_50_5.onnx"),
                SharedData.resolve("models-ref/center_mlp_5_50_50_5_0.csv"));
    }

    @Test
    void sharedCnnOnItsCenter() throws Exception {
        check(SharedData.resolve("models-ref/cnn_small.onnx"),
                SharedData.resolve("models-ref/center_cnn_small_1.csv"));
    }

    @Test
    void jsonIsExactlyOutputAndArgmax() throws Exception {
        // A model whose output is exactly known: y = 2x.
        Path model = OnnxModels.builder(13).input("x", -1, 3)
                .initializer("two", new double[] {2}, 1)
                .node("Mul", List.of("x", "two"), "y")
                .output("y", -1, 3).write(dir.resolve("double.onnx"));
        Path csv = Files.writeString(dir.resolve("x.csv"), "0.1,-3,1.5\n");
        assertEquals("{\"output\":[0.2,-6.0,3.0],\"argmax\":2}\n",
                Cli.ok("forward", model.toString(), "--json", "--input", csv.toString()).out());
        assertEquals("y[0] = 0.2\ny[1] = -6.0\ny[2] = 3.0\nargmax = 2\n",
                Cli.ok("forward", model.toString(), "-i", csv.toString()).out());
    }
}
