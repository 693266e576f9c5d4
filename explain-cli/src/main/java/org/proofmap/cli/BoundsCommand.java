package org.proofmap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.proofmap.ProofmapException;
import org.proofmap.bounds.BoundMethod;
import org.proofmap.bounds.BoundMethods;
import org.proofmap.bounds.Bounds;
import org.proofmap.bounds.Box;
import org.proofmap.bounds.InputDomain;
import org.proofmap.bounds.LinfBall;
import org.proofmap.datasets.VectorCsv;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.vnnlib.OutputConstraint;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.PropertyCase;
import org.proofmap.vnnlib.VnnlibParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proofmap bounds MODEL ...}: sound output bounds over an input region. */
@Command(name = "bounds",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        headerHeading = Help.NAME,
        header = "Compute sound lower and upper bounds on a model's outputs over a region of inputs.",
        synopsisHeading = Help.SYNOPSIS,
        customSynopsis = {
            "proofmap bounds MODEL (--center=FILE --eps=E [--clip=LO,HI] | --vnnlib=PROP)",
            "                  [--method=METHOD] [--spec=SPEC] [--json] [--repeat=N]",
            "                  [--samples=N] [--confidence=P] [--gamma=G] [--tail-index=A] [--pt-alpha]",
            "                  [--debug] [-hV]",
        },
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "Loads MODEL and bounds every row of a specification C·y (y the model's outputs) over every"
                + " input of a region: for each row, a lower and an upper bound that no input of the region"
                + " can cross. The bounds are sound but not tight: the true minimum and maximum lie between"
                + " them. The widths upper - lower tell how tight they are; smaller is better.",
            "",
            "The region is either the L-inf ball of radius E around the vector in FILE (--center with"
                + " --eps; with --clip every input is also kept within [LO, HI], e.g. the pixel range), or"
                + " the input box of each case of a VNNLIB property (--vnnlib). For a property the rows"
                + " bounded are the rows c of the case's unsafe output region c·Y <= d, all disjuncts"
                + " stacked; a property with several cases is bounded case by case.",
            "",
            "Methods, from cheapest and loosest to most expensive and tightest (auto_LiRPA's names):"
                + " 'ibp' (interval bound propagation), 'crown-ibp' (CROWN with interval intermediate"
                + " bounds), 'crown' (CROWN, backward linear relaxation; the default) and 'alpha-crown'"
                + " (CROWN with the relaxation slopes optimised, never looser than crown), and"
                + " 'alpha-crown-full' (alpha-crown that first optimises the bounds of every unstable neuron"
                + " too, layer by layer: much tighter on deep ReLU networks, about a second on the 784-input"
                + " MNIST MLPs; auto_LiRPA's alpha-CROWN keeps CROWN's intermediate bounds). Operators without"
                + " a linear relaxation (for example a final Softmax) are reported as an error: bound the"
                + " logits instead.",
            "",
            PtLirpaOptions.DESCRIPTION,
            "",
            "The text output lists the method and its settings, the region, the specification and the"
                + " time, then one line per row: its name, the lower and upper bounds in full double"
                + " precision and the width; then the sum of the widths. The time is that of the bound"
                + " computation alone, without loading the model or the inputs; with --repeat N it is run N"
                + " times in the same process and the median is reported (with the minimum and maximum in"
                + " text), for benchmarks that want warmed-up timings.",
        },
        parameterListHeading = Help.PARAMETERS,
        optionListHeading = Help.OPTIONS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap bounds ../shared/models-ref/mlp_5_50_50_5.onnx \\",
            "      --center ../shared/models-ref/center_mlp_5_50_50_5_0.csv --eps 0.01 --method alpha-crown",
            "  proofmap bounds ../shared/models-ref/cnn_small.onnx \\",
            "      --center ../shared/models-ref/center_cnn_small_0.csv --eps 0.01 --clip 0,1 --spec margin",
            "  proofmap bounds ../shared/benchmarks/acasxu/onnx/ACASXU_run2a_1_1_batch_2000.onnx \\",
            "      --vnnlib ../shared/benchmarks/acasxu/vnnlib/prop_1.vnnlib --method ibp --json",
            "  proofmap bounds ../shared/models-ref/mlp_784_100_100_10.onnx --repeat 10 --json \\",
            "      --center ../shared/models-ref/center_mlp_784_100_100_10_0.csv --eps 0.02 | jq .seconds",
            "",
            Help.EXIT_STATUS, Help.EXIT_0, Help.EXIT_1, Help.EXIT_2,
        })
