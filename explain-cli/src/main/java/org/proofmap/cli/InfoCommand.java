package org.proofmap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.proofmap.model.Graph;
import org.proofmap.model.Node;
import org.proofmap.model.Shape;
import org.proofmap.onnx.OnnxLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proofmap info MODEL}: what the loader made of an ONNX model. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        headerHeading = Help.NAME,
        header = "Describe an ONNX model: shapes, operators, parameters.",
        synopsisHeading = Help.SYNOPSIS,
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "Loads MODEL exactly as every other command does and prints what Proofmap made of it:"
                + " the file and its SHA-256 (to tell which model a result belongs to), the producer, IR"
                + " version and opset, the input and output with their shapes (batch dimension fixed to"
                + " 1), the number of trainable parameters, and the operator table: one line per node"
                + " that is evaluated, with its output shape and parameter count, then the count per"
                + " operator type.",
            "",
            "The loader folds everything that does not depend on the input (initializers,"
                + " Constant nodes, Shape/Gather/Concat chains emitted by exporters) and drops nodes that"
                + " do not reach the output; the numbers of folded and pruned ONNX nodes are shown, so"
                + " the table can be compared with the file in a viewer such as Netron.",
            "",
            "Use it first on a new model: a model that 'info' accepts is one the other commands"
                + " can run; a model it rejects is reported as one line naming the file, the node and"
                + " the problem (unsupported operator, inconsistent shapes, NaN or infinite weights).",
        },
        parameterListHeading = Help.PARAMETERS,
        optionListHeading = Help.OPTIONS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap info ../shared/models-ref/cnn_small.onnx",
            "  proofmap info --json ../shared/models-ref/mlp_5_50_50_5.onnx | jq .parameters",
            "",
            Help.EXIT_STATUS, Help.EXIT_0, Help.EXIT_1, Help.EXIT_2,
        })
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "The ONNX model file (.onnx, opsets 7 to 21, float weights). Required.")
    Path model;

    @Option(names = "--json", description = Help.JSON_DESCRIPTION + " Keys: file, sha256, producer, ir_version,"
            + " opset, graph_name, input, output, parameters, nodes, operator_counts, onnx_nodes, folded_nodes,"
            + " pruned_nodes.")
    boolean json;

    @Override
    public Integer call() {
        Graph g = OnnxLoader.load(model);
        String sha = Output.sha256(model);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Output.json(toJson(g, sha)));
        } else {
            for (String line : text(g, sha)) {
                out.println(line);
            }
        }
        out.flush();
        return 0;
    }

    private ObjectNode toJson(Graph g, String sha) {
        Map<String, String> meta = g.metadata();
        ObjectNode o = Output.object();
        o.put("file", model.toString());
        o.put("sha256", sha);
        o.put("producer", meta.get("producer"));
        putNumber(o, "ir_version", meta.get("ir_version"));
        putNumber(o, "opset", meta.get("opset"));
        o.put("graph_name", meta.get("graph_name"));
        o.set("input", io(g.inputName(), g.inputShape()));
        o.set("output", io(g.outputName(), g.outputShape()));
        o.put("parameters", g.parameterCount());
        ArrayNode nodes = o.putArray("nodes");
        List<Node> ns = g.nodes();
        for (int i = 0; i < ns.size(); i++) {
            Node n = ns.get(i);
            ObjectNode j = nodes.addObject();
            j.put("index", i);
            j.put("op", n.opType());
            j.put("name", n.name());
            j.set("output_shape", Output.shape(n.outputShape()));
            j.put("parameters", n.op().parameterCount());
        }
        ObjectNode counts = o.putObject("operator_counts");
        g.operatorCounts().forEach(counts::put);
        putNumber(o, "onnx_nodes", meta.get("onnx_nodes"));
        putNumber(o, "folded_nodes", meta.get("folded_nodes"));
        putNumber(o, "pruned_nodes", meta.get("pruned_nodes"));
        return o;
    }

    private static ObjectNode io(String name, Shape shape) {
        ObjectNode o = Output.object();
        o.put("name", name);
        o.set("shape", Output.shape(shape));
        o.put("size", shape.size());
        return o;
    }

    /** A metadata value as a JSON number when it is one, as a string otherwise, null when absent. */
    private static void putNumber(ObjectNode o, String key, String value) {
        if (value == null) {
            o.putNull(key);
            return;
        }
        try {
            o.put(key, Long.parseLong(value));
        } catch (NumberFormatException e) {
            o.put(key, value);
        }
    }

    private List<String> text(Graph g, String sha) {
        Map<String, String> meta = g.metadata();
        List<String> lines = new ArrayList<>();
        Output.Table head = new Output.Table(new String[] {"", ""}, new boolean[] {false, false});
        head.add("file:", model);
        head.add("sha256:", sha);
        head.add("producer:", orDash(meta.get("producer")));
        head.add("ir version:", orDash(meta.get("ir_version")));
        head.add("opset:", orDash(meta.get("opset")));
        if (meta.get("graph_name") != null && !meta.get("graph_name").isEmpty()) {
            head.add("graph:", meta.get("graph_name"));
        }
        head.add("input:", g.inputName() + "  " + g.inputShape() + " (" + g.inputSize() + " values)");
        head.add("output:", g.outputName() + "  " + g.outputShape() + " (" + g.outputSize() + " values)");
        head.add("parameters:", g.parameterCount());
        String onnx = meta.get("onnx_nodes");
        head.add("nodes:", g.nodes().size() + " evaluated" + (onnx == null ? "" : " of " + onnx + " in the file")
                + " (" + orDash(meta.get("folded_nodes")) + " folded into constants, "
                + orDash(meta.get("pruned_nodes")) + " pruned as not reaching the output)");
        List<String> headLines = head.lines("");
        lines.addAll(headLines.subList(1, headLines.size())); // no header row
        lines.add("");

        Output.Table ops = new Output.Table(new String[] {"#", "op", "node", "output shape", "parameters"},
                new boolean[] {true, false, false, false, true});
        List<Node> ns = g.nodes();
        for (int i = 0; i < ns.size(); i++) {
            Node n = ns.get(i);
            ops.add(i, n.opType(), n.name(), n.outputShape(), n.op().parameterCount());
        }
        lines.addAll(ops.lines("  "));
        lines.add("");
        List<String> counts = new ArrayList<>();
        g.operatorCounts().forEach((op, c) -> counts.add(op + " x" + c));
        lines.add("operators: " + (counts.isEmpty() ? "none (the output is the input)" : String.join(", ", counts)));
        return lines;
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
