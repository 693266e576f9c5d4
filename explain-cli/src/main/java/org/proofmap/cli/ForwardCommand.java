package org.proofmap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.proofmap.ProofmapException;
import org.proofmap.datasets.VectorCsv;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proofmap forward MODEL --input FILE}: one forward pass, printed in full precision. */
@Command(name = "forward",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        headerHeading = Help.NAME,
        header = "Run a model on one input vector and print its outputs.",
        synopsisHeading = Help.SYNOPSIS,
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "Loads MODEL and the input vector in FILE, runs the forward pass in double precision"
                + " (the same evaluation the verification commands bound), and prints every output"
                + " 'y[i] = value' with full double precision (the shortest decimal that reads back to"
                + " the same double), then 'argmax = k', the predicted class (the first on ties).",
            "",
            "Use it to check that Proofmap computes what your training framework computes, before"
                + " trusting bounds or explanations: compare the values with onnxruntime or PyTorch.",
            "",
            "FILE holds one row of comma-separated decimal numbers, for example"
                + " '0.669963,0.193108,-0.422274,-0.914097,0.947309'; an image is its pixels in"
                + " flattened C order (NCHW). Exactly one non-empty line; NaN and infinities are"
                + " rejected. The number of values must equal the model's input size.",
        },
        parameterListHeading = Help.PARAMETERS,
        optionListHeading = Help.OPTIONS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap forward ../shared/models-ref/mlp_5_50_50_5.onnx \\",
            "      --input ../shared/models-ref/center_mlp_5_50_50_5_0.csv",
            "  proofmap forward ../shared/models-ref/cnn_small.onnx \\",
            "      --input ../shared/models-ref/center_cnn_small_0.csv --json",
            "",
            Help.EXIT_STATUS, Help.EXIT_0, Help.EXIT_1, Help.EXIT_2,
        })
final class ForwardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "The ONNX model file (.onnx). Required.")
    Path model;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", required = true,
            description = "The input vector: one line of comma-separated numbers, as many as the model's input"
                    + " size (e.g. 784 for a 1x1x28x28 image). Required; no default.")
    Path input;

    @Option(names = "--json", description = Help.JSON_DESCRIPTION
            + " Prints exactly {\"output\":[...],\"argmax\":k} with full-precision numbers.")
    boolean json;

    @Override
    public Integer call() {
        Graph g = OnnxLoader.load(model);
        double[] x = VectorCsv.read(input);
        try {
            g.checkInputLength(x.length);
        } catch (IllegalArgumentException e) {
            throw new ProofmapException(input.toString(), e.getMessage(), e);
        }
        double[] y = g.forward(x);
        int argmax = Graph.argmax(y);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = Output.object();
            o.set("output", Output.array(y));
            o.put("argmax", argmax);
            out.println(Output.json(o));
        } else {
            for (int i = 0; i < y.length; i++) {
                out.println("y[" + i + "] = " + y[i]);
            }
            out.println("argmax = " + argmax);
        }
        out.flush();
        return 0;
    }
}
