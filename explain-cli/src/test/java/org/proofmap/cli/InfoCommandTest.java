package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.testing.OnnxModels;
import org.proofmap.testing.SharedData;

class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void describesAFixtureMlp() throws Exception {
        Path p = OnnxModels.mlp(1, 5, 8, 3).write(dir.resolve("mlp.onnx"));
        String out = Cli.ok("info", p.toString()).out();
        assertTrue(out.contains("file:        " + p + "\n"), out);
        assertTrue(out.contains("sha256:      " + sha256(p) + "\n"), out);
        assertTrue(out.contains("producer:    proofmap-tests\n"), out);
        assertTrue(out.contains("ir version:  7\n"), out);
        assertTrue(out.contains("opset:       13\n"), out);
        assertTrue(out.contains("input:       input  1x5 (5 values)\n"), out);
        assertTrue(out.contains("output:      output  1x3 (3 values)\n"), out);
        assertTrue(out.contains("parameters:  75\n"), out); // 5*8+8 + 8*3+3
        assertTrue(out.contains("operators: Gemm x2, Relu x1\n"), out);
        assertTrue(out.contains("(0 folded into constants, 0 pruned as not reaching the output)"), out);
        // The operator table, aligned: a header and one row per node.
        List<String> table = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("  ")) {
                table.add(line);
            }
        }
        assertEquals(List.of(
                "  #  op    node    output shape  parameters",
                "  0  Gemm  gemm_0  1x8                   48",
                "  1  Relu  relu_1  1x8                    0",
                "  2  Gemm  gemm_2  1x3                   27"), table);
    }

    @Test
    void jsonHasTheSameFacts() throws Exception {
        Path p = OnnxModels.mlp(1, 5, 8, 3).write(dir.resolve("mlp.onnx"));
        JsonNode j = JSON.readTree(Cli.ok("info", "--json", p.toString()).out());
        assertEquals(1, Cli.ok("info", "--json", p.toString()).outLines().length);
        assertEquals(p.toString(), j.get("file").asText());
        assertEquals(sha256(p), j.get("sha256").asText());
        assertEquals("proofmap-tests", j.get("producer").asText());
        assertEquals(7, j.get("ir_version").asInt());
        assertEquals(13, j.get("opset").asInt());
        assertEquals("input", j.get("input").get("name").asText());
        assertEquals("[1,5]", j.get("input").get("shape").toString());
        assertEquals(5, j.get("input").get("size").asInt());
        assertEquals("[1,3]", j.get("output").get("shape").toString());
        assertEquals(75, j.get("parameters").asLong());
        assertEquals(3, j.get("nodes").size());
        JsonNode n0 = j.get("nodes").get(0);
        assertEquals("{\"index\":0,\"op\":\"Gemm\",\"name\":\"gemm_0\",\"output_shape\":[1,8],\"parameters\":48}",
                n0.toString());
        assertEquals("{\"Gemm\":2,\"Relu\":1}", j.get("operator_counts").toString());
        assertEquals(3, j.get("onnx_nodes").asInt());
        assertEquals(0, j.get("folded_nodes").asInt());
        assertEquals(0, j.get("pruned_nodes").asInt());
    }

    @Test
    void countsFoldedAndPrunedNodes() {
        // A Constant node is folded; a Relu branch that does not reach the output is pruned.
        Path p = OnnxModels.builder(13).input("x", -1, 2)
                .node("Constant", List.of(), "two",
                        OnnxModels.tensorAttr("value", OnnxModels.floatTensor("v", new double[] {2, 2}, 2)))
                .node("Mul", List.of("x", "two"), "y")
                .node("Relu", List.of("x"), "unused")
                .output("y", -1, 2).write(dir.resolve("fold.onnx"));
        String out = Cli.ok("info", p.toString()).out();
        assertTrue(out.contains("nodes:       1 evaluated of 3 in the file (1 folded into constants, 1 pruned"), out);
    }

    @Test
    void sharedCnnMatchesTheLoader() throws Exception {
        Path p = SharedData.resolve("models-ref/cnn_small.onnx");
        Graph g = OnnxLoader.load(p);
        String out = Cli.ok("info", p.toString()).out();
        assertTrue(out.contains("input:       input  1x1x28x28 (784 values)"), out);
        assertTrue(out.contains("opset:       13"), out);
        assertTrue(out.contains("parameters:  " + g.parameterCount() + "\n"), out);
        for (Node n : g.nodes()) {
            assertTrue(out.contains(n.name()), n.name());
        }
        JsonNode j = JSON.readTree(Cli.ok("info", "--json", p.toString()).out());
        assertEquals(g.nodes().size(), j.get("nodes").size());
        assertEquals(g.parameterCount(), j.get("parameters").asLong());
        assertEquals("[1,1,28,28]", j.get("input").get("shape").toString());
        assertEquals("[1,10]", j.get("output").get("shape").toString());
        assertEquals(sha256(p), j.get("sha256").asText());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("file", "sha256", "producer", "ir_version", "opset", "graph_name", "input", "output",
                "parameters", "nodes", "operator_counts", "onnx_nodes", "folded_nodes", "pruned_nodes"), keys);
    }
}
