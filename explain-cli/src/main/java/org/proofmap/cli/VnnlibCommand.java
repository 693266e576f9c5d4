package org.proofmap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;
import org.proofmap.vnnlib.VnnlibParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proofmap vnnlib PROP}: what the parser made of a VNNLIB property. */
@Command(name = "vnnlib",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        headerHeading = Help.NAME,
        header = "Parse a VNNLIB property and summarise its input boxes and unsafe outputs.",
        synopsisHeading = Help.SYNOPSIS,
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "Parses PROP (the VNN-COMP dialect of SMT-LIB) into disjunctive normal form, the form"
                + " the verifier works on, and prints it: the numbers of inputs X_i and outputs Y_j, and"
                + " the cases. A case is an input box with the unsafe outputs for that box: a union of"
                + " disjuncts, each a conjunction of rows 'c·Y <= d'. The property is violated (VNNLIB"
                + " 'sat') when some input in a box has outputs satisfying every row of one disjunct.",
            "",
            "Per case the box is summarised (number of inputs; smallest, largest and mean width"
                + " upper - lower; how many inputs are fixed, lower == upper), with the bounds listed"
                + " when there are at most 10 inputs; then the disjuncts and their rows, at most"
                + " " + VnnlibCommand.MAX_ROWS + " rows per case followed by '... N more'. Use --json for everything.",
            "",
            "Only the property is read; it is not checked against a model. Syntax errors are"
                + " reported as 'error: PROP: line L, column C: problem'.",
        },
        parameterListHeading = Help.PARAMETERS,
        optionListHeading = Help.OPTIONS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap vnnlib ../shared/benchmarks/mnist_fc/vnnlib/prop_0_0.03.vnnlib",
            "  proofmap vnnlib --json ../shared/benchmarks/mnist_fc/vnnlib/prop_0_0.03.vnnlib \\",
            "      | jq '.cases[0].disjuncts | length'",
            "",
            Help.EXIT_STATUS, Help.EXIT_0, Help.EXIT_1, Help.EXIT_2,
        })
final class VnnlibCommand implements Callable<Integer> {
    /** Rows printed per case before "... N more". */
    static final int MAX_ROWS = 10;
    /** Boxes with at most this many inputs list every bound. */
    static final int MAX_LISTED_INPUTS = 10;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROP",
            description = "The VNNLIB property file (.vnnlib, UTF-8). Required.")
    Path property;

    @Option(names = "--json", description = Help.JSON_DESCRIPTION + " Keys: file, inputs, outputs and cases;"
            + " each case has lower and upper (the box) and disjuncts, each with the rows c and the right-hand"
            + " sides d of c·Y <= d, every number in full precision.")
    boolean json;

    @Override
    public Integer call() {
        Property p = VnnlibParser.parse(property);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Output.json(toJson(p)));
        } else {
            for (String line : text(p)) {
                out.println(line);
            }
        }
        out.flush();
        return 0;
    }

    private ObjectNode toJson(Property p) {
        ObjectNode o = Output.object();
        o.put("file", property.toString());
        o.put("inputs", p.numInputs());
        o.put("outputs", p.numOutputs());
        ArrayNode cases = o.putArray("cases");
        for (PropertyCase pc : p.cases()) {
            ObjectNode c = cases.addObject();
            c.set("lower", Output.array(pc.inputLower()));
            c.set("upper", Output.array(pc.inputUpper()));
            ArrayNode ds = c.putArray("disjuncts");
            for (OutputConstraint oc : pc.disjuncts()) {
                ObjectNode d = ds.addObject();
                ArrayNode rows = d.putArray("c");
                for (double[] row : oc.c()) {
                    rows.add(Output.array(row));
                }
                d.set("d", Output.array(oc.d()));
            }
        }
        return o;
    }

    private List<String> text(Property p) {
        List<String> lines = new ArrayList<>();
        lines.add("file:     " + property);
        lines.add("inputs:   " + p.numInputs() + range("X", p.numInputs()));
        lines.add("outputs:  " + p.numOutputs() + range("Y", p.numOutputs()));
        int nc = p.cases().size();
        lines.add("cases:    " + nc + (nc == 0 ? " (no input box is left: the property can never be violated)" : ""));
        for (int k = 0; k < nc; k++) {
            lines.add("");
            caseText(k, nc, p.cases().get(k), lines);
        }
        return lines;
    }

    private static String range(String var, int n) {
        return n == 1 ? " (" + var + "_0)" : " (" + var + "_0 .. " + var + "_" + (n - 1) + ")";
    }

    private static void caseText(int k, int nc, PropertyCase pc, List<String> lines) {
        int n = pc.numInputs();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int fixed = 0;
        for (int i = 0; i < n; i++) {
            double w = pc.upper(i) - pc.lower(i);
            min = Math.min(min, w);
            max = Math.max(max, w);
            sum += w;
            if (pc.lower(i) == pc.upper(i)) {
                fixed++;
            }
        }
        lines.add("case " + (k + 1) + " of " + nc);
        lines.add("  input box: " + n + " input" + (n == 1 ? "" : "s") + ", width min " + Output.approx(min)
                + ", max " + Output.approx(max) + ", mean " + Output.approx(sum / n) + "; " + fixed
                + " fixed (lower == upper)");
        if (n <= MAX_LISTED_INPUTS) {
            for (int i = 0; i < n; i++) {
                lines.add("    X_" + i + " in [" + Output.num(pc.lower(i)) + ", " + Output.num(pc.upper(i)) + "]");
            }
        }
        List<OutputConstraint> ds = pc.disjuncts();
        int totalRows = 0;
        int minRows = Integer.MAX_VALUE;
        int maxRows = 0;
        for (OutputConstraint oc : ds) {
            totalRows += oc.numRows();
            minRows = Math.min(minRows, oc.numRows());
            maxRows = Math.max(maxRows, oc.numRows());
        }
        String rowsPer = minRows == maxRows ? minRows + (ds.size() > 1 ? " each" : "")
                : minRows + " to " + maxRows + " (" + totalRows + " in all)";
        lines.add("  unsafe outputs: " + ds.size() + " disjunct" + (ds.size() == 1 ? "" : "s")
                + (ds.size() > 1 ? " (violated if all rows of any one hold)" : "")
                + ", rows per disjunct: " + rowsPer);
        int shown = 0;
        for (int d = 0; d < ds.size() && shown < MAX_ROWS; d++) {
            OutputConstraint oc = ds.get(d);
            String label = "    disjunct " + (d + 1) + ": ";
            String cont = " ".repeat(label.length());
            if (oc.numRows() == 0) {
                lines.add(label + "true (no row: every output is unsafe)");
                continue;
            }
            for (int r = 0; r < oc.numRows() && shown < MAX_ROWS; r++) {
                lines.add((r == 0 ? label : cont) + row(oc, r));
                shown++;
            }
        }
        if (shown < totalRows) {
            lines.add("    ... " + (totalRows - shown) + " more row" + (totalRows - shown == 1 ? "" : "s"));
        }
    }

    /** One row as {@code -1·Y_0 + 1·Y_3 <= 0}, omitting zero coefficients. */
    static String row(OutputConstraint oc, int r) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < oc.numOutputs(); j++) {
            double c = oc.c(r, j);
            if (c == 0) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append(Output.num(c));
            } else {
                sb.append(c < 0 ? " - " : " + ").append(Output.num(Math.abs(c)));
            }
            sb.append('·').append("Y_").append(j);
        }
        if (sb.length() == 0) {
            sb.append('0');
        }
        return sb.append(" <= ").append(Output.num(oc.d(r))).toString();
    }
}
