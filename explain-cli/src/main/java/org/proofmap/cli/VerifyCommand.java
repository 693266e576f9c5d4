package org.proofmap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.proofmap.ProofmapException;
import org.proofmap.model.Graph;
import org.proofmap.onnx.OnnxLoader;
import org.proofmap.verify.ActivationSplitVerifier;
import org.proofmap.verify.InputSplitVerifier;
import org.proofmap.verify.Verifier;
import org.proofmap.verify.SplitHeuristics;
import org.proofmap.verify.Verdict;
import org.proofmap.verify.VerificationResult;
import org.proofmap.verify.VnnCompResult;
import org.proofmap.vnnlib.Property;
import org.proofmap.vnnlib.VnnlibParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proofmap verify}: decide VNN-COMP instances, one or a whole instance list. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = ProofmapCommand.Version.class,
        usageHelpAutoWidth = true,
        headerHeading = Help.NAME,
        header = "Decide whether a model violates a VNNLIB property (sat) or provably satisfies it (unsat).",
        synopsisHeading = Help.SYNOPSIS,
        customSynopsis = {
            "proofmap verify MODEL PROP [--timeout=S] [--strategy=S] [--split=H] [--bound=B]",
            "                  [--samples=N] [--confidence=P] [--threads=N] [--out=FILE]",
            "                  [--json] [--debug]",
            "  proofmap verify --instances=CSV --out=RESULTS [--root=DIR]",
            "                  [--timeout-scale=F] [--strategy=S] [--split=H] [--bound=B]",
            "                  [--samples=N] [--confidence=P] [--threads=N] [--json]",
            "                  [--debug]",
            "  proofmap verify -h | -V",
        },
        descriptionHeading = Help.DESCRIPTION,
        description = {
            "A VNNLIB property describes the unsafe inputs and outputs of MODEL, as in VNN-COMP. The"
                + " verifier answers 'sat' when it found an input in the property's box whose outputs are"
                + " unsafe (a counterexample, re-checked by a double-precision forward pass: the property"
                + " is violated), 'unsat' when it proved that no such input exists (the property holds),"
                + " 'timeout' when the time ran out first, and 'unknown' when it stopped without an answer.",
            "",
            "Method (--strategy): 'input' splitting for models with few inputs (up to 16, such as ACAS"
                + " Xu's 5) and 'activation' splitting otherwise ('auto', the default, picks by the input"
                + " size). Activation splitting (for MNIST-size inputs) first tightens the intermediate"
                + " bounds of the whole box with alpha-CROWN, neuron by neuron and layer by layer (as"
                + " 'proofmap bounds --method alpha-crown-full'). It then splits unstable ReLU neurons into"
                + " their active and inactive sides and bounds each side by alpha-beta-CROWN: the relaxation"
                + " slopes and one multiplier per split are optimised together, so the splits act inside the"
                + " bound. Each split is chosen among the 8 best BaBSR scores by the bounds of its two"
                + " sides. One exact MIP over the whole box (CBC when installed) runs beside the branching"
                + " on a core of its own, from the same tightened bounds, and whichever decides first stops"
                + " the other. --split and --bound apply to input splitting.",
            "",
            "Input splitting is branch and bound over the input box. Each box is bounded with CROWN or"
                + " alpha-CROWN (--bound), starting from the intermediate bounds of the box it was split"
                + " from; a box whose"
                + " unsafe outputs are provably unreachable is closed; the others are searched for a"
                + " counterexample (first a regular grid over the whole box; the box centre, the corner the"
                + " bounds point to, and PGD) and split in"
                + " two along the input dimension chosen by the heuristic (--split): 'width' (the widest),"
                + " 'smear' (the largest gradient anywhere in the box, from interval bounds, times the"
                + " width) or 'reciph' (how much of the bound's relaxation gap the dimension causes;"
                + " smear decides where that explains under a fifth of the gap). A box with at most 12"
                + " unstable ReLUs left is first given to a small branch and bound over those neurons, whose"
                + " subdomains an LP over the property's rows and the splits' cuts decides exactly; this"
                + " closes margins as thin as 2e-6 (ACAS Xu 3_3 prop_2). All cores share the work unless"
                + " --threads says otherwise.",
            "",
            "With --bound pt-lirpa the answer may also be 'unsat (probabilistic, confidence P)': no"
                + " counterexample was found and the property holds with probability P over PT-LiRPA's sampling"
                + " (under its tail assumption), not provably. Input splitting bounds each box with CROWN first"
                + " and with PT-LiRPA only the boxes CROWN cannot close; activation splitting runs as usual and"
                + " asks PT-LiRPA about the whole box as a last step, when the search and its exact fallback end"
                + " without a verdict. The calls share the failure probability 1 - P (call i gets"
                + " (1 - P)/(i(i+1))), so P holds for the whole answer. A sat is always a re-checked"
                + " counterexample and a plain unsat always a proof. The statistics say probabilistic, confidence,"
                + " samples and estimator; the --out result file says 'unknown' with the probabilistic answer"
                + " in a ';' comment line (VNN-COMP has no probabilistic verdict); a results CSV row says"
                + " 'unsat (probabilistic, confidence P, samples N, estimator E)' and it is not counted as solved. "
                + PtLirpaOptions.DESCRIPTION,
            "",
            "With MODEL PROP, the first line is the verdict word alone, then the statistics: time, boxes"
                + " bounded, what decided (bounds, grid, centre, corner, pgd, or why nothing did), heuristic,"
                + " bound method, maximum split depth and the search's counters; for sat also the"
                + " counterexample when it is small. --out FILE writes the VNN-COMP result file: the verdict"
                + " word, and for sat the counterexample as '((X_0 v) (X_1 v) ... (Y_0 v) ...)' in full"
                + " precision, one pair per line, as the VNN-COMP checker reads it.",
            "",
            "With --instances CSV, every instance of a VNN-COMP instance list is run in turn (lines"
                + " 'onnx_path,vnnlib_path,timeout_seconds', no header, paths relative to --root), each with"
                + " the list's timeout times --timeout-scale, and one row per instance is appended to the"
                + " results CSV given by --out (columns onnx, vnnlib, result, seconds, subproblems,"
                + " heuristic) as soon as it is decided. If that file already has rows, their instances are"
                + " skipped: a run that was stopped or crashed is resumed by running the same command again."
                + " Consecutive instances on the same model load it once. Progress goes to standard error:"
                + " a progress bar on a terminal, one line per instance otherwise. At the end a summary is"
                + " printed: instances solved, total and median time, and, when an expected.csv (columns"
                + " onnx,vnnlib,expected) lies beside the instance list, how many verdicts agree with it;"
                + " a sat against an expected unsat or the reverse is a wrong verdict, listed on lines that"
                + " start with 'WRONG'.",
            "",
            "Times are wall-clock seconds of the verification alone, without loading the files. The"
                + " verdict is data, not an error: sat, unsat, timeout and unknown all exit with status 0.",
        },
        parameterListHeading = Help.PARAMETERS,
        optionListHeading = Help.OPTIONS,
        footerHeading = Help.EXAMPLES,
        footer = {
            "  proofmap verify ../shared/benchmarks/acasxu/onnx/ACASXU_run2a_1_2_batch_2000.onnx \\",
            "      ../shared/benchmarks/acasxu/vnnlib/prop_1.vnnlib",
            "  proofmap verify ../shared/benchmarks/acasxu/onnx/ACASXU_run2a_2_1_batch_2000.onnx \\",
            "      ../shared/benchmarks/acasxu/vnnlib/prop_2.vnnlib --out result.txt --timeout 10",
            "  proofmap verify --instances ../shared/benchmarks/acasxu/instances.csv \\",
            "      --timeout-scale 0.5 --split reciph --out acasxu-results.csv",
            "",
            Help.EXIT_STATUS,
            "  0  Success. The verdict is data, not an error: sat, unsat, timeout and unknown all exit 0.",
            Help.EXIT_1, Help.EXIT_2,
        })