final class BoundsCommand implements Callable<Integer> {
    private static final Pattern MARGIN = Pattern.compile("margin(?::(.*))?");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "The ONNX model file (.onnx). Required.")
    Path model;

    @Option(names = "--center", paramLabel = "FILE",
            description = "The centre of the L-inf ball: one line of comma-separated numbers, as many as the"
                    + " model's input size (the format of 'proofmap forward --input'). Needs --eps."
                    + " Either this or --vnnlib is required.")
    Path center;

    @Option(names = "--eps", paramLabel = "E",
            description = "The radius of the L-inf ball: every input may move by at most E from the centre."
                    + " A finite number >= 0; required with --center, no default.")
    Double eps;

    @Option(names = "--clip", paramLabel = "LO,HI",
            description = "With --center, also keep every input within [LO, HI], e.g. 0,1 for pixels scaled to"
                    + " [0, 1]. Two numbers with LO <= HI. Default: no clipping.")
    String clip;

    @Option(names = "--vnnlib", paramLabel = "PROP",
            description = "Bound over the input box of each case of the VNNLIB property PROP, with the rows of"
                    + " its unsafe output region as the specification (so --spec is not allowed). The"
                    + " property must have as many inputs and outputs as the model. Either this or --center"
                    + " is required.")
    Path vnnlib;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "crown",
            description = "The bound method: ibp, crown-ibp, crown, alpha-crown, alpha-crown-full or pt-lirpa (see"
                    + " DESCRIPTION)."
                    + " Default: ${DEFAULT-VALUE}.")
    String method;

    @picocli.CommandLine.Mixin
    PtLirpaOptions pt = new PtLirpaOptions();

    @Option(names = "--spec", paramLabel = "SPEC",
            description = "The rows to bound with --center: 'identity' (every output y_i; the default),"
                    + " 'margin' (y_k - y_j for every j != k, k the label the model predicts at the centre: all"
                    + " lower bounds > 0 proves the prediction robust) or 'margin:K' (the same for label K)."
                    + " Not allowed with --vnnlib.")
    String specName;

    @Option(names = "--json", description = Help.JSON_DESCRIPTION
            + " Keys: method, lower, upper and seconds, then spec (kind and row names), domain and settings;"
            + " for a VNNLIB property with several cases: method, cases (each with lower, upper, seconds, spec,"
            + " domain and settings) and seconds, the total. Numbers in full precision.")
    boolean json;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Compute the bounds N times in this process and report the median time (and in text"
                    + " the minimum and maximum), to measure warmed-up performance. N >= 1; default: ${DEFAULT-VALUE}.")
    int repeat;

    /**
     * The bounds of one region and the times of its repeated computations, with what the output says
     * about them: the domain as the engine describes it and as the text describes it (where it came
     * from), the spec and its row names.
     */
    private record Result(Bounds bounds, double[] seconds, InputDomain domain, String domainText,
            org.proofmap.bounds.Spec spec, String specText, List<String> rowNames) {
        double median() {
            return BoundsCommand.median(seconds);
        }
    }

    @Override
    public Integer call() {
        checkRegion();
        if (!BoundMethods.NAMES.contains(method)) {
            throw usage("unknown bound method '" + method + "' for --method (known: "
                    + String.join(", ", BoundMethods.NAMES) + ")");
        }
        if (pt.given() && !method.equals("pt-lirpa")) {
            throw usage("--samples, --confidence, --gamma, --tail-index and --pt-alpha are only"
                    + " used with --method pt-lirpa");
        }
        if (repeat < 1) {
            throw usage("--repeat must be at least 1, found " + repeat);
        }
        if (vnnlib != null && specName != null) {
            throw usage("--spec is not allowed with --vnnlib: the property's output rows are the specification");
        }
        Integer marginLabel = parseSpec();
        double[] clip = parseClip();
        if (center != null && !(eps >= 0 && Double.isFinite(eps))) {
            throw new ProofmapException("--eps", "must be a finite number >= 0, found " + eps);
        }

        Graph g = OnnxLoader.load(model);
        BoundMethod m = pt.method(method, spec);
        PrintWriter out = spec.commandLine().getOut();
        if (center != null) {
            Result r = ballBounds(g, m, marginLabel, clip);
            if (json) {
                out.println(Output.json(single(r)));
            } else {
                List<String> lines = header(r.bounds);
                lines.addAll(resultText(r, ""));
                lines.forEach(out::println);
            }
        } else {
            printProperty(g, m, out);
        }
        out.flush();
        return 0;
    }

    /** Exactly one region: --center with --eps (and maybe --clip), or --vnnlib. */
    private void checkRegion() {
        if (center != null && vnnlib != null) {
            throw usage("give one region, not both: --center FILE --eps E, or --vnnlib PROP");
        }
        if (center == null && vnnlib == null) {
            throw usage("missing the input region: give --center FILE --eps E, or --vnnlib PROP");
        }
        if (center != null && eps == null) {
            throw usage("--center needs --eps E, the radius of the L-inf ball");
        }
        if (center == null && eps != null) {
            throw usage("--eps is only used with --center");
        }
        if (center == null && clip != null) {
            throw usage("--clip is only used with --center");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Null for identity, -1 for the predicted label, else the label K of margin:K. */
    private Integer parseSpec() {
        if (specName == null || specName.equals("identity")) {
            return null;
        }
        Matcher mm = MARGIN.matcher(specName);
        if (!mm.matches()) {
            throw usage("unknown --spec '" + specName + "' (use identity, margin or margin:K)");
        }
        if (mm.group(1) == null) {
            return -1;
        }
        try {
            int k = Integer.parseInt(mm.group(1).strip());
            if (k < 0) {
                throw new NumberFormatException();
            }
            return k;
        } catch (NumberFormatException e) {
            throw usage("--spec margin:K needs a label K >= 0, found '" + mm.group(1) + "'");
        }
    }

    /** {LO, HI}, or infinities when --clip is not given. */
    private double[] parseClip() {
        if (clip == null) {
            return new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        String[] parts = clip.split(",", -1);
        double[] c = new double[2];
        boolean ok = parts.length == 2;
        for (int i = 0; ok && i < 2; i++) {
            try {
                c[i] = Double.parseDouble(parts[i].strip());
                ok = !Double.isNaN(c[i]);
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw usage("--clip needs two numbers LO,HI (e.g. 0,1), found '" + clip + "'");
        }
        if (c[0] > c[1]) {
            throw usage("--clip " + clip + ": LO must not exceed HI");
        }
        return c;
    }

    private Result ballBounds(Graph g, BoundMethod m, Integer marginLabel, double[] clipRange) {
        Path centerFile = center;
        double[] x = VectorCsv.read(centerFile);
        try {
            g.checkInputLength(x.length);
        } catch (IllegalArgumentException e) {
            throw new ProofmapException(centerFile.toString(), e.getMessage(), e);
        }
        LinfBall ball = new LinfBall(x, eps, clipRange[0], clipRange[1]);
        int outputs = g.outputSize();
        org.proofmap.bounds.Spec s;
        String text;
        if (marginLabel == null) {
            s = org.proofmap.bounds.Spec.identity(outputs);
            text = "identity";
        } else {
            if (outputs < 2) {
                throw usage("--spec " + specName + " needs a model with at least 2 outputs, " + model + " has "
                        + outputs);
            }
            int label = marginLabel;
            if (label < 0) {
                label = Graph.argmax(g.forward(x));
                text = "margin:" + label + " (the label predicted at the centre)";
            } else if (label >= outputs) {
                throw usage("--spec " + specName + ": label " + label + " outside 0.." + (outputs - 1) + " (" + model
                        + " has " + outputs + " outputs)");
            } else {
                text = "margin:" + label;
            }
            s = org.proofmap.bounds.Spec.margins(label, outputs);
        }
        List<String> names = new ArrayList<>();
        for (int r = 0; r < s.rows(); r++) {
            names.add(s.name(r));
        }
        String domainText = ball.describe() + " around " + centerFile;
        return compute(g, m, ball, s, text, names, domainText);
    }

    private Result compute(Graph g, BoundMethod m, InputDomain domain, org.proofmap.bounds.Spec s, String specText,
            List<String> names, String domainText) {
        Bounds first = null;
        double[] seconds = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            Bounds b;
            try {
                b = m.compute(g, domain, s);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new ProofmapException(model.toString(), msg, e);
            }
            if (first == null) {
                first = b;
            }
            seconds[i] = b.seconds();
        }
        return new Result(first, seconds, domain, domainText, s, specText, names);
    }

    private void printProperty(Graph g, BoundMethod m, PrintWriter out) {
        Path prop = vnnlib;
        Property p = VnnlibParser.parse(prop);
        if (p.numInputs() != g.inputSize()) {
            throw new ProofmapException(prop.toString(), "the property has " + p.numInputs() + " inputs (X_i) but "
                    + model + " takes " + g.inputSize() + " input values (shape " + g.inputShape() + ")");
        }
        if (p.numOutputs() != g.outputSize()) {
            throw new ProofmapException(prop.toString(), "the property has " + p.numOutputs() + " outputs (Y_j) but "
                    + model + " has " + g.outputSize() + " output values (shape " + g.outputShape() + ")");
        }
        int nc = p.cases().size();
        List<Result> results = new ArrayList<>();
        for (int k = 0; k < nc; k++) {
            results.add(caseBounds(g, m, prop, k, nc, p.cases().get(k)));
        }
        if (json) {
            if (nc == 1) {
                out.println(Output.json(single(results.get(0))));
            } else {
                ObjectNode o = Output.object();
                o.put("method", m.name());
                ArrayNode cases = o.putArray("cases");
                double total = 0;
                for (Result r : results) {
                    ObjectNode c = single(r);
                    c.remove("method");
                    cases.add(c);
                    total += r.median();
                }
                o.put("seconds", total);
                out.println(Output.json(o));
            }
            return;
        }
        List<String> lines = header(results.isEmpty() ? null : results.get(0).bounds);
        double total = 0;
        for (Result r : results) {
            total += r.median();
        }
        lines.add(kv("", "property:", prop + " (" + nc + " case" + (nc == 1 ? "" : "s")
                + (nc == 0 ? ": no input box, nothing to bound" : "") + ")"));
        if (nc > 1) {
            lines.add(kv("", "time:", seconds(total) + " in all (the sum of the cases' "
                    + (repeat > 1 ? "medians" : "times") + ")"));
        }
        for (int k = 0; k < nc; k++) {
            lines.add("");
            lines.add("case " + (k + 1) + " of " + nc);
            lines.addAll(resultText(results.get(k), "  "));
        }
        lines.forEach(out::println);
    }

    private Result caseBounds(Graph g, BoundMethod m, Path prop, int k, int nc, PropertyCase pc) {
        List<double[]> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<OutputConstraint> ds = pc.disjuncts();
        for (int d = 0; d < ds.size(); d++) {
            OutputConstraint oc = ds.get(d);
            for (int r = 0; r < oc.numRows(); r++) {
                double[] c = oc.c()[r];
                rows.add(c);
                names.add((ds.size() > 1 ? "d" + (d + 1) + ": " : "") + linear(c));
            }
        }
        if (rows.isEmpty()) {
            throw new ProofmapException(prop.toString(), "case " + (k + 1) + " of " + nc + " has no output rows to"
                    + " bound (its unsafe region is every output)");
        }
        org.proofmap.bounds.Spec s = org.proofmap.bounds.Spec.rows(rows.toArray(new double[0][]), "vnnlib");
        Box box;
        try {
            box = new Box(pc.inputLower(), pc.inputUpper(), "vnnlib(case " + (k + 1) + " of " + nc + ")");
        } catch (IllegalArgumentException e) {
            throw new ProofmapException(prop.toString(), e.getMessage(), e);
        }
        String specText = "the rows c of the unsafe region c·Y <= d (" + ds.size() + " disjunct"
                + (ds.size() == 1 ? "" : "s") + (ds.size() > 1 ? " stacked" : "") + ")";
        return compute(g, m, box, s, specText, names, "input box of case " + (k + 1) + " of " + prop);
    }

    /** {@code 1·Y_0 - 1·Y_3}, zero coefficients omitted. */
    static String linear(double[] c) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < c.length; j++) {
            if (c[j] == 0) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append(Output.num(c[j]));
            } else {
                sb.append(c[j] < 0 ? " - " : " + ").append(Output.num(Math.abs(c[j])));
            }
            sb.append('·').append("Y_").append(j);
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    /** The JSON of one region: method, lower, upper, seconds, then spec, domain and settings. */
    private ObjectNode single(Result r) {
        Bounds b = r.bounds;
        ObjectNode o = Output.object();
        o.put("method", b.method());
        o.set("lower", Output.array(b.lower()));
        o.set("upper", Output.array(b.upper()));
        o.put("seconds", r.median());
        ObjectNode s = o.putObject("spec");
        s.put("kind", r.spec.kind());
        ArrayNode names = s.putArray("rows");
        r.rowNames.forEach(names::add);
        o.put("domain", r.domain.describe());
        o.set("settings", Output.JSON.valueToTree(b.settings()));
        return o;
    }

    /** The model and method lines (method name and settings), as a mutable list. */
    private List<String> header(Bounds b) {
        List<String> lines = new ArrayList<>();
        lines.add(kv("", "model:", model.toString()));
        lines.add(kv("", "method:", b == null ? method : b.method() + settingsText(b.settings())));
        return lines;
    }

    private static String settingsText(Map<String, Object> settings) {
        List<String> parts = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (!k.equals("domain")) {
                parts.add(k + " " + (v instanceof Double d ? Output.num(d) : String.valueOf(v)));
            }
        });
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private List<String> resultText(Result r, String indent) {
        Bounds b = r.bounds;
        List<String> lines = new ArrayList<>();
        int n = r.domain.size();
        lines.add(kv(indent, "domain:", r.domainText + " (" + n + " input" + (n == 1 ? "" : "s") + ")"));
        lines.add(kv(indent, "spec:", r.specText + ", " + b.rows() + " row" + (b.rows() == 1 ? "" : "s")));
        String time = seconds(r.median());
        if (repeat > 1) {
            double[] sorted = r.seconds.clone();
            Arrays.sort(sorted);
            time += " (median of " + repeat + " runs; min " + seconds(sorted[0]) + ", max "
                    + seconds(sorted[sorted.length - 1]) + ")";
        }
        lines.add(kv(indent, "time:", time));
        lines.add("");
        Output.Table t = new Output.Table(new String[] {"row", "lower", "upper", "width"},
                new boolean[] {false, true, true, true});
        for (int i = 0; i < b.rows(); i++) {
            t.add(r.rowNames.get(i), Double.toString(b.lower(i)), Double.toString(b.upper(i)),
                    Output.approx(b.upper(i) - b.lower(i)));
        }
        lines.addAll(t.lines(indent + "  "));
        lines.add("");
        lines.add(indent + "total width: " + Output.approx(b.totalWidth()));
        return lines;
    }

    /** {@code key: value} with the values aligned (at column 10 after the indent). */
    private static String kv(String indent, String key, String value) {
        return indent + key + " ".repeat(Math.max(1, 10 - key.length())) + value;
    }

    private static String seconds(double s) {
        return Output.approx(s) + " s";
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