final class VerifyCommand implements Callable<Integer> {
    /** The header line of a results CSV. */
    static final String RESULTS_HEADER = "onnx,vnnlib,result,seconds,subproblems,heuristic";
    static final List<String> BOUND_METHODS = List.of("crown", "alpha-crown", "pt-lirpa");
    static final double DEFAULT_TIMEOUT = 60;
    /** Counterexamples with at most this many inputs are printed in the text output. */
    static final int MAX_LISTED = 10;

    private static final Pattern CASE_KEY = Pattern.compile("case(\\d+)");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "The ONNX model file (.onnx). Required unless --instances is given.")
    Path model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROP",
            description = "The VNNLIB property (.vnnlib) with as many inputs X_i and outputs Y_j as MODEL has."
                    + " Required with MODEL.")
    Path property;

    @Option(names = "--instances", paramLabel = "CSV",
            description = "Run every instance of this VNN-COMP instance list instead of MODEL PROP: lines"
                    + " 'onnx_path,vnnlib_path,timeout_seconds' without a header. Needs --out.")
    Path instances;

    @Option(names = "--root", paramLabel = "DIR",
            description = "With --instances, the folder the paths in CSV are relative to."
                    + " Default: the folder of CSV.")
    Path root;

    @Option(names = "--timeout", paramLabel = "S",
            description = "Wall-clock limit for MODEL PROP in seconds, a number > 0; the verdict is 'timeout'"
                    + " when it runs out. Default: 60. With --instances each line gives its own timeout.")
    Double timeout;

    @Option(names = "--timeout-scale", paramLabel = "F",
            description = "With --instances, multiply every timeout of CSV by F (> 0), e.g. 0.1 for a quick"
                    + " pass. Default: 1.")
    Double timeoutScale;

    @Option(names = "--split", paramLabel = "H", defaultValue = "reciph",
            description = "The split heuristic: width, smear or reciph (see DESCRIPTION). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--bound", paramLabel = "B", defaultValue = "crown",
            description = "The bound method on each box: crown, alpha-crown (tighter, slower per box) or pt-lirpa"
                    + " (probabilistic: answers 'unsat (probabilistic, confidence P)' when the answer rests on it;"
                    + " see DESCRIPTION). Default: ${DEFAULT-VALUE}.")
    String bound;

    @picocli.CommandLine.Mixin
    PtLirpaOptions pt = new PtLirpaOptions();

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "auto",
            description = "How to branch: auto (by the input size), input or activation (see DESCRIPTION)."
                    + " Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Worker threads sharing the boxes; 0 means one per core. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "With MODEL PROP, write the VNN-COMP result file (verdict word, and for sat the"
                    + " counterexample). With --instances, the results CSV (required): rows are appended as"
                    + " instances finish, and instances it already has are skipped (resume).")
    Path out;

    @Option(names = "--json", description = Help.JSON_DESCRIPTION
            + " With MODEL PROP the keys are result, seconds, subproblems, decided_by, heuristic, bound,"
            + " timeout, model, property, statistics, for sat witness and witness_output, and for a"
            + " probabilistic unsat probabilistic (true) and confidence. With --instances,"
            + " the summary: instances, run, skipped, results, solved, sat, unsat, probably_unsat, timeout, unknown,"
            + " total_seconds, median_seconds and, with an expected.csv, expected and wrong.")
    boolean json;

    /** One line of an instance list: paths as written, resolved paths, timeout, line number. */
    record Instance(String onnx, String vnnlib, Path onnxPath, Path vnnlibPath, double timeout, int line) {
        String key() {
            return key(onnx, vnnlib);
        }

        static String key(String onnx, String vnnlib) {
            return normal(onnx) + "\n" + normal(vnnlib);
        }

        private static String normal(String p) {
            try {
                return Path.of(p).normalize().toString();
            } catch (RuntimeException e) {
                return p;
            }
        }
    }

    /** One row of a results CSV. */
    record Row(String onnx, String vnnlib, String result, double seconds, long subproblems, String heuristic) {
        String line() {
            return Csv.line(onnx, vnnlib, result, Output.approx(seconds), Long.toString(subproblems), heuristic);
        }
    }

    @Override
    public Integer call() {
        checkUsage();
        return instances == null ? single() : batch();
    }

    private void checkUsage() {
        boolean positional = model != null || property != null;
        if (instances != null && positional) {
            throw usage("give either MODEL PROP or --instances CSV, not both");
        }
        if (instances == null && !positional) {
            throw usage("missing MODEL PROP: give a model and a property, or --instances CSV");
        }
        if (instances == null && property == null) {
            throw usage("missing PROP: give the property after MODEL");
        }
        if (instances == null && root != null) {
            throw usage("--root is only used with --instances");
        }
        if (instances == null && timeoutScale != null) {
            throw usage("--timeout-scale is only used with --instances (for one instance give --timeout S)");
        }
        if (instances != null && timeout != null) {
            throw usage("--timeout is for MODEL PROP: with --instances each line of CSV gives its timeout"
                    + " (scale them with --timeout-scale F)");
        }
        if (instances != null && out == null) {
            throw usage("--instances needs --out FILE, the results CSV (resumed when it already has rows)");
        }
        if (timeout != null && !(timeout > 0 && Double.isFinite(timeout))) {
            throw usage("--timeout must be a number of seconds > 0, found " + timeout);
        }
        if (timeoutScale != null && !(timeoutScale > 0 && Double.isFinite(timeoutScale))) {
            throw usage("--timeout-scale must be a number > 0, found " + timeoutScale);
        }
        if (threads < 0) {
            throw usage("--threads must be 0 (one per core) or more, found " + threads);
        }
        if (!SplitHeuristics.NAMES.contains(split)) {
            throw usage("unknown split heuristic '" + split + "' for --split (known: "
                    + String.join(", ", SplitHeuristics.NAMES) + ")");
        }
        if (!List.of("auto", "input", "activation").contains(strategy)) {
            throw usage("unknown strategy '" + strategy + "' for --strategy (known: auto, input, activation)");
        }
        if (!BOUND_METHODS.contains(bound)) {
            throw usage("unknown bound method '" + bound + "' for --bound (known: " + String.join(", ", BOUND_METHODS)
                    + ")");
        }
        if (pt.given() && !bound.equals("pt-lirpa")) {
            throw usage("--samples, --confidence, --gamma, --tail-index and --pt-alpha are settings of --bound pt-lirpa");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Verifier.Options options(double seconds) {
        boolean probabilistic = bound.equals("pt-lirpa");
        InputSplitVerifier.Options o = InputSplitVerifier.Options.defaults()
                .withSplit(SplitHeuristics.byName(split))
                .withBound(bound)
                .withTimeout(seconds)
                .withThreads(threads);
        ActivationSplitVerifier.Options a = ActivationSplitVerifier.Options.defaults().withTimeout(seconds)
                .withThreads(threads);
        if (probabilistic) {
            o = o.withProbabilistic(pt.options(spec));
            a = a.withProbabilistic(pt.options(spec));
        }
        return new Verifier.Options(Verifier.Strategy.valueOf(strategy.toUpperCase(java.util.Locale.ROOT)), o, a);
    }

    /** Verifies, reporting size mismatches against the property and unsupported models against the model. */
    private VerificationResult verify(Graph g, Path modelFile, Property p, Path propFile, double seconds) {
        if (p.numInputs() != g.inputSize()) {
            throw new ProofmapException(propFile.toString(), "the property has " + p.numInputs() + " inputs (X_i)"
                    + " but " + modelFile + " takes " + g.inputSize() + " input values (shape " + g.inputShape() + ")");
        }
        if (p.numOutputs() != g.outputSize()) {
            throw new ProofmapException(propFile.toString(), "the property has " + p.numOutputs() + " outputs (Y_j)"
                    + " but " + modelFile + " has " + g.outputSize() + " output values (shape " + g.outputShape()
                    + ")");
        }
        try {
            return Verifier.verify(g, p, options(seconds));
        } catch (UnsupportedOperationException e) {
            throw new ProofmapException(modelFile.toString(), message(e), e);
        } catch (IllegalArgumentException e) {
            throw new ProofmapException(propFile.toString(), message(e), e);
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
    }

    // ----------------------------------------------------------------------------------------------
    // One instance

    private int single() {
        double seconds = timeout == null ? DEFAULT_TIMEOUT : timeout;
        Graph g = OnnxLoader.load(model);
        Property p = VnnlibParser.parse(property);
        VerificationResult r = verify(g, model, p, property, seconds);
        if (out != null) {
            VnnCompResult.of(r).write(out);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(Output.json(singleJson(r, p, seconds)));
        } else {
            singleText(r, p, seconds).forEach(o::println);
        }
        o.flush();
        return 0;
    }

    private ObjectNode singleJson(VerificationResult r, Property p, double seconds) {
        ObjectNode o = Output.object();
        o.put("result", r.verdictText());
        if (r.verdict() == Verdict.PROBABLY_UNSAT) {
            o.put("probabilistic", true);
            o.put("confidence", r.confidence());
        }
        o.put("seconds", r.seconds());
        o.put("subproblems", r.subproblems());
        o.put("decided_by", r.decidedBy());
        o.put("heuristic", String.valueOf(r.statistics().getOrDefault("heuristic", split)));
        o.put("bound", String.valueOf(r.statistics().getOrDefault("bound", bound)));
        o.put("timeout", seconds);
        o.put("model", model.toString());
        o.put("property", property.toString());
        o.set("statistics", Output.JSON.valueToTree(r.statistics()));
        if (r.witness() != null) {
            o.set("witness", Output.array(r.witness()));
            o.set("witness_output", Output.array(r.witnessOutput()));
        }
        if (out != null) {
            o.put("out", out.toString());
        }
        return o;
    }

    private List<String> singleText(VerificationResult r, Property p, double seconds) {
        List<String> lines = new ArrayList<>();
        int nc = p.cases().size();
        lines.add(r.verdictText());
        lines.add(kv("model:", model.toString()));
        lines.add(kv("property:", property + " (" + nc + " case" + (nc == 1 ? "" : "s") + ")"));
        lines.add(kv("time:", Output.approx(r.seconds()) + " s (timeout " + Output.approx(seconds) + " s)"));
        lines.add(kv("decided by:", r.decidedBy()));
        lines.add(kv("boxes:", r.subproblems() + " bounded"));
        Map<String, Object> stats = r.statistics();
        lines.add(kv("heuristic:", String.valueOf(stats.getOrDefault("heuristic", split))));
        lines.add(kv("bound:", String.valueOf(stats.getOrDefault("bound", bound))));
        stats.forEach((k, v) -> {
            if (!k.equals("heuristic") && !k.equals("bound")) {
                lines.add(kv(label(k, nc) + ":", value(v)));
            }
        });
        if (r.witness() != null) {
            double[] x = r.witness();
            double[] y = r.witnessOutput();
            lines.add(kv("witness:", x.length + " input" + (x.length == 1 ? "" : "s") + ", " + y.length + " output"
                    + (y.length == 1 ? "" : "s") + " (re-checked by a forward pass: they violate the property)"));
            if (x.length <= MAX_LISTED) {
                for (int i = 0; i < x.length; i++) {
                    lines.add("  X_" + i + " = " + x[i]);
                }
            } else {
                lines.add("  (" + x.length + " inputs: " + (out == null ? "write them with --out FILE" : "see " + out)
                        + ")");
            }
            if (y.length <= MAX_LISTED) {
                for (int j = 0; j < y.length; j++) {
                    lines.add("  Y_" + j + " = " + y[j]);
                }
            }
        }
        if (out != null) {
            lines.add(kv("result file:", out.toString()));
        }
        return lines;
    }

    /** {@code max_depth} as {@code max depth}, {@code case0} as {@code case 1 of N}. */
    private static String label(String key, int cases) {
        Matcher m = CASE_KEY.matcher(key);
        if (m.matches()) {
            return "case " + (Integer.parseInt(m.group(1)) + 1) + " of " + cases;
        }
        return key.replace('_', ' ');
    }

    private static String value(Object v) {
        if (v instanceof Double d) {
            return Output.approx(d);
        }
        if (v instanceof Float f) {
            return Output.approx(f);
        }
        return String.valueOf(v);
    }

    /** {@code key: value} with the values aligned. */
    private static String kv(String key, String value) {
        return key + " ".repeat(Math.max(1, 14 - key.length())) + value;
    }

    // ----------------------------------------------------------------------------------------------
    // An instance list

    private int batch() {
        double scale = timeoutScale == null ? 1 : timeoutScale;
        Path parent = instances.getParent();
        Path base = root != null ? root : parent != null ? parent : Path.of("");
        if (root != null && !Files.isDirectory(root)) {
            throw new ProofmapException(root.toString(), "not a folder (given by --root)");
        }
        List<Instance> list = readInstances(instances, base);
        for (Instance in : list) {
            requireFile(in.onnxPath(), in, instances);
            requireFile(in.vnnlibPath(), in, instances);
        }
        Path expectedFile = instances.resolveSibling("expected.csv");
        Map<String, String> expected = Files.isRegularFile(expectedFile) ? readExpected(expectedFile) : null;

        Map<String, Row> rows = readResults(out);
        boolean needHeader = !Files.exists(out) || size(out) == 0;
        int done = 0;
        for (Instance in : list) {
            if (rows.containsKey(in.key())) {
                done++;
            }
        }
        int skipped = done;
        int total = list.size();

        PrintWriter err = spec.commandLine().getErr();
        try (BufferedWriter w = openAppend(out); BatchProgress progress = BatchProgress.create(err)) {
            if (needHeader) {
                writeLine(w, RESULTS_HEADER);
            }
            progress.start(total, done, out.toString());
            Path cachedPath = null;
            Graph cached = null;
            for (Instance in : list) {
                if (rows.containsKey(in.key())) {
                    continue;
                }
                progress.started(shortName(in));
                Path mp = in.onnxPath().toAbsolutePath().normalize();
                if (!mp.equals(cachedPath)) {
                    cached = null; // let the previous model go before loading the next
                    cached = OnnxLoader.load(in.onnxPath());
                    cachedPath = mp;
                }
                Property p = VnnlibParser.parse(in.vnnlibPath());
                VerificationResult r = verify(cached, in.onnxPath(), p, in.vnnlibPath(), in.timeout() * scale);
                // The seconds as the file keeps them, so a resumed run sums the very same numbers.
                double secs = Double.parseDouble(Output.approx(r.seconds()));
                Row row = new Row(in.onnx(), in.vnnlib(), resultField(r), secs, r.subproblems(),
                        String.valueOf(r.statistics().getOrDefault("heuristic", split)));
                writeLine(w, row.line());
                rows.put(in.key(), row);
                done++;
                progress.finished(done, total, in.onnx(), in.vnnlib(), row.result(), row.seconds());
                String exp = expected == null ? null : expected.get(in.key());
                if (isWrong(row.result(), exp)) {
                    progress.warn(wrongLine(row, exp));
                }
            }
        } catch (IOException e) {
            throw new ProofmapException(out.toString(), "cannot write file: " + message(e), e);
        }
        summary(list, rows, skipped, expected, expectedFile);
        return 0;
    }

    private static String shortName(Instance in) {
        return stripExtension(in.onnxPath().getFileName().toString()) + " "
                + stripExtension(in.vnnlibPath().getFileName().toString());
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * The result column of a results CSV: the verdict word, and for a probabilistic answer its
     * provenance, {@code unsat (probabilistic, confidence P, samples N, estimator E)}.
     */
    static String resultField(VerificationResult r) {
        if (r.verdict() != Verdict.PROBABLY_UNSAT) {
            return r.verdict().word();
        }
        return PROBABLY_UNSAT_PREFIX + r.confidence() + ", samples " + r.statistics().get("samples") + ", estimator "
                + r.statistics().get("estimator") + ")";
    }

    /** How a results CSV's probabilistic answers begin. */
    static final String PROBABLY_UNSAT_PREFIX = "unsat (probabilistic, confidence ";

    /** The summary's name of a result column: its word, {@code probably_unsat} for a probabilistic answer. */
    static String resultKind(String result) {
        return result.startsWith(PROBABLY_UNSAT_PREFIX) ? Verdict.PROBABLY_UNSAT.word() : result;
    }

    static boolean isWrong(String result, String expected) {
        return expected != null && (result.equals("sat") && expected.equals("unsat")
                || result.equals("unsat") && expected.equals("sat"));
    }

    private static String wrongLine(Row row, String expected) {
        return "WRONG: " + row.onnx() + " " + row.vnnlib() + ": proofmap says " + row.result() + ", expected.csv says "
                + expected;
    }

    private static void requireFile(Path p, Instance in, Path csv) {
        if (!Files.isRegularFile(p)) {
            throw new ProofmapException(p.toString(), (Files.isDirectory(p) ? "is a directory" : "file not found")
                    + " (line " + in.line() + " of " + csv + ")");
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readText(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new ProofmapException(file.toString(), "cannot read file: it is a directory");
            }
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (NoSuchFileException e) {
            throw new ProofmapException(file.toString(), "cannot read file: no such file", e);
        } catch (AccessDeniedException e) {
            throw new ProofmapException(file.toString(), "cannot read file: permission denied", e);
        } catch (IOException e) {
            throw new ProofmapException(file.toString(), "cannot read file: " + message(e), e);
        }
    }

    /** The instances of a VNN-COMP list; blank lines and repeated instances are skipped. */
    static List<Instance> readInstances(Path csv, Path base) {
        String[] lines = readText(csv).split("\\R", -1);
        Map<String, Instance> list = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int n = i + 1;
            List<String> f = Csv.split(line);
            if (f == null || f.size() != 3) {
                throw new ProofmapException(csv.toString(), "line " + n + ": expected 3 fields"
                        + " onnx_path,vnnlib_path,timeout_seconds, found " + (f == null ? "an unclosed quote"
                        : f.size() + " (" + line + ")"));
            }
            double t;
            try {
                t = Double.parseDouble(f.get(2));
            } catch (NumberFormatException e) {
                t = Double.NaN;
            }
            if (!(t > 0 && Double.isFinite(t))) {
                throw new ProofmapException(csv.toString(), "line " + n + ": the timeout '" + f.get(2) + "' is not a"
                        + " number of seconds > 0" + (n == 1 ? " (the list has no header line)" : ""));
            }
            if (f.get(0).isEmpty() || f.get(1).isEmpty()) {
                throw new ProofmapException(csv.toString(), "line " + n + ": empty path");
            }
            Path onnx;
            Path vnnlib;
            try {
                onnx = base.resolve(f.get(0));
                vnnlib = base.resolve(f.get(1));
            } catch (java.nio.file.InvalidPathException e) {
                throw new ProofmapException(csv.toString(), "line " + n + ": bad path: " + e.getMessage(), e);
            }
            Instance in = new Instance(f.get(0), f.get(1), onnx, vnnlib, t, n);
            list.putIfAbsent(in.key(), in);
        }
        if (list.isEmpty()) {
            throw new ProofmapException(csv.toString(), "no instances (expected lines"
                    + " onnx_path,vnnlib_path,timeout_seconds)");
        }
        return new ArrayList<>(list.values());
    }

    /** expected.csv: a header naming onnx, vnnlib and expected; the verdicts by instance key, lower case. */
    static Map<String, String> readExpected(Path file) {
        String[] lines = readText(file).split("\\R");
        List<String> header = lines.length == 0 ? null : Csv.split(lines[0].strip());
        int io = header == null ? -1 : header.indexOf("onnx");
        int iv = header == null ? -1 : header.indexOf("vnnlib");
        int ie = header == null ? -1 : header.indexOf("expected");
        if (io < 0 || iv < 0 || ie < 0) {
            throw new ProofmapException(file.toString(), "line 1: expected a header naming the columns onnx, vnnlib"
                    + " and expected");
        }
        int need = Math.max(io, Math.max(iv, ie)) + 1;
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> f = Csv.split(line);
            if (f == null || f.size() < need) {
                throw new ProofmapException(file.toString(), "line " + (i + 1) + ": expected at least " + need
                        + " fields, found " + (f == null ? "an unclosed quote" : f.size()));
            }
            m.put(Instance.key(f.get(io), f.get(iv)), f.get(ie).toLowerCase(Locale.ROOT));
        }
        return m;
    }

    /**
     * The rows already in a results CSV, by instance key (empty when the file does not exist or is
     * empty). A last line without its line end (a run killed while writing it) is cut off the file, so
     * that instance runs again.
     */
    static Map<String, Row> readResults(Path file) {
        Map<String, Row> rows = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return rows;
        }
        if (Files.isDirectory(file)) {
            throw new ProofmapException(file.toString(), "is a directory, not a results CSV");
        }
        String text = readText(file);
        if (text.isEmpty()) {
            return rows;
        }
        if (!text.endsWith("\n")) {
            int cut = text.lastIndexOf('\n') + 1;
            if (cut == 0) {
                throw notResults(file);
            }
            truncate(file, text.substring(0, cut).getBytes(StandardCharsets.UTF_8).length);
            text = text.substring(0, cut);
        }
        String[] lines = text.split("\\R");
        if (!lines[0].strip().equals(RESULTS_HEADER)) {
            throw notResults(file);
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> f = Csv.split(line);
            if (f == null || f.size() != 6) {
                throw new ProofmapException(file.toString(), "line " + (i + 1) + ": expected 6 fields ("
                        + RESULTS_HEADER + "), found " + (f == null ? "an unclosed quote" : f.size()));
            }
            double s;
            long n;
            try {
                s = Double.parseDouble(f.get(3));
                n = Long.parseLong(f.get(4));
            } catch (NumberFormatException e) {
                throw new ProofmapException(file.toString(), "line " + (i + 1) + ": seconds and subproblems must be"
                        + " numbers, found '" + f.get(3) + "' and '" + f.get(4) + "'");
            }
            Row r = new Row(f.get(0), f.get(1), f.get(2), s, n, f.get(5));
            rows.put(Instance.key(r.onnx(), r.vnnlib()), r);
        }
        return rows;
    }

    private static ProofmapException notResults(Path file) {
        return new ProofmapException(file.toString(), "not a results CSV of 'proofmap verify' (its first line"
                + " should be '" + RESULTS_HEADER + "'): give another --out FILE or remove this one");
    }

    private static void truncate(Path file, long length) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        } catch (IOException e) {
            throw new ProofmapException(file.toString(), "cannot write file: " + message(e), e);
        }
    }

    private static BufferedWriter openAppend(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new ProofmapException(file.toString(), "cannot write file: no such folder", e);
        } catch (AccessDeniedException e) {
            throw new ProofmapException(file.toString(), "cannot write file: permission denied", e);
        } catch (IOException e) {
            throw new ProofmapException(file.toString(), "cannot write file: " + message(e), e);
        }
    }

    /** One line, flushed at once: a crash loses at most the instance being run. */
    private static void writeLine(BufferedWriter w, String line) throws IOException {
        w.write(line);
        w.write('\n');
        w.flush();
    }

    private void summary(List<Instance> list, Map<String, Row> rows, int skipped, Map<String, String> expected,
            Path expectedFile) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String v : List.of("sat", "unsat", "probably_unsat", "timeout", "unknown")) {
            counts.put(v, 0);
        }
        List<Double> times = new ArrayList<>();
        int agree = 0;
        int unsolved = 0;
        int noReference = 0;
        List<Row> wrong = new ArrayList<>();
        List<String> wrongExpected = new ArrayList<>();
        for (Instance in : list) {
            Row r = rows.get(in.key());
            counts.merge(resultKind(r.result()), 1, Integer::sum);
            times.add(r.seconds());
            if (expected == null) {
                continue;
            }
            String exp = expected.get(in.key());
            boolean solved = r.result().equals("sat") || r.result().equals("unsat");
            if (exp == null || !(exp.equals("sat") || exp.equals("unsat"))) {
                noReference++;
            } else if (!solved) {
                unsolved++;
            } else if (r.result().equals(exp)) {
                agree++;
            } else {
                wrong.add(r);
                wrongExpected.add(exp);
            }
        }
        int solved = counts.get("sat") + counts.get("unsat");
        double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
        double totalTime = 0;
        for (double x : t) {
            totalTime += x;
        }
        double median = BoundsCommand.median(t);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode j = Output.object();
            j.put("instances", list.size());
            j.put("run", list.size() - skipped);
            j.put("skipped", skipped);
            j.put("results", out.toString());
            j.put("solved", solved);
            counts.forEach(j::put);
            j.put("total_seconds", totalTime);
            j.put("median_seconds", median);
            if (expected != null) {
                ObjectNode e = j.putObject("expected");
                e.put("file", expectedFile.toString());
                e.put("agree", agree);
                e.put("wrong", wrong.size());
                e.put("unsolved", unsolved);
                e.put("no_reference", noReference);
                ArrayNode w = j.putArray("wrong");
                for (int i = 0; i < wrong.size(); i++) {
                    ObjectNode x = w.addObject();
                    x.put("onnx", wrong.get(i).onnx());
                    x.put("vnnlib", wrong.get(i).vnnlib());
                    x.put("result", wrong.get(i).result());
                    x.put("expected", wrongExpected.get(i));
                }
            }
            o.println(Output.json(j));
            o.flush();
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(kv("instances:", list.size() + " in " + instances + " (" + (list.size() - skipped) + " run now, "
                + skipped + " already in " + out + ")"));
        lines.add(kv("results:", out.toString()));
        lines.add(kv("solved:", solved + " of " + list.size() + " (" + counts.get("sat") + " sat, " + counts.get("unsat")
                + " unsat; " + (counts.get("probably_unsat") > 0 ? counts.get("probably_unsat")
                        + " unsat only probabilistically (not counted as solved), " : "")
                + counts.get("timeout") + " timeout, " + counts.get("unknown") + " unknown)"));
        lines.add(kv("time:", "total " + Output.approx(totalTime) + " s, median " + Output.approx(median) + " s"));
        if (expected != null) {
            lines.add(kv("expected:", expectedFile + ": " + agree + " agree, " + wrong.size() + " wrong, " + unsolved
                    + " unsolved" + (noReference > 0 ? ", " + noReference + " without a reference verdict" : "")));
            if (!wrong.isEmpty()) {
                lines.add("");
                lines.add("WRONG VERDICTS: " + wrong.size() + " (proofmap contradicts " + expectedFile
                        + ": a soundness bug or a wrong reference; check the counterexamples)");
                for (int i = 0; i < wrong.size(); i++) {
                    lines.add(wrongLine(wrong.get(i), wrongExpected.get(i)));
                }
            }
        }
        lines.forEach(o::println);
        o.flush();
    }
}
